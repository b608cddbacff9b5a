//! Attacks on the generated server's defenses, performed over HTTP as an attacker would: login
//! CSRF from another site's page, and rate limits dodged with a forged client address. Each one
//! succeeded against rauth before its fix (issue 17): forms were taken from any site without a
//! cookie, and the leftmost `X-Forwarded-For` entry, from anyone, was the client.

use crate::http::Client;
use crate::{App, ORIGIN};

const EVIL: &str = "https://evil.example";

/// Every endpoint that signs someone in, with a body that would otherwise get past validation
/// far enough to create a session or send a sign-in message.
fn sign_in_endpoints(tag: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "/api/auth/sign-up/email",
            format!("name=Mallory&email=csrf-{tag}%40example.com&password=attacker+password+1"),
        ),
        (
            "/api/auth/sign-in/email",
            "email=csrf-victim%40example.com&password=attacker+password+1".to_owned(),
        ),
        (
            "/api/auth/sign-in/username",
            "username=mallory&password=attacker+password+1".to_owned(),
        ),
        ("/api/auth/sign-in/anonymous", String::new()),
        (
            "/api/auth/sign-in/magic-link",
            "email=csrf-victim%40example.com".to_owned(),
        ),
        (
            "/api/auth/sign-in/email-otp",
            "email=csrf-victim%40example.com&otp=123456".to_owned(),
        ),
        (
            "/api/auth/sign-in/phone-number",
            "phoneNumber=%2B15550100&password=attacker+password+1".to_owned(),
        ),
        ("/api/auth/sign-in/social", "provider=github".to_owned()),
    ]
}

fn refusal(reply: &crate::http::Reply) -> String {
    format!(
        "{} {}",
        reply.status,
        reply.json()["code"].as_str().unwrap_or_default()
    )
}

/// A page on another site auto-submits a form to every sign-in endpoint: as a top-level
/// navigation (Fetch Metadata says so), from a browser without Fetch Metadata (its `Origin`
/// says so), and with no origin at all. Each is refused before anything happens: the sign-up
/// creates no user. The same forms from this site's own pages, and JSON from a client that is
/// not a browser, still work.
pub fn login_csrf_is_refused(dialect: &str, c: &Client) {
    let form = "application/x-www-form-urlencoded";
    for (path, body) in sign_in_endpoints(dialect) {
        let navigation = c
            .send(
                "POST",
                path,
                &[
                    ("content-type", form),
                    ("origin", EVIL),
                    ("sec-fetch-site", "cross-site"),
                    ("sec-fetch-mode", "navigate"),
                    ("sec-fetch-dest", "document"),
                ],
                Some(&body),
            )
            .unwrap();
        assert_eq!(
            refusal(&navigation),
            "403 CROSS_SITE_NAVIGATION_LOGIN_BLOCKED",
            "{dialect} {path}: {}",
            navigation.body
        );
        let old_browser = c
            .send(
                "POST",
                path,
                &[("content-type", form), ("origin", EVIL)],
                Some(&body),
            )
            .unwrap();
        assert_eq!(
            refusal(&old_browser),
            "403 INVALID_ORIGIN",
            "{dialect} {path}"
        );
        for content_type in [form, "text/plain", "multipart/form-data; boundary=x"] {
            let no_origin = c
                .send("POST", path, &[("content-type", content_type)], Some(&body))
                .unwrap();
            assert_eq!(
                refusal(&no_origin),
                "403 MISSING_OR_NULL_ORIGIN",
                "{dialect} {path} {content_type}"
            );
        }
        // A cross-site fetch (not a navigation) from an untrusted origin, as a script would.
        let script = c
            .send(
                "POST",
                path,
                &[
                    ("content-type", "application/json"),
                    ("origin", EVIL),
                    ("sec-fetch-site", "cross-site"),
                    ("sec-fetch-mode", "cors"),
                ],
                Some("{}"),
            )
            .unwrap();
        assert_eq!(refusal(&script), "403 INVALID_ORIGIN", "{dialect} {path}");
    }
    // The refused sign-up created nobody: this site's own form now signs that address up.
    let (path, body) = &sign_in_endpoints(dialect)[0];
    let own_page = c
        .send(
            "POST",
            path,
            &[
                ("content-type", form),
                ORIGIN,
                ("sec-fetch-site", "same-origin"),
                ("sec-fetch-mode", "navigate"),
            ],
            Some(body),
        )
        .unwrap();
    assert_eq!(own_page.status, 200, "{dialect}: {}", own_page.body);
    assert!(own_page.cookie("better-auth.session_token").is_some());
    // A client that is not a browser (no Fetch Metadata, no Origin) posting JSON is not a CSRF.
    let server_side = c
        .post_json(
            "/api/auth/sign-in/email",
            &format!(
                r#"{{"email":"csrf-{dialect}@example.com","password":"attacker password 1"}}"#
            ),
            &[],
        )
        .unwrap();
    assert_eq!(server_side.status, 200, "{dialect}: {}", server_side.body);
}

/// Three sign-in attempts per 10 s per client: rotating `X-Forwarded-For` on every attempt does
/// not make a fresh client when the connection does not come from a trusted proxy.
pub fn forged_forwarded_for_is_ignored(dialect: &str, app: &App) {
    let statuses: Vec<u16> = (0..4)
        .map(|i| {
            let forged = format!("203.0.113.{}", i + 1);
            app.client
                .post_json(
                    "/api/auth/sign-in/email",
                    r#"{"email":"xff@example.com","password":"wrong password"}"#,
                    &[("x-forwarded-for", forged.as_str())],
                )
                .unwrap()
                .status
        })
        .collect();
    assert_eq!(statuses, [401, 401, 401, 429], "{dialect}");
}

/// Behind a trusted proxy (loopback, in these apps' config) the client is the rightmost address
/// that is not a proxy: entries a client prepends itself change nothing, while distinct clients
/// the proxy reports get buckets of their own.
pub fn forwarded_for_from_a_trusted_proxy(dialect: &str, app: &App, run: &str) {
    let attempt = |forwarded: &str| {
        app.client
            .post_json(
                "/api/auth/sign-in/email",
                r#"{"email":"proxied@example.com","password":"wrong password"}"#,
                &[("x-forwarded-for", forwarded)],
            )
            .unwrap()
            .status
    };
    let client = format!("198.18.{run}");
    let forged: Vec<u16> = (0..4)
        .map(|i| attempt(&format!("192.0.2.{}, {client}", i + 1)))
        .collect();
    assert_eq!(forged, [401, 401, 401, 429], "{dialect}");
    let others: Vec<u16> = (0..3)
        .map(|i| attempt(&format!("198.19.{run}.{}", i + 10)))
        .collect();
    assert_eq!(
        others,
        [401, 401, 401],
        "{dialect}: distinct clients share no bucket"
    );
}
