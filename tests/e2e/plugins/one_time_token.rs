//! One-time-token plugin: a token generated for a session opens that session once, on another
//! client; a second use, an expired token, a token without a session and a cross-site verify are
//! refused. Tokens are stored hashed and new sessions carry `set-ott` where the app's
//! `rauth.toml` says so.

use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest as _, Sha256};

use super::{option, option_on, past, quote};
use crate::db::TestDb;
use crate::http::{Client, Reply};
use crate::{ORIGIN, npm_script};

const SESSION: &str = "better-auth.session_token";

pub fn flows(dialect: &str, c: &Client, inbox: &Path, db: &TestDb) {
    let q = quote(dialect);
    let signed_up = c
        .post_json(
            "/api/auth/sign-up/email",
            r#"{"name":"Otto","email":"ott@example.com","password":"ott password 1"}"#,
            &[ORIGIN],
        )
        .unwrap();
    assert_eq!(signed_up.status, 200, "{dialect}: {}", signed_up.body);
    let cookie = signed_up.cookie(SESSION).unwrap();
    let session_token = signed_up.json()["token"].as_str().unwrap().to_owned();
    let generate = |cookie: &str| {
        c.get("/api/auth/one-time-token/generate", &[("cookie", cookie)])
            .unwrap()
    };
    let verify = |token: &str, headers: &[(&str, &str)]| verify(c, token, headers);

    // Only a signed-in client gets a token.
    assert_eq!(generate("").status, 401, "{dialect}");
    let token = generate(&cookie).json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(token.len(), 32, "{dialect}: {token}");

    // Stored as the app's option says: the token itself, or only `base64url(SHA-256(token))`.
    let hashed = option(inbox, "one-time-token", "store_token").as_deref() == Some("hashed");
    let stored_as = if hashed {
        URL_SAFE_NO_PAD.encode(Sha256::digest(token.as_bytes()))
    } else {
        token.clone()
    };
    let stored = db.query(&format!(
        "SELECT {q}value{q} FROM {q}verification{q} WHERE {q}identifier{q} = 'one-time-token:{stored_as}'"
    ));
    assert_eq!(stored.trim(), session_token, "{dialect}");
    if hashed {
        let plain = db.query(&format!(
            "SELECT COUNT(*) FROM {q}verification{q} WHERE {q}identifier{q} = 'one-time-token:{token}'"
        ));
        assert_eq!(plain.trim(), "0", "{dialect}");
    }

    // Another client, with no cookie, gets the session and its cookie.
    let opened = verify(&token, &[ORIGIN]);
    assert_eq!(opened.status, 200, "{dialect}: {}", opened.body);
    assert_eq!(
        opened.json()["user"]["email"],
        "ott@example.com",
        "{dialect}"
    );
    assert_eq!(
        opened.json()["session"]["token"],
        session_token.as_str(),
        "{dialect}"
    );
    let handed = opened.cookie(SESSION).unwrap();
    let me = c
        .get("/api/auth/get-session", &[("cookie", &handed)])
        .unwrap();
    assert_eq!(me.json()["user"]["email"], "ott@example.com", "{dialect}");

    // Attacks: the same token again, a made-up one, a cross-site form, an expired token, and a
    // token whose session has ended.
    let again = verify(&token, &[ORIGIN]);
    assert_eq!(
        (again.status, again.json()["message"].as_str()),
        (400, Some("Invalid token")),
        "{dialect}: single use"
    );
    assert_eq!(
        verify("x".repeat(32).as_str(), &[ORIGIN]).status,
        400,
        "{dialect}"
    );
    let fresh = generate(&cookie).json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let cross_site = verify(&fresh, &[("origin", "https://evil.example")]);
    assert_eq!(cross_site.status, 403, "{dialect}: {}", cross_site.body);
    assert_eq!(cross_site.set_cookie(SESSION), None, "{dialect}");
    db.apply(&format!(
        "UPDATE {q}verification{q} SET {q}expiresAt{q} = {} WHERE {q}identifier{q} LIKE 'one-time-token:%'",
        past(dialect)
    ));
    assert_eq!(verify(&fresh, &[ORIGIN]).status, 400, "{dialect}: expired");
    let last = generate(&cookie).json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let out = c
        .post_json("/api/auth/sign-out", "{}", &[("cookie", &cookie), ORIGIN])
        .unwrap();
    assert_eq!(out.status, 200, "{dialect}");
    let ended = verify(&last, &[ORIGIN]);
    assert_eq!(
        (ended.status, ended.json()["message"].as_str()),
        (400, Some("Session not found")),
        "{dialect}"
    );

    new_sessions_carry_a_token(dialect, c, inbox);

    // Better Auth's `oneTimeTokenClient` drives the same hand-over.
    let got = npm_script("one-time-token.mjs", dialect, c);
    assert_eq!(
        got,
        serde_json::json!({ "generated": 32, "verified": true, "reused": "400" }),
        "{dialect}"
    );
}

/// With `set_ott_header_on_new_session`, a sign-in answers a token for its new session in
/// `set-ott`, exposed to browsers; without, no such header.
fn new_sessions_carry_a_token(dialect: &str, c: &Client, inbox: &Path) {
    let signed_in = c
        .post_json(
            "/api/auth/sign-in/email",
            r#"{"email":"ott@example.com","password":"ott password 1"}"#,
            &[ORIGIN],
        )
        .unwrap();
    let ott = signed_in.header("set-ott").map(str::to_owned);
    assert_eq!(
        ott.is_some(),
        option_on(inbox, "one-time-token", "set_ott_header_on_new_session"),
        "{dialect}"
    );
    if let Some(ott) = ott {
        assert!(
            signed_in
                .header("access-control-expose-headers")
                .is_some_and(|h| h.contains("set-ott")),
            "{dialect}"
        );
        let opened = verify(c, &ott, &[ORIGIN]);
        assert_eq!(
            opened.json()["session"]["token"],
            signed_in.json()["token"],
            "{dialect}"
        );
    }
}

/// `POST /one-time-token/verify` of `token`.
fn verify(c: &Client, token: &str, headers: &[(&str, &str)]) -> Reply {
    c.post_json(
        "/api/auth/one-time-token/verify",
        &serde_json::json!({ "token": token }).to_string(),
        headers,
    )
    .unwrap()
}
