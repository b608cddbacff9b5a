//! A local stand-in for Have I Been Pwned's range API (`GET /range/<5 hex digits>`), which the
//! apps reach through `HIBP_API_URL` (no vendor is reachable from here). It speaks the real
//! protocol: the first five hex digits of a password's SHA-1 in the path, an answer of
//! `SUFFIX:COUNT` lines, and, when asked with `Add-Padding: true`, padding lines counted 0. It
//! knows the [`BREACHED`] passwords, fails with 503 for [`OUTAGE`]'s range, and records every
//! request it got so tests can see what left the app.

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::TcpListener;
use std::sync::{Mutex, OnceLock};

use sha1::{Digest as _, Sha1};

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
    SERVER.get_or_init(|| {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                // One connection at a time: the apps check one password at a time.
                let _ = answer(stream);
            }
        });
        Server {
            url,
            seen: Mutex::new(Vec::new()),
        }
    })
}

fn answer(stream: std::net::TcpStream) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut padded = false;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            padded |= name.eq_ignore_ascii_case("add-padding") && value.trim() == "true";
        }
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .to_owned();
    server().seen.lock().unwrap().push(Seen {
        path: path.clone(),
        padded,
    });
    let prefix = path.strip_prefix("/range/").unwrap_or_default();
    let (status, body) = if prefix.len() != 5 {
        ("400 Bad Request", String::new())
    } else if sha1_hex(OUTAGE).starts_with(prefix) {
        ("503 Service Unavailable", String::new())
    } else {
        ("200 OK", range(prefix, padded))
    };
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 {status}\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )?;
    stream.flush()
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
