//! Bearer plugin: the `set-auth-token` header, and `Authorization: Bearer` in place of cookies.

use crate::http::Client;

pub fn flows(dialect: &str, c: &Client) {
    let signed_up = c
        .post_json(
            "/api/auth/sign-up/email",
            r#"{"name":"Bea","email":"bearer@example.com","password":"bearer password"}"#,
            &[],
        )
        .unwrap();
    let token = signed_up
        .header("set-auth-token")
        .expect("set-auth-token on sign-up")
        .to_owned();
    assert!(
        signed_up
            .header("access-control-expose-headers")
            .is_some_and(|h| h.contains("set-auth-token")),
        "{dialect}"
    );
    let cookie_value = signed_up
        .cookie("better-auth.session_token")
        .unwrap()
        .split_once('=')
        .unwrap()
        .1
        .to_owned();
    assert!(cookie_value.contains('%'), "{dialect}: {cookie_value}");
    assert_eq!(
        token,
        cookie_value
            .replace("%2B", "+")
            .replace("%2F", "/")
            .replace("%3D", "="),
        "{dialect}: the signed cookie value, URL-decoded as Better Auth sends it"
    );

    let session = |authorization: &str| {
        c.get("/api/auth/get-session", &[("authorization", authorization)])
            .unwrap()
            .json()
    };
    assert_eq!(
        session(&format!("Bearer {token}"))["user"]["email"],
        "bearer@example.com",
        "{dialect}"
    );
    // Better Auth's clients also send the raw token and drop the `=` padding.
    let raw = signed_up.json()["token"].as_str().unwrap().to_owned();
    assert_eq!(
        session(&format!("bearer {raw}"))["user"]["email"],
        "bearer@example.com",
        "{dialect}"
    );
    let unpadded = token.trim_end_matches('=');
    assert_eq!(
        session(&format!("Bearer {unpadded}"))["user"]["email"],
        "bearer@example.com",
        "{dialect}"
    );
    let forged = format!("{raw}.{}", "A".repeat(43));
    assert!(
        session(&format!("Bearer {forged}")).is_null(),
        "{dialect}: a bad signature is refused"
    );

    let out = c
        .post_json(
            "/api/auth/sign-out",
            "{}",
            &[("authorization", &format!("Bearer {token}"))],
        )
        .unwrap();
    assert_eq!(out.json()["success"], true, "{dialect}");
    assert!(
        session(&format!("Bearer {token}")).is_null(),
        "{dialect}: signed out by token"
    );
}
