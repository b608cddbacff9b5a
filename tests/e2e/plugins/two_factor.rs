//! The two-factor plugin: enrolment with an authenticator (codes computed here from the
//! otpauth URI), the sign-in challenge, trusted devices, backup codes, emailed codes, the attempt
//! budget and the account lockout, and TOTP data shared with Better Auth both ways.

use std::path::Path;

use hmac::{Hmac, KeyInit as _, Mac as _};
use serde_json::Value;

use crate::db::TestDb;
use crate::http::{Client, Reply};
use crate::{ORIGIN, sign_up};

const PASSWORD: &str = "two factor password";
/// `[plugins.two-factor] issuer` in the e2e config.
const ISSUER: &str = "Rauth E2E";

pub fn flows(dialect: &str, c: &Client, inbox: &Path, db: &TestDb) {
    let t = Ctx { dialect, c, db };
    let email = "tf@example.com";
    let (uri, codes) = enrol(&t, email);
    let trusted = challenge_and_trust(&t, email, &uri);
    backup_codes(&t, email, &codes);
    emailed_codes(&t, email, inbox);
    emailed_codes_only_lockout(&t, inbox);
    not_remembered(&t, email, &uri);
    lockout(&t, email, &uri);
    npm_client(&t);
    better_auth_interop(&t, email, &uri, inbox);
    disable(&t, email, &trusted);
}

struct Ctx<'a> {
    dialect: &'a str,
    c: &'a Client,
    db: &'a TestDb,
}

impl Ctx<'_> {
    fn post(&self, path: &str, body: &str, cookie: &str) -> Reply {
        let mut headers = vec![ORIGIN];
        if !cookie.is_empty() {
            headers.push(("cookie", cookie));
        }
        self.c
            .post_json(&format!("/api/auth{path}"), body, &headers)
            .unwrap()
    }

    fn sign_in(&self, email: &str, cookie: &str) -> Reply {
        self.post(
            "/sign-in/email",
            &format!(r#"{{"email":"{email}","password":"{PASSWORD}"}}"#),
            cookie,
        )
    }

    /// A sign-in that stops at the challenge; the `two_factor` cookie.
    fn challenge(&self, email: &str) -> String {
        let reply = self.sign_in(email, "");
        assert_eq!(
            reply.json(),
            serde_json::json!({"twoFactorRedirect": true, "twoFactorMethods": ["totp", "otp"]}),
            "{}: {}",
            self.dialect,
            reply.body
        );
        reply.cookie("better-auth.two_factor").unwrap()
    }

    fn session_email(&self, cookie: &str) -> Value {
        self.c
            .get("/api/auth/get-session", &[("cookie", cookie)])
            .unwrap()
            .json()["user"]["email"]
            .clone()
    }

    fn quote(&self, name: &str) -> String {
        if self.dialect == "mysql" {
            format!("`{name}`")
        } else {
            format!("\"{name}\"")
        }
    }

    /// One column of the user's `twoFactor` row (`""` for NULL or no row).
    fn factor_column(&self, email: &str, column: &str) -> String {
        let q = |n| self.quote(n);
        let value = self.db.query(&format!(
            "SELECT f.{} FROM {} f JOIN {} u ON u.{} = f.{} WHERE u.{} = '{email}'",
            q(column),
            q("twoFactor"),
            q("user"),
            q("id"),
            q("userId"),
            q("email"),
        ));
        // MariaDB's client prints NULL; the others print nothing.
        value.trim().replace("NULL", "")
    }

    /// The `verified` flag of the user's `twoFactor` row.
    fn verified(&self, email: &str) -> String {
        flag(&self.factor_column(email, "verified"))
    }

    fn two_factor_enabled(&self, email: &str) -> String {
        let q = |n| self.quote(n);
        let value = self.db.query(&format!(
            "SELECT {} FROM {} WHERE {} = '{email}'",
            q("twoFactorEnabled"),
            q("user"),
            q("email")
        ));
        flag(value.trim())
    }
}

/// A boolean as each database's client prints it, as `true`/`false`.
fn flag(value: &str) -> String {
    match value {
        "t" | "1" => "true".into(),
        "f" | "0" => "false".into(),
        other => other.into(),
    }
}

/// `/two-factor/enable` → an unverified enrolment; the first code turns two-factor on.
fn enrol(t: &Ctx, email: &str) -> (String, Vec<String>) {
    let d = t.dialect;
    let signed_up = sign_up(t.c, email, PASSWORD);
    assert_eq!(signed_up.status, 200, "{d}: {}", signed_up.body);
    let cookie = signed_up.cookie("better-auth.session_token").unwrap();

    let missing = t.post("/two-factor/enable", "{}", &cookie);
    assert_eq!(missing.json()["code"], "VALIDATION_ERROR", "{d}");
    let wrong = t.post("/two-factor/enable", r#"{"password":"not it"}"#, &cookie);
    assert_eq!(
        (wrong.status, wrong.json()["code"].as_str()),
        (400, Some("INVALID_PASSWORD")),
        "{d}"
    );
    assert_eq!(
        t.c.post_json("/api/auth/two-factor/enable", &password_body(), &[ORIGIN])
            .unwrap()
            .status,
        401,
        "{d}: a session is needed"
    );

    let enabled = t.post("/two-factor/enable", &password_body(), &cookie);
    assert_eq!(enabled.status, 200, "{d}: {}", enabled.body);
    let body = enabled.json();
    assert_eq!(body["method"], "totp", "{d}");
    let uri = body["totpURI"].as_str().unwrap().to_owned();
    let prefix = "otpauth://totp/Rauth%20E2E:tf%40example.com?secret=";
    assert!(uri.starts_with(prefix), "{d}: {uri}");
    assert!(
        uri.ends_with("&issuer=Rauth+E2E&digits=6&period=30"),
        "{d}: {uri}"
    );
    // The key is the UTF-8 of a 32-character secret of Better Auth's alphabet.
    let key = totp_key(&uri);
    assert_eq!(key.len(), 32, "{d}");
    assert!(
        key.iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_'),
        "{d}"
    );
    let codes: Vec<String> = serde_json::from_value(body["backupCodes"].clone()).unwrap();
    assert_eq!(codes.len(), 10, "{d}");
    for code in &codes {
        let (a, b) = code.split_once('-').unwrap();
        assert!(
            a.len() == 5
                && b.len() == 5
                && (a.to_owned() + b)
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric()),
            "{d}: {code}"
        );
    }
    // Stored encrypted, as Better Auth's `symmetricEncrypt` (`$ba$<version>$` + hex of nonce,
    // ciphertext and tag), not verified yet, and two-factor still off.
    let secret = t.factor_column(email, "secret");
    let hex = secret.rsplit('$').next().unwrap();
    assert!(secret.starts_with("$ba$"), "{d}: {secret}");
    assert_eq!(hex.len(), 2 * (24 + 32 + 16), "{d}");
    assert!(!secret.contains(std::str::from_utf8(&key).unwrap()), "{d}");
    assert_eq!(t.verified(email), "false", "{d}");
    assert_eq!(t.two_factor_enabled(email), "false", "{d}");
    // Until the enrolment is verified, a sign-in needs no second factor.
    let plain = t.sign_in(email, "");
    assert!(plain.json()["token"].is_string(), "{d}: {}", plain.body);

    let wrong = t.post(
        "/two-factor/verify-totp",
        &code_body(&wrong_code(&uri)),
        &cookie,
    );
    assert_eq!(
        (wrong.status, wrong.json()["code"].as_str()),
        (401, Some("INVALID_CODE")),
        "{d}"
    );
    let verified = t.post("/two-factor/verify-totp", &code_body(&totp(&uri)), &cookie);
    assert_eq!(verified.status, 200, "{d}: {}", verified.body);
    // Better Auth answers the user as it was before the update; the session has it on.
    assert_eq!(verified.json()["user"]["twoFactorEnabled"], false, "{d}");
    // Turning two-factor on moves the user to a new session.
    let session = verified.cookie("better-auth.session_token").unwrap();
    assert_ne!(session, cookie, "{d}");
    assert_eq!(t.session_email(&cookie), Value::Null, "{d}");
    let current =
        t.c.get("/api/auth/get-session", &[("cookie", &session)])
            .unwrap()
            .json();
    assert_eq!(current["user"]["twoFactorEnabled"], true, "{d}");
    assert_eq!(current["session"]["token"], verified.json()["token"], "{d}");
    assert_eq!(t.verified(email), "true", "{d}");
    assert_eq!(t.two_factor_enabled(email), "true", "{d}");

    enrolled(t, &uri, &session, &current["session"]["token"]);
    (uri, codes)
}

/// What an enrolled, signed-in user can do: not enrol twice, see the URI again, re-verify.
fn enrolled(t: &Ctx, uri: &str, session: &str, token: &Value) {
    let d = t.dialect;
    let again = t.post("/two-factor/enable", &password_body(), session);
    assert_eq!(again.json()["code"], "TOTP_ALREADY_ENABLED", "{d}");
    let shown = t.post("/two-factor/get-totp-uri", &password_body(), session);
    assert_eq!(shown.json()["totpURI"], uri, "{d}: {}", shown.body);
    let refused = t.post(
        "/two-factor/get-totp-uri",
        r#"{"password":"nope"}"#,
        session,
    );
    assert_eq!(refused.json()["code"], "INVALID_PASSWORD", "{d}");
    // A signed-in user may confirm a code again: the same session answers.
    let reverified = t.post("/two-factor/verify-totp", &code_body(&totp(uri)), session);
    assert_eq!(reverified.json()["token"], *token, "{d}");

    let out = t.post("/sign-out", "{}", session);
    assert_eq!(out.json()["success"], true, "{d}");
}

/// The sign-in challenge and a trusted device; returns the trusted device's cookies.
fn challenge_and_trust(t: &Ctx, email: &str, uri: &str) -> String {
    let d = t.dialect;
    let stopped = t.sign_in(email, "");
    assert_eq!(
        stopped.json()["twoFactorRedirect"],
        true,
        "{d}: {}",
        stopped.body
    );
    assert!(stopped.json().get("token").is_none(), "{d}");
    assert!(stopped.clears_cookie("better-auth.session_token"), "{d}");
    assert!(
        stopped.set_cookie("better-auth.session_token").is_none(),
        "{d}"
    );
    let challenge_cookie = stopped.set_cookie("better-auth.two_factor").unwrap();
    assert!(
        challenge_cookie.contains("; Max-Age=600; Path=/; HttpOnly; SameSite=Lax"),
        "{d}: {challenge_cookie}"
    );
    let challenge = stopped.cookie("better-auth.two_factor").unwrap();
    // The signed value names a `2fa-<20>` verification row (the user's id), and its attempt
    // counter starts at 0.
    let id = challenge
        .trim_start_matches("better-auth.two_factor=")
        .split('.')
        .next()
        .unwrap()
        .to_owned();
    assert!(id.starts_with("2fa-") && id.len() == 24, "{d}: {id}");
    let value_of = |identifier: &str| {
        let q = |n| t.quote(n);
        t.db.query(&format!(
            "SELECT {} FROM {} WHERE {} = '{identifier}'",
            q("value"),
            q("verification"),
            q("identifier"),
        ))
        .trim()
        .to_owned()
    };
    let user_id = t.db.query(&format!(
        "SELECT {} FROM {} WHERE {} = '{email}'",
        t.quote("id"),
        t.quote("user"),
        t.quote("email")
    ));
    assert_eq!(value_of(&id), user_id.trim(), "{d}");
    assert_eq!(value_of(&format!("2fa-attempts-{id}")), "0", "{d}");

    let no_cookie = t.post("/two-factor/verify-totp", &code_body(&totp(uri)), "");
    assert_eq!(
        (no_cookie.status, no_cookie.json()["code"].as_str()),
        (401, Some("INVALID_TWO_FACTOR_COOKIE")),
        "{d}"
    );
    let wrong = t.post(
        "/two-factor/verify-totp",
        &code_body(&wrong_code(uri)),
        &challenge,
    );
    assert_eq!(
        (wrong.status, wrong.json()["code"].as_str()),
        (401, Some("INVALID_CODE")),
        "{d}"
    );
    let body = format!(r#"{{"code":"{}","trustDevice":true}}"#, totp(uri));
    let verified = t.post("/two-factor/verify-totp", &body, &challenge);
    assert_eq!(verified.status, 200, "{d}: {}", verified.body);
    assert_eq!(verified.json()["user"]["email"], email, "{d}");
    assert!(verified.clears_cookie("better-auth.two_factor"), "{d}");
    let session = verified.cookie("better-auth.session_token").unwrap();
    assert!(
        verified
            .set_cookie("better-auth.session_token")
            .is_some_and(|c| c.contains("Max-Age=604800")),
        "{d}"
    );
    assert_eq!(t.session_email(&session), email, "{d}");
    let trust_cookie = verified.set_cookie("better-auth.trust_device").unwrap();
    assert!(
        trust_cookie.contains("; Max-Age=2592000;"),
        "{d}: {trust_cookie}"
    );
    let trust = verified.cookie("better-auth.trust_device").unwrap();
    // `<base64url HMAC>!trust-device-<32>`, signed.
    assert!(trust.contains("!trust-device-"), "{d}: {trust}");
    // The challenge is spent.
    let replay = t.post(
        "/two-factor/verify-totp",
        &code_body(&totp(uri)),
        &challenge,
    );
    assert_eq!(replay.json()["code"], "INVALID_TWO_FACTOR_COOKIE", "{d}");

    trusted_device(t, email, &trust)
}

/// A trusted device signs in without a code; its trust is renewed at each sign-in, and is no
/// one else's. Returns the renewed trust cookie.
fn trusted_device(t: &Ctx, email: &str, trust: &str) -> String {
    let d = t.dialect;
    // The trusted device signs in without a code, and its trust is renewed.
    let trusted = t.sign_in(email, trust);
    assert!(trusted.json()["token"].is_string(), "{d}: {}", trusted.body);
    let renewed = trusted.cookie("better-auth.trust_device").unwrap();
    assert_ne!(renewed, trust, "{d}");
    // The old trust is gone: its sign-in meets the challenge and the cookie is cleared.
    let stale = t.sign_in(email, trust);
    assert_eq!(
        stale.json()["twoFactorRedirect"],
        true,
        "{d}: {}",
        stale.body
    );
    assert!(stale.clears_cookie("better-auth.trust_device"), "{d}");
    // Another user's trust does not carry over.
    let other = "tf-other@example.com";
    assert_eq!(sign_up(t.c, other, PASSWORD).status, 200, "{d}");
    let (q1, q2) = (t.quote("user"), t.quote("twoFactorEnabled"));
    crate::write_behind_app(
        t.db,
        &format!(
            "UPDATE {q1} SET {q2} = {} WHERE {} = '{other}';",
            if t.dialect == "postgres" { "true" } else { "1" },
            t.quote("email")
        ),
    );
    let foreign = t.sign_in(other, &renewed);
    assert_eq!(
        foreign.json(),
        serde_json::json!({"twoFactorRedirect": true, "twoFactorMethods": ["otp"]}),
        "{d}: no TOTP enrolment, emailed codes only"
    );
    renewed
}

/// A backup code works once.
fn backup_codes(t: &Ctx, email: &str, codes: &[String]) {
    let d = t.dialect;
    let challenge = t.challenge(email);
    let used = t.post(
        "/two-factor/verify-backup-code",
        &code_body(&codes[0]),
        &challenge,
    );
    assert_eq!(used.status, 200, "{d}: {}", used.body);
    let session = used.cookie("better-auth.session_token").unwrap();
    assert_eq!(t.session_email(&session), email, "{d}");

    let challenge = t.challenge(email);
    let again = t.post(
        "/two-factor/verify-backup-code",
        &code_body(&codes[0]),
        &challenge,
    );
    assert_eq!(
        (again.status, again.json()["code"].as_str()),
        (401, Some("INVALID_BACKUP_CODE")),
        "{d}: a used code is spent"
    );
    let other = t.post(
        "/two-factor/verify-backup-code",
        &code_body(&codes[1]),
        &challenge,
    );
    assert_eq!(other.status, 200, "{d}: {}", other.body);

    // New codes replace the old ones.
    let session = other.cookie("better-auth.session_token").unwrap();
    let fresh = t.post(
        "/two-factor/generate-backup-codes",
        &password_body(),
        &session,
    );
    assert_eq!(fresh.json()["status"], true, "{d}: {}", fresh.body);
    let fresh: Vec<String> = serde_json::from_value(fresh.json()["backupCodes"].clone()).unwrap();
    assert_eq!(fresh.len(), 10, "{d}");
    let challenge = t.challenge(email);
    let old = t.post(
        "/two-factor/verify-backup-code",
        &code_body(&codes[2]),
        &challenge,
    );
    assert_eq!(old.json()["code"], "INVALID_BACKUP_CODE", "{d}");
    let new = t.post(
        "/two-factor/verify-backup-code",
        &code_body(&fresh[0]),
        &challenge,
    );
    assert_eq!(new.status, 200, "{d}: {}", new.body);
}

/// A code mailed through the dev inbox.
fn emailed_codes(t: &Ctx, email: &str, inbox: &Path) {
    let d = t.dialect;
    let challenge = t.challenge(email);
    let expired = t.post("/two-factor/verify-otp", &code_body("123456"), &challenge);
    assert_eq!(
        (expired.status, expired.json()["code"].as_str()),
        (400, Some("OTP_HAS_EXPIRED")),
        "{d}: none sent yet"
    );
    let sent = t.post("/two-factor/send-otp", "{}", &challenge);
    assert_eq!(sent.json()["status"], true, "{d}: {}", sent.body);
    let code = inbox_code(inbox, email).expect("a two-factor code in the inbox");
    assert_eq!(code.len(), 6, "{d}");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let refused = t.post("/two-factor/verify-otp", &code_body(wrong), &challenge);
    assert_eq!(
        refused.json()["code"],
        "INVALID_CODE",
        "{d}: {}",
        refused.body
    );
    let accepted = t.post("/two-factor/verify-otp", &code_body(&code), &challenge);
    assert_eq!(accepted.status, 200, "{d}: {}", accepted.body);
    let session = accepted.cookie("better-auth.session_token").unwrap();
    assert_eq!(t.session_email(&session), email, "{d}");
}

/// A user with emailed codes only has no `twoFactor` row; ten wrong codes in a row lock their
/// second factor all the same (429), until the lock expires.
fn emailed_codes_only_lockout(t: &Ctx, inbox: &Path) {
    let d = t.dialect;
    let email = "tf-otp@example.com";
    let signed_up = sign_up(t.c, email, PASSWORD);
    assert_eq!(signed_up.status, 200, "{d}: {}", signed_up.body);
    let cookie = signed_up.cookie("better-auth.session_token").unwrap();
    let enabled = t.post(
        "/two-factor/enable",
        &format!(r#"{{"password":"{PASSWORD}","method":"otp"}}"#),
        &cookie,
    );
    assert_eq!(enabled.json()["method"], "otp", "{d}: {}", enabled.body);
    assert_eq!(t.factor_column(email, "id"), "", "{d}: no twoFactor row");

    let stopped = t.sign_in(email, "");
    assert_eq!(
        stopped.json(),
        serde_json::json!({"twoFactorRedirect": true, "twoFactorMethods": ["otp"]}),
        "{d}: {}",
        stopped.body
    );
    let challenge = stopped.cookie("better-auth.two_factor").unwrap();
    let send = || {
        let sent = t.post("/two-factor/send-otp", "{}", &challenge);
        assert_eq!(sent.json()["status"], true, "{d}: {}", sent.body);
        inbox_code(inbox, email).expect("a two-factor code in the inbox")
    };
    // Five tries per emailed code, then a new code: ten wrong codes in all.
    for _ in 0..2 {
        let wrong = code_body(&other_digits(&send()));
        for _ in 0..5 {
            let r = t.post("/two-factor/verify-otp", &wrong, &challenge);
            assert_eq!(r.json()["code"], "INVALID_CODE", "{d}: {}", r.body);
        }
    }
    let right = code_body(&send());
    let locked = t.post("/two-factor/verify-otp", &right, &challenge);
    assert_eq!(
        (locked.status, locked.json()["code"].as_str()),
        (429, Some("ACCOUNT_TEMPORARILY_LOCKED")),
        "{d}: the right code, once locked: {}",
        locked.body
    );

    // Once the lock has expired, the same code (not spent by the refusal) signs in.
    crate::write_behind_app(
        t.db,
        &format!(
            "UPDATE {} SET {} = {} WHERE {} LIKE '2fa-locked-%';",
            t.quote("verification"),
            t.quote("expiresAt"),
            super::past(d),
            t.quote("identifier")
        ),
    );
    let accepted = t.post("/two-factor/verify-otp", &right, &challenge);
    assert_eq!(accepted.status, 200, "{d}: {}", accepted.body);
}

/// A code of the same length that differs from `code` in every digit.
fn other_digits(code: &str) -> String {
    code.chars()
        .map(|ch| if ch == '0' { '1' } else { '0' })
        .collect()
}

/// `rememberMe: false` survives the challenge: a browser-session cookie, a one-day session.
fn not_remembered(t: &Ctx, email: &str, uri: &str) {
    let d = t.dialect;
    let reply = t.post(
        "/sign-in/email",
        &format!(r#"{{"email":"{email}","password":"{PASSWORD}","rememberMe":false}}"#),
        "",
    );
    assert_eq!(reply.json()["twoFactorRedirect"], true, "{d}");
    let cookies = format!(
        "{}; {}",
        reply.cookie("better-auth.two_factor").unwrap(),
        reply.cookie("better-auth.dont_remember").unwrap()
    );
    let verified = t.post("/two-factor/verify-totp", &code_body(&totp(uri)), &cookies);
    assert_eq!(verified.status, 200, "{d}: {}", verified.body);
    let session_cookie = verified.set_cookie("better-auth.session_token").unwrap();
    assert!(!session_cookie.contains("Max-Age"), "{d}: {session_cookie}");
    assert!(
        verified.set_cookie("better-auth.dont_remember").is_some(),
        "{d}"
    );
}

/// Five codes per challenge; ten wrong codes in a row lock the second factor (429).
fn lockout(t: &Ctx, email: &str, uri: &str) {
    let d = t.dialect;
    let wrong = code_body(&wrong_code(uri));
    let first = t.challenge(email);
    for _ in 0..5 {
        let r = t.post("/two-factor/verify-totp", &wrong, &first);
        assert_eq!(r.json()["code"], "INVALID_CODE", "{d}: {}", r.body);
    }
    let spent = t.post("/two-factor/verify-totp", &code_body(&totp(uri)), &first);
    assert_eq!(
        (spent.status, spent.json()["code"].as_str()),
        (400, Some("TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE")),
        "{d}: {}",
        spent.body
    );
    assert!(spent.clears_cookie("better-auth.two_factor"), "{d}");
    let cancelled = t.post("/two-factor/verify-totp", &code_body(&totp(uri)), &first);
    assert_eq!(cancelled.json()["code"], "INVALID_TWO_FACTOR_COOKIE", "{d}");

    let second = t.challenge(email);
    for _ in 0..4 {
        let r = t.post(
            "/two-factor/verify-backup-code",
            &code_body("aaaaa-bbbbb"),
            &second,
        );
        assert_eq!(r.json()["code"], "INVALID_BACKUP_CODE", "{d}: {}", r.body);
    }
    let tenth = t.post("/two-factor/verify-totp", &wrong, &second);
    assert_eq!(tenth.json()["code"], "INVALID_CODE", "{d}");
    assert_eq!(
        t.factor_column(email, "failedVerificationCount"),
        "10",
        "{d}"
    );
    let locked = t.post(
        "/two-factor/verify-totp",
        &code_body(&totp(uri)),
        &t.challenge(email),
    );
    assert_eq!(
        (locked.status, locked.json()["code"].as_str()),
        (429, Some("ACCOUNT_TEMPORARILY_LOCKED")),
        "{d}: {}",
        locked.body
    );
    assert_eq!(
        locked.json()["message"],
        "Too many failed verification attempts. Your account is temporarily locked. Please try again later.",
        "{d}"
    );
    assert_ne!(t.factor_column(email, "lockedUntil"), "", "{d}");

    // Once the lock has expired, the next verification lifts it.
    let past = super::past(t.dialect);
    crate::write_behind_app(
        t.db,
        &format!(
            "UPDATE {} SET {} = {past};",
            t.quote("twoFactor"),
            t.quote("lockedUntil")
        ),
    );
    let lifted = t.post(
        "/two-factor/verify-totp",
        &code_body(&totp(uri)),
        &t.challenge(email),
    );
    assert_eq!(lifted.status, 200, "{d}: {}", lifted.body);
    assert_eq!(
        t.factor_column(email, "failedVerificationCount"),
        "0",
        "{d}"
    );
    assert_eq!(t.factor_column(email, "lockedUntil"), "", "{d}");
}

/// What rauth stored, Better Auth reads (secret, backup codes, the same URI and codes); what
/// Better Auth stores, rauth verifies.
fn better_auth_interop(t: &Ctx, email: &str, uri: &str, inbox: &Path) {
    let d = t.dialect;
    let env = std::fs::read_to_string(inbox.parent().unwrap().join(".env")).unwrap();
    let secrets = env
        .lines()
        .find_map(|l| l.strip_prefix("AUTH_SECRETS="))
        .expect("AUTH_SECRETS in the app's .env")
        .trim_matches('"')
        .to_owned();
    let ba = better_auth_crypto(
        t,
        &[
            &secrets,
            &t.factor_column(email, "secret"),
            &t.factor_column(email, "backupCodes"),
            ISSUER,
            email,
        ],
    );
    assert_eq!(
        ba["uri"], uri,
        "{d}: Better Auth's URI for the secret rauth stored"
    );
    // The ten regenerated codes but the one used.
    assert_eq!(ba["backupCodes"].as_array().map(Vec::len), Some(9), "{d}");
    // Better Auth's code for the secret is one rauth accepts.
    let code = ba["code"].as_str().unwrap();
    let accepted = t.post(
        "/two-factor/verify-totp",
        &code_body(code),
        &t.challenge(email),
    );
    assert_eq!(accepted.status, 200, "{d}: {}", accepted.body);

    // An enrolment Better Auth made: its encrypted secret and backup codes in the row.
    let other = "tf-ba@example.com";
    assert_eq!(sign_up(t.c, other, PASSWORD).status, 200, "{d}");
    let enrolment = &ba["enrolment"];
    let q = |n| t.quote(n);
    let yes = if t.dialect == "postgres" { "true" } else { "1" };
    crate::write_behind_app(
        t.db,
        &format!(
            "INSERT INTO {} ({}, {}, {}, {}, {}, {}) SELECT 'betterAuthTwoFactorRow0000000000', '{}', '{}', {}, {yes}, 0 FROM {} WHERE {} = '{other}';\nUPDATE {} SET {} = {yes} WHERE {} = '{other}';",
            q("twoFactor"),
            q("id"),
            q("secret"),
            q("backupCodes"),
            q("userId"),
            q("verified"),
            q("failedVerificationCount"),
            enrolment["storedSecret"].as_str().unwrap(),
            enrolment["storedBackupCodes"].as_str().unwrap(),
            q("id"),
            q("user"),
            q("email"),
            q("user"),
            q("twoFactorEnabled"),
            q("email"),
        ),
    );
    let key = enrolment["secret"].as_str().unwrap().as_bytes().to_vec();
    let code = hotp(&key, now_step(30), 6);
    let signed_in = t.post(
        "/two-factor/verify-totp",
        &code_body(&code),
        &t.challenge(other),
    );
    assert_eq!(signed_in.status, 200, "{d}: {}", signed_in.body);
    assert_eq!(signed_in.json()["user"]["email"], other, "{d}");
    let backup = enrolment["backupCodes"][3].as_str().unwrap();
    let by_backup = t.post(
        "/two-factor/verify-backup-code",
        &code_body(backup),
        &t.challenge(other),
    );
    assert_eq!(by_backup.status, 200, "{d}: {}", by_backup.body);
    // The codes rauth re-encrypted without the used one, Better Auth still reads.
    let left = better_auth_crypto(
        t,
        &[
            &secrets,
            enrolment["storedSecret"].as_str().unwrap(),
            &t.factor_column(other, "backupCodes"),
            ISSUER,
            other,
        ],
    );
    let left: Vec<&str> = left["backupCodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(left.len(), 9, "{d}");
    assert!(!left.contains(&backup), "{d}");
}

/// `/two-factor/disable` removes the enrolment and this device's trust.
fn disable(t: &Ctx, email: &str, trust: &str) {
    let d = t.dialect;
    let signed_in = t.sign_in(email, trust);
    let session = signed_in
        .cookie("better-auth.session_token")
        .expect("the trusted device signs in without a code");
    let trust = signed_in.cookie("better-auth.trust_device").unwrap();
    let cookies = format!("{session}; {trust}");
    let wrong = t.post("/two-factor/disable", r#"{"password":"nope"}"#, &cookies);
    assert_eq!(wrong.json()["code"], "INVALID_PASSWORD", "{d}");
    let off = t.post("/two-factor/disable", &password_body(), &cookies);
    assert_eq!(
        off.json(),
        serde_json::json!({"status": true}),
        "{d}: {}",
        off.body
    );
    assert!(off.clears_cookie("better-auth.trust_device"), "{d}");
    let new_session = off.cookie("better-auth.session_token").unwrap();
    assert_eq!(t.session_email(&new_session), email, "{d}");
    assert_eq!(
        t.session_email(&session),
        Value::Null,
        "{d}: the old session is replaced"
    );
    assert_eq!(t.two_factor_enabled(email), "false", "{d}");
    assert_eq!(t.factor_column(email, "id"), "", "{d}: the row is gone");
    let plain = t.sign_in(email, "");
    assert!(plain.json()["token"].is_string(), "{d}: {}", plain.body);
}

/// Better Auth's npm client with `twoFactorClient`.
fn npm_client(t: &Ctx) {
    let got = crate::npm_script("two-factor.mjs", t.dialect, t.c);
    let email = got["signUp"].as_str().unwrap_or_default().to_owned();
    assert!(email.starts_with("npm-2fa-"), "{}: {got}", t.dialect);
    let expected = serde_json::json!({
        "signUp": email, "enable": "totp", "backupCodes": 10, "verifyEnrolment": email,
        "enabled": true, "signOut": true, "signIn": true, "methods": ["totp", "otp"],
        "sessionBeforeCode": null, "wrongCode": "401 INVALID_CODE", "verifyTotp": email,
        "getSession": email, "trusted": true,
    });
    assert_eq!(got, expected, "{}", t.dialect);
}

/// Runs `two-factor-crypto.mjs` (Better Auth's own crypto) with `args`, where `npm_script`
/// (run by [`npm_client`]) installed the npm packages and copied the scripts.
fn better_auth_crypto(t: &Ctx, args: &[&str]) -> Value {
    crate::node_script("two-factor-crypto.mjs", t.dialect, args)
}

/// The newest two-factor code mailed to `to`.
fn inbox_code(inbox: &Path, to: &str) -> Option<String> {
    let mut files: Vec<_> = std::fs::read_dir(inbox)
        .ok()?
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.iter().rev().find_map(|f| {
        let mail: Value = serde_json::from_str(&std::fs::read_to_string(f).ok()?).ok()?;
        (mail["kind"] == "two-factor-otp" && mail["to"] == to)
            .then(|| mail["code"].as_str().map(str::to_owned))
            .flatten()
    })
}

fn password_body() -> String {
    format!(r#"{{"password":"{PASSWORD}"}}"#)
}

fn code_body(code: &str) -> String {
    format!(r#"{{"code":"{code}"}}"#)
}

/// The HMAC key in an otpauth URI (its base32 `secret`).
fn totp_key(uri: &str) -> Vec<u8> {
    let secret = uri
        .split_once("secret=")
        .unwrap()
        .1
        .split('&')
        .next()
        .unwrap();
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut bits, mut buffer, mut out) = (0u32, 0u64, Vec::new());
    for c in secret.bytes() {
        let value = alphabet.iter().position(|a| *a == c).unwrap() as u64;
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    out
}

/// The current RFC 6238 code of an otpauth URI (SHA-1, 6 digits, 30 s).
pub fn totp(uri: &str) -> String {
    hotp(&totp_key(uri), now_step(30), 6)
}

/// A 6-digit code that is none of the codes the server accepts now.
fn wrong_code(uri: &str) -> String {
    let key = totp_key(uri);
    let step = now_step(30);
    let valid: Vec<String> = (step - 2..=step + 2).map(|s| hotp(&key, s, 6)).collect();
    (0..1_000_000)
        .map(|n| format!("{n:06}"))
        .find(|c| !valid.contains(c))
        .unwrap()
}

fn now_step(period: u64) -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        / period
}

/// RFC 4226.
fn hotp(key: &[u8], counter: u64, digits: u32) -> String {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(key).unwrap();
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = usize::from(h[19] & 0x0f);
    let value = u32::from_be_bytes([
        h[offset] & 0x7f,
        h[offset + 1],
        h[offset + 2],
        h[offset + 3],
    ]);
    format!(
        "{:0width$}",
        value % 10u32.pow(digits),
        width = digits as usize
    )
}
