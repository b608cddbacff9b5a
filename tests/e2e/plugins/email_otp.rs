//! `[plugins.email-otp]`: mailed codes for sign-in (sign-up unless `disable_sign_up`), email
//! verification (also mailed after sign-up), password reset and email change; each code is good
//! once, until it expires, and for `allowed_attempts` wrong guesses.

use std::path::Path;

use super::{inbox_code, mails, option_on, past, quote};
use crate::db::TestDb;
use crate::http::{Client, Reply};
use crate::{ORIGIN, sign_up};

pub fn flows(dialect: &str, c: &Client, inbox: &Path, db: &TestDb) {
    refusals(dialect, c);
    verification(dialect, c, inbox, db);
    attempts_and_expiry(dialect, c, inbox, db);
    sign_in(
        dialect,
        c,
        inbox,
        db,
        option_on(inbox, "email-otp", "disable_sign_up"),
    );
    password_reset(dialect, c, inbox);
    email_change(
        dialect,
        c,
        inbox,
        db,
        option_on(inbox, "email-otp", "verify_current_email"),
    );
    let got = crate::npm_script_with("email-otp.mjs", dialect, c, &[inbox]);
    let email = got["signUp"].as_str().unwrap_or_default().to_owned();
    assert!(email.starts_with("npm-eo-"), "{dialect}: {got}");
    let expected = serde_json::json!({
        "signUp": email, "verifyEmail": true, "sent": true, "signIn": email,
        "getSession": email, "resetRequested": true, "reset": true, "newPassword": email,
    });
    assert_eq!(got, expected, "{dialect}");
}

fn post(c: &Client, path: &str, body: &str) -> Reply {
    c.post_json(&format!("/api/auth{path}"), body, &[]).unwrap()
}

fn send(c: &Client, email: &str, kind: &str) -> Reply {
    post(
        c,
        "/email-otp/send-verification-otp",
        &format!(r#"{{"email":"{email}","type":"{kind}"}}"#),
    )
}

fn error(r: &Reply) -> (u16, String) {
    (
        r.status,
        r.json()["code"].as_str().unwrap_or_default().to_owned(),
    )
}

fn refusals(dialect: &str, c: &Client) {
    assert_eq!(
        error(&send(c, "not an email", "sign-in")),
        (400, "INVALID_EMAIL".into()),
        "{dialect}"
    );
    assert_eq!(
        error(&send(c, "eo@example.com", "login")),
        (400, "VALIDATION_ERROR".into()),
        "{dialect}"
    );
    let change = send(c, "eo@example.com", "change-email");
    assert_eq!(
        (change.status, change.json()["message"].as_str()),
        (400, Some("Invalid OTP type")),
        "{dialect}"
    );
    let unknown = post(
        c,
        "/sign-in/email-otp",
        r#"{"email":"eo-nobody@example.com","otp":"123456"}"#,
    );
    assert_eq!(error(&unknown), (400, "INVALID_OTP".into()), "{dialect}");
}

/// A sign-up mails an email-verification code (`send_verification_on_sign_up`); a wrong guess
/// counts an attempt; checking does not spend the code, verifying does.
fn verification(dialect: &str, c: &Client, inbox: &Path, db: &TestDb) {
    assert_eq!(
        sign_up(c, "eo-ver@example.com", "eo password 1").status,
        200
    );
    let code = inbox_code(inbox, "email-verification-otp", "eo-ver@example.com")
        .expect("a verification code after sign-up");
    assert!(
        code.len() == 6 && code.chars().all(|ch| ch.is_ascii_digit()),
        "{dialect}: {code}"
    );
    let q = quote(dialect);
    let stored = || {
        db.query(&format!(
            "SELECT {q}value{q} FROM {q}verification{q} WHERE {q}identifier{q} = 'email-verification-otp-eo-ver@example.com'"
        ))
        .trim()
        .to_owned()
    };
    assert_eq!(stored(), format!("{code}:0"), "{dialect}");
    let verify = |otp: &str| {
        post(
            c,
            "/email-otp/verify-email",
            &format!(r#"{{"email":"EO-Ver@example.com","otp":"{otp}"}}"#),
        )
    };
    let wrong = verify(&wrong_code(&code));
    assert_eq!(error(&wrong), (400, "INVALID_OTP".into()), "{dialect}");
    assert_eq!(stored(), format!("{code}:1"), "{dialect}");
    let checked = post(
        c,
        "/email-otp/check-verification-otp",
        &format!(r#"{{"email":"eo-ver@example.com","type":"email-verification","otp":"{code}"}}"#),
    );
    assert_eq!(
        (checked.status, checked.body.as_str()),
        (200, r#"{"success":true}"#),
        "{dialect}"
    );
    assert_eq!(
        stored(),
        format!("{code}:1"),
        "{dialect}: checking keeps it"
    );
    let verified = verify(&code);
    assert_eq!(verified.status, 200, "{dialect}: {}", verified.body);
    let body = verified.json();
    assert_eq!(body["status"], true, "{dialect}");
    assert_eq!(body["user"]["emailVerified"], true, "{dialect}");
    assert!(body["token"].is_null(), "{dialect}");
    assert_eq!(stored(), "", "{dialect}: spent");
    assert_eq!(
        error(&verify(&code)),
        (400, "INVALID_OTP".into()),
        "{dialect}"
    );
}

/// Three wrong guesses spend the code: the right one is then `TOO_MANY_ATTEMPTS`, and after that
/// there is no code at all. An expired code is `OTP_EXPIRED`, and deleted.
fn attempts_and_expiry(dialect: &str, c: &Client, inbox: &Path, db: &TestDb) {
    assert_eq!(
        sign_up(c, "eo-att@example.com", "eo password 1").status,
        200
    );
    assert_eq!(
        send(c, "eo-att@example.com", "email-verification").status,
        200
    );
    let code = inbox_code(inbox, "email-verification-otp", "eo-att@example.com").unwrap();
    let verify = |otp: &str| {
        post(
            c,
            "/email-otp/verify-email",
            &format!(r#"{{"email":"eo-att@example.com","otp":"{otp}"}}"#),
        )
    };
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
        (400, "INVALID_OTP".into()),
        "{dialect}"
    );

    assert_eq!(
        send(c, "eo-att@example.com", "email-verification").status,
        200
    );
    let code = inbox_code(inbox, "email-verification-otp", "eo-att@example.com").unwrap();
    let q = quote(dialect);
    let identifier = "email-verification-otp-eo-att@example.com";
    crate::write_behind_app(
        db,
        &format!(
            "UPDATE {q}verification{q} SET {q}expiresAt{q} = {} WHERE {q}identifier{q} = '{identifier}'",
            past(dialect)
        ),
    );
    assert_eq!(
        error(&verify(&code)),
        (400, "OTP_EXPIRED".into()),
        "{dialect}"
    );
    let left = db.query(&format!(
        "SELECT COUNT(*) FROM {q}verification{q} WHERE {q}identifier{q} = '{identifier}'"
    ));
    assert_eq!(left.trim(), "0", "{dialect}");
}

/// Sign-in codes: a new address is signed up (verified) unless sign-up is disabled, when the
/// answer reveals nothing and no code exists; the newest code of a resend wins; an unverified
/// account loses the password it had before the proof.
fn sign_in(dialect: &str, c: &Client, inbox: &Path, db: &TestDb, sign_up_disabled: bool) {
    let sign_in = |email: &str, otp: &str| {
        post(
            c,
            "/sign-in/email-otp",
            &format!(r#"{{"email":"{email}","otp":"{otp}","name":"Eve"}}"#),
        )
    };
    let sent = send(c, "eo-new@example.com", "sign-in");
    assert_eq!(
        (sent.status, sent.body.as_str()),
        (200, r#"{"success":true}"#),
        "{dialect}"
    );
    let code = inbox_code(inbox, "sign-in-otp", "eo-new@example.com");
    if sign_up_disabled {
        assert!(code.is_none(), "{dialect}: no code for a new address");
        let q = quote(dialect);
        let rows = db.query(&format!(
            "SELECT COUNT(*) FROM {q}verification{q} WHERE {q}identifier{q} = 'sign-in-otp-eo-new@example.com'"
        ));
        assert_eq!(rows.trim(), "0", "{dialect}");
        assert_eq!(
            error(&sign_in("eo-new@example.com", "000000")),
            (400, "INVALID_OTP".into()),
            "{dialect}"
        );
    } else {
        let signed_in = sign_in("eo-new@example.com", &code.expect("a sign-in code"));
        assert_eq!(signed_in.status, 200, "{dialect}: {}", signed_in.body);
        let body = signed_in.json();
        assert_eq!(body["user"]["name"], "Eve", "{dialect}");
        assert_eq!(body["user"]["emailVerified"], true, "{dialect}");
        let cookie = signed_in.cookie("better-auth.session_token").unwrap();
        let session = c
            .get("/api/auth/get-session", &[("cookie", &cookie)])
            .unwrap();
        assert_eq!(
            session.json()["user"]["email"],
            "eo-new@example.com",
            "{dialect}"
        );
    }

    // An existing user, whatever `disable_sign_up`; a resend makes the older code void. Codes
    // are random six digits: resend until one differs (a match has odds of one in a million per
    // resend, three in a row never happen unless resends reuse the code), so the check always runs.
    assert_eq!(send(c, "eo-ver@example.com", "sign-in").status, 200);
    let first = inbox_code(inbox, "sign-in-otp", "eo-ver@example.com").unwrap();
    let mut second = first.clone();
    for _ in 0..3 {
        assert_eq!(send(c, "eo-ver@example.com", "sign-in").status, 200);
        second = inbox_code(inbox, "sign-in-otp", "eo-ver@example.com").unwrap();
        if second != first {
            break;
        }
    }
    assert_ne!(
        first, second,
        "{dialect}: three resends mailed the first code again"
    );
    assert_eq!(
        error(&sign_in("eo-ver@example.com", &first)),
        (400, "INVALID_OTP".into()),
        "{dialect}: a resend makes the older code void"
    );
    let signed_in = sign_in("EO-Ver@example.com", &second);
    assert_eq!(signed_in.status, 200, "{dialect}: {}", signed_in.body);
    assert_eq!(
        signed_in.json()["user"]["name"],
        "Ada",
        "{dialect}: an existing user keeps its name"
    );
    assert_eq!(
        error(&sign_in("eo-ver@example.com", &second)),
        (400, "INVALID_OTP".into()),
        "{dialect}: one use"
    );

    // Unverified: proving the address removes the password set before.
    assert_eq!(
        sign_up(c, "eo-unv@example.com", "eo password 1").status,
        200
    );
    assert_eq!(send(c, "eo-unv@example.com", "sign-in").status, 200);
    let code = inbox_code(inbox, "sign-in-otp", "eo-unv@example.com").unwrap();
    let signed_in = sign_in("eo-unv@example.com", &code);
    assert_eq!(signed_in.status, 200, "{dialect}: {}", signed_in.body);
    assert_eq!(signed_in.json()["user"]["emailVerified"], true, "{dialect}");
    let password = post(
        c,
        "/sign-in/email",
        r#"{"email":"eo-unv@example.com","password":"eo password 1"}"#,
    );
    assert_eq!(password.status, 401, "{dialect}");
}

/// A reset code works once and sets the password (creating the credential account of a user
/// who had none); an unknown address gets the same answer and no code.
fn password_reset(dialect: &str, c: &Client, inbox: &Path) {
    let ask = |path: &str, email: &str| post(c, path, &format!(r#"{{"email":"{email}"}}"#));
    let known = ask("/email-otp/request-password-reset", "eo-unv@example.com");
    let unknown = ask("/email-otp/request-password-reset", "eo-nobody@example.com");
    assert_eq!((known.status, &known.body), (unknown.status, &unknown.body));
    assert_eq!(known.body, r#"{"success":true}"#, "{dialect}");
    assert!(mails(inbox, "forget-password-otp", "eo-nobody@example.com").is_empty());
    let alias = ask("/forget-password/email-otp", "eo-unv@example.com");
    assert_eq!(alias.body, r#"{"success":true}"#, "{dialect}");
    let code = inbox_code(inbox, "forget-password-otp", "eo-unv@example.com").unwrap();

    let reset = |otp: &str, password: &str| {
        post(
            c,
            "/email-otp/reset-password",
            &format!(r#"{{"email":"eo-unv@example.com","otp":"{otp}","password":"{password}"}}"#),
        )
    };
    assert_eq!(
        error(&reset(&code, "short")),
        (400, "PASSWORD_TOO_SHORT".into()),
        "{dialect}"
    );
    assert_eq!(
        error(&reset(&wrong_code(&code), "eo password 2")),
        (400, "INVALID_OTP".into()),
        "{dialect}"
    );
    let done = reset(&code, "eo password 2");
    assert_eq!(
        (done.status, done.body.as_str()),
        (200, r#"{"success":true}"#),
        "{dialect}"
    );
    let signed_in = post(
        c,
        "/sign-in/email",
        r#"{"email":"eo-unv@example.com","password":"eo password 2"}"#,
    );
    assert_eq!(signed_in.status, 200, "{dialect}: {}", signed_in.body);
    assert_eq!(
        error(&reset(&code, "eo password 3")),
        (400, "INVALID_OTP".into()),
        "{dialect}: one use"
    );
}

/// `change_email`: a code mailed to the new address moves the account there, verified; a taken
/// address gets the same answer and no code. With `verify_current_email`, a code of the current
/// address is needed first.
fn email_change(dialect: &str, c: &Client, inbox: &Path, db: &TestDb, verify_current: bool) {
    let cookie = post(
        c,
        "/sign-in/email",
        r#"{"email":"eo-att@example.com","password":"eo password 1"}"#,
    )
    .cookie("better-auth.session_token")
    .unwrap();
    let signed_in = |path: &str, body: &str| {
        c.post_json(
            &format!("/api/auth{path}"),
            body,
            &[("cookie", &cookie), ORIGIN],
        )
        .unwrap()
    };
    let no_session = post(
        c,
        "/email-otp/request-email-change",
        r#"{"newEmail":"eo-moved@example.com"}"#,
    );
    assert_eq!(no_session.status, 401, "{dialect}");
    let same = signed_in(
        "/email-otp/request-email-change",
        r#"{"newEmail":"EO-Att@example.com"}"#,
    );
    assert_eq!(
        (same.status, same.json()["message"].as_str()),
        (400, Some("Email is the same")),
        "{dialect}"
    );
    if verify_current {
        let missing = signed_in(
            "/email-otp/request-email-change",
            r#"{"newEmail":"eo-moved@example.com"}"#,
        );
        assert_eq!(
            (missing.status, missing.json()["message"].as_str()),
            (400, Some("OTP is required to verify current email")),
            "{dialect}"
        );
    }
    // With `verify_current_email`, a fresh code of the current address for each request.
    let current_code = || {
        if !verify_current {
            return String::new();
        }
        assert_eq!(
            send(c, "eo-att@example.com", "email-verification").status,
            200
        );
        inbox_code(inbox, "email-verification-otp", "eo-att@example.com").unwrap()
    };
    let request = |new_email: &str, otp: &str| {
        let otp = if otp.is_empty() {
            String::new()
        } else {
            format!(r#","otp":"{otp}""#)
        };
        signed_in(
            "/email-otp/request-email-change",
            &format!(r#"{{"newEmail":"{new_email}"{otp}}}"#),
        )
    };
    let taken = request("eo-ver@example.com", &current_code());
    assert_eq!(
        (taken.status, taken.body.as_str()),
        (200, r#"{"success":true}"#),
        "{dialect}"
    );
    assert!(mails(inbox, "change-email-otp", "eo-ver@example.com").is_empty());
    let asked = request("EO-Moved@example.com", &current_code());
    assert_eq!(
        (asked.status, asked.body.as_str()),
        (200, r#"{"success":true}"#),
        "{dialect}"
    );
    let code = inbox_code(inbox, "change-email-otp", "eo-moved@example.com").unwrap();
    change_with_code(dialect, c, db, &cookie, &code);
}

/// The code mailed to the new address is stored under the user id and the address, and moves
/// the account there, verified.
fn change_with_code(dialect: &str, c: &Client, db: &TestDb, cookie: &str, code: &str) {
    let q = quote(dialect);
    let user_id = db.query(&format!(
        "SELECT {q}id{q} FROM {q}user{q} WHERE {q}email{q} = 'eo-att@example.com'"
    ));
    let rows = db.query(&format!(
        "SELECT {q}value{q} FROM {q}verification{q} WHERE {q}identifier{q} = 'change-email-otp-{}:eo-moved@example.com'",
        user_id.trim()
    ));
    assert_eq!(rows.trim(), format!("{code}:0"), "{dialect}");

    let change = |otp: &str| {
        c.post_json(
            "/api/auth/email-otp/change-email",
            &format!(r#"{{"newEmail":"eo-moved@example.com","otp":"{otp}"}}"#),
            &[("cookie", cookie), ORIGIN],
        )
        .unwrap()
    };
    assert_eq!(
        error(&change(&wrong_code(code))),
        (400, "INVALID_OTP".into()),
        "{dialect}"
    );
    let changed = change(code);
    assert_eq!(
        (changed.status, changed.body.as_str()),
        (200, r#"{"success":true}"#),
        "{dialect}"
    );
    let session = c
        .get("/api/auth/get-session", &[("cookie", cookie)])
        .unwrap()
        .json();
    assert_eq!(
        session["user"]["email"], "eo-moved@example.com",
        "{dialect}"
    );
    assert_eq!(session["user"]["emailVerified"], true, "{dialect}");
}

/// A code that is not `code`.
fn wrong_code(code: &str) -> String {
    code.chars()
        .map(|ch| if ch == '0' { '1' } else { '0' })
        .collect()
}
