//! What the generated crate's integration tests share.

use rauth_generated_check::auth_sqlite::{Auth, Keyring};

/// An `Auth` of the SQLite module over a fresh in-memory database holding the generated schema,
/// signing with `secret`.
pub async fn sqlite_auth(secret: &str) -> Auth {
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect("sqlite::memory:")
        .await
        .expect("sqlite");
    sqlx::raw_sql(sqlx::AssertSqlSafe(include_str!("../schema.sql")))
        .execute(&pool)
        .await
        .expect("schema");
    Auth::new(pool, Keyring::parse(Some(secret), None).expect("keyring"))
}
