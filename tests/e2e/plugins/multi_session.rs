//! Multi-session plugin: several users in one browser, switching, revoking, the limit, and
//! sign-out ending them all.

use crate::ORIGIN;
use crate::http::{Client, Reply};

const SESSION: &str = "better-auth.session_token";

/// A cookie jar: what a browser would send after these responses.
#[derive(Default)]
struct Jar(Vec<(String, String)>);

impl Jar {
    fn take(&mut self, reply: &Reply) {
        for (k, v) in &reply.headers {
            if k != "set-cookie" {
                continue;
            }
            let pair = v.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            self.0.retain(|(n, _)| n != name);
            if !value.is_empty() && !v.contains("Max-Age=0") {
                self.0.push((name.to_owned(), value.to_owned()));
            }
        }
    }

    fn header(&self) -> String {
        self.0
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn multi(&self) -> usize {
        self.0.iter().filter(|(k, _)| k.contains("_multi-")).count()
    }
}

/// A browser's POST: the jar's cookies and the trusted origin.
fn post(c: &Client, jar: &Jar, path: &str, body: &str) -> Reply {
    c.post_json(path, body, &[("cookie", &jar.header()), ORIGIN])
        .unwrap()
}

pub fn flows(dialect: &str, c: &Client) {
    let mut jar = Jar::default();
    let mut tokens = Vec::new();
    for n in 0..4 {
        let body = format!(
            r#"{{"name":"M{n}","email":"multi{n}@example.com","password":"multi password"}}"#
        );
        let reply = post(c, &jar, "/api/auth/sign-up/email", &body);
        assert_eq!(reply.status, 200, "{dialect}: {}", reply.body);
        tokens.push(reply.json()["token"].as_str().unwrap().to_owned());
        jar.take(&reply);
    }
    assert_eq!(jar.multi(), 3, "{dialect}: maximum_sessions = 3");

    let listed = c
        .get(
            "/api/auth/multi-session/list-device-sessions",
            &[("cookie", &jar.header())],
        )
        .unwrap()
        .json();
    let emails: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["user"]["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails.len(), 3, "{dialect}: {listed}");
    assert!(emails.contains(&"multi0@example.com"), "{dialect}");

    let session_email = |jar: &Jar| {
        c.get("/api/auth/get-session", &[("cookie", &jar.header())])
            .unwrap()
            .json()["user"]["email"]
            .clone()
    };
    assert_eq!(
        session_email(&jar),
        "multi3@example.com",
        "{dialect}: the last sign-up is active"
    );
    let switched = post(
        c,
        &jar,
        "/api/auth/multi-session/set-active",
        &format!(r#"{{"sessionToken":"{}"}}"#, tokens[0]),
    );
    assert_eq!(switched.status, 200, "{dialect}: {}", switched.body);
    jar.take(&switched);
    assert_eq!(session_email(&jar), "multi0@example.com", "{dialect}");
    let unknown = post(
        c,
        &jar,
        "/api/auth/multi-session/set-active",
        r#"{"sessionToken":"not-a-session-of-this-browser"}"#,
    );
    assert_eq!(
        (unknown.status, unknown.json()["code"].as_str()),
        (401, Some("INVALID_SESSION_TOKEN")),
        "{dialect}"
    );

    // Revoking the active session makes another one active.
    let revoked = post(
        c,
        &jar,
        "/api/auth/multi-session/revoke",
        &format!(r#"{{"sessionToken":"{}"}}"#, tokens[0]),
    );
    assert_eq!(
        revoked.json()["status"],
        true,
        "{dialect}: {}",
        revoked.body
    );
    jar.take(&revoked);
    assert_eq!(jar.multi(), 2, "{dialect}");
    let active = session_email(&jar);
    assert!(
        active.is_string() && active != "multi0@example.com",
        "{dialect}: {active}"
    );

    let out = post(c, &jar, "/api/auth/sign-out", "{}");
    assert_eq!(out.json()["success"], true, "{dialect}");
    let before = jar.header();
    jar.take(&out);
    assert_eq!(
        jar.multi(),
        0,
        "{dialect}: every multi-session cookie cleared"
    );
    let listed = c
        .get(
            "/api/auth/multi-session/list-device-sessions",
            &[("cookie", &before)],
        )
        .unwrap()
        .json();
    assert_eq!(
        listed,
        serde_json::json!([]),
        "{dialect}: every session ended"
    );
    assert!(!jar.header().contains(SESSION), "{dialect}: signed out");
}
