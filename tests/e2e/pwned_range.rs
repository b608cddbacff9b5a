//! A local stand-in for Have I Been Pwned's range API (`GET /range/<5 hex digits>`), which the
//! apps reach through `HIBP_API_URL` (no vendor is reachable from here). It speaks the real
//! protocol: the first five hex digits of a password's SHA-1 in the path, an answer of
//! `SUFFIX:COUNT` lines, and, when asked with `Add-Padding: true`, padding lines counted 0. It
//! knows the [`BREACHED`] passwords, fails with 503 for [`OUTAGE`]'s range, and records every
//! request it got so tests can see what left the app.

use std::sync::{Mutex, OnceLock};

use sha1::{Digest as _, Sha1};

use crate::stub_http::{self, StubRequest, StubResponse};

/// Passwords the stand-in's corpus has seen.
pub const BREACHED: [&str; 2] = ["password1234", "correct horse battery staple"];
/// A password whose range the stand-in cannot answer (503).
pub const OUTAGE: &str = "range outage password";

/// One request the stand-in answered: its path and whether it asked for padding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub path: String,
    pub padded: bool,
}

struct Server {
    url: String,
    seen: Mutex<Vec<Seen>>,
}

static SERVER: OnceLock<Server> = OnceLock::new();

/// The stand-in's base URL, starting it on first use.
pub fn url() -> &'static str {
    &server().url
}

/// The requests answered so far.
pub fn seen() -> Vec<Seen> {
    server().seen.lock().unwrap().clone()
}

/// A password's SHA-1, upper-case hex, as the API keys it.
pub fn sha1_hex(password: &str) -> String {
    hex::encode_upper(Sha1::digest(password.as_bytes()))
}

fn server() -> &'static Server {
    SERVER.get_or_init(|| Server {
        url: stub_http::serve(answer),
        seen: Mutex::new(Vec::new()),
    })
}

fn answer(request: &StubRequest) -> StubResponse {
    let padded = request.header("add-padding") == Some("true");
    server().seen.lock().unwrap().push(Seen {
        path: request.path.clone(),
        padded,
    });
    let prefix = request.path.strip_prefix("/range/").unwrap_or_default();
    let (status, body) = if prefix.len() != 5 {
        ("400 Bad Request", String::new())
    } else if sha1_hex(OUTAGE).starts_with(prefix) {
        ("503 Service Unavailable", String::new())
    } else {
        ("200 OK", range(prefix, padded))
    };
    StubResponse {
        status,
        content_type: "text/plain",
        body,
    }
}

/// The range of `prefix`: the breached passwords' suffixes in it, and padding lines.
fn range(prefix: &str, padded: bool) -> String {
    let mut lines: Vec<String> = BREACHED
        .iter()
        .map(|p| sha1_hex(p))
        .filter(|h| h.starts_with(prefix))
        .map(|h| format!("{}:{}", &h[5..], 42))
        .collect();
    if padded {
        lines.extend((0..3).map(|i| format!("{:035X}:0", 0xABC0 + i)));
    }
    lines.join("\r\n")
}
