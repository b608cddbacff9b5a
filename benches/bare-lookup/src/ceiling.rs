//! The cookie cache's ceiling: one HMAC-SHA256 check of the session cookie, then a fixed body.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

const COOKIE: &str = "better-auth.session_token";

/// A get-session answer of the usual size (a session and a user without plugin fields).
const BODY: &str = r#"{"session":{"id":"dEiUJRRwaRKXBUfb3q69bpOfo9y48W62","token":"RPEQlzFkiWkbjvlNdH5buA8ZXQ2Nav72","userId":"rcxrgwRJtjxED72d6A02thWVQB46JPZk","expiresAt":"2026-12-13T16:55:15.187Z","createdAt":"2026-12-06T16:55:15.187Z","updatedAt":"2026-12-06T16:55:15.187Z","ipAddress":"127.0.0.1","userAgent":"wrk"},"user":{"id":"rcxrgwRJtjxED72d6A02thWVQB46JPZk","name":"Bench","email":"bench@example.com","emailVerified":false,"image":null,"createdAt":"2026-12-06T16:55:15.184Z","updatedAt":"2026-12-06T16:55:15.184Z"}}"#;

pub fn router(secret: String) -> Router {
    Router::new().route("/ceiling/get-session", get(get_session)).with_state(Arc::new(secret))
}

async fn get_session(State(secret): State<Arc<String>>, headers: HeaderMap) -> Response {
    let verified = cookie(&headers).is_some_and(|value| signed(&secret, &value));
    let body = if verified { BODY } else { "null" };
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// The session cookie's value, URL-decoded (`%2B`, `%2F`, `%3D` in the signature).
fn cookie(headers: &HeaderMap) -> Option<String> {
    let raw = headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|h| {
        h.split(';').find_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == COOKIE).then_some(v)
        })
    })?;
    Some(raw.replace("%2B", "+").replace("%2F", "/").replace("%3D", "="))
}

/// Whether `value` is `<token>.<base64 HMAC-SHA256(secret, token)>`.
fn signed(secret: &str, value: &str) -> bool {
    let Some((token, signature)) = value.rsplit_once('.') else { return false };
    let Ok(given) = STANDARD.decode(signature) else { return false };
    let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()) else { return false };
    mac.update(token.as_bytes());
    mac.verify_slice(&given).is_ok()
}
