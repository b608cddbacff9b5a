//! Last-login-method plugin: a way in sets the readable `better-auth.last_used_login_method`
//! cookie, a failed or other request does not, and the user's column keeps it where the app's
//! `rauth.toml` says so; Better Auth's `lastLoginMethodClient` reads it.

use std::path::Path;

use super::{option_on, quote};
use crate::db::TestDb;
use crate::http::Client;
use crate::{ORIGIN, npm_script};

const COOKIE: &str = "better-auth.last_used_login_method";

pub fn flows(dialect: &str, c: &Client, inbox: &Path, db: &TestDb) {
    let signed_up = c
        .post_json(
            "/api/auth/sign-up/email",
            r#"{"name":"Lou","email":"last-login@example.com","password":"last login 1"}"#,
            &[ORIGIN],
        )
        .unwrap();
    assert_eq!(signed_up.status, 200, "{dialect}: {}", signed_up.body);
    let set = signed_up.set_cookie(COOKIE).expect("the cookie on sign-up");
    assert!(
        set.starts_with(&format!("{COOKIE}=email;")),
        "{dialect}: {set}"
    );
    assert!(set.contains("Max-Age=2592000"), "{dialect}: {set}");
    assert!(set.contains("Path=/"), "{dialect}: {set}");
    // The sign-in page reads it: not HttpOnly, unlike the session cookie.
    assert!(!set.contains("HttpOnly"), "{dialect}: {set}");

    let wrong = c
        .post_json(
            "/api/auth/sign-in/email",
            r#"{"email":"last-login@example.com","password":"not the password"}"#,
            &[ORIGIN],
        )
        .unwrap();
    assert_eq!(wrong.status, 401, "{dialect}");
    assert_eq!(
        wrong.set_cookie(COOKIE),
        None,
        "{dialect}: no cookie without a session"
    );
    let cookie = signed_up.cookie("better-auth.session_token").unwrap();
    let session = c
        .get("/api/auth/get-session", &[("cookie", &cookie)])
        .unwrap();
    assert_eq!(session.set_cookie(COOKIE), None, "{dialect}: not a way in");

    let signed_in = c
        .post_json(
            "/api/auth/sign-in/email",
            r#"{"email":"last-login@example.com","password":"last login 1"}"#,
            &[ORIGIN],
        )
        .unwrap();
    assert!(signed_in.set_cookie(COOKIE).is_some(), "{dialect}");
    if option_on(inbox, "last-login-method", "store_in_database") {
        let q = quote(dialect);
        let stored = db.query(&format!(
            "SELECT {q}lastLoginMethod{q} FROM {q}user{q} WHERE {q}email{q} = 'last-login@example.com'"
        ));
        assert_eq!(stored.trim(), "email", "{dialect}");
    }

    let got = npm_script("last-login-method.mjs", dialect, c);
    assert_eq!(
        got,
        serde_json::json!({ "before": null, "after": "email", "isEmail": true }),
        "{dialect}"
    );
}
