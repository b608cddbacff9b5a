//! Captcha plugin: one app per vendor (the vendor is part of the generated code), each against
//! the local `siteverify` stand-in ([`crate::siteverify`]) that speaks that vendor's protocol.
//! Attacks refused: no answer, a rejected answer, a v3 score below the minimum, another widget
//! action, another hostname, and a vendor that cannot be asked (never let through).

use crate::db::{self, TestDb};
use crate::http::{Client, Reply};
use crate::plugins::refused;
use crate::siteverify::{self, SECRET};
use crate::{ONE_APP_AT_A_TIME, ORIGIN, build_small_app, start_with};

/// The vendors, with the framework their app runs on and their options beyond `provider`.
const VENDORS: [(&str, &str, &str, &str); 4] = [
    (
        "cloudflare-turnstile",
        "axum",
        "turnstile/v0/siteverify",
        "expected_action = \"login\"\nallowed_hostnames = [\"localhost\"]\n",
    ),
    (
        "google-recaptcha",
        "actix-web",
        "recaptcha/api/siteverify",
        "min_score = 0.6\nexpected_action = \"login\"\n",
    ),
    (
        "hcaptcha",
        "axum",
        "hcaptcha/siteverify",
        "site_key = \"10000000-ffff-ffff-ffff-000000000001\"\n",
    ),
    ("captchafox", "actix-web", "captchafox/siteverify", ""),
];

#[test]
fn captcha_vendors_guard_sign_up_and_sign_in() {
    if db::skipped() {
        return;
    }
    let _turn = ONE_APP_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    for (provider, framework, endpoint, options) in VENDORS {
        vendor_flows(provider, framework, endpoint, options);
    }
}

/// Builds `provider`'s app and drives it.
fn vendor_flows(provider: &str, framework: &str, endpoint: &str, options: &str) {
    // One crate name for every vendor's app: each framework's lockfile fits all of them, and
    // each app runs before the next one's build replaces the binary.
    let (project, binary) = build_small_app(
        "e2e_captcha",
        (framework, "sqlite"),
        &format!(
            "[plugins.captcha]\nprovider = \"{provider}\"\nsite_verify_url_env = \"CAPTCHA_SITEVERIFY_URL\"\n{options}"
        ),
        "reqwest = { version = \"0.12\", default-features = false, features = [\"rustls-tls\"] }\n",
        &format!("captcha-{framework}.lock"),
    );
    let db = TestDb::create("sqlite");
    let url = format!("{}/{endpoint}", siteverify::url());
    let app = start_with(
        &binary,
        &project.file("app"),
        &db.url,
        &[
            ("CAPTCHA_SECRET_KEY", SECRET),
            ("CAPTCHA_SITEVERIFY_URL", &url),
        ],
    );
    let c = &app.client;
    let who = format!("{provider} on {framework}");

    // No answer, a rejected one, a vendor that is down: refused before the endpoint runs.
    refused(&who, &sign_up(c, None), 400, "MISSING_RESPONSE");
    refused(&who, &sign_up(c, Some("fail")), 403, "VERIFICATION_FAILED");
    let down = sign_up(c, Some("outage"));
    refused(&who, &down, 500, "UNKNOWN_ERROR");
    assert_eq!(down.set_cookie("better-auth.session_token"), None, "{who}");

    // A passing answer: the vendor got the secret, the answer, the client's address and (where
    // configured) the site key, under its own protocol's names.
    let passed = sign_up(c, Some("pass"));
    assert_eq!(passed.status, 200, "{who}: {}", passed.body);
    let seen = siteverify::last().unwrap();
    assert_eq!(seen.path, format!("/{endpoint}"), "{who}");
    assert_eq!(seen.fields["secret"], SECRET, "{who}: {seen:?}");
    assert_eq!(seen.fields["response"], "pass", "{who}: {seen:?}");
    let ip_field = if provider == "captchafox" {
        "remoteIp"
    } else {
        "remoteip"
    };
    assert_eq!(
        seen.fields.get(ip_field).map(String::as_str),
        Some("127.0.0.1"),
        "{who}: {seen:?}"
    );
    assert_eq!(
        seen.fields.contains_key("sitekey"),
        options.contains("site_key"),
        "{who}: {seen:?}"
    );

    // Endpoints outside the list need no answer.
    let cookie = passed.cookie("better-auth.session_token").unwrap();
    let session = c
        .get("/api/auth/get-session", &[("cookie", &cookie)])
        .unwrap();
    assert_eq!(
        session.json()["user"]["email"],
        "captcha@example.com",
        "{who}"
    );

    // The vendor's own rules: the widget's action, the hostname, a v3 score.
    if options.contains("expected_action") {
        refused(
            &who,
            &sign_in(c, "wrong-action"),
            403,
            "VERIFICATION_FAILED",
        );
    }
    if options.contains("allowed_hostnames") {
        refused(&who, &sign_in(c, "wrong-host"), 403, "VERIFICATION_FAILED");
    }
    if options.contains("min_score") {
        refused(&who, &sign_in(c, "low-score"), 403, "VERIFICATION_FAILED");
    }
    let signed_in = sign_in(c, "pass");
    assert_eq!(signed_in.status, 200, "{who}: {}", signed_in.body);
}

fn sign_up(c: &Client, answer: Option<&str>) -> Reply {
    let mut headers = vec![ORIGIN];
    headers.extend(answer.map(|a| ("x-captcha-response", a)));
    c.post_json(
        "/api/auth/sign-up/email",
        r#"{"name":"Cap","email":"captcha@example.com","password":"captcha password 1"}"#,
        &headers,
    )
    .unwrap()
}

fn sign_in(c: &Client, answer: &str) -> Reply {
    c.post_json(
        "/api/auth/sign-in/email",
        r#"{"email":"captcha@example.com","password":"captcha password 1"}"#,
        &[ORIGIN, ("x-captcha-response", answer)],
    )
    .unwrap()
}
