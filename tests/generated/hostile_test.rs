//! A config with hostile names — quotes, backticks, SQL and Rust keywords, `include!` and
//! template syntax in the app name — generates SQL and Rust that still work: the schema applies
//! and a user signs up and back in through the generated endpoints.

use rauth_generated_check::auth_hostile::Request;
use rauth_generated_check::auth_hostile::{Auth, Keyring};

fn post(path: &str, body: &str, cookie: Option<&str>) -> Request {
    let mut headers = vec![("content-type".to_owned(), "application/json".to_owned())];
    if let Some(cookie) = cookie {
        headers.push(("cookie".to_owned(), cookie.to_owned()));
        headers.push(("origin".to_owned(), "http://localhost:3000".to_owned()));
    }
    Request {
        method: "POST".into(),
        path: path.into(),
        headers,
        body: body.as_bytes().to_vec(),
        ip: Some("127.0.0.1".into()),
        query: String::new(),
    }
}

#[tokio::test]
async fn hostile_names_still_work() {
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect("sqlite::memory:")
        .await
        .expect("sqlite");
    sqlx::raw_sql(sqlx::AssertSqlSafe(include_str!("hostile.sql")))
        .execute(&pool)
        .await
        .expect("the hostile schema applies");
    let keyring =
        Keyring::parse(Some("1:hostile-secret-hostile-secret-hostile"), None).expect("keyring");
    let auth = Auth::new(pool, keyring);
    let body = r#"{"name":"Robert'); DROP TABLE user; --","email":"bobby@example.com","password":"correct horse battery"}"#;
    let signed_up = auth.handle(&post("/sign-up/email", body, None)).await;
    assert_eq!(signed_up.status, 200, "{:?}", signed_up.body);
    let cookie = signed_up.set_cookies[0]
        .split(';')
        .next()
        .expect("cookie")
        .to_owned();
    let session = auth
        .handle(&Request {
            method: "GET".into(),
            path: "/get-session".into(),
            ..post("", "", Some(&cookie))
        })
        .await;
    let user = &session.body.expect("a session")["user"];
    assert_eq!(user["name"], "Robert'); DROP TABLE user; --");
    let signed_in = auth
        .handle(&post(
            "/sign-in/email",
            r#"{"email":"bobby@example.com","password":"correct horse battery"}"#,
            None,
        ))
        .await;
    assert_eq!(signed_in.status, 200, "{:?}", signed_in.body);
    // Accounts are core routes, with no social provider configured: the credential one.
    let accounts = auth
        .handle(&Request {
            method: "GET".into(),
            path: "/list-accounts".into(),
            ..post("", "", Some(&cookie))
        })
        .await;
    assert_eq!(accounts.status, 200, "{:?}", accounts.body);
    let list = accounts.body.expect("accounts");
    assert_eq!(list[0]["providerId"], "credential", "{list}");
    assert_eq!(list[0]["scopes"], serde_json::json!([]), "{list}");
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
    let id = list[0]["id"].as_str().expect("an id");
    let last = auth
        .handle(&post(
            "/unlink-account",
            &format!(r#"{{"accountId":"{id}"}}"#),
            Some(&cookie),
        ))
        .await;
    assert_eq!(last.status, 400, "{:?}", last.body);
    assert_eq!(
        last.body.expect("an error")["code"],
        "FAILED_TO_UNLINK_LAST_ACCOUNT"
    );
}
