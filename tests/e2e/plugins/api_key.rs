//! The api-key plugin: keys created, read, listed, updated and deleted by their owner, stored
//! hashed as Better Auth stores them, and accepted in `x-api-key` as a session of their user —
//! until they expire, run out of uses, hit their rate limit or are disabled. Better Auth's npm
//! `apiKeyClient` drives creation and listing. A second configuration (`ci`) has its own
//! defaults, and a third (`team`) keys owned by organizations, managed by their members as
//! their roles allow.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use super::{past, quote};
use crate::db::TestDb;
use crate::http::{Client, Reply};
use crate::{ORIGIN, npm_script, sign_up};

pub fn flows(dialect: &str, c: &Client, db: &TestDb) {
    let owner = Owner::sign_up(dialect, c, db, "keys@example.com");
    refusals(&owner);
    let (id, key) = create_and_read(&owner);
    update(&owner, &id);
    key_as_session(&owner, &id, &key);
    rate_limit(&owner, &id, &key);
    remaining_and_refill(&owner);
    expiry_and_deletion(&owner, &id);
    npm_api_key_client(dialect, c, db);
    configurations(&Owner::sign_up(dialect, c, db, "key-configs@example.com"));
    organization_keys(dialect, c, db);
}

/// A signed-up user with a session cookie, and the database behind the server.
struct Owner<'a> {
    dialect: &'a str,
    c: &'a Client,
    db: &'a TestDb,
    id: String,
    cookie: String,
}

impl<'a> Owner<'a> {
    fn sign_up(dialect: &'a str, c: &'a Client, db: &'a TestDb, email: &str) -> Self {
        let signed_up = sign_up(c, email, "api key password");
        assert_eq!(signed_up.status, 200, "{dialect}: {}", signed_up.body);
        Self {
            dialect,
            c,
            db,
            id: signed_up.json()["user"]["id"].as_str().unwrap().to_owned(),
            cookie: signed_up.cookie("better-auth.session_token").unwrap(),
        }
    }

    fn post(&self, path: &str, body: &Value) -> Reply {
        let headers = [("cookie", self.cookie.as_str()), ORIGIN];
        self.c
            .post_json(&format!("/api/auth{path}"), &body.to_string(), &headers)
            .unwrap()
    }

    fn get(&self, path: &str) -> Reply {
        self.c
            .get(&format!("/api/auth{path}"), &[("cookie", &self.cookie)])
            .unwrap()
    }

    fn create(&self, body: &Value) -> Value {
        let created = self.post("/api-key/create", body);
        assert_eq!(created.status, 200, "{}: {}", self.dialect, created.body);
        created.json()
    }

    /// `get-session` with `key` in `x-api-key` and no cookie.
    fn session_with(&self, key: &str) -> Reply {
        self.c
            .get("/api/auth/get-session", &[("x-api-key", key)])
            .unwrap()
    }

    /// A column of the key `id`, as the database prints it.
    fn column(&self, id: &str, column: &str) -> String {
        let q = quote(self.dialect);
        let sql = format!("SELECT {q}{column}{q} FROM {q}apikey{q} WHERE {q}id{q} = '{id}'");
        self.db.query(&sql).trim().to_owned()
    }

    /// Sets columns of the key `id` (`"col" = value, …` in this dialect's quoting).
    fn set(&self, id: &str, assignments: &[(&str, &str)]) {
        let q = quote(self.dialect);
        let set: Vec<String> = assignments
            .iter()
            .map(|(column, value)| format!("{q}{column}{q} = {value}"))
            .collect();
        self.db.query(&format!(
            "UPDATE {q}apikey{q} SET {} WHERE {q}id{q} = '{id}'",
            set.join(", ")
        ));
    }
}

/// `status code` of an error reply.
fn refusal(reply: &Reply) -> String {
    format!(
        "{} {}",
        reply.status,
        reply.json()["code"].as_str().unwrap_or_default()
    )
}

fn refusals(o: &Owner) {
    let d = o.dialect;
    let anonymous =
        o.c.post_json("/api/auth/api-key/create", "{}", &[ORIGIN])
            .unwrap();
    assert_eq!(refusal(&anonymous), "401 UNAUTHORIZED_SESSION", "{d}");
    // Counters, limits and permissions are for server code only; the owner is the session's.
    for server_only in [
        json!({ "remaining": 5 }),
        json!({ "refillAmount": 5, "refillInterval": 1000 }),
        json!({ "rateLimitMax": 100 }),
        json!({ "rateLimitEnabled": false }),
        json!({ "permissions": { "files": ["read"] } }),
    ] {
        let refused = o.post("/api-key/create", &server_only);
        assert_eq!(
            refusal(&refused),
            "400 SERVER_ONLY_PROPERTY",
            "{d}: {server_only}"
        );
    }
    let for_other = o.post("/api-key/create", &json!({ "userId": "someone-else" }));
    assert_eq!(refusal(&for_other), "401 UNAUTHORIZED_SESSION", "{d}");
    let short = o.post("/api-key/create", &json!({ "expiresIn": 3600 }));
    assert_eq!(refusal(&short), "400 EXPIRES_IN_IS_TOO_SMALL", "{d}");
    let long = o.post("/api-key/create", &json!({ "expiresIn": 400 * 86_400 }));
    assert_eq!(refusal(&long), "400 EXPIRES_IN_IS_TOO_LARGE", "{d}");
    let name = o.post("/api-key/create", &json!({ "name": "n".repeat(33) }));
    assert_eq!(refusal(&name), "400 INVALID_NAME_LENGTH", "{d}");
    let prefix = o.post("/api-key/create", &json!({ "prefix": "no spaces" }));
    assert_eq!(prefix.status, 400, "{d}: {}", prefix.body);
    let metadata = o.post("/api-key/create", &json!({ "metadata": "text" }));
    assert_eq!(refusal(&metadata), "400 INVALID_METADATA_TYPE", "{d}");
    let none = o.get("/api-key/list");
    assert_eq!(none.json()["total"], 0, "{d}: refused keys were not stored");
}

/// Creates a key and reads it back; returns its id and the key.
fn create_and_read(o: &Owner) -> (String, String) {
    let d = o.dialect;
    let created = o.create(&json!({ "name": "ci", "prefix": "ci_", "metadata": { "team": "qa" } }));
    let key = created["key"].as_str().unwrap().to_owned();
    let id = created["id"].as_str().unwrap().to_owned();
    let random = key
        .strip_prefix("ci_")
        .expect("the key starts with its prefix");
    assert_eq!(random.len(), 64, "{d}: the default key length");
    assert!(random.chars().all(|ch| ch.is_ascii_alphabetic()), "{d}");
    for (field, expected) in [
        ("name", json!("ci")),
        ("prefix", json!("ci_")),
        ("start", json!(key[..6])),
        ("referenceId", json!(o.id)),
        ("configId", json!("default")),
        ("enabled", json!(true)),
        ("remaining", Value::Null),
        ("expiresAt", Value::Null),
        ("rateLimitEnabled", json!(true)),
        ("rateLimitMax", json!(10)),
        ("rateLimitTimeWindow", json!(86_400_000)),
        ("requestCount", json!(0)),
        ("metadata", json!({ "team": "qa" })),
        ("permissions", Value::Null),
    ] {
        assert_eq!(created[field], expected, "{d}: {field} of {created}");
    }
    // Stored as Better Auth stores it: base64url(SHA-256(key)) without padding, never the key.
    let hashed = URL_SAFE_NO_PAD.encode(Sha256::digest(key.as_bytes()));
    assert_eq!(o.column(&id, "key"), hashed, "{d}");
    assert_eq!(o.column(&id, "start"), &key[..6], "{d}");
    assert_eq!(o.column(&id, "metadata"), r#"{"team":"qa"}"#, "{d}");

    let got = o.get(&format!("/api-key/get?id={id}"));
    assert_eq!(got.status, 200, "{d}: {}", got.body);
    let got = got.json();
    assert!(got.get("key").is_none(), "{d}: no key, no hash: {got}");
    assert_eq!(got["name"], "ci", "{d}");
    assert_eq!(got["metadata"], json!({ "team": "qa" }), "{d}");
    assert_eq!(got["createdAt"], created["createdAt"], "{d}");
    o.set(&id, &[("configId", "'other'")]);
    let other_config = o.get(&format!("/api-key/get?id={id}"));
    assert_eq!(
        refusal(&other_config),
        "404 KEY_NOT_FOUND",
        "{d}: another configuration's key"
    );
    o.set(&id, &[("configId", "'default'")]);
    let missing = o.get("/api-key/get?id=no-such-key");
    assert_eq!(refusal(&missing), "404 KEY_NOT_FOUND", "{d}");
    let no_id = o.get("/api-key/get");
    assert_eq!(refusal(&no_id), "400 VALIDATION_ERROR", "{d}");
    let signed_out =
        o.c.get(&format!("/api/auth/api-key/get?id={id}"), &[])
            .unwrap();
    assert_eq!(signed_out.status, 401, "{d}");

    // Another user sees neither the key nor its listing.
    let other = Owner::sign_up(d, o.c, o.db, "other-keys@example.com");
    let foreign = other.get(&format!("/api-key/get?id={id}"));
    assert_eq!(refusal(&foreign), "404 KEY_NOT_FOUND", "{d}");
    assert_eq!(other.get("/api-key/list").json()["total"], 0, "{d}");
    let foreign_delete = other.post("/api-key/delete", &json!({ "keyId": id }));
    assert_eq!(refusal(&foreign_delete), "404 KEY_NOT_FOUND", "{d}");

    // Without a prefix of its own, a key gets `default_prefix`.
    let second = o.create(&json!({ "name": "second" }));
    assert_eq!(second["prefix"], "rk_", "{d}");
    let second_key = second["key"].as_str().unwrap();
    assert!(
        second_key.starts_with("rk_") && second_key.len() == 67,
        "{d}: {second_key}"
    );
    let listed = o.get("/api-key/list").json();
    assert_eq!(listed["total"], 2, "{d}: {listed}");
    let names: Vec<&Value> = listed["apiKeys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| &k["name"])
        .collect();
    assert_eq!(names, [&json!("ci"), &json!("second")], "{d}: oldest first");
    assert!(
        listed["apiKeys"]
            .as_array()
            .unwrap()
            .iter()
            .all(|k| k.get("key").is_none()),
        "{d}"
    );
    let page = o
        .get("/api-key/list?limit=1&offset=1&sortBy=createdAt&sortDirection=desc")
        .json();
    assert_eq!(page["total"], 2, "{d}");
    assert_eq!(
        (&page["limit"], &page["offset"]),
        (&json!(1), &json!(1)),
        "{d}"
    );
    assert_eq!(page["apiKeys"][0]["name"], "ci", "{d}: {page}");
    let deleted = o.post("/api-key/delete", &json!({ "keyId": second["id"] }));
    assert_eq!(deleted.json(), json!({ "success": true }), "{d}");
    assert_eq!(o.get("/api-key/list").json()["total"], 1, "{d}");
    (id, key)
}

fn update(o: &Owner, id: &str) {
    let d = o.dialect;
    let renamed = o.post(
        "/api-key/update",
        &json!({ "keyId": id, "name": "deploys", "metadata": { "team": "ops" } }),
    );
    assert_eq!(renamed.status, 200, "{d}: {}", renamed.body);
    assert_eq!(renamed.json()["name"], "deploys", "{d}");
    assert_eq!(renamed.json()["metadata"], json!({ "team": "ops" }), "{d}");
    assert!(renamed.json().get("key").is_none(), "{d}");
    assert_eq!(o.column(id, "name"), "deploys", "{d}");
    let nothing = o.post("/api-key/update", &json!({ "keyId": id }));
    assert_eq!(refusal(&nothing), "400 NO_VALUES_TO_UPDATE", "{d}");
    let server_only = o.post("/api-key/update", &json!({ "keyId": id, "remaining": 3 }));
    assert_eq!(refusal(&server_only), "400 SERVER_ONLY_PROPERTY", "{d}");
    let expiring = o.post(
        "/api-key/update",
        &json!({ "keyId": id, "expiresIn": 2 * 86_400 }),
    );
    assert!(
        expiring.json()["expiresAt"].is_string(),
        "{d}: {}",
        expiring.body
    );
    let forever = o.post(
        "/api-key/update",
        &json!({ "keyId": id, "expiresIn": null }),
    );
    assert!(
        forever.json()["expiresAt"].is_null(),
        "{d}: {}",
        forever.body
    );
}

/// The key in `x-api-key` signs the request in as its owner, on any endpoint that takes a
/// session; Better Auth's mock session has the key's id and the key as its token.
fn key_as_session(o: &Owner, id: &str, key: &str) {
    let d = o.dialect;
    let session = o.session_with(key);
    assert_eq!(session.status, 200, "{d}: {}", session.body);
    let session = session.json();
    assert_eq!(
        session["user"]["email"], "keys@example.com",
        "{d}: {session}"
    );
    assert_eq!(session["session"]["id"], id, "{d}");
    assert_eq!(session["session"]["token"], key, "{d}");
    assert_eq!(session["session"]["userId"], o.id, "{d}");
    let listed =
        o.c.get("/api/auth/api-key/list", &[("x-api-key", key)])
            .unwrap();
    assert_eq!(listed.json()["total"], 1, "{d}: {}", listed.body);
    assert_eq!(o.column(id, "requestCount"), "2", "{d}: each use counts");

    let short = o.session_with("too-short");
    assert_eq!(refusal(&short), "403 INVALID_API_KEY", "{d}");
    let unknown = o.session_with(&"x".repeat(67));
    assert_eq!(refusal(&unknown), "401 INVALID_API_KEY", "{d}");

    let disabled = o.post("/api-key/update", &json!({ "keyId": id, "enabled": false }));
    assert_eq!(disabled.json()["enabled"], false, "{d}");
    assert_eq!(refusal(&o.session_with(key)), "401 KEY_DISABLED", "{d}");
    o.post("/api-key/update", &json!({ "keyId": id, "enabled": true }));
    assert_eq!(o.session_with(key).status, 200, "{d}");
}

/// Past `rateLimitMax` uses within the window, the key is refused with 429 until the window
/// has passed since its last use.
fn rate_limit(o: &Owner, id: &str, key: &str) {
    let d = o.dialect;
    o.set(
        id,
        &[
            ("rateLimitMax", "3"),
            ("requestCount", "0"),
            ("lastRequest", "NULL"),
        ],
    );
    for use_ in 1..=3 {
        assert_eq!(o.session_with(key).status, 200, "{d}: use {use_}");
    }
    let limited = o.session_with(key);
    assert_eq!(refusal(&limited), "429 RATE_LIMITED", "{d}");
    assert_eq!(limited.json()["message"], "Rate limit exceeded.", "{d}");
    let try_again_in = limited.json()["details"]["tryAgainIn"]
        .as_i64()
        .unwrap_or_default();
    assert!(
        (86_000_000..=86_400_000).contains(&try_again_in),
        "{d}: a day's window from the last use: {}",
        limited.body
    );
    assert_eq!(o.column(id, "requestCount"), "3", "{d}");
    // A window that has passed starts over.
    o.set(id, &[("lastRequest", past(d))]);
    assert_eq!(o.session_with(key).status, 200, "{d}");
    assert_eq!(o.column(id, "requestCount"), "1", "{d}");
}

/// `remaining` counts down with each use; an exhausted key that never refills is refused and
/// deleted, one that refills gets `refillAmount` back once `refillInterval` has passed.
fn remaining_and_refill(o: &Owner) {
    let d = o.dialect;
    let created = o.create(&json!({ "name": "metered" }));
    let (id, key) = (
        created["id"].as_str().unwrap(),
        created["key"].as_str().unwrap(),
    );
    o.set(id, &[("remaining", "2"), ("rateLimitEnabled", "false")]);
    assert_eq!(o.session_with(key).status, 200, "{d}");
    assert_eq!(o.column(id, "remaining"), "1", "{d}");
    assert_eq!(o.session_with(key).status, 200, "{d}");
    assert_eq!(o.column(id, "remaining"), "0", "{d}");
    assert_eq!(refusal(&o.session_with(key)), "429 USAGE_EXCEEDED", "{d}");
    assert_eq!(o.column(id, "id"), "", "{d}: the exhausted key is deleted");

    let created = o.create(&json!({ "name": "refilled" }));
    let (id, key) = (
        created["id"].as_str().unwrap(),
        created["key"].as_str().unwrap(),
    );
    o.set(
        id,
        &[
            ("remaining", "0"),
            ("refillAmount", "5"),
            ("refillInterval", "60000"),
            ("lastRefillAt", past(d)),
        ],
    );
    assert_eq!(o.session_with(key).status, 200, "{d}: refilled");
    assert_eq!(o.column(id, "remaining"), "4", "{d}");
    o.set(id, &[("remaining", "0")]);
    assert_eq!(
        refusal(&o.session_with(key)),
        "429 USAGE_EXCEEDED",
        "{d}: the interval has not passed since the refill"
    );
    assert_eq!(o.column(id, "remaining"), "0", "{d}");
    o.post("/api-key/delete", &json!({ "keyId": id }));
}

/// An expired key is refused and deleted; `/api-key/delete-all-expired-api-keys` is
/// server-only in Better Auth (no HTTP route), so it is not served; a deleted key is gone.
fn expiry_and_deletion(o: &Owner, id: &str) {
    let d = o.dialect;
    let created = o.create(&json!({ "name": "short-lived", "expiresIn": 86_400 }));
    let (expiring, key) = (
        created["id"].as_str().unwrap(),
        created["key"].as_str().unwrap(),
    );
    assert!(created["expiresAt"].is_string(), "{d}: {created}");
    assert_eq!(o.session_with(key).status, 200, "{d}");
    o.set(expiring, &[("expiresAt", past(d))]);
    assert_eq!(refusal(&o.session_with(key)), "401 KEY_EXPIRED", "{d}");
    assert_eq!(
        o.column(expiring, "id"),
        "",
        "{d}: the expired key is deleted"
    );

    let server_only = o.post("/api-key/delete-all-expired-api-keys", &json!({}));
    assert_eq!(server_only.status, 404, "{d}");
    let deleted = o.post("/api-key/delete", &json!({ "keyId": id }));
    assert_eq!(deleted.json(), json!({ "success": true }), "{d}");
    assert_eq!(
        refusal(&o.get(&format!("/api-key/get?id={id}"))),
        "404 KEY_NOT_FOUND",
        "{d}"
    );
    assert_eq!(o.get("/api-key/list").json()["total"], 0, "{d}");
}

/// Better Auth's `apiKeyClient` creates a key and lists it, and the key signs in; the database
/// holds the hash Better Auth's own `defaultKeyHasher` makes of the key. The client's `configId`
/// reaches the `ci` configuration.
fn npm_api_key_client(dialect: &str, c: &Client, db: &TestDb) {
    let mut got = npm_script("api-key.mjs", dialect, c);
    let id = got["id"].take();
    let hash = got["hash"].take();
    let email = got["user"].as_str().unwrap_or_default().to_owned();
    assert!(email.starts_with("npm-keys-"), "{dialect}: {got}");
    let expected = json!({
        "user": email, "created": true, "prefix": "npm_", "id": null, "hash": null,
        "listed": ["npm key"], "hidden": true, "keySession": email, "deleted": true,
        "afterDelete": ["npm key"], "ciPrefix": "ci_", "ciListed": ["npm ci"],
    });
    assert_eq!(got, expected, "{dialect}");
    let q = quote(dialect);
    let stored = db.query(&format!(
        "SELECT {q}key{q} FROM {q}apikey{q} WHERE {q}id{q} = '{}'",
        id.as_str().unwrap()
    ));
    assert_eq!(stored.trim(), hash.as_str().unwrap(), "{dialect}");
}

/// The `ci` configuration's keys get its prefix, length and rate limit; a request names the
/// configuration it means (`configId`), an absent or unknown one is the default configuration,
/// as in Better Auth, and a key counts as a session only in its own configuration's headers.
fn configurations(o: &Owner) {
    let d = o.dialect;
    let ci = o.create(&json!({ "configId": "ci", "name": "pipeline" }));
    let ci_key = ci["key"].as_str().unwrap();
    assert_eq!(ci["configId"], "ci", "{d}: {ci}");
    assert_eq!(ci["prefix"], "ci_", "{d}");
    assert!(
        ci_key.starts_with("ci_") && ci_key.len() == 3 + 40,
        "{d}: {ci_key}"
    );
    assert_eq!(ci["rateLimitMax"], 3, "{d}");
    assert_eq!(
        o.column(ci["id"].as_str().unwrap(), "configId"),
        "ci",
        "{d}"
    );
    let unknown = o.create(&json!({ "configId": "no-such-config", "name": "fallback" }));
    assert_eq!(unknown["configId"], "default", "{d}: {unknown}");
    assert_eq!(unknown["prefix"], "rk_", "{d}");

    let id = ci["id"].as_str().unwrap();
    assert_eq!(
        refusal(&o.get(&format!("/api-key/get?id={id}"))),
        "404 KEY_NOT_FOUND",
        "{d}: not a key of the default configuration"
    );
    assert_eq!(
        refusal(&o.get(&format!("/api-key/get?id={id}&configId=no-such-config"))),
        "404 KEY_NOT_FOUND",
        "{d}"
    );
    let got = o.get(&format!("/api-key/get?id={id}&configId=ci"));
    assert_eq!(got.status, 200, "{d}: {}", got.body);
    let renamed = o.post(
        "/api-key/update",
        &json!({ "keyId": id, "configId": "ci", "name": "builds" }),
    );
    assert_eq!(renamed.json()["name"], "builds", "{d}: {}", renamed.body);

    assert_eq!(o.get("/api-key/list").json()["total"], 2, "{d}");
    let only_ci = o.get("/api-key/list?configId=ci").json();
    assert_eq!(only_ci["total"], 1, "{d}: {only_ci}");
    assert_eq!(only_ci["apiKeys"][0]["id"], ci["id"], "{d}");
    assert_eq!(
        o.get("/api-key/list?configId=no-such-config").json()["total"],
        0,
        "{d}"
    );
    // `x-api-key` carries the default configuration's keys, 64 characters after the prefix: a
    // `ci` key there is refused unread, as shorter.
    assert_eq!(
        refusal(&o.session_with(ci_key)),
        "403 INVALID_API_KEY",
        "{d}"
    );
    let fallback = unknown["key"].as_str().unwrap();
    assert_eq!(o.session_with(fallback).status, 200, "{d}");
    let deleted = o.post("/api-key/delete", &json!({ "keyId": id, "configId": "ci" }));
    assert_eq!(
        deleted.json(),
        json!({ "success": true }),
        "{d}: {}",
        deleted.body
    );
}

/// Keys of the `team` configuration belong to an organization: its owner (the creator's role)
/// may do everything, a plain member nothing, a non-member is told so, and a role defined at
/// runtime with `apiKey` permissions allows what it lists; such a key is no session.
fn organization_keys(dialect: &str, c: &Client, db: &TestDb) {
    let d = dialect;
    let owner = Owner::sign_up(d, c, db, "team-keys-owner@example.com");
    let org = owner.post(
        "/organization/create",
        &json!({ "name": "Key Team", "slug": "key-team" }),
    );
    assert_eq!(org.status, 200, "{d}: {}", org.body);
    let org_id = org.json()["id"].as_str().unwrap().to_owned();
    let member = Owner::sign_up(d, c, db, "team-keys-member@example.com");
    let q = quote(d);
    db.query(&format!(
        "INSERT INTO {q}member{q} ({q}id{q}, {q}organizationId{q}, {q}userId{q}, {q}role{q}, {q}createdAt{q}) VALUES ('key-team-member', '{org_id}', '{}', 'member', {})",
        member.id,
        past(d)
    ));
    let outsider = Owner::sign_up(d, c, db, "team-keys-outsider@example.com");

    let no_org = owner.post("/api-key/create", &team(json!({ "name": "deploy" })));
    assert_eq!(refusal(&no_org), "400 ORGANIZATION_ID_REQUIRED", "{d}");
    let created = owner.create(&team(json!({ "name": "deploy", "organizationId": org_id })));
    assert_eq!(created["referenceId"], org_id.as_str(), "{d}: {created}");
    assert_eq!(created["configId"], "team", "{d}");
    let id = created["id"].as_str().unwrap();
    let key = created["key"].as_str().unwrap();

    let by_member = member.post(
        "/api-key/create",
        &team(json!({ "organizationId": org_id })),
    );
    assert_eq!(
        refusal(&by_member),
        "403 INSUFFICIENT_API_KEY_PERMISSIONS",
        "{d}"
    );
    let read_by_member = member.get(&format!("/api-key/get?id={id}&configId=team"));
    assert_eq!(
        refusal(&read_by_member),
        "403 INSUFFICIENT_API_KEY_PERMISSIONS",
        "{d}"
    );
    for refused in [
        outsider.post(
            "/api-key/create",
            &team(json!({ "organizationId": org_id })),
        ),
        outsider.get(&format!("/api-key/list?organizationId={org_id}")),
        outsider.post(
            "/api-key/delete",
            &json!({ "keyId": id, "configId": "team" }),
        ),
    ] {
        assert_eq!(
            refusal(&refused),
            "403 USER_NOT_MEMBER_OF_ORGANIZATION",
            "{d}: {}",
            refused.body
        );
    }

    let listed = owner
        .get(&format!("/api-key/list?organizationId={org_id}"))
        .json();
    assert_eq!(listed["total"], 1, "{d}: {listed}");
    assert_eq!(listed["apiKeys"][0]["id"], id, "{d}");
    assert_eq!(
        owner.get("/api-key/list").json()["total"],
        0,
        "{d}: the owner's own keys are not the organization's"
    );
    assert_eq!(
        refusal(&owner.get(&format!("/api-key/get?id={id}"))),
        "404 KEY_NOT_FOUND",
        "{d}: looked up in the default configuration"
    );
    // In `x-api-key` the key is another configuration's; in the `team` keys' header, an
    // organization's key, with no user to sign in as.
    assert_eq!(
        refusal(&owner.session_with(key)),
        "401 INVALID_API_KEY",
        "{d}"
    );
    let as_session = c
        .get("/api/auth/get-session", &[("x-team-key", key)])
        .unwrap();
    assert_eq!(
        refusal(&as_session),
        "401 INVALID_REFERENCE_ID_FROM_API_KEY",
        "{d}"
    );
    key_manager_role(&owner, &member, &org_id, id);
}

/// A role defined at runtime grants the `apiKey` actions it lists (Better Auth's dynamic access
/// control, `apiKey` among the statements): the owner defines one, `member` of `org_id`, given
/// it, reads, updates and deletes the key `id` but still may not create one.
fn key_manager_role(owner: &Owner, member: &Owner, org_id: &str, id: &str) {
    let (d, db) = (owner.dialect, owner.db);
    // The creator's role holds every `apiKey` action, so it may grant them in a role.
    let role = json!({
        "organizationId": org_id, "role": "key-manager",
        "permission": { "apiKey": ["read", "update", "delete"] },
    });
    let created = owner.post("/organization/create-role", &role);
    assert_eq!(created.status, 200, "{d}: {}", created.body);
    let by_member = member.post(
        "/organization/create-role",
        &json!({ "organizationId": org_id, "role": "own-keys", "permission": { "apiKey": ["read"] } }),
    );
    assert_eq!(by_member.status, 403, "{d}: {}", by_member.body);
    let reroled = owner.post(
        "/organization/update-member-role",
        &json!({ "organizationId": org_id, "memberId": "key-team-member", "role": "key-manager" }),
    );
    assert_eq!(reroled.status, 200, "{d}: {}", reroled.body);
    assert_eq!(
        db.query(&format!(
            "SELECT {q}role{q} FROM {q}member{q} WHERE {q}id{q} = 'key-team-member'",
            q = quote(d)
        ))
        .trim(),
        "key-manager",
        "{d}"
    );
    let read = member.get(&format!("/api-key/get?id={id}&configId=team"));
    assert_eq!(read.status, 200, "{d}: {}", read.body);
    let listed = member.get(&format!("/api-key/list?organizationId={org_id}"));
    assert_eq!(listed.json()["total"], 1, "{d}: {}", listed.body);
    let updated = member.post(
        "/api-key/update",
        &json!({ "keyId": id, "configId": "team", "name": "deploys" }),
    );
    assert_eq!(updated.json()["name"], "deploys", "{d}: {}", updated.body);
    let still_no_create = member.post(
        "/api-key/create",
        &team(json!({ "organizationId": org_id })),
    );
    assert_eq!(
        refusal(&still_no_create),
        "403 INSUFFICIENT_API_KEY_PERMISSIONS",
        "{d}"
    );
    let deleted = member.post(
        "/api-key/delete",
        &json!({ "keyId": id, "configId": "team" }),
    );
    assert_eq!(
        deleted.json(),
        json!({ "success": true }),
        "{d}: {}",
        deleted.body
    );
    assert_eq!(owner.column(id, "id"), "", "{d}: deleted");
}

/// `body` of a request about the `team` configuration's keys.
fn team(mut body: Value) -> Value {
    body["configId"] = json!("team");
    body
}
