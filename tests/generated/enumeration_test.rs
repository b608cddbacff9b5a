//! Account enumeration through sign-up: where a sign-up does not sign in
//! (`require_email_verification`), a taken email gets the answer a new one gets — `200`, no
//! token, a user with a fresh id — after hashing the password as a sign-up does, and
//! no mail. Before issue 17 it was
//! `422 USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL`, telling anyone which addresses have accounts.

use rauth_generated_check::auth_verify::Request;
use rauth_generated_check::auth_verify::{Auth, Email, EmailSender, Keyring};

#[derive(Debug, Default)]
struct Outbox(std::sync::Mutex<Vec<Email>>);

impl EmailSender for Outbox {
    fn send(&self, email: Email) {
        self.0.lock().expect("outbox").push(email);
    }
}

fn sign_up(email: &str) -> Request {
    Request {
        method: "POST".into(),
        path: "/sign-up/email".into(),
        headers: vec![("content-type".to_owned(), "application/json".to_owned())],
        body: format!(r#"{{"name":"Eve","email":"{email}","password":"correct horse battery"}}"#)
            .into_bytes(),
        ip: Some("127.0.0.1".into()),
        query: String::new(),
    }
}

#[tokio::test]
async fn a_taken_email_signs_up_like_a_new_one() {
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect("sqlite::memory:")
        .await
        .expect("sqlite");
    sqlx::raw_sql(sqlx::AssertSqlSafe(include_str!("verify.sql")))
        .execute(&pool)
        .await
        .expect("schema");
    let outbox = std::sync::Arc::new(Outbox::default());
    let auth = Auth::new(
        pool,
        Keyring::parse(Some("1:enumeration-secret-0123456789abcdef"), None).expect("keyring"),
    )
    .with_email_sender(outbox.clone());

    let first = auth.handle(&sign_up("taken@example.com")).await;
    assert_eq!(first.status, 200, "{:?}", first.body);
    let mails = outbox.0.lock().expect("outbox").len();
    assert_eq!(mails, 1, "the new account gets its verification mail");

    let again = auth.handle(&sign_up("taken@example.com")).await;
    let fresh = auth.handle(&sign_up("fresh@example.com")).await;
    for response in [&again, &fresh] {
        assert_eq!(response.status, 200, "{:?}", response.body);
        assert!(response.set_cookies.is_empty());
    }
    let (again, fresh, first) = (
        again.body.expect("body"),
        fresh.body.expect("body"),
        first.body.expect("body"),
    );
    assert_eq!(again["token"], serde_json::Value::Null);
    assert_eq!(again["user"]["email"], "taken@example.com");
    assert_eq!(again["user"]["emailVerified"], false);
    assert_ne!(
        again["user"]["id"], first["user"]["id"],
        "a made-up user, not the account"
    );
    let keys = |v: &serde_json::Value| {
        let mut keys: Vec<String> = v["user"]
            .as_object()
            .expect("user")
            .keys()
            .cloned()
            .collect();
        keys.sort();
        keys
    };
    assert_eq!(
        keys(&again),
        keys(&fresh),
        "the same shape as a real sign-up"
    );
    assert_eq!(
        outbox
            .0
            .lock()
            .expect("outbox")
            .iter()
            .filter(|m| m.to == "taken@example.com")
            .count(),
        1,
        "no mail for the attempt on a taken address"
    );
}
