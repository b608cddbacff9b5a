//! `[plugins.phone-number]`: texted codes (read from the dev SMS directory) verify a number,
//! which signs in or, with `updatePhoneNumber`, gives it to the signed-in user; password sign-in
//! by number; password reset by code. With `require_verification`, an unverified number cannot
//! sign in with a password.

use std::path::Path;

use super::{option_on, past, quote};
use crate::db::TestDb;
use crate::http::{Client, Reply};
use crate::{ORIGIN, sign_up};

const ADA: &str = "+15550001111";
const BOB: &str = "+15550002222";

pub fn flows(dialect: &str, c: &Client, inbox: &Path, db: &TestDb) {
    let sms = inbox.with_file_name("sms");
    let require_verification = option_on(inbox, "phone-number", "require_verification");
    let cookie = set_by_verifying(dialect, c, &sms);
    refusals(dialect, c, &sms, db);
    sign_in(dialect, c, &sms, db, &cookie, require_verification);
    verify_signs_in(dialect, c, &sms);
    password_reset(dialect, c, &sms);
}

fn post(c: &Client, path: &str, body: &str) -> Reply {
    c.post_json(&format!("/api/auth{path}"), body, &[]).unwrap()
}

fn error(r: &Reply) -> (u16, String) {
    (
        r.status,
        r.json()["code"].as_str().unwrap_or_default().to_owned(),
    )
}

fn send_otp(c: &Client, number: &str) -> Reply {
    post(
        c,
        "/phone-number/send-otp",
        &format!(r#"{{"phoneNumber":"{number}"}}"#),
    )
}

/// The code of the newest text to `to` in the dev SMS directory.
fn sms_code(dir: &Path, to: &str) -> Option<String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .ok()?
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.iter().rev().find_map(|f| {
        let text: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(f).ok()?).ok()?;
        (text["to"] == to).then(|| text["code"].as_str().unwrap().to_owned())
    })
}

fn texts_to(dir: &Path, to: &str) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .filter(|e| {
                std::fs::read_to_string(e.as_ref().unwrap().path())
                    .is_ok_and(|t| t.contains(&format!(r#""to":"{to}""#)))
            })
            .count()
    })
}

/// A code that is not `code`.
fn wrong_code(code: &str) -> String {
    code.chars()
        .map(|ch| if ch == '0' { '1' } else { '0' })
        .collect()
}

/// A signed-in user gets a number by verifying it (`updatePhoneNumber`); another user cannot
/// take it. Returns the first user's session cookie.
fn set_by_verifying(dialect: &str, c: &Client, sms: &Path) -> String {
    let up = sign_up(c, "pn-ada@example.com", "pn password 1");
    let cookie = up.cookie("better-auth.session_token").unwrap();
    // Without a number, `phoneNumberVerified` is unset (`null`), as Better Auth stores it.
    let session = c
        .get("/api/auth/get-session", &[("cookie", &cookie)])
        .unwrap()
        .json();
    for user in [&up.json()["user"], &session["user"]] {
        assert_eq!(
            user.get("phoneNumberVerified"),
            Some(&serde_json::Value::Null),
            "{dialect}: {user}"
        );
    }
    let sent = send_otp(c, ADA);
    assert_eq!(
        (sent.status, sent.body.as_str()),
        (200, r#"{"message":"code sent"}"#),
        "{dialect}"
    );
    let code = sms_code(sms, ADA).expect("a text");
    assert!(
        code.len() == 6 && code.chars().all(|ch| ch.is_ascii_digit()),
        "{dialect}: {code}"
    );
    let verify = |cookie: &str, code: &str| {
        c.post_json(
            "/api/auth/phone-number/verify",
            &format!(r#"{{"phoneNumber":"{ADA}","code":"{code}","updatePhoneNumber":true}}"#),
            &[("cookie", cookie), ORIGIN],
        )
        .unwrap()
    };
    assert_eq!(
        error(&verify(&cookie, &wrong_code(&code))),
        (400, "INVALID_OTP".into()),
        "{dialect}"
    );
    let verified = verify(&cookie, &code);
    assert_eq!(verified.status, 200, "{dialect}: {}", verified.body);
    let body = verified.json();
    assert_eq!(body["status"], true, "{dialect}");
    assert_eq!(body["user"]["phoneNumber"], ADA, "{dialect}");
    assert_eq!(body["user"]["phoneNumberVerified"], true, "{dialect}");
    assert!(
        cookie.contains(body["token"].as_str().unwrap()),
        "{dialect}: the current session's token"
    );

    // Bob cannot take Ada's number; without a session, nobody can.
    let bob = sign_up(c, "pn-bob@example.com", "pn password 1")
        .cookie("better-auth.session_token")
        .unwrap();
    send_otp(c, ADA);
    let taken = verify(&bob, &sms_code(sms, ADA).unwrap());
    assert_eq!(
        error(&taken),
        (400, "PHONE_NUMBER_EXIST".into()),
        "{dialect}"
    );
    send_otp(c, BOB);
    let anonymous = post(
        c,
        "/phone-number/verify",
        &format!(
            r#"{{"phoneNumber":"{BOB}","code":"{}","updatePhoneNumber":true}}"#,
            sms_code(sms, BOB).unwrap()
        ),
    );
    assert_eq!(
        error(&anonymous),
        (401, "USER_NOT_FOUND".into()),
        "{dialect}"
    );
    cookie
}

/// No code, too many wrong guesses, an expired code; a number set outside verification.
fn refusals(dialect: &str, c: &Client, sms: &Path, db: &TestDb) {
    let verify = |code: &str| {
        post(
            c,
            "/phone-number/verify",
            &format!(r#"{{"phoneNumber":"{BOB}","code":"{code}"}}"#),
        )
    };
    assert_eq!(
        error(&verify("123456")),
        (400, "OTP_NOT_FOUND".into()),
        "{dialect}"
    );
    send_otp(c, BOB);
    let code = sms_code(sms, BOB).unwrap();
    let q = quote(dialect);
    let stored = db.query(&format!(
        "SELECT {q}value{q} FROM {q}verification{q} WHERE {q}identifier{q} = 'phone-number-otp-{BOB}'"
    ));
    assert_eq!(stored.trim(), format!("{code}:0"), "{dialect}");
    for _ in 0..3 {
        assert_eq!(
            error(&verify(&wrong_code(&code))),
            (400, "INVALID_OTP".into()),
            "{dialect}"
        );
    }
    assert_eq!(
        error(&verify(&code)),
        (403, "TOO_MANY_ATTEMPTS".into()),
        "{dialect}"
    );
    assert_eq!(
        error(&verify(&code)),
        (400, "OTP_NOT_FOUND".into()),
        "{dialect}"
    );

    send_otp(c, BOB);
    let code = sms_code(sms, BOB).unwrap();
    crate::write_behind_app(
        db,
        &format!(
            "UPDATE {q}verification{q} SET {q}expiresAt{q} = {} WHERE {q}identifier{q} = 'phone-number-otp-{BOB}'",
            past(dialect)
        ),
    );
    assert_eq!(
        error(&verify(&code)),
        (400, "OTP_EXPIRED".into()),
        "{dialect}"
    );

    // A verified code for a number nobody has: Better Auth's answer.
    send_otp(c, BOB);
    let unknown = verify(&sms_code(sms, BOB).unwrap());
    assert_eq!(
        error(&unknown),
        (500, "FAILED_TO_UPDATE_USER".into()),
        "{dialect}"
    );

    let sign_up = post(
        c,
        "/sign-up/email",
        &format!(
            r#"{{"name":"Pat","email":"pn-pat@example.com","password":"pn password 1","phoneNumber":"{BOB}"}}"#
        ),
    );
    assert_eq!(
        error(&sign_up),
        (400, "PHONE_NUMBER_CANNOT_BE_SET".into()),
        "{dialect}"
    );
}

/// Password sign-in by number: `{"token", "user"}`, the same refusal for an unknown number and
/// a wrong password; with `require_verification`, an unverified number is texted a code instead.
fn sign_in(
    dialect: &str,
    c: &Client,
    sms: &Path,
    db: &TestDb,
    cookie: &str,
    require_verification: bool,
) {
    let sign_in = |number: &str, password: &str| {
        post(
            c,
            "/sign-in/phone-number",
            &format!(r#"{{"phoneNumber":"{number}","password":"{password}"}}"#),
        )
    };
    let signed_in = sign_in(ADA, "pn password 1");
    assert_eq!(signed_in.status, 200, "{dialect}: {}", signed_in.body);
    let body = signed_in.json();
    let mut keys: Vec<_> = body.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(keys, ["token", "user"], "{dialect}");
    assert_eq!(body["user"]["email"], "pn-ada@example.com", "{dialect}");
    assert!(signed_in.cookie("better-auth.session_token").is_some());
    for (number, password) in [(ADA, "wrong password"), (BOB, "pn password 1")] {
        assert_eq!(
            error(&sign_in(number, password)),
            (401, "INVALID_PHONE_NUMBER_OR_PASSWORD".into()),
            "{dialect}"
        );
    }

    let update = c
        .post_json(
            "/api/auth/update-user",
            &format!(r#"{{"phoneNumber":"{BOB}"}}"#),
            &[("cookie", cookie), ORIGIN],
        )
        .unwrap();
    assert_eq!(
        error(&update),
        (400, "PHONE_NUMBER_CANNOT_BE_UPDATED".into()),
        "{dialect}"
    );

    // A number that lost its verification (set by hand here).
    let q = quote(dialect);
    let unverified = if dialect == "postgres" { "false" } else { "0" };
    crate::write_behind_app(
        db,
        &format!(
            "UPDATE {q}user{q} SET {q}phoneNumberVerified{q} = {unverified} WHERE {q}phoneNumber{q} = '{ADA}'"
        ),
    );
    let texts = texts_to(sms, ADA);
    let refused = sign_in(ADA, "pn password 1");
    if require_verification {
        assert_eq!(
            error(&refused),
            (401, "PHONE_NUMBER_NOT_VERIFIED".into()),
            "{dialect}"
        );
        assert_eq!(
            texts_to(sms, ADA),
            texts + 1,
            "{dialect}: a code to verify with"
        );
    } else {
        assert_eq!(refused.status, 200, "{dialect}: {}", refused.body);
        assert_eq!(texts_to(sms, ADA), texts, "{dialect}");
    }
}

/// Verifying a number signs its user in (and marks it verified), or with `disableSession` only
/// answers the user.
fn verify_signs_in(dialect: &str, c: &Client, sms: &Path) {
    let verify = |extra: &str| {
        send_otp(c, ADA);
        let code = sms_code(sms, ADA).unwrap();
        post(
            c,
            "/phone-number/verify",
            &format!(r#"{{"phoneNumber":"{ADA}","code":"{code}"{extra}}}"#),
        )
    };
    let quiet = verify(r#","disableSession":true"#);
    assert_eq!(quiet.status, 200, "{dialect}: {}", quiet.body);
    assert!(quiet.json()["token"].is_null(), "{dialect}");
    assert_eq!(
        quiet.json()["user"]["phoneNumberVerified"],
        true,
        "{dialect}"
    );
    assert!(quiet.cookie("better-auth.session_token").is_none());
    // Login CSRF: another site's page posts the attacker's own number and code. Refused before
    // the code is spent: the same code still signs in from this site.
    send_otp(c, ADA);
    let code = sms_code(sms, ADA).unwrap();
    let body = format!(r#"{{"phoneNumber":"{ADA}","code":"{code}"}}"#);
    let cross_site = c
        .send(
            "POST",
            "/api/auth/phone-number/verify",
            &[
                ("origin", "https://evil.example"),
                ("content-type", "application/json"),
            ],
            Some(&body),
        )
        .unwrap();
    assert_eq!(cross_site.status, 403, "{dialect}: {}", cross_site.body);
    assert!(cross_site.cookie("better-auth.session_token").is_none());
    let signed_in = post(c, "/phone-number/verify", &body);
    assert_eq!(signed_in.status, 200, "{dialect}: {}", signed_in.body);
    let cookie = signed_in.cookie("better-auth.session_token").unwrap();
    assert!(
        cookie.contains(signed_in.json()["token"].as_str().unwrap()),
        "{dialect}"
    );
    let session = c
        .get("/api/auth/get-session", &[("cookie", &cookie)])
        .unwrap();
    assert_eq!(session.json()["user"]["phoneNumber"], ADA, "{dialect}");
}

/// A reset code sets the password once; an unknown number gets the same answer and no text.
fn password_reset(dialect: &str, c: &Client, sms: &Path) {
    let ask = |number: &str| {
        post(
            c,
            "/phone-number/request-password-reset",
            &format!(r#"{{"phoneNumber":"{number}"}}"#),
        )
    };
    let unknown = ask("+15550009999");
    assert_eq!(
        (unknown.status, unknown.body.as_str()),
        (200, r#"{"status":true}"#),
        "{dialect}"
    );
    assert_eq!(texts_to(sms, "+15550009999"), 0, "{dialect}");
    let known = ask(ADA);
    assert_eq!(known.body, unknown.body, "{dialect}");
    let code = sms_code(sms, ADA).unwrap();
    let reset = |otp: &str, password: &str| {
        post(
            c,
            "/phone-number/reset-password",
            &format!(r#"{{"phoneNumber":"{ADA}","otp":"{otp}","newPassword":"{password}"}}"#),
        )
    };
    assert_eq!(
        error(&reset(&code, "short")),
        (400, "PASSWORD_TOO_SHORT".into()),
        "{dialect}"
    );
    assert_eq!(
        error(&reset(&wrong_code(&code), "pn password 2")),
        (400, "INVALID_OTP".into()),
        "{dialect}"
    );
    let done = reset(&code, "pn password 2");
    assert_eq!(
        (done.status, done.body.as_str()),
        (200, r#"{"status":true}"#),
        "{dialect}"
    );
    let signed_in = post(
        c,
        "/sign-in/phone-number",
        &format!(r#"{{"phoneNumber":"{ADA}","password":"pn password 2"}}"#),
    );
    assert_eq!(signed_in.status, 200, "{dialect}: {}", signed_in.body);
    assert_eq!(
        error(&reset(&code, "pn password 3")),
        (400, "OTP_NOT_FOUND".into()),
        "{dialect}: one use"
    );
}
