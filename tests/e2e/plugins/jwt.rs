//! JWT plugin: `/token` and the `set-auth-jwt` header carry JWTs of the app's algorithm (EdDSA,
//! ES256 or RS256, see [`alg`]) that verify against `/jwks` (with the `jsonwebtoken` crate here,
//! and `jose` in `jwt.mjs`); keys are stored with the private key encrypted; an expired key signs
//! no more but stays listed for its grace period.

use std::path::Path;
use std::str::FromStr as _;

use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde_json::Value;
use time::OffsetDateTime;
use time::macros::format_description;

use super::{past, quote};
use crate::db::TestDb;
use crate::http::{Client, Reply};
use crate::support::Project;

/// `iss` and `aud`: the app's `base_url` (`rauth new` writes this one).
const ISSUER: &str = "http://localhost:3000";

/// The JWT algorithm of an e2e app: Better Auth's default EdDSA on axum, ES256 and RS256 on
/// actix-web, so each one signs tokens in some app.
pub fn alg(framework: &str, dialect: &str) -> &'static str {
    match (framework, dialect) {
        ("axum", _) => "EdDSA",
        (_, "mysql") => "RS256",
        _ => "ES256",
    }
}

/// `kty` and `crv` (`-` for none) of a key of `alg`, as Better Auth stores it.
fn key_type(alg: &str) -> (&'static str, &'static str) {
    match alg {
        "ES256" => ("EC", "P-256"),
        "RS256" => ("RSA", "-"),
        _ => ("OKP", "Ed25519"),
    }
}

pub fn flows(dialect: &str, c: &Client, inbox: &Path, db: &TestDb) {
    let alg = super::option(inbox, "jwt", "alg").unwrap_or_else(|| "EdDSA".to_owned());
    let (kty, crv) = key_type(&alg);
    let signed_up = c
        .post_json(
            "/api/auth/sign-up/email",
            r#"{"name":"Jot","email":"jwt@example.com","password":"jwt password 1"}"#,
            &[],
        )
        .unwrap();
    let user_id = signed_up.json()["user"]["id"].as_str().unwrap().to_owned();
    let cookie = signed_up.cookie("better-auth.session_token").unwrap();

    assert_eq!(
        c.get("/api/auth/token", &[]).unwrap().status,
        401,
        "{dialect}: /token needs a session"
    );
    let first = token(c, &cookie);
    assert_eq!(
        decode_header(&first).unwrap().alg,
        Algorithm::from_str(&alg).unwrap(),
        "{dialect}: signed with [plugins.jwt] alg"
    );
    let claims = verify(c, &first).unwrap_or_else(|e| panic!("{dialect}: {e}"));
    assert_eq!(claims["sub"], user_id.as_str(), "{dialect}");
    assert_eq!(
        claims["id"],
        user_id.as_str(),
        "{dialect}: the user is the payload"
    );
    assert_eq!(claims["email"], "jwt@example.com", "{dialect}");
    assert_eq!(claims["emailVerified"], false, "{dialect}");
    let iat = claims["iat"].as_i64().unwrap();
    assert_eq!(
        claims["exp"].as_i64().unwrap() - iat,
        900,
        "{dialect}: 15 minutes"
    );
    assert!(
        (iat - OffsetDateTime::now_utc().unix_timestamp()).abs() < 60,
        "{dialect}: {claims}"
    );
    // One character of the signature changed (not the last ones, whose bits may be padding).
    let at = first.rfind('.').unwrap() + 10;
    let swapped = if &first[at..=at] == "A" { "B" } else { "A" };
    let mut tampered = first.clone();
    tampered.replace_range(at..=at, swapped);
    assert!(
        verify(c, &tampered).is_err(),
        "{dialect}: a forged signature"
    );

    // `/get-session` carries a token too, exposed to browsers; without a session, none.
    let session = c
        .get("/api/auth/get-session", &[("cookie", &cookie)])
        .unwrap();
    let header = session.header("set-auth-jwt").expect("set-auth-jwt");
    assert_eq!(
        verify(c, header).unwrap()["sub"],
        user_id.as_str(),
        "{dialect}"
    );
    assert!(
        session
            .header("access-control-expose-headers")
            .is_some_and(|h| h.contains("set-auth-jwt")),
        "{dialect}"
    );
    let anonymous = c.get("/api/auth/get-session", &[]).unwrap();
    assert!(anonymous.header("set-auth-jwt").is_none(), "{dialect}");

    // One key, its private JWK encrypted as Better Auth stores it: a JSON string of the sealed
    // hex (`$ba$<version>$…` with versioned secrets), never the JWK itself.
    let q = quote(dialect);
    let rows = db.query(&format!(
        "SELECT {q}id{q}, {q}privateKey{q}, {q}publicKey{q}, {q}alg{q}, COALESCE({q}crv{q}, '-') FROM {q}jwks{q}"
    ));
    let row: Vec<&str> = rows.trim().split('\t').collect();
    assert_eq!(rows.trim().lines().count(), 1, "{dialect}: {rows}");
    let kid = decode_header(&first).unwrap().kid.unwrap();
    assert_eq!(row[0], kid, "{dialect}");
    let sealed: String = serde_json::from_str(row[1])
        .unwrap_or_else(|e| panic!("{dialect}: privateKey is not a JSON string ({e}): {rows}"));
    let hex = sealed.rsplit('$').next().unwrap();
    assert!(
        hex.len() > 100 && hex.bytes().all(|b| b.is_ascii_hexdigit()),
        "{dialect}: {sealed}"
    );
    let public: Value = serde_json::from_str(row[2]).unwrap();
    assert_eq!(public["kty"], kty, "{dialect}: {public}");
    assert!(public.get("d").is_none(), "{dialect}: no private part");
    assert_eq!(row[3..], [alg.as_str(), crv], "{dialect}");
    if alg == "RS256" {
        let modulus = public["n"].as_str().unwrap();
        assert_eq!(modulus.len(), 342, "{dialect}: 2048 bits, base64url");
    }

    rotation(dialect, c, db, &cookie, &first);
    npm_jose(dialect, c, &alg);
    better_auth_keys(dialect, c, inbox, db, &cookie, &alg);
    undecryptable_key(dialect, c, db, &cookie, &alg);
}

/// An expired key signs no more: the next token gets a new key, and both stay listed until
/// the old one's grace period (30 days) is over.
fn rotation(dialect: &str, c: &Client, db: &TestDb, cookie: &str, old_token: &str) {
    let q = quote(dialect);
    let old_kid = decode_header(old_token).unwrap().kid.unwrap();
    let expire = |at: &str| {
        db.apply(&format!(
            "UPDATE {q}jwks{q} SET {q}expiresAt{q} = {at} WHERE {q}id{q} = '{old_kid}'"
        ));
    };
    expire(&db_time(
        dialect,
        OffsetDateTime::now_utc() - time::Duration::hours(1),
    ));
    let new_token = token(c, cookie);
    let new_kid = decode_header(&new_token).unwrap().kid.unwrap();
    assert_ne!(new_kid, old_kid, "{dialect}: a new key signs");
    assert!(verify(c, &new_token).is_ok(), "{dialect}");
    assert!(
        verify(c, old_token).is_ok(),
        "{dialect}: within the grace period"
    );
    assert_eq!(
        kids(c),
        [old_kid.clone(), new_kid.clone()].map(Some),
        "{dialect}"
    );
    assert_eq!(
        decode_header(token(c, cookie)).unwrap().kid.as_deref(),
        Some(new_kid.as_str()),
        "{dialect}: the new key keeps signing"
    );

    expire(past(dialect));
    assert_eq!(kids(c), [Some(new_kid)], "{dialect}");
    assert!(
        verify(c, old_token).is_err(),
        "{dialect}: past the grace period"
    );
}

/// Better Auth's `jwtClient` gets a token and `jose` verifies it against the remote JWKS.
fn npm_jose(dialect: &str, c: &Client, alg: &str) {
    let got = crate::npm_script_with("jwt.mjs", dialect, c, &[Path::new(ISSUER)]);
    let (kty, crv) = key_type(alg);
    let expected = serde_json::json!({
        "alg": alg, "kty": kty, "crv": (crv != "-").then_some(crv), "subIsUser": true, "email": got["email"],
        "lifetime": 900, "sessionJwtSub": true, "sessionJwtKid": true,
    });
    assert_eq!(got, expected, "{dialect}");
    assert!(
        got["email"]
            .as_str()
            .is_some_and(|e| e.starts_with("npm-jwt-")),
        "{dialect}: {got}"
    );
}

/// Better Auth's own code (`jwt-keys.mjs`) signs with the key the app signs with, and the app
/// signs with a key stored by Better Auth's `createJwk`, both of the app's algorithm. A newer key
/// of another algorithm (Better Auth's default EdDSA, as left by a change of `alg`) does not sign:
/// as in Better Auth, the newest live key of the configured algorithm does.
fn better_auth_keys(dialect: &str, c: &Client, inbox: &Path, db: &TestDb, cookie: &str, alg: &str) {
    let env = std::fs::read_to_string(inbox.parent().unwrap().join(".env")).unwrap();
    let secrets = env
        .lines()
        .find_map(|l| l.strip_prefix("AUTH_SECRETS="))
        .expect("AUTH_SECRETS in the app's .env")
        .trim_matches('"');
    let kid = decode_header(token(c, cookie)).unwrap().kid.unwrap();
    let q = quote(dialect);
    let stored = db.query(&format!(
        "SELECT {q}privateKey{q} FROM {q}jwks{q} WHERE {q}id{q} = '{kid}'"
    ));
    let got = crate::node_script(
        "jwt-keys.mjs",
        dialect,
        &[secrets, stored.trim(), &kid, ISSUER, alg],
    );
    let claims = verify(c, got["token"].as_str().unwrap())
        .unwrap_or_else(|e| panic!("{dialect}: Better Auth's token: {e}"));
    assert_eq!(claims["sub"], "better-auth-subject", "{dialect}");

    // As Better Auth's adapter writes the row: `crv` is NULL for RSA keys.
    let insert = |id: &str, created: &Value, at: OffsetDateTime| {
        let crv = created["crv"]
            .as_str()
            .map_or_else(|| "NULL".to_owned(), |crv| format!("'{crv}'"));
        db.apply(&format!(
            "INSERT INTO {q}jwks{q} ({q}id{q}, {q}publicKey{q}, {q}privateKey{q}, {q}createdAt{q}, {q}alg{q}, {q}crv{q}) VALUES ('{id}', '{}', '{}', {}, '{}', {crv})",
            created["publicKey"].as_str().unwrap(),
            created["privateKey"].as_str().unwrap(),
            db_time(dialect, at),
            created["alg"].as_str().unwrap(),
        ));
    };
    let id = "betterAuthCreatedKey000000000001";
    let now = OffsetDateTime::now_utc();
    assert_eq!(got["created"]["alg"], alg, "{dialect}");
    insert(id, &got["created"], now);
    if alg != "EdDSA" {
        insert(
            "betterAuthEdDsaKey00000000000001",
            &got["default"],
            now + time::Duration::milliseconds(500),
        );
    }
    let signed = token(c, cookie);
    assert_eq!(
        decode_header(&signed).unwrap().kid.as_deref(),
        Some(id),
        "{dialect}: the newest key of {alg} signs"
    );
    assert!(verify(c, &signed).is_ok(), "{dialect}");
    if alg != "EdDSA" {
        assert!(
            kids(c).contains(&Some("betterAuthEdDsaKey00000000000001".to_owned())),
            "{dialect}: /jwks lists keys of every algorithm"
        );
    }
}

/// A newest key sealed with a secret version the app does not have (pruned): `/token` fails,
/// `/get-session` still answers, without `set-auth-jwt`. Removing the key heals both.
fn undecryptable_key(dialect: &str, c: &Client, db: &TestDb, cookie: &str, alg: &str) {
    let q = quote(dialect);
    let id = "keySealedWithAPrunedSecret000001";
    db.apply(&format!(
        "INSERT INTO {q}jwks{q} ({q}id{q}, {q}publicKey{q}, {q}privateKey{q}, {q}createdAt{q}, {q}alg{q}) SELECT '{id}', {q}publicKey{q}, '\"$ba$99$00\"', {}, '{alg}' FROM {q}jwks{q} WHERE {q}id{q} = 'betterAuthCreatedKey000000000001'",
        db_time(dialect, OffsetDateTime::now_utc() + time::Duration::seconds(1)),
    ));
    let refused = c.get("/api/auth/token", &[("cookie", cookie)]).unwrap();
    assert_eq!(refused.status, 500, "{dialect}: {}", refused.body);
    let session = c
        .get("/api/auth/get-session", &[("cookie", cookie)])
        .unwrap();
    assert_eq!(
        session.json()["user"]["email"],
        "jwt@example.com",
        "{dialect}"
    );
    assert!(session.header("set-auth-jwt").is_none(), "{dialect}");

    db.apply(&format!("DELETE FROM {q}jwks{q} WHERE {q}id{q} = '{id}'"));
    assert!(verify(c, &token(c, cookie)).is_ok(), "{dialect}");
}

fn token(c: &Client, cookie: &str) -> String {
    let reply = c.get("/api/auth/token", &[("cookie", cookie)]).unwrap();
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json()["token"].as_str().unwrap().to_owned()
}

/// The `kid`s `/jwks` lists, in order.
fn kids(c: &Client) -> Vec<Option<String>> {
    let jwks: JwkSet = serde_json::from_str(&c.get("/api/auth/jwks", &[]).unwrap().body).unwrap();
    jwks.keys.into_iter().map(|k| k.common.key_id).collect()
}

/// The claims of `token` if it verifies against the app's `/jwks` (the key's algorithm, issuer,
/// audience, expiry).
fn verify(c: &Client, token: &str) -> Result<Value, String> {
    let jwks: JwkSet = serde_json::from_str(&c.get("/api/auth/jwks", &[]).unwrap().body)
        .map_err(|e| e.to_string())?;
    let kid = decode_header(token).map_err(|e| e.to_string())?.kid;
    let jwk = jwks
        .keys
        .iter()
        .find(|k| k.common.key_id == kid)
        .ok_or_else(|| format!("no key {kid:?} in /jwks"))?;
    let key = DecodingKey::from_jwk(jwk).map_err(|e| e.to_string())?;
    let mut validation = Validation::new(listed_alg(jwk)?);
    validation.set_issuer(&[ISSUER]);
    validation.set_audience(&[ISSUER]);
    validation.set_required_spec_claims(&["exp", "iat", "sub", "iss", "aud"]);
    decode::<Value>(token, &key, &validation)
        .map(|data| data.claims)
        .map_err(|e| e.to_string())
}

/// The `alg` a `/jwks` key is listed with: the only one a token it verifies may name.
fn listed_alg(jwk: &Jwk) -> Result<Algorithm, String> {
    let alg = jwk
        .common
        .key_algorithm
        .ok_or_else(|| format!("no alg in {jwk:?}"))?;
    let name = serde_json::to_value(alg).map_err(|e| e.to_string())?;
    Algorithm::from_str(name.as_str().unwrap_or_default()).map_err(|e| e.to_string())
}

/// `at` as a SQL literal of the dialect's dates.
fn db_time(dialect: &str, at: OffsetDateTime) -> String {
    if dialect == "sqlite" {
        let format = format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
        );
        format!("'{}'", at.format(&format).unwrap())
    } else {
        // Milliseconds, as the app writes them: a key created earlier in the same second must
        // still sort before this one.
        let format = format_description!(
            "[year]-[month]-[day] [hour]:[minute]:[second].[subsecond digits:3]"
        );
        let zone = if dialect == "postgres" { "+00" } else { "" };
        format!("'{}{zone}'", at.format(&format).unwrap())
    }
}

/// `rauth secret rotate --jwks` after a rotation of the auth secret (to version 2): a new key,
/// encrypted with version 2, signs from now on; the previous one stays listed. Returns the new
/// key's id.
pub fn rotate_with_cli(
    dialect: &str,
    project: &Project,
    c: &Client,
    db: &TestDb,
    cookie: &str,
) -> String {
    let old_kid = decode_header(token(c, cookie)).unwrap().kid.unwrap();
    let run = project
        .rauth(&[
            "-c",
            "app/rauth.toml",
            "secret",
            "rotate",
            "--jwks",
            "--env-file",
            "app/.env",
            "--database-url",
            &db.url,
        ])
        .success();
    assert!(run.stderr.contains("Rotated"), "{dialect}: {}", run.stderr);
    let new_token = token(c, cookie);
    let new_kid = decode_header(&new_token).unwrap().kid.unwrap();
    assert_ne!(new_kid, old_kid, "{dialect}: the new key signs");
    assert!(verify(c, &new_token).is_ok(), "{dialect}");
    let listed = kids(c);
    for kid in [&old_kid, &new_kid] {
        assert!(listed.contains(&Some(kid.clone())), "{dialect}: {listed:?}");
    }
    let q = quote(dialect);
    let sealed = db.query(&format!(
        "SELECT {q}privateKey{q} FROM {q}jwks{q} WHERE {q}id{q} = '{new_kid}'"
    ));
    assert!(
        sealed.trim().starts_with("\"$ba$2$"),
        "{dialect}: sealed with the current secret: {sealed}"
    );
    new_kid
}

/// The `kid` of the `set-auth-jwt` token of a `/get-session` answer.
pub fn session_kid(reply: &Reply) -> Option<String> {
    decode_header(reply.header("set-auth-jwt")?).ok()?.kid
}

/// Two replicas on an empty `jwks` table, each hit by concurrent first requests: each creates at
/// most one key (so at worst two in all), every key either served is listed by both, and a token
/// of one verifies against the other's `/jwks`.
pub fn replicas(dialect: &'static str, binary: &Path, dir: &Path) {
    let db = TestDb::create(dialect);
    let apps = [
        crate::start(binary, dir, &db.url),
        crate::start(binary, dir, &db.url),
    ];
    let served: Vec<Option<String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..16)
            .map(|i| {
                let c = &apps[i % 2].client;
                scope.spawn(move || kids(c))
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let listed = kids(&apps[0].client);
    assert!(
        (1..=2).contains(&listed.len()),
        "{dialect}: one key per replica at most: {listed:?}"
    );
    assert_eq!(kids(&apps[1].client), listed, "{dialect}");
    for kid in &served {
        assert!(listed.contains(kid), "{dialect}: {kid:?} not in {listed:?}");
    }
    let signed_up = apps[0]
        .client
        .post_json(
            "/api/auth/sign-up/email",
            r#"{"name":"Rep","email":"replica@example.com","password":"replica password"}"#,
            &[],
        )
        .unwrap();
    let cookie = signed_up.cookie("better-auth.session_token").unwrap();
    for (signer, verifier) in [(0, 1), (1, 0)] {
        let token = token(&apps[signer].client, &cookie);
        assert!(verify(&apps[verifier].client, &token).is_ok(), "{dialect}");
    }
}
