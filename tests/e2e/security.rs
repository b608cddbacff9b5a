//! Attacks on the generated server's defenses, performed over HTTP as an attacker would: login
//! CSRF from another site's page, and rate limits dodged with a forged client address. Each one
//! succeeded against rauth before its fix (issue 17): forms were taken from any site without a
//! cookie, and the leftmost `X-Forwarded-For` entry, from anyone, was the client.

use std::path::Path;

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
        .map(|i| {
            attempt(&format!(
                "198.19.{}.{}",
                run.split('.').next().unwrap(),
                i + 10
            ))
        })
        .collect();
    assert_eq!(
        others,
        [401, 401, 401],
        "{dialect}: distinct clients share no bucket"
    );
}

/// Every `(method, path)` the app's generated module routes, read from its source (the path
/// literals of its `match` arms): every enabled plugin's endpoints, whatever is added later. A
/// path whose method the arm does not name is tried with both.
fn routes(app_dir: &Path) -> Vec<(String, String)> {
    let mut routes = std::collections::BTreeSet::new();
    // Directory modules (`organization/mod.rs`) route too.
    let mut files = Vec::new();
    let mut dirs = vec![app_dir.join("src/auth")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    for file in files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        for (at, _) in text.match_indices("\"/") {
            let Some(end) = text[at + 1..].find('"') else {
                continue;
            };
            let path = &text[at + 1..at + 1 + end];
            let after = &text[at + 2 + end..];
            let arm = [") =>", " =>", " |", ") if"]
                .iter()
                .any(|a| after.starts_with(a));
            if !arm || path.contains(char::is_whitespace) {
                continue;
            }
            let before = &text[..at];
            let methods: &[&str] = if before.ends_with("(\"GET\", ") {
                &["GET"]
            } else if before.ends_with("(\"POST\", ") {
                &["POST"]
            } else {
                &["GET", "POST"]
            };
            for method in methods {
                routes.insert(((*method).to_owned(), path.to_owned()));
            }
        }
    }
    routes.into_iter().collect()
}

/// A small replayable generator: the seed comes from `RAUTH_TEST_SEED` or the clock, and is
/// printed.
struct Dice(u64);

impl Dice {
    fn new() -> Self {
        let seed: u64 = std::env::var("RAUTH_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .subsec_nanos()
                    .into()
            });
        eprintln!("hostile requests: RAUTH_TEST_SEED={seed} replays them");
        Self(seed | 1)
    }

    fn below(&mut self, n: usize) -> usize {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        usize::try_from(self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33).unwrap() % n
    }

    fn pick<T: Copy>(&mut self, from: &[T]) -> T {
        from[self.below(from.len())]
    }
}

const FIELDS: &[&str] = &[
    "email",
    "password",
    "name",
    "token",
    "newPassword",
    "currentPassword",
    "rememberMe",
    "callbackURL",
    "redirectTo",
    "image",
    "newEmail",
    "id",
    "userId",
    "organizationId",
    "role",
    "memberId",
    "invitationId",
    "teamId",
    "keyId",
    "code",
    "otp",
    "phoneNumber",
    "username",
    "provider",
    "idToken",
    "sessionToken",
    "permissions",
    "data",
    "metadata",
    "expiresIn",
    "limit",
    "offset",
    "query",
    "type",
    "slug",
    "response",
    "x",
];

const VALUES: &[&str] = &[
    "null",
    "true",
    "false",
    "0",
    "-1",
    "1e309",
    "18446744073709551616",
    "\"\"",
    "\"a@b.co\"",
    "\"correct horse battery\"",
    "\"x'); DROP TABLE user; --\"",
    "\"owner\"",
    "\"admin, owner\"",
    "\"../../etc/passwd\"",
    "\"https://evil.example/\"",
    "\"\\u0000\"",
    "\"ŝ̷̢ṯ̵r̶ḁ̷n̷g̵e̴\"",
    "[]",
    "{}",
    "[{\"a\":[]}]",
    "{\"user\":{\"delete\":[\"x\"]}}",
];

const RAW_BODIES: &[&str] = &[
    "",
    "{",
    "null",
    "[]",
    "\"text\"",
    "email=a%40b.co&password=x",
    "%%%",
    "{\"email\":}",
];

/// A request body: a JSON object of known field names and odd values, or something else.
fn body(dice: &mut Dice) -> String {
    if dice.below(4) == 0 {
        return dice.pick(RAW_BODIES).to_owned();
    }
    let fields: Vec<String> = (0..dice.below(5))
        .map(|_| format!("\"{}\":{}", dice.pick(FIELDS), dice.pick(VALUES)))
        .collect();
    format!("{{{}}}", fields.join(","))
}

/// Arbitrary requests to every route the app serves — each route with and without a signed-in
/// session, with odd methods, queries, headers and bodies: never a 5xx, never a dropped
/// connection. A new account's session is used, so whatever the requests change is its own.
pub fn hostile_requests(dialect: &str, c: &Client, app_dir: &Path) {
    let routes = routes(app_dir);
    // Every plugin's, the social ones included: the reading of the source found them all.
    for expected in [
        "/sign-in/email",
        "/organization/create",
        "/passkey/verify-authentication",
        "/two-factor/verify-totp",
        "/api-key/create",
        "/sign-in/social",
    ] {
        assert!(
            routes.iter().any(|(_, path)| path == expected),
            "{dialect}: {expected} is not among the {} routes found",
            routes.len()
        );
    }
    let signed_up = crate::sign_up(
        c,
        &format!("hostile-{dialect}@example.com"),
        "hostile password 1",
    );
    assert_eq!(signed_up.status, 200, "{dialect}: {}", signed_up.body);
    let session = signed_up.cookie("better-auth.session_token").unwrap();
    let mut dice = Dice::new();
    for (method, path) in &routes {
        for signed_in in [false, true] {
            let method = if dice.below(6) == 0 {
                dice.pick(&["GET", "POST", "PUT", "DELETE", "PATCH"])
            } else {
                method.as_str()
            };
            let query = [
                "",
                "?id=1",
                "?callbackURL=%2F%2Fevil.example",
                "?limit=-1&offset=x",
            ][dice.below(4)];
            let content_type = dice.pick(&[
                "application/json",
                "application/json",
                "application/x-www-form-urlencoded",
                "text/plain",
            ]);
            let mut headers = vec![("content-type", content_type), ORIGIN];
            if signed_in {
                headers.push(("cookie", session.as_str()));
            }
            if dice.below(4) == 0 {
                headers.push(dice.pick(&[
                    ("x-forwarded-for", "not-an-ip"),
                    ("x-api-key", "rk_bogus"),
                    ("authorization", "Bearer x.y"),
                    ("sec-fetch-site", "cross-site"),
                ]));
            }
            let body = body(&mut dice);
            let reply = c
                .send(
                    method,
                    &format!("/api/auth{path}{query}"),
                    &headers,
                    Some(&body),
                )
                .unwrap();
            assert!(
                (100..500).contains(&reply.status),
                "{dialect}: {method} {path}{query} ({headers:?}) {body} -> {} {}",
                reply.status,
                reply.body
            );
        }
    }
}
