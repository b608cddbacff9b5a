//! Passkey plugin: a software authenticator (1Password's passkey-rs, standing in for a browser
//! and its authenticator) registers a passkey through `/passkey/*` and signs in with it. The
//! ceremonies refuse a wrong challenge, origin or signature, a counter that went back, and a
//! challenge of another ceremony or user; passkeys are listed, renamed and deleted by their owner
//! only. Better Auth's own verifier (@simplewebauthn/server, in `passkey.mjs`) stores the same
//! row for a registration as rauth does, verifies a sign-in against a row rauth stored, and a
//! row it wrote signs in on rauth.

use passkey::authenticator::{Authenticator, UiHint, UserCheck, UserValidationMethod};
use passkey::client::{Client as Browser, DefaultClientData};
use passkey::types::Passkey;
use passkey::types::ctap2::{Aaguid, Ctap2Error};
use passkey::types::webauthn::{CredentialCreationOptions, CredentialRequestOptions};
use public_suffix::PublicSuffixList;
use serde_json::{Value, json};
use url::Url;

use super::{past, quote};
use crate::db::TestDb;
use crate::http::{Client, Reply};

/// The app's `base_url`: its origin, and `localhost` its RP id.
const ORIGIN: &str = "http://localhost:3000";
const CHALLENGE_COOKIE: &str = "better-auth.better-auth-passkey";
const SESSION_COOKIE: &str = "better-auth.session_token";
/// The software authenticator's AAGUID.
const AAGUID: [u8; 16] = *b"rauth e2e passky";
const AAGUID_TEXT: &str = "72617574-6820-6532-6520-706173736b79";

type Device = Browser<Option<Passkey>, Approve, PublicSuffixList, ()>;

/// The user of the software authenticator: present and verified whenever asked.
struct Approve;

#[async_trait::async_trait]
impl UserValidationMethod for Approve {
    type PasskeyItem = Passkey;

    async fn check_user<'a>(
        &self,
        _hint: UiHint<'a, Passkey>,
        presence: bool,
        verification: bool,
    ) -> Result<UserCheck, Ctap2Error> {
        Ok(UserCheck {
            presence,
            verification,
        })
    }

    fn is_presence_enabled(&self) -> bool {
        true
    }

    fn is_verification_enabled(&self) -> Option<bool> {
        Some(true)
    }
}

/// An authenticator holding no passkey yet; `counting`: its passkeys keep a signature counter
/// (a security key's), else they send 0 (a synced passkey's).
fn device(counting: bool) -> Device {
    let mut authenticator = Authenticator::new(Aaguid(AAGUID), None, Approve);
    authenticator.set_make_credentials_with_signature_counter(counting);
    Browser::new(authenticator).allows_insecure_localhost(true)
}

struct Ctx<'a> {
    dialect: &'a str,
    c: &'a Client,
    db: &'a TestDb,
    rt: tokio::runtime::Runtime,
}

pub fn flows(dialect: &str, c: &Client, db: &TestDb) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let t = Ctx { dialect, c, db, rt };
    let alice = t.sign_up("passkey-alice@example.com");
    let mut key = device(true);
    let (passkey, credential_id) = register(&t, &alice, &mut key);
    registration_refusals(&t, &alice);
    sign_in(&t, &mut key, &alice, &credential_id);
    sign_in_refusals(&t, &mut key, &credential_id);
    better_auth_rows(&t, &mut key, &credential_id);
    manage(&t, &alice, &passkey, &mut key);
}

/// Options, the authenticator's credential, and the row: as Better Auth shapes and stores them.
fn register(t: &Ctx, alice: &str, key: &mut Device) -> (Value, String) {
    let d = t.dialect;
    assert_eq!(
        t.c.get("/api/auth/passkey/generate-register-options", &[])
            .unwrap()
            .status,
        401,
        "{d}: registration needs a session"
    );
    let (options, ceremony) = t.register_options(alice, "");
    assert_eq!(options["rp"]["id"], "localhost", "{d}: {options}");
    assert!(options["rp"]["name"].is_string(), "{d}: {options}");
    assert_eq!(options["user"]["name"], "passkey-alice@example.com", "{d}");
    assert_eq!(
        options["user"]["displayName"], "passkey-alice@example.com",
        "{d}"
    );
    assert_eq!(options["attestation"], "none", "{d}");
    assert_eq!(options["timeout"], 60_000, "{d}");
    assert_eq!(options["excludeCredentials"], json!([]), "{d}");
    assert_eq!(
        options["authenticatorSelection"],
        json!({"residentKey": "preferred", "userVerification": "preferred", "requireResidentKey": false}),
        "{d}"
    );
    let algorithms: Vec<&Value> = options["pubKeyCredParams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["alg"])
        .collect();
    assert_eq!(algorithms, [-8, -7, -257], "{d}");
    let challenge = options["challenge"].as_str().unwrap().to_owned();
    assert_eq!(challenge.len(), 43, "{d}: 32 random bytes, base64url");

    let created = t.create(key, &options, ORIGIN);
    // What Better Auth (@simplewebauthn/server) would store for this very response.
    let better_auth = t.node(&json!({
        "mode": "register", "response": created, "challenge": challenge,
        "origin": ORIGIN, "rpID": "localhost",
    }));
    let reply = t.post(
        "/api/auth/passkey/verify-registration",
        &json!({ "response": created, "name": "  Laptop  " }),
        &[alice, &ceremony],
    );
    assert_eq!(reply.status, 200, "{d}: {}", reply.body);
    let passkey = reply.json();
    assert_eq!(passkey["name"], "Laptop", "{d}: trimmed");
    assert_eq!(passkey["credentialID"], created["id"], "{d}");
    assert_eq!(passkey["aaguid"], AAGUID_TEXT, "{d}");
    assert!(passkey["createdAt"].is_string(), "{d}: {passkey}");
    assert!(passkey.get("session").is_none(), "{d}: no createSession");
    for field in [
        "publicKey",
        "credentialID",
        "counter",
        "deviceType",
        "backedUp",
        "transports",
        "aaguid",
    ] {
        assert_eq!(
            passkey[field], better_auth[field],
            "{d}: `{field}` as Better Auth stores it"
        );
    }
    let id = passkey["id"].as_str().unwrap().to_owned();
    let q = quote(d);
    let stored = t.db.query(&format!(
        "SELECT {q}publicKey{q}, {q}credentialID{q}, {q}counter{q}, {q}deviceType{q}, {q}transports{q}, {q}aaguid{q} FROM {q}passkey{q} WHERE {q}id{q} = '{id}'"
    ));
    let expected = [
        "publicKey",
        "credentialID",
        "counter",
        "deviceType",
        "transports",
        "aaguid",
    ]
    .map(|f| better_auth[f].to_string().trim_matches('"').to_owned())
    .join("\t");
    assert_eq!(stored.trim(), expected, "{d}: the row");

    // A challenge is answered once.
    let again = t.post(
        "/api/auth/passkey/verify-registration",
        &json!({ "response": created }),
        &[alice, &ceremony],
    );
    t.refused(&again, 400, "CHALLENGE_NOT_FOUND");
    // The user's passkeys are excluded from the next registration.
    let (next, _) = t.register_options(alice, "?authenticatorAttachment=platform&name=work");
    assert_eq!(
        next["excludeCredentials"][0]["id"], created["id"],
        "{d}: {next}"
    );
    assert_eq!(next["excludeCredentials"][0]["type"], "public-key", "{d}");
    assert_eq!(next["user"]["name"], "work", "{d}");
    assert_eq!(
        next["authenticatorSelection"]["authenticatorAttachment"], "platform",
        "{d}"
    );
    let listed = t.get("/api/auth/passkey/list-user-passkeys", alice);
    assert_eq!(listed.json(), json!([passkey]), "{d}");
    (passkey, created["id"].as_str().unwrap().to_owned())
}

/// A registration answering another challenge, or another user's, or with no cookie.
fn registration_refusals(t: &Ctx, alice: &str) {
    let d = t.dialect;
    let mut other = device(false);
    let (mut options, ceremony) = t.register_options(alice, "");
    options["challenge"] = json!("d3JvbmcgY2hhbGxlbmdlIGZvciB0aGlzIGNlcmVtb255");
    let created = t.create(&mut other, &options, ORIGIN);
    let reply = t.post(
        "/api/auth/passkey/verify-registration",
        &json!({ "response": created }),
        &[alice, &ceremony],
    );
    // Better Auth answers 500 to every response that fails verification.
    t.refused(&reply, 500, "FAILED_TO_VERIFY_REGISTRATION");

    let bob = t.sign_up("passkey-bob@example.com");
    let (options, bobs_ceremony) = t.register_options(&bob, "");
    let created = t.create(&mut other, &options, ORIGIN);
    let reply = t.post(
        "/api/auth/passkey/verify-registration",
        &json!({ "response": created }),
        &[alice, &bobs_ceremony],
    );
    t.refused(&reply, 401, "YOU_ARE_NOT_ALLOWED_TO_REGISTER_THIS_PASSKEY");
    let reply = t.post(
        "/api/auth/passkey/verify-registration",
        &json!({ "response": created }),
        &[alice],
    );
    t.refused(&reply, 400, "CHALLENGE_NOT_FOUND");
    assert_eq!(
        t.get("/api/auth/passkey/list-user-passkeys", &bob).json(),
        json!([]),
        "{d}"
    );
}

/// Signed out, the passkey signs in: a session of its user, and the counter moves on.
fn sign_in(t: &Ctx, key: &mut Device, alice: &str, credential_id: &str) {
    let d = t.dialect;
    let (options, ceremony) = t.authenticate_options(None);
    assert_eq!(options["rpId"], "localhost", "{d}: {options}");
    assert_eq!(options["userVerification"], "preferred", "{d}");
    assert!(
        options.get("allowCredentials").is_none(),
        "{d}: signed out, any passkey: {options}"
    );
    let asserted = t.get_assertion(key, &options, ORIGIN);
    let reply = t.post(
        "/api/auth/passkey/verify-authentication",
        &json!({ "response": asserted }),
        &[&ceremony],
    );
    assert_eq!(reply.status, 200, "{d}: {}", reply.body);
    let session = reply.cookie(SESSION_COOKIE).expect("a session cookie");
    assert_eq!(
        reply.json()["user"]["email"],
        "passkey-alice@example.com",
        "{d}"
    );
    let got = t.get("/api/auth/get-session", &session).json();
    assert_eq!(
        got["user"]["email"], "passkey-alice@example.com",
        "{d}: {got}"
    );
    assert_eq!(t.counter(credential_id), 1, "{d}: the counter moved on");
    // Signed in, the options list the user's passkeys.
    let (options, _) = t.authenticate_options(Some(alice));
    assert_eq!(
        options["allowCredentials"][0]["id"], credential_id,
        "{d}: {options}"
    );
}

/// Wrong challenge, origin, signature or ceremony, a counter that went back, no passkey.
fn sign_in_refusals(t: &Ctx, key: &mut Device, credential_id: &str) {
    let d = t.dialect;
    let attempt = |key: &mut Device, edit: &dyn Fn(&mut Value), origin: &str| {
        let (mut options, ceremony) = t.authenticate_options(None);
        edit(&mut options);
        let asserted = t.get_assertion(key, &options, origin);
        t.post(
            "/api/auth/passkey/verify-authentication",
            &json!({ "response": asserted }),
            &[&ceremony],
        )
    };
    let wrong_challenge =
        |o: &mut Value| o["challenge"] = json!("YW5vdGhlciBjaGFsbGVuZ2UgYWx0b2dldGhlciEhIQ");
    t.refused(
        &attempt(key, &wrong_challenge, ORIGIN),
        400,
        "AUTHENTICATION_FAILED",
    );
    t.refused(
        &attempt(key, &|_| {}, "http://localhost:4000"),
        400,
        "AUTHENTICATION_FAILED",
    );

    // One bit of the signature flipped.
    let (options, ceremony) = t.authenticate_options(None);
    let mut asserted = t.get_assertion(key, &options, ORIGIN);
    let mut signature = b64url_decode(asserted["response"]["signature"].as_str().unwrap());
    let last = signature.len() - 1;
    signature[last] ^= 1;
    asserted["response"]["signature"] = json!(b64url_encode(&signature));
    let reply = t.post(
        "/api/auth/passkey/verify-authentication",
        &json!({ "response": asserted }),
        &[&ceremony],
    );
    t.refused(&reply, 401, "AUTHENTICATION_FAILED");

    // A registration challenge does not sign in.
    let (options, _) = t.authenticate_options(None);
    let asserted = t.get_assertion(key, &options, ORIGIN);
    let someone = t.sign_up("passkey-carol@example.com");
    let (_, registration) = t.register_options(&someone, "");
    let reply = t.post(
        "/api/auth/passkey/verify-authentication",
        &json!({ "response": asserted }),
        &[&registration],
    );
    t.refused(&reply, 400, "CHALLENGE_NOT_FOUND");

    // A clone of the authenticator, its counter behind the server's.
    let before = t.counter(credential_id);
    key.authenticator_mut()
        .store_mut()
        .as_mut()
        .unwrap()
        .counter = Some(0);
    t.refused(&attempt(key, &|_| {}, ORIGIN), 400, "AUTHENTICATION_FAILED");
    assert_eq!(t.counter(credential_id), before, "{d}");
    // The authenticator catches up.
    key.authenticator_mut()
        .store_mut()
        .as_mut()
        .unwrap()
        .counter = Some(u32::try_from(before).unwrap() + 5);
    let reply = attempt(key, &|_| {}, ORIGIN);
    assert_eq!(reply.status, 200, "{d}: {}", reply.body);
    assert_eq!(t.counter(credential_id), before + 6, "{d}");

    // A passkey the server does not know.
    let (options, ceremony) = t.authenticate_options(None);
    let mut asserted = t.get_assertion(key, &options, ORIGIN);
    asserted["id"] = json!("bm8gc3VjaCBwYXNza2V5");
    asserted["rawId"] = json!("bm8gc3VjaCBwYXNza2V5");
    let reply = t.post(
        "/api/auth/passkey/verify-authentication",
        &json!({ "response": asserted }),
        &[&ceremony],
    );
    t.refused(&reply, 401, "PASSKEY_NOT_FOUND");
}

/// Both ways with Better Auth's verifier: a sign-in against the row rauth stored verifies there,
/// and a row it would store signs in here.
fn better_auth_rows(t: &Ctx, key: &mut Device, credential_id: &str) {
    let d = t.dialect;
    let q = quote(d);
    let row = t.db.query(&format!(
        "SELECT {q}publicKey{q}, {q}counter{q}, {q}transports{q} FROM {q}passkey{q} WHERE {q}credentialID{q} = '{credential_id}'"
    ));
    let fields: Vec<&str> = row.trim().split('\t').collect();
    let (options, _) = t.authenticate_options(None);
    let asserted = t.get_assertion(key, &options, ORIGIN);
    let verified = t.node(&json!({
        "mode": "authenticate", "response": asserted, "challenge": options["challenge"],
        "origin": ORIGIN, "rpID": "localhost",
        "passkey": {
            "credentialID": credential_id, "publicKey": fields[0],
            "counter": fields[1].parse::<i64>().unwrap(), "transports": fields[2],
        },
    }));
    assert_eq!(verified["verified"], true, "{d}: {verified}");

    // Dave's passkey, registered through Better Auth's verifier and stored as it stores it.
    let dave = t.sign_up("passkey-dave@example.com");
    let dave_id = t.get("/api/auth/get-session", &dave).json()["user"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut daves_key = device(false);
    let (options, _) = t.register_options(&dave, "");
    let created = t.create(&mut daves_key, &options, ORIGIN);
    let row = t.node(&json!({
        "mode": "register", "response": created, "challenge": options["challenge"],
        "origin": ORIGIN, "rpID": "localhost",
    }));
    let yes_no = |b: &Value| match (d, b.as_bool().unwrap()) {
        ("sqlite", true) => "1",
        ("sqlite", false) => "0",
        (_, true) => "true",
        (_, false) => "false",
    };
    t.db.apply(&format!(
        "INSERT INTO {q}passkey{q} ({q}id{q}, {q}name{q}, {q}publicKey{q}, {q}userId{q}, {q}credentialID{q}, {q}counter{q}, {q}deviceType{q}, {q}backedUp{q}, {q}transports{q}, {q}createdAt{q}, {q}aaguid{q}) VALUES ('ba-passkey-{d}', NULL, '{}', '{dave_id}', '{}', {}, '{}', {}, '{}', {}, '{}');",
        row["publicKey"].as_str().unwrap(),
        row["credentialID"].as_str().unwrap(),
        row["counter"],
        row["deviceType"].as_str().unwrap(),
        yes_no(&row["backedUp"]),
        row["transports"].as_str().unwrap(),
        past(d),
        row["aaguid"].as_str().unwrap(),
    ));
    let (options, ceremony) = t.authenticate_options(None);
    let asserted = t.get_assertion(&mut daves_key, &options, ORIGIN);
    let reply = t.post(
        "/api/auth/passkey/verify-authentication",
        &json!({ "response": asserted }),
        &[&ceremony],
    );
    assert_eq!(reply.status, 200, "{d}: {}", reply.body);
    assert_eq!(reply.json()["user"]["id"], dave_id.as_str(), "{d}");
    let listed = t.get("/api/auth/passkey/list-user-passkeys", &dave).json();
    assert_eq!(listed[0]["id"], format!("ba-passkey-{d}"), "{d}: {listed}");
    assert_eq!(listed[0]["name"], Value::Null, "{d}");
}

/// Renaming and deleting: the owner only.
fn manage(t: &Ctx, alice: &str, passkey: &Value, key: &mut Device) {
    let d = t.dialect;
    let id = passkey["id"].as_str().unwrap();
    let mallory = t.sign_up("passkey-mallory@example.com");
    let reply = t.post(
        "/api/auth/passkey/update-passkey",
        &json!({ "id": id, "name": "mine now" }),
        &[&mallory],
    );
    t.refused(&reply, 401, "YOU_ARE_NOT_ALLOWED_TO_REGISTER_THIS_PASSKEY");
    let reply = t.post(
        "/api/auth/passkey/delete-passkey",
        &json!({ "id": id }),
        &[&mallory],
    );
    t.refused(&reply, 401, "UNAUTHORIZED");
    let reply = t.post(
        "/api/auth/passkey/delete-passkey",
        &json!({ "id": "no-such-passkey" }),
        &[alice],
    );
    t.refused(&reply, 404, "PASSKEY_NOT_FOUND");
    let reply = t.post(
        "/api/auth/passkey/update-passkey",
        &json!({ "id": id, "name": "   " }),
        &[alice],
    );
    t.refused(&reply, 400, "VALIDATION_ERROR");

    let reply = t.post(
        "/api/auth/passkey/update-passkey",
        &json!({ "id": id, "name": " Phone " }),
        &[alice],
    );
    assert_eq!(reply.status, 200, "{d}: {}", reply.body);
    assert_eq!(reply.json()["passkey"]["name"], "Phone", "{d}");
    assert_eq!(reply.json()["passkey"]["id"], id, "{d}");
    let listed = t.get("/api/auth/passkey/list-user-passkeys", alice).json();
    assert_eq!(listed[0]["name"], "Phone", "{d}");

    let reply = t.post(
        "/api/auth/passkey/delete-passkey",
        &json!({ "id": id }),
        &[alice],
    );
    assert_eq!(reply.status, 200, "{d}: {}", reply.body);
    assert_eq!(reply.json(), json!({ "status": true }), "{d}");
    assert_eq!(
        t.get("/api/auth/passkey/list-user-passkeys", alice).json(),
        json!([]),
        "{d}"
    );
    let (options, ceremony) = t.authenticate_options(None);
    let asserted = t.get_assertion(key, &options, ORIGIN);
    let reply = t.post(
        "/api/auth/passkey/verify-authentication",
        &json!({ "response": asserted }),
        &[&ceremony],
    );
    t.refused(&reply, 401, "PASSKEY_NOT_FOUND");
}

impl Ctx<'_> {
    /// Signs up `email`; its session cookie.
    fn sign_up(&self, email: &str) -> String {
        let reply = crate::sign_up(self.c, email, "passkey password 1");
        assert_eq!(reply.status, 200, "{}: {}", self.dialect, reply.body);
        reply.cookie(SESSION_COOKIE).unwrap()
    }

    fn get(&self, path: &str, cookie: &str) -> Reply {
        self.c.get(path, &[("cookie", cookie)]).unwrap()
    }

    /// A POST from the app's origin with these cookies.
    fn post(&self, path: &str, body: &Value, cookies: &[&str]) -> Reply {
        let cookie = cookies.join("; ");
        self.c
            .post_json(
                path,
                &body.to_string(),
                &[("cookie", &cookie), ("origin", ORIGIN)],
            )
            .unwrap()
    }

    /// Registration options and the challenge cookie naming their ceremony.
    fn register_options(&self, session: &str, query: &str) -> (Value, String) {
        let path = format!("/api/auth/passkey/generate-register-options{query}");
        let reply = self.get(&path, session);
        assert_eq!(reply.status, 200, "{}: {}", self.dialect, reply.body);
        let set = reply
            .set_cookie(CHALLENGE_COOKIE)
            .expect("a challenge cookie");
        assert!(set.contains("Max-Age=300"), "{}: {set}", self.dialect);
        (reply.json(), reply.cookie(CHALLENGE_COOKIE).unwrap())
    }

    /// Sign-in options (for a signed-in user with `session`) and the challenge cookie.
    fn authenticate_options(&self, session: Option<&str>) -> (Value, String) {
        let reply = match session {
            Some(cookie) => self.get("/api/auth/passkey/generate-authenticate-options", cookie),
            None => self
                .c
                .get("/api/auth/passkey/generate-authenticate-options", &[])
                .unwrap(),
        };
        assert_eq!(reply.status, 200, "{}: {}", self.dialect, reply.body);
        (reply.json(), reply.cookie(CHALLENGE_COOKIE).unwrap())
    }

    /// `navigator.credentials.create` with these options at `origin`, as JSON.
    fn create(&self, key: &mut Device, options: &Value, origin: &str) -> Value {
        let request: CredentialCreationOptions =
            serde_json::from_value(json!({ "publicKey": options })).unwrap();
        let origin = Url::parse(origin).unwrap();
        let created = self
            .rt
            .block_on(key.register(&origin, request, DefaultClientData))
            .unwrap_or_else(|e| panic!("{}: the authenticator refused: {e:?}", self.dialect));
        serde_json::to_value(created).unwrap()
    }

    /// `navigator.credentials.get` with these options at `origin`, as JSON.
    fn get_assertion(&self, key: &mut Device, options: &Value, origin: &str) -> Value {
        let request: CredentialRequestOptions =
            serde_json::from_value(json!({ "publicKey": options })).unwrap();
        let origin = Url::parse(origin).unwrap();
        let asserted = self
            .rt
            .block_on(key.authenticate(&origin, request, DefaultClientData))
            .unwrap_or_else(|e| panic!("{}: the authenticator refused: {e:?}", self.dialect));
        serde_json::to_value(asserted).unwrap()
    }

    /// The stored counter of the passkey.
    fn counter(&self, credential_id: &str) -> i64 {
        let q = quote(self.dialect);
        self.db
            .query(&format!(
                "SELECT {q}counter{q} FROM {q}passkey{q} WHERE {q}credentialID{q} = '{credential_id}'"
            ))
            .trim()
            .parse()
            .unwrap()
    }

    fn refused(&self, reply: &Reply, status: u16, code: &str) {
        super::refused(self.dialect, reply, status, code);
    }

    /// Runs `passkey.mjs` (Better Auth's verifier) on `input`.
    fn node(&self, input: &Value) -> Value {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), input.to_string()).unwrap();
        crate::npm_script_with("passkey.mjs", self.dialect, self.c, &[file.path()])
    }
}

fn b64url_decode(text: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text)
        .unwrap()
}

fn b64url_encode(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A passkey registered on `first` (for the user of the session cookie `session`) signs that user
/// in on `second`, another server on the same database; returns the sign-in's reply.
pub fn register_here_sign_in_there(
    dialect: &str,
    db: &TestDb,
    first: &Client,
    session: &str,
    second: &Client,
) -> Reply {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let here = Ctx {
        dialect,
        c: first,
        db,
        rt,
    };
    let mut key = device(false);
    let (options, ceremony) = here.register_options(session, "");
    let created = here.create(&mut key, &options, ORIGIN);
    let reply = here.post(
        "/api/auth/passkey/verify-registration",
        &json!({ "response": created, "name": "elsewhere" }),
        &[session, &ceremony],
    );
    assert_eq!(reply.status, 200, "{dialect}: {}", reply.body);
    let there = Ctx { c: second, ..here };
    let (options, ceremony) = there.authenticate_options(None);
    let asserted = there.get_assertion(&mut key, &options, ORIGIN);
    there.post(
        "/api/auth/passkey/verify-authentication",
        &json!({ "response": asserted }),
        &[&ceremony],
    )
}
