//! A local stand-in for the CAPTCHA vendors' `siteverify` endpoints (no vendor is reachable from
//! here), speaking each one's protocol as its documentation gives it:
//!
//! - Cloudflare Turnstile, `POST /turnstile/v0/siteverify`: a JSON body `{secret, response,
//!   remoteip?}`; answers `success`, `error-codes`, `hostname`, `action`, `challenge_ts`.
//! - Google reCAPTCHA, `POST /recaptcha/api/siteverify`: a form `secret`, `response`,
//!   `remoteip?`; answers `success`, `hostname`, `error-codes`, and for v3 `score` and `action`.
//! - hCaptcha, `POST /hcaptcha/siteverify`: a form `secret`, `response`, `sitekey?`,
//!   `remoteip?`; answers `success`, `hostname`, `error-codes`.
//! - CaptchaFox, `POST /captchafox/siteverify`: a form `secret`, `response`, `sitekey?`,
//!   `remoteIp?`; answers `success`, `error-codes`.
//!
//! A request that breaks its vendor's protocol (another content type, a missing or wrong
//! secret) is answered `success: false` with `invalid-input-secret` or `bad-request`, as the
//! vendors do. The widget answers (`response`) it knows: `pass`, `fail`, `low-score` (v3 score
//! 0.3), `wrong-action`, `wrong-host`, and `outage` (answered 503). Every request is recorded.

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};

use serde_json::{Value, json};

use crate::stub_http::{self, StubRequest, StubResponse};

/// The secret key every vendor here expects.
pub const SECRET: &str = "0x4AAAAAAA-test-secret";
/// The hostname and action a passing answer reports.
pub const HOSTNAME: &str = "localhost";
pub const ACTION: &str = "login";

/// One request a vendor got: its path and the fields of its body.
#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    pub fields: BTreeMap<String, String>,
}

struct Server {
    url: String,
    seen: Mutex<Vec<Seen>>,
}

static SERVER: OnceLock<Server> = OnceLock::new();

/// The stand-in's base URL, starting it on first use; each vendor's endpoint is below it.
pub fn url() -> &'static str {
    &server().url
}

/// The last request the stand-in got.
pub fn last() -> Option<Seen> {
    server().seen.lock().unwrap().last().cloned()
}

fn server() -> &'static Server {
    SERVER.get_or_init(|| Server {
        url: stub_http::serve(answer),
        seen: Mutex::new(Vec::new()),
    })
}

fn answer(request: &StubRequest) -> StubResponse {
    let vendor = request.path.split('/').nth(1).unwrap_or_default();
    let json_body = vendor == "turnstile";
    let expected_type = if json_body {
        "application/json"
    } else {
        "application/x-www-form-urlencoded"
    };
    let content_type = request.header("content-type").unwrap_or_default();
    let fields = if !content_type.to_ascii_lowercase().starts_with(expected_type) {
        None
    } else if json_body {
        serde_json::from_slice::<BTreeMap<String, Value>>(&request.body)
            .ok()
            .map(|m| {
                m.into_iter()
                    .map(|(k, v)| (k, v.as_str().unwrap_or_default().to_owned()))
                    .collect()
            })
    } else {
        Some(
            url::form_urlencoded::parse(&request.body)
                .into_owned()
                .collect::<BTreeMap<_, _>>(),
        )
    };
    server().seen.lock().unwrap().push(Seen {
        path: request.path.clone(),
        fields: fields.clone().unwrap_or_default(),
    });
    let (status, verdict) = match fields {
        None => ("200 OK", refusal("bad-request")),
        Some(f) if f.get("secret").map(String::as_str) != Some(SECRET) => {
            ("200 OK", refusal("invalid-input-secret"))
        }
        Some(f) => match f.get("response").map(String::as_str) {
            Some("outage") => ("503 Service Unavailable", json!({})),
            Some(response) => ("200 OK", verdict(vendor, response)),
            None => ("200 OK", refusal("missing-input-response")),
        },
    };
    StubResponse {
        status,
        content_type: "application/json",
        body: verdict.to_string(),
    }
}

fn refusal(code: &str) -> Value {
    json!({ "success": false, "error-codes": [code] })
}

/// The vendor's verdict on a widget answer.
fn verdict(vendor: &str, response: &str) -> Value {
    let mut verdict = match response {
        "pass" | "low-score" | "wrong-action" | "wrong-host" => json!({
            "success": true,
            "challenge_ts": "2026-12-07T09:00:00Z",
            "hostname": if response == "wrong-host" { "evil.example" } else { HOSTNAME },
            "error-codes": [],
        }),
        _ => return refusal("invalid-input-response"),
    };
    match vendor {
        "turnstile" | "recaptcha" => {
            verdict["action"] = if response == "wrong-action" {
                "other"
            } else {
                ACTION
            }
            .into();
        }
        "captchafox" => {
            // CaptchaFox answers no hostname.
            verdict.as_object_mut().unwrap().remove("hostname");
        }
        _ => {}
    }
    if vendor == "recaptcha" {
        verdict["score"] = if response == "low-score" { 0.3 } else { 0.9 }.into();
    }
    verdict
}
