//! The connections kept for session lookups (`core::session_connections`), on the SQLite module
//! over a database file, seen from the pool: a lookup keeps its connection for the next one, at
//! most half the pool's are kept, a failed lookup leaves its connection to the pool, and idle
//! ones go back to it.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use sqlx::sqlite::SqlitePoolOptions;

use crate::auth_sqlite::core::session_connections::SessionConnections;
use crate::auth_sqlite::{Auth, Keyring, Pool, Request};

/// A pool of at most 4 connections over a new database file with the schema, and the token of
/// a session signed up there.
async fn signed_up() -> (Pool, String) {
    static FILES: AtomicUsize = AtomicUsize::new(0);
    let n = FILES.fetch_add(1, Ordering::Relaxed);
    let file = std::env::temp_dir().join(format!(
        "rauth-session-connections-{}-{n}.db",
        std::process::id()
    ));
    let _ = std::fs::remove_file(&file);
    let url = format!("sqlite://{}?mode=rwc", file.display());
    let pool = SqlitePoolOptions::new()
        .max_connections(4)
        .connect(&url)
        .await
        .unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(include_str!("../../tests/schema.sql")))
        .execute(&pool)
        .await
        .unwrap();
    let auth = Auth::new(
        pool.clone(),
        Keyring::parse(Some("1:session-connections-secret-0123456789abcdef"), None).unwrap(),
    );
    let response = auth
        .handle(&Request {
            method: "POST".into(),
            path: "/sign-up/email".into(),
            headers: vec![("content-type".into(), "application/json".into())],
            body: br#"{"email":"kept@example.com","password":"kept-password-1234","name":"Kept"}"#
                .to_vec(),
            ip: Some("127.0.0.1".into()),
            query: String::new(),
        })
        .await;
    assert_eq!(response.status, 200, "{:?}", response.body);
    let cookie = response
        .set_cookies
        .iter()
        .find(|c| c.starts_with("better-auth.session_token="))
        .unwrap();
    let token = cookie["better-auth.session_token=".len()..]
        .split('.')
        .next()
        .unwrap()
        .to_owned();
    all_back(&pool).await;
    (pool, token)
}

/// Connections out of the pool (kept for lookups, since no test holds one of its own).
fn out(pool: &Pool) -> usize {
    pool.size() as usize - pool.num_idle()
}

/// Waits until `out` connections are out of the pool (dropped ones return on a task).
async fn until_out(pool: &Pool, out_of_pool: usize) {
    let start = Instant::now();
    while out(pool) != out_of_pool {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{} of {} out of the pool, not {out_of_pool}",
            out(pool),
            pool.size()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

async fn all_back(pool: &Pool) {
    until_out(pool, 0).await;
}

/// Whether a lookup of `token` finds its session.
async fn found(connections: &Arc<SessionConnections>, pool: &Pool, token: &str) -> bool {
    connections
        .session_with_user(pool, token)
        .await
        .unwrap()
        .is_some()
}

/// A signed-up session, and connections that keep one after looking it up once.
async fn one_kept() -> (Pool, String, Arc<SessionConnections>) {
    let (pool, token) = signed_up().await;
    let connections = Arc::new(SessionConnections::new(&pool));
    assert!(found(&connections, &pool, &token).await);
    assert_eq!(out(&pool), 1);
    (pool, token, connections)
}

#[tokio::test]
async fn a_lookup_keeps_its_connection_for_the_next() {
    let (pool, token, connections) = one_kept().await;
    let (session, user) = connections
        .session_with_user(&pool, &token)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (session.token.as_str(), user.email.as_str()),
        (token.as_str(), "kept@example.com")
    );
    let size = pool.size();
    for _ in 0..20 {
        assert!(found(&connections, &pool, &token).await);
    }
    assert!(!found(&connections, &pool, "no-such-token").await);
    // The same connection each time: none was taken from the pool or opened meanwhile.
    assert_eq!((out(&pool), pool.size()), (1, size));
}

#[tokio::test]
async fn at_most_half_the_pool_is_kept() {
    let (pool, _) = signed_up().await;
    let connections = Arc::new(SessionConnections::new(&pool));
    let mut taken = Vec::new();
    for _ in 0..4 {
        taken.push(connections.take(&pool).await.unwrap());
    }
    assert_eq!((out(&pool), pool.size()), (4, 4));
    for connection in taken {
        connections.give_back(connection);
    }
    // Two kept, two back in the pool for the rest of the app.
    until_out(&pool, 2).await;
}

#[tokio::test]
async fn a_failed_lookup_leaves_its_connection_to_the_pool() {
    let (pool, token, connections) = one_kept().await;
    sqlx::raw_sql("DROP TABLE \"session\"")
        .execute(&pool)
        .await
        .unwrap();
    assert!(connections.session_with_user(&pool, &token).await.is_err());
    all_back(&pool).await;
}

#[tokio::test]
async fn idle_connections_go_back_to_the_pool() {
    let (pool, _, _connections) = one_kept().await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    all_back(&pool).await;
}
