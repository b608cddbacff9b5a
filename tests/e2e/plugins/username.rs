//! Username plugin: sign-up with a username, availability, sign-in by username, update-user,
//! and Better Auth's refusals.

use crate::ORIGIN;
use crate::http::Client;

const SESSION: &str = "better-auth.session_token";

pub fn flows(dialect: &str, c: &Client) {
    let available = |name: &str| {
        c.post_json(
            "/api/auth/is-username-available",
            &format!(r#"{{"username":"{name}"}}"#),
            &[],
        )
        .unwrap()
    };
    assert_eq!(available("Lovelace").json()["available"], true, "{dialect}");

    let signed_up = c
        .post_json(
            "/api/auth/sign-up/email",
            r#"{"name":"Ada","email":"lovelace@example.com","password":"analytical engine","username":"Lovelace"}"#,
            &[],
        )
        .unwrap();
    assert_eq!(signed_up.status, 200, "{dialect}: {}", signed_up.body);
    let user = signed_up.json()["user"].clone();
    assert_eq!(user["username"], "lovelace", "{dialect}: stored normalized");
    assert_eq!(user["displayUsername"], "Lovelace", "{dialect}: as typed");

    assert_eq!(
        available("LOVELACE").json()["available"],
        false,
        "{dialect}"
    );
    let short = available("ab");
    assert_eq!(
        (short.status, short.json()["code"].as_str()),
        (422, Some("USERNAME_TOO_SHORT")),
        "{dialect}"
    );
    let invalid = available("no spaces");
    assert_eq!(invalid.json()["code"], "INVALID_USERNAME", "{dialect}");

    let taken = c
        .post_json(
            "/api/auth/sign-up/email",
            r#"{"name":"Other","email":"other-lovelace@example.com","password":"analytical engine","username":"lovelace"}"#,
            &[],
        )
        .unwrap();
    assert_eq!(
        (taken.status, taken.json()["code"].as_str()),
        (400, Some("USERNAME_IS_ALREADY_TAKEN")),
        "{dialect}"
    );

    let sign_in = |username: &str, password: &str| {
        c.post_json(
            "/api/auth/sign-in/username",
            &format!(r#"{{"username":"{username}","password":"{password}"}}"#),
            &[],
        )
        .unwrap()
    };
    let signed_in = sign_in("LoveLace", "analytical engine");
    assert_eq!(signed_in.status, 200, "{dialect}: {}", signed_in.body);
    assert_eq!(signed_in.json()["user"]["email"], "lovelace@example.com");
    assert_eq!(signed_in.json()["redirect"], false);
    let cookie = signed_in.cookie(SESSION).expect("a session cookie");
    let wrong = sign_in("lovelace", "difference engine");
    assert_eq!(
        (wrong.status, wrong.json()["code"].as_str()),
        (401, Some("INVALID_USERNAME_OR_PASSWORD")),
        "{dialect}"
    );
    assert_eq!(
        sign_in("nobody_here", "analytical engine").json()["code"],
        "INVALID_USERNAME_OR_PASSWORD",
        "{dialect}: an unknown username answers the same"
    );

    let update = |body: &str| {
        c.post_json(
            "/api/auth/update-user",
            body,
            &[("cookie", &cookie), ORIGIN],
        )
        .unwrap()
    };
    assert_eq!(
        update(r#"{"username":"Countess"}"#).json()["status"],
        true,
        "{dialect}"
    );
    let session = c
        .get("/api/auth/get-session", &[("cookie", &cookie)])
        .unwrap();
    assert_eq!(session.json()["user"]["username"], "countess", "{dialect}");
    assert_eq!(
        sign_in("countess", "analytical engine").status,
        200,
        "{dialect}"
    );
    assert_eq!(
        update(r#"{"username":"x"}"#).json()["code"],
        "USERNAME_TOO_SHORT",
        "{dialect}"
    );
}
