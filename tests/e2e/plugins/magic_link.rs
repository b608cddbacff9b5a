//! `[plugins.magic-link]`: the mailed link signs in (and signs up, unless `disable_sign_up`),
//! once, before it expires, and redirects to the callbacks it was given.

use std::path::Path;

use super::{option_on, past, quote};
use crate::db::TestDb;
use crate::http::{Client, Reply};
use crate::{ORIGIN, inbox_link, sign_up};

pub fn flows(dialect: &str, c: &Client, inbox: &Path, db: &TestDb) {
    let sign_up_disabled = option_on(inbox, "magic-link", "disable_sign_up");
    refusals(dialect, c);
    new_user(dialect, c, inbox, db, sign_up_disabled);
    existing_user(dialect, c, inbox, db);
    expired_link(dialect, c, inbox, db);
    let got = crate::npm_script_with("magic-link.mjs", dialect, c, &[inbox]);
    let email = got["signUp"].as_str().unwrap_or_default().to_owned();
    assert!(email.starts_with("npm-ml-"), "{dialect}: {got}");
    let expected = serde_json::json!({
        "signUp": email, "magicLink": true, "verify": email, "getSession": email,
        "emailVerified": true, "reused": "INVALID_TOKEN",
    });
    assert_eq!(got, expected, "{dialect}");
}

fn ask(c: &Client, body: &str) -> Reply {
    c.post_json("/api/auth/sign-in/magic-link", body, &[])
        .unwrap()
}

fn refusals(dialect: &str, c: &Client) {
    let invalid = ask(c, r#"{"email":"not an email"}"#);
    assert_eq!(
        (invalid.status, invalid.json()["code"].as_str()),
        (400, Some("VALIDATION_ERROR")),
        "{dialect}: {}",
        invalid.body
    );
    for (field, code) in [
        ("callbackURL", "INVALID_CALLBACK_URL"),
        ("newUserCallbackURL", "INVALID_NEW_USER_CALLBACK_URL"),
        ("errorCallbackURL", "INVALID_ERROR_CALLBACK_URL"),
    ] {
        let body = format!(r#"{{"email":"ml@example.com","{field}":"https://evil.example/"}}"#);
        let refused = ask(c, &body);
        assert_eq!(
            (refused.status, refused.json()["code"].as_str()),
            (403, Some(code)),
            "{dialect}: {}",
            refused.body
        );
    }
    let foreign = c
        .get(
            "/api/auth/magic-link/verify?token=x&callbackURL=https%3A%2F%2Fevil.example%2F",
            &[],
        )
        .unwrap();
    assert_eq!(
        (foreign.status, foreign.json()["code"].as_str()),
        (403, Some("INVALID_CALLBACK_URL")),
        "{dialect}"
    );
    let no_token = c.get("/api/auth/magic-link/verify", &[]).unwrap();
    assert_eq!(no_token.status, 400, "{dialect}");
    let unknown = c
        .get(
            "/api/auth/magic-link/verify?token=unknown&callbackURL=%2Fdash",
            &[],
        )
        .unwrap();
    assert_eq!(
        (unknown.status, unknown.header("location")),
        (302, Some("http://localhost:3000/dash?error=INVALID_TOKEN")),
        "{dialect}"
    );
}

/// A first-time address: a verified user with the given name and no password, sent to
/// `newUserCallbackURL`; or, with sign-up disabled, to `errorCallbackURL` with the error. The
/// link works once.
fn new_user(dialect: &str, c: &Client, inbox: &Path, db: &TestDb, sign_up_disabled: bool) {
    let body = r#"{"email":"ml-new@example.com","name":"Mel","callbackURL":"/dash","newUserCallbackURL":"/welcome","errorCallbackURL":"/oops"}"#;
    let asked = ask(c, body);
    assert_eq!(
        (asked.status, asked.body.as_str()),
        (200, r#"{"status":true}"#),
        "{dialect}"
    );
    let link = inbox_link(inbox, "magic-link", "ml-new@example.com").expect("a magic link");
    let token = link
        .split("token=")
        .nth(1)
        .and_then(|t| t.split('&').next())
        .unwrap()
        .to_owned();
    assert!(
        token.len() == 32 && token.chars().all(|ch| ch.is_ascii_alphabetic()),
        "{dialect}: {link}"
    );
    assert!(
        link.starts_with(&format!(
            "/api/auth/magic-link/verify?token={token}&callbackURL=%2Fdash&newUserCallbackURL=%2Fwelcome&errorCallbackURL=%2Foops"
        )),
        "{dialect}: {link}"
    );
    // Stored as Better Auth stores it: plain token, JSON record.
    let q = quote(dialect);
    let stored = db.query(&format!(
        "SELECT {q}value{q} FROM {q}verification{q} WHERE {q}identifier{q} = 'magic-link:{token}'"
    ));
    assert_eq!(
        stored.trim(),
        r#"{"type":"magic-link","email":"ml-new@example.com","name":"Mel"}"#,
        "{dialect}"
    );

    let opened = c.get(&link, &[]).unwrap();
    let users = || {
        db.query(&format!(
            "SELECT {q}name{q}, {q}emailVerified{q} FROM {q}user{q} WHERE {q}email{q} = 'ml-new@example.com'"
        ))
    };
    if sign_up_disabled {
        assert_eq!(
            (opened.status, opened.header("location")),
            (
                302,
                Some("http://localhost:3000/oops?error=new_user_signup_disabled")
            ),
            "{dialect}"
        );
        assert!(opened.cookie("better-auth.session_token").is_none());
        assert_eq!(users().trim(), "", "{dialect}: no user");
    } else {
        assert_eq!(
            (opened.status, opened.header("location")),
            (302, Some("http://localhost:3000/welcome")),
            "{dialect}"
        );
        let cookie = opened.cookie("better-auth.session_token").unwrap();
        let session = c
            .get("/api/auth/get-session", &[("cookie", &cookie)])
            .unwrap()
            .json();
        assert_eq!(session["user"]["email"], "ml-new@example.com", "{dialect}");
        assert_eq!(session["user"]["name"], "Mel", "{dialect}");
        assert_eq!(session["user"]["emailVerified"], true, "{dialect}");
        let verified = if dialect == "postgres" { "t" } else { "1" };
        assert_eq!(users().trim(), format!("Mel\t{verified}"), "{dialect}");
    }
    // One use: the row is gone, and the link now fails.
    let again = c.get(&link, &[]).unwrap();
    assert_eq!(
        again.header("location"),
        Some("http://localhost:3000/oops?error=INVALID_TOKEN"),
        "{dialect}"
    );
}

/// An existing user: an unverified one proves the address, loses the password and sessions it
/// had before (Better Auth's `revokeUnprovenAccountAccess`) and becomes verified; without a
/// callback the answer is `{"token", "user", "session"}`. A verified one goes to `callbackURL`
/// even with `newUserCallbackURL`.
fn existing_user(dialect: &str, c: &Client, inbox: &Path, db: &TestDb) {
    let signed_up = sign_up(c, "ml-old@example.com", "an old password");
    let old_cookie = signed_up.cookie("better-auth.session_token").unwrap();
    assert_eq!(
        ask(c, r#"{"email":"ML-Old@example.com"}"#).status,
        200,
        "{dialect}"
    );
    // The mail goes to the address as typed.
    let link = inbox_link(inbox, "magic-link", "ML-Old@example.com").expect("a magic link");
    let opened = c.get(&link.replace("&callbackURL=%2F", ""), &[]).unwrap();
    assert_eq!(opened.status, 200, "{dialect}: {}", opened.body);
    let body = opened.json();
    assert_eq!(body["user"]["email"], "ml-old@example.com", "{dialect}");
    assert_eq!(body["user"]["emailVerified"], true, "{dialect}");
    assert_eq!(body["session"]["token"], body["token"], "{dialect}");
    let cookie = opened.cookie("better-auth.session_token").unwrap();
    assert!(
        cookie.contains(body["token"].as_str().unwrap()),
        "{dialect}"
    );

    let old = c
        .get("/api/auth/get-session", &[("cookie", &old_cookie)])
        .unwrap();
    assert_eq!(old.body.trim(), "null", "{dialect}: older sessions revoked");
    let password = c
        .post_json(
            "/api/auth/sign-in/email",
            r#"{"email":"ml-old@example.com","password":"an old password"}"#,
            &[],
        )
        .unwrap();
    assert_eq!(password.status, 401, "{dialect}: the old password is gone");
    let q = quote(dialect);
    let accounts = db.query(&format!(
        "SELECT COUNT(*) FROM {q}account{q} a JOIN {q}user{q} u ON u.{q}id{q} = a.{q}userId{q} WHERE u.{q}email{q} = 'ml-old@example.com'"
    ));
    assert_eq!(accounts.trim(), "0", "{dialect}");

    // Now verified: the callback, not the new-user one; a signed-in browser sends its origin.
    let body =
        r#"{"email":"ml-old@example.com","callbackURL":"/dash","newUserCallbackURL":"/welcome"}"#;
    let asked = c
        .post_json(
            "/api/auth/sign-in/magic-link",
            body,
            &[("cookie", &cookie), ORIGIN],
        )
        .unwrap();
    assert_eq!(asked.status, 200, "{dialect}: {}", asked.body);
    let link = inbox_link(inbox, "magic-link", "ml-old@example.com").unwrap();
    let opened = c.get(&link, &[]).unwrap();
    assert_eq!(
        (opened.status, opened.header("location")),
        (302, Some("http://localhost:3000/dash")),
        "{dialect}"
    );
    let session = c
        .get(
            "/api/auth/get-session",
            &[(
                "cookie",
                &opened.cookie("better-auth.session_token").unwrap(),
            )],
        )
        .unwrap();
    assert_eq!(
        session.json()["user"]["email"],
        "ml-old@example.com",
        "{dialect}"
    );
    // Without an origin, a cookie-bearing request is refused.
    let no_origin = c
        .post_json("/api/auth/sign-in/magic-link", body, &[("cookie", &cookie)])
        .unwrap();
    assert_eq!(no_origin.status, 403, "{dialect}");
}

/// An expired link redirects to the callback with `INVALID_TOKEN` and is deleted.
fn expired_link(dialect: &str, c: &Client, inbox: &Path, db: &TestDb) {
    assert_eq!(
        ask(c, r#"{"email":"ml-old@example.com","callbackURL":"/dash"}"#).status,
        200
    );
    let link = inbox_link(inbox, "magic-link", "ml-old@example.com").unwrap();
    let token = link
        .split("token=")
        .nth(1)
        .and_then(|t| t.split('&').next())
        .unwrap();
    let q = quote(dialect);
    let identifier = format!("magic-link:{token}");
    crate::write_behind_app(
        db,
        &format!(
            "UPDATE {q}verification{q} SET {q}expiresAt{q} = {} WHERE {q}identifier{q} = '{identifier}'",
            past(dialect)
        ),
    );
    let opened = c.get(&link, &[]).unwrap();
    assert_eq!(
        (opened.status, opened.header("location")),
        (302, Some("http://localhost:3000/dash?error=INVALID_TOKEN")),
        "{dialect}"
    );
    assert!(opened.cookie("better-auth.session_token").is_none());
    let left = db.query(&format!(
        "SELECT COUNT(*) FROM {q}verification{q} WHERE {q}identifier{q} = '{identifier}'"
    ));
    assert_eq!(left.trim(), "0", "{dialect}");
}
