//! One-tap plugin: Google ID tokens, signed here with a test key whose JWKS a local stand-in of
//! Google serves (`keys_url_env`), sign in or up through `/one-tap/callback`. Attacks refused:
//! a token for another client, from another issuer, expired, too old, signed by another key,
//! unsigned (`alg: none`), HMAC-signed with the public key, from another origin; with
//! `hosted_domain`, a personal account or another Workspace domain; with `disable_signup`, a
//! new user.
//!
//! Better Auth's `oneTapClient` drives Google's browser library (the One Tap prompt), which
//! needs a browser and Google: the requests here are the ones it sends after the prompt.

use std::time::{SystemTime, UNIX_EPOCH};

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use crate::db::{self, TestDb};
use crate::http::{Client, Reply};
use crate::stub_http::{self, StubRequest, StubResponse};
use crate::{ONE_APP_AT_A_TIME, ORIGIN, build_small_app, start_with};

/// The client id the tokens are issued to.
const CLIENT_ID: &str = "rauth-test.apps.googleusercontent.com";
/// The stand-in's signing key (an RSA key made for these tests, PKCS#1 DER) and the key set it
/// publishes.
const KEY: &[u8] = include_bytes!("../fixtures/one-tap/google-test-key.der");
const PUBLIC_KEY: &str = include_str!("../fixtures/one-tap/google-test-key.pub.pem");
const JWKS: &str = include_str!("../fixtures/one-tap/jwks.json");
/// A key Google never published.
const OTHER_KEY: &[u8] = include_bytes!("../fixtures/one-tap/other-key.der");
const KID: &str = "rauth-test-google";

/// What the social and one-tap tables add to each app, besides `options`.
fn config(options: &str) -> String {
    format!(
        "[social.google]\nclient_id_env = \"GOOGLE_CLIENT_ID\"\nclient_secret_env = \"GOOGLE_CLIENT_SECRET\"\n[plugins.one-tap]\nkeys_url_env = \"GOOGLE_KEYS_URL\"\n{options}"
    )
}

const DEPENDENCIES: &str = "reqwest = { version = \"0.12\", default-features = false, features = [\"rustls-tls\", \"json\"] }\njsonwebtoken = { version = \"11\", default-features = false, features = [\"rust_crypto\"] }\n";

fn google_keys(_: &StubRequest) -> StubResponse {
    StubResponse {
        status: "200 OK",
        content_type: "application/json",
        body: JWKS.to_owned(),
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// The claims of a fresh token of Google's for `sub` / `email`, to be changed by a test.
fn claims(sub: &str, email: &str) -> Value {
    let now = now();
    json!({
        "iss": "https://accounts.google.com",
        "aud": CLIENT_ID,
        "azp": CLIENT_ID,
        "sub": sub,
        "email": email,
        "email_verified": true,
        "name": "Tap User",
        "picture": "https://lh3.googleusercontent.com/a/tap",
        "iat": now,
        "exp": now + 3600,
    })
}

/// `claims` signed with `key` as Google signs: RS256 with its key id.
fn signed(claims: &Value, key: &[u8]) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(KID.to_owned());
    jsonwebtoken::encode(&header, claims, &EncodingKey::from_rsa_der(key)).unwrap()
}

fn tap(c: &Client, token: &str) -> Reply {
    c.post_json(
        "/api/auth/one-tap/callback",
        &json!({ "idToken": token }).to_string(),
        &[ORIGIN],
    )
    .unwrap()
}

/// Refused with Better Auth's answer to a token it does not accept, and no session.
fn refused(what: &str, reply: &Reply, status: u16, message: &str) {
    assert_eq!(reply.status, status, "{what}: {}", reply.body);
    assert_eq!(reply.json()["message"], message, "{what}: {}", reply.body);
    assert!(
        reply.set_cookie("better-auth.session_token").is_none(),
        "{what}"
    );
}

#[test]
fn google_one_tap_signs_in_with_verified_tokens_only() {
    if db::skipped() {
        return;
    }
    let _turn = ONE_APP_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let keys_url = stub_http::serve(google_keys);
    default_options(&keys_url);
    workspace_only(&keys_url);
}

fn start(
    framework: &str,
    dialect: &'static str,
    options: &str,
    keys_url: &str,
) -> (TestDb, crate::App) {
    let (project, binary) = build_small_app(
        "e2e_one_tap",
        (framework, dialect),
        &config(options),
        DEPENDENCIES,
        &format!("one-tap-{framework}.lock"),
    );
    let db = TestDb::create(dialect);
    let app = start_with(
        &binary,
        &project.file("app"),
        &db.url,
        &[
            ("GOOGLE_CLIENT_ID", CLIENT_ID),
            ("GOOGLE_CLIENT_SECRET", "unused-by-one-tap"),
            ("GOOGLE_KEYS_URL", keys_url),
        ],
    );
    (db, app)
}

/// axum on SQLite, Better Auth's defaults: sign-up, sign-in again, and every forged token refused.
fn default_options(keys_url: &str) {
    let (db, app) = start("axum", "sqlite", "", keys_url);
    let c = &app.client;

    let first = tap(c, &signed(&claims("1001", "Tap@Example.com"), KEY));
    assert_eq!(first.status, 200, "{}", first.body);
    let answer = first.json();
    assert_eq!(answer["user"]["email"], "tap@example.com", "{answer}");
    assert_eq!(answer["user"]["emailVerified"], true, "{answer}");
    assert_eq!(answer["user"]["name"], "Tap User", "{answer}");
    let token = answer["token"].as_str().unwrap();
    let cookie = first.cookie("better-auth.session_token").unwrap();
    let session = c
        .get("/api/auth/get-session", &[("cookie", &cookie)])
        .unwrap()
        .json();
    assert_eq!(session["session"]["token"], token, "{session}");
    let accounts = c
        .get("/api/auth/list-accounts", &[("cookie", &cookie)])
        .unwrap()
        .json();
    assert_eq!(accounts[0]["providerId"], "google", "{accounts}");
    assert_eq!(accounts[0]["accountId"], "1001", "{accounts}");

    // The same Google account again: the same user, a new session.
    let again = tap(c, &signed(&claims("1001", "tap@example.com"), KEY));
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.json()["user"]["id"], answer["user"]["id"]);
    assert_ne!(again.json()["token"], answer["token"]);

    let valid = signed(&claims("1002", "mallory@example.com"), KEY);
    forged_tokens_refused(c, &valid);
    // Login CSRF: another site's page cannot sign its visitor into the attacker's account.
    let cross_site = c
        .post_json(
            "/api/auth/one-tap/callback",
            &json!({ "idToken": valid }).to_string(),
            &[("origin", "https://evil.example")],
        )
        .unwrap();
    assert_eq!(cross_site.status, 403, "{}", cross_site.body);
    assert!(cross_site.set_cookie("better-auth.session_token").is_none());
    let open_redirect = c
        .post_json(
            "/api/auth/one-tap/callback",
            &json!({ "idToken": valid, "callbackURL": "https://evil.example/landing" }).to_string(),
            &[ORIGIN],
        )
        .unwrap();
    assert_eq!(open_redirect.status, 403, "{}", open_redirect.body);
    // None of the refused tokens made a user; the valid one does.
    let users = "SELECT count(*) FROM user WHERE email = 'mallory@example.com'";
    assert_eq!(db.query(users).trim(), "0");
    let mallory = tap(c, &valid);
    assert_eq!(mallory.status, 200, "{}", mallory.body);
    assert_ne!(mallory.json()["user"]["id"], answer["user"]["id"]);
    assert_eq!(db.query(users).trim(), "1");
}

/// Every forged or misdirected token refused, `valid` (Mallory's) being the token they start
/// from.
fn forged_tokens_refused(c: &Client, valid: &str) {
    let forged = |what: &str, change: &dyn Fn(&mut Value)| {
        let mut forged = claims("1002", "mallory@example.com");
        change(&mut forged);
        refused(
            what,
            &tap(c, &signed(&forged, KEY)),
            400,
            "invalid id token",
        );
    };
    forged("another client", &|c| {
        c["aud"] = json!("someone-else.apps.googleusercontent.com");
    });
    forged("another issuer", &|c| {
        c["iss"] = json!("https://evil.example");
    });
    forged("expired", &|c| {
        c["iat"] = json!(now() - 7200);
        c["exp"] = json!(now() - 3600);
    });
    // Google's tokens live an hour: one issued earlier is refused even with a later `exp`.
    forged("too old", &|c| {
        c["iat"] = json!(now() - 7200);
        c["exp"] = json!(now() + 3600);
    });
    let fresh = claims("1002", "mallory@example.com");
    refused(
        "another key",
        &tap(c, &signed(&fresh, OTHER_KEY)),
        400,
        "invalid id token",
    );
    let payload = valid.split('.').nth(1).unwrap();
    // `{"alg":"none","typ":"JWT"}`, no signature.
    let unsigned = format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{payload}.");
    refused("alg none", &tap(c, &unsigned), 400, "invalid id token");
    let mut hmac = Header::new(Algorithm::HS256);
    hmac.kid = Some(KID.to_owned());
    let with_public_key = jsonwebtoken::encode(
        &hmac,
        &fresh,
        &EncodingKey::from_secret(PUBLIC_KEY.as_bytes()),
    )
    .unwrap();
    refused(
        "HMAC with the public key",
        &tap(c, &with_public_key),
        400,
        "invalid id token",
    );
    let mut tampered = fresh.clone();
    tampered["email"] = json!("tap@example.com");
    let tampered_payload = signed(&tampered, OTHER_KEY);
    let swapped = format!(
        "{}.{}.{}",
        valid.split('.').next().unwrap(),
        tampered_payload.split('.').nth(1).unwrap(),
        valid.split('.').nth(2).unwrap()
    );
    refused(
        "a changed payload",
        &tap(c, &swapped),
        400,
        "invalid id token",
    );
    let mut no_email = fresh.clone();
    no_email.as_object_mut().unwrap().remove("email");
    refused(
        "no email",
        &tap(c, &signed(&no_email, KEY)),
        400,
        "Email not available in token",
    );
}

/// actix-web on MySQL with `hosted_domain` and `disable_signup`: only the Workspace domain's
/// accounts, and only users who exist.
fn workspace_only(keys_url: &str) {
    let (db, app) = start(
        "actix-web",
        "mysql",
        "hosted_domain = \"corp.example\"\ndisable_signup = true\n",
        keys_url,
    );
    let c = &app.client;
    let mut personal = claims("2001", "someone@gmail.com");
    refused(
        "a personal account",
        &tap(c, &signed(&personal, KEY)),
        400,
        "invalid id token",
    );
    personal["hd"] = json!("other.example");
    refused(
        "another Workspace domain",
        &tap(c, &signed(&personal, KEY)),
        400,
        "invalid id token",
    );
    let mut member = claims("2002", "ada@corp.example");
    member["hd"] = json!("corp.example");
    refused(
        "sign-up disabled",
        &tap(c, &signed(&member, KEY)),
        401,
        "signup disabled",
    );
    // Once the user exists (signed up with a verified email), the Google account links to it.
    let signed_up = crate::sign_up(c, "ada@corp.example", "ada password 123");
    assert_eq!(signed_up.status, 200, "{}", signed_up.body);
    db.apply("UPDATE `user` SET `emailVerified` = true WHERE `email` = 'ada@corp.example'");
    let linked = tap(c, &signed(&member, KEY));
    assert_eq!(linked.status, 200, "{}", linked.body);
    assert_eq!(linked.json()["user"]["email"], "ada@corp.example");
}
