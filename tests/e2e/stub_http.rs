//! The HTTP/1.1 plumbing of the local stand-ins for outside services (`pwned_range`,
//! `siteverify`): a listener on 127.0.0.1 served from a thread, one request per connection,
//! answered by a function of the parsed request. The stand-ins keep only their protocol.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};

/// A request as a stand-in sees it.
pub struct StubRequest {
    pub path: String,
    /// Names lower-cased, values trimmed.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl StubRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// An answer: its status line's rest (`200 OK`), content type and body.
pub struct StubResponse {
    pub status: &'static str,
    pub content_type: &'static str,
    pub body: String,
}

/// Serves `answer` on a port of 127.0.0.1 from a thread of its own; returns `http://<addr>`.
pub fn serve(answer: fn(&StubRequest) -> StubResponse) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        // One connection at a time: the apps call one at a time.
        for stream in listener.incoming().flatten() {
            let _ = exchange(stream, answer);
        }
    });
    url
}

fn exchange(stream: TcpStream, answer: fn(&StubRequest) -> StubResponse) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    let length = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .to_owned();
    let response = answer(&StubRequest {
        path,
        headers,
        body,
    });
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 {}\r\ncontent-type: {}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{}",
        response.status,
        response.content_type,
        response.body.len(),
        response.body
    )?;
    stream.flush()
}
