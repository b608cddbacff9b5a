//! The ceilings for get-session.
//! - `/api/auth/get-session`: read the `better-auth.session_token` cookie, take the token before
//!   the first `.`, and do one indexed lookup. No signature check, no refresh, no cache.
//! - `/ceiling/get-session` (the cookie cache's): check the session cookie's HMAC-SHA256
//!   signature and answer a fixed JSON body of a get-session's size. No database.
//!
//! Env: DATABASE_URL, ADDR (default 127.0.0.1:3002), SECRET (the cookies' signing secret).

mod ceiling;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

const COOKIE: &str = "better-auth.session_token";

#[tokio::main]
async fn main() {
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let addr = std::env::var("ADDR").unwrap_or_else(|_| "127.0.0.1:3002".into());
    // Same pool as the generated app (templates/app/main.rs.j2): 10 connections, no ping when
    // a connection is taken from the pool.
    let pool = PgPoolOptions::new().test_before_acquire(false).connect(&url).await.expect("connect");
    let secret = std::env::var("SECRET").unwrap_or_default();
    let app = Router::new()
        .route("/api/auth/get-session", get(get_session))
        .with_state(pool)
        .merge(ceiling::router(secret));
    let listener = tokio::net::TcpListener::bind(&addr).await.expect("bind");
    axum::serve(listener, app).await.expect("serve");
}

fn token(headers: &HeaderMap) -> Option<&str> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|h| {
        h.split(';').find_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == COOKIE).then(|| v.split('.').next().unwrap_or(v))
        })
    })
}

type Row = (String, String, OffsetDateTime, String, String, String, bool, Option<String>);

async fn get_session(State(pool): State<PgPool>, headers: HeaderMap) -> Response {
    let Some(token) = token(&headers) else { return Json(serde_json::Value::Null).into_response() };
    let row: Result<Option<Row>, _> = sqlx::query_as(
        r#"SELECT s.id, s.token, s."expiresAt", u.id, u.name, u.email, u."emailVerified", u.image
           FROM "session" s JOIN "user" u ON u.id = s."userId"
           WHERE s.token = $1 AND s."expiresAt" > now()"#,
    )
    .bind(token)
    .fetch_optional(&pool)
    .await;
    match row {
        Ok(Some((sid, tok, exp, uid, name, email, verified, image))) => Json(json!({
            "session": { "id": sid, "token": tok, "userId": uid,
                         "expiresAt": exp.format(&Rfc3339).unwrap_or_default() },
            "user": { "id": uid, "name": name, "email": email,
                      "emailVerified": verified, "image": image },
        }))
        .into_response(),
        Ok(None) => Json(serde_json::Value::Null).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
