//! Anonymous plugin: an anonymous session, no second one, deletion, and the anonymous user
//! removed once the browser signs up for real.

use crate::ORIGIN;
use crate::db::TestDb;
use crate::http::Client;

const SESSION: &str = "better-auth.session_token";

pub fn flows(dialect: &str, c: &Client, db: &TestDb) {
    let q = if dialect == "mysql" { "`" } else { "\"" };
    let users_with = |id: &str| {
        db.query(&format!(
            "SELECT COUNT(*) FROM {q}user{q} WHERE {q}id{q} = '{id}'"
        ))
        .trim()
        .to_owned()
    };
    let anonymous = || {
        c.post_json("/api/auth/sign-in/anonymous", "{}", &[])
            .unwrap()
    };

    let first = anonymous();
    assert_eq!(first.status, 200, "{dialect}: {}", first.body);
    let user = first.json()["user"].clone();
    assert_eq!(user["isAnonymous"], true, "{dialect}");
    assert_eq!(user["name"], "Anonymous");
    assert!(
        user["email"]
            .as_str()
            .unwrap()
            .ends_with("@anonymous.placeholder.invalid"),
        "{dialect}: {user}"
    );
    let cookie = first.cookie(SESSION).unwrap();
    let again = c
        .post_json(
            "/api/auth/sign-in/anonymous",
            "{}",
            &[("cookie", &cookie), ORIGIN],
        )
        .unwrap();
    assert_eq!(
        again.json()["code"],
        "ANONYMOUS_USERS_CANNOT_SIGN_IN_AGAIN_ANONYMOUSLY",
        "{dialect}"
    );

    // Signing up for real replaces the anonymous user.
    let id = user["id"].as_str().unwrap().to_owned();
    let real = c
        .post_json(
            "/api/auth/sign-up/email",
            r#"{"name":"Real","email":"was-anonymous@example.com","password":"a real password"}"#,
            &[("cookie", &cookie), ORIGIN],
        )
        .unwrap();
    assert_eq!(real.status, 200, "{dialect}: {}", real.body);
    assert_eq!(real.json()["user"]["isAnonymous"], false, "{dialect}");
    assert_eq!(
        users_with(&id),
        "0",
        "{dialect}: the anonymous user is gone"
    );

    // A real user cannot delete themselves as anonymous; an anonymous one can.
    let real_cookie = real.cookie(SESSION).unwrap();
    let refused = c
        .post_json(
            "/api/auth/delete-anonymous-user",
            "{}",
            &[("cookie", &real_cookie), ORIGIN],
        )
        .unwrap();
    assert_eq!(
        (refused.status, refused.json()["code"].as_str()),
        (403, Some("USER_IS_NOT_ANONYMOUS")),
        "{dialect}"
    );
    let second = anonymous();
    let second_id = second.json()["user"]["id"].as_str().unwrap().to_owned();
    let deleted = c
        .post_json(
            "/api/auth/delete-anonymous-user",
            "{}",
            &[("cookie", &second.cookie(SESSION).unwrap()), ORIGIN],
        )
        .unwrap();
    assert_eq!(
        deleted.json()["success"],
        true,
        "{dialect}: {}",
        deleted.body
    );
    assert!(deleted.clears_cookie(SESSION), "{dialect}");
    assert_eq!(users_with(&second_id), "0", "{dialect}");
}
