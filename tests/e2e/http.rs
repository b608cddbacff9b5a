//! A minimal HTTP/1.1 client over a TCP stream: enough to drive the generated server and see
//! every `Set-Cookie` header.

use std::fmt::Write as _;
use std::io::{Read as _, Write as _};
use std::net::TcpStream;

/// Talks to `127.0.0.1:<port>`.
pub struct Client {
    port: u16,
}

/// A response.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Client {
    pub fn new(port: u16) -> Self {
        Self { port }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn get(&self, path: &str, headers: &[(&str, &str)]) -> std::io::Result<Reply> {
        self.send("GET", path, headers, None)
    }

    pub fn post_json(
        &self,
        path: &str,
        body: &str,
        headers: &[(&str, &str)],
    ) -> std::io::Result<Reply> {
        let mut all = vec![("content-type", "application/json")];
        all.extend_from_slice(headers);
        self.send("POST", path, &all, Some(body))
    }

    pub fn post_raw(&self, path: &str, content_type: &str, body: &str) -> std::io::Result<Reply> {
        self.send("POST", path, &[("content-type", content_type)], Some(body))
    }

    /// Any request: `method` to `path` with `headers` and an optional body.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> std::io::Result<Reply> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port))?;
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nhost: 127.0.0.1:{}\r\nconnection: close\r\nuser-agent: rauth-e2e\r\n",
            self.port
        );
        for (k, v) in headers {
            let _ = write!(request, "{k}: {v}\r\n");
        }
        let body = body.unwrap_or_default();
        let _ = write!(request, "content-length: {}\r\n\r\n{body}", body.len());
        stream.write_all(request.as_bytes())?;
        let mut raw = String::new();
        stream.read_to_string(&mut raw)?;
        let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        // node's http server (Better Auth's, in the cross-server tests) sends chunks.
        let chunked = headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
        Ok(Reply {
            status,
            headers,
            body: if chunked {
                dechunk(body)
            } else {
                body.to_owned()
            },
        })
    }
}

/// The body of a `Transfer-Encoding: chunked` message.
fn dechunk(mut rest: &str) -> String {
    let mut body = String::new();
    while let Some((size, after)) = rest.split_once("\r\n") {
        let size = usize::from_str_radix(size.split(';').next().unwrap_or_default().trim(), 16)
            .unwrap_or(0);
        let (Some(chunk), Some(next)) = (after.get(..size), after.get(size..)) else {
            break;
        };
        if size == 0 {
            break;
        }
        body.push_str(chunk);
        rest = next.trim_start_matches("\r\n");
    }
    body
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The whole `Set-Cookie` header for cookie `name`.
    pub fn set_cookie(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k == "set-cookie")
            .map(|(_, v)| v.as_str())
            .find(|v| v.starts_with(&format!("{name}=")) && !v.starts_with(&format!("{name}=;")))
    }

    /// Whether this response deletes cookie `name` (an empty value with `Max-Age=0`).
    pub fn clears_cookie(&self, name: &str) -> bool {
        self.headers.iter().any(|(k, v)| {
            k == "set-cookie" && v.starts_with(&format!("{name}=;")) && v.contains("Max-Age=0")
        })
    }

    /// `name=value` of a cookie this response sets, ready for a `Cookie` header.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.set_cookie(name)
            .map(|v| v.split(';').next().unwrap_or_default().to_owned())
    }
}
