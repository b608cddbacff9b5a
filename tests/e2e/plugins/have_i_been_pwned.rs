//! Have-I-Been-Pwned plugin, against the local range API ([`crate::pwned_range`]): a breached
//! password is refused on sign-up, change and reset; only five hex digits of its SHA-1 leave the
//! app, padded; a clean password passes; an outage fails open or closed as the app's
//! `rauth.toml` says.

use std::path::Path;

use super::{option_on, refused};
use crate::http::Client;
use crate::pwned_range::{self, BREACHED, OUTAGE};
use crate::{ORIGIN, sign_up};

pub fn flows(dialect: &str, c: &Client, inbox: &Path) {
    let sign_up_with = |email: &str, password: &str| {
        c.post_json(
            "/api/auth/sign-up/email",
            &serde_json::json!({ "name": "Pwn", "email": email, "password": password }).to_string(),
            &[ORIGIN],
        )
        .unwrap()
    };
    let seen_before = pwned_range::seen().len();
    let breached = sign_up_with("pwned@example.com", BREACHED[0]);
    refused(dialect, &breached, 400, "PASSWORD_COMPROMISED");
    assert_eq!(
        breached.json()["message"],
        "The password you entered has been compromised. Please choose a different password.",
        "{dialect}"
    );
    assert_eq!(
        breached.set_cookie("better-auth.session_token"),
        None,
        "{dialect}"
    );

    // k-anonymity: the API saw the first five hex digits of the hash, asked for padding, and
    // never the rest of the hash.
    let hash = pwned_range::sha1_hex(BREACHED[0]);
    let asked = pwned_range::seen()[seen_before..].to_vec();
    assert_eq!(
        asked,
        [pwned_range::Seen {
            path: format!("/range/{}", &hash[..5]),
            padded: true
        }],
        "{dialect}"
    );

    // A password the corpus has not seen passes; changing to a breached one is refused.
    let clean = sign_up(c, "not-pwned@example.com", "a password nobody used 7");
    assert_eq!(clean.status, 200, "{dialect}: {}", clean.body);
    let cookie = clean.cookie("better-auth.session_token").unwrap();
    let change = c
        .post_json(
            "/api/auth/change-password",
            &serde_json::json!({ "currentPassword": "a password nobody used 7", "newPassword": BREACHED[1] })
                .to_string(),
            &[("cookie", &cookie), ORIGIN],
        )
        .unwrap();
    refused(dialect, &change, 400, "PASSWORD_COMPROMISED");
    let reset = c
        .post_json(
            "/api/auth/reset-password",
            &serde_json::json!({ "token": "whatever", "newPassword": BREACHED[0] }).to_string(),
            &[ORIGIN],
        )
        .unwrap();
    refused(dialect, &reset, 400, "PASSWORD_COMPROMISED");

    // The API down: the option decides.
    let outage = sign_up_with("outage@example.com", OUTAGE);
    if option_on(inbox, "have-i-been-pwned", "fail_open") {
        assert_eq!(outage.status, 200, "{dialect}: fails open: {}", outage.body);
    } else {
        assert_eq!(
            (outage.status, outage.json()["message"].as_str()),
            (
                500,
                Some("Failed to check password. Please try again later.")
            ),
            "{dialect}: fails closed"
        );
    }
}
