//! Flows that go through mailed links and forms: email change, account deletion by link, HTML
//! form sign-in, and rate limits shared by two servers through the database.

use std::path::Path;

use crate::http::Client;
use crate::{App, ORIGIN, inbox_link, sign_up};

/// `/change-email` of a verified user: the new address gets a verification link, which moves
/// the account to it, verified. A taken address gets the same answer and no mail.
pub fn change_email(dialect: &str, c: &Client, inbox: &Path, cookie: &str) {
    let change = |body: &str| {
        c.post_json(
            "/api/auth/change-email",
            body,
            &[("cookie", cookie), ORIGIN],
        )
        .unwrap()
    };
    let same = change(r#"{"newEmail":"ADA@example.com"}"#);
    assert_eq!(
        (same.status, same.json()["message"].as_str()),
        (400, Some("Email is the same")),
        "{dialect}: {}",
        same.body
    );
    let invalid = change(r#"{"newEmail":"not an email"}"#);
    assert_eq!(invalid.json()["code"], "VALIDATION_ERROR", "{dialect}");
    let foreign = change(r#"{"newEmail":"x@example.com","callbackURL":"https://evil.example/"}"#);
    assert_eq!(foreign.status, 403, "{dialect}: {}", foreign.body);
    // A tab browsers drop would turn this path into `//evil.example/`, another site.
    let sneaky = change(r#"{"newEmail":"x@example.com","callbackURL":"/\t/evil.example/"}"#);
    assert_eq!(sneaky.status, 403, "{dialect}: {}", sneaky.body);

    // Another account holds this address: the same answer, and nothing is mailed.
    assert_eq!(
        sign_up(c, "taken@example.com", "taken password").status,
        200
    );
    let taken = change(r#"{"newEmail":"taken@example.com"}"#);
    let free = change(r#"{"newEmail":"ada.new@example.com","callbackURL":"/welcome"}"#);
    assert_eq!(
        (taken.status, &taken.body),
        (free.status, &free.body),
        "{dialect}"
    );
    assert_eq!(free.json()["status"], true, "{dialect}: {}", free.body);
    assert!(inbox_link(inbox, "verify-email", "taken@example.com").is_none());

    let link = inbox_link(inbox, "verify-email", "ada.new@example.com")
        .expect("a mail to the new address");
    let opened = c.get(&link, &[("cookie", cookie)]).unwrap();
    assert_eq!(
        (opened.status, opened.header("location")),
        (302, Some("/welcome")),
        "{dialect}: {}",
        opened.body
    );
    let session = c
        .get("/api/auth/get-session", &[("cookie", cookie)])
        .unwrap();
    assert_eq!(
        session.json()["user"]["email"],
        "ada.new@example.com",
        "{dialect}"
    );
    assert_eq!(session.json()["user"]["emailVerified"], true, "{dialect}");

    // A tampered link redirects with the error code; an unknown account is USER_NOT_FOUND.
    let tampered = link.replace("token=", "token=x");
    let refused = c.get(&tampered, &[]).unwrap();
    assert!(
        refused
            .header("location")
            .is_some_and(|l| l == "/welcome?error=INVALID_TOKEN"),
        "{dialect}: {:?}",
        refused.header("location")
    );
    let stale = c.get(link.split('&').next().unwrap(), &[]).unwrap();
    assert_eq!(
        (stale.status, stale.json()["code"].as_str()),
        (401, Some("USER_NOT_FOUND")),
        "{dialect}: the link names the old address, which no longer has an account"
    );
}

/// With `delete_user_verification`, `/delete-user` mails a link; the link deletes the account
/// of the session that asked for it, once.
pub fn delete_by_link(
    dialect: &str,
    c: &Client,
    inbox: &Path,
    cookie: &str,
    email: &str,
    password: &str,
) {
    let ask = |body: &str| {
        c.post_json("/api/auth/delete-user", body, &[("cookie", cookie), ORIGIN])
            .unwrap()
    };
    assert_eq!(
        ask(r#"{"password":"not it at all"}"#).json()["code"],
        "INVALID_PASSWORD",
        "{dialect}"
    );
    let sent = ask(&format!(
        r#"{{"password":"{password}","callbackURL":"/bye"}}"#
    ));
    assert_eq!(
        sent.json()["message"],
        "Verification email sent",
        "{dialect}: {}",
        sent.body
    );
    let link = inbox_link(inbox, "delete-account", email).expect("a deletion mail");
    let anonymous = c.get(&link, &[]).unwrap();
    assert_eq!(
        (anonymous.status, anonymous.json()["code"].as_str()),
        (404, Some("FAILED_TO_GET_USER_INFO")),
        "{dialect}: the link needs the session that asked"
    );
    let forged = c
        .get(&link.replace("token=", "token=0"), &[("cookie", cookie)])
        .unwrap();
    assert_eq!(forged.json()["code"], "INVALID_TOKEN", "{dialect}");
    let deleted = c.get(&link, &[("cookie", cookie)]).unwrap();
    assert_eq!(
        (deleted.status, deleted.header("location")),
        (302, Some("/bye")),
        "{dialect}: {}",
        deleted.body
    );
    assert!(
        deleted.clears_cookie("better-auth.session_token"),
        "{dialect}: {:?}",
        deleted.headers
    );
    let gone = c
        .post_json(
            "/api/auth/sign-in/email",
            &format!(r#"{{"email":"{email}","password":"{password}"}}"#),
            &[],
        )
        .unwrap();
    assert_eq!(gone.status, 401, "{dialect}: the user is gone");
}

/// An HTML form posts `application/x-www-form-urlencoded`; Better Auth takes it on sign-up and
/// sign-in.
pub fn form_sign_up_and_sign_in(dialect: &str, c: &Client) {
    let form = "name=Form+User&email=form%40example.com&password=form+password+1";
    // From this site's own page: a form needs a trusted Origin (login CSRF, `security.rs`).
    let post_form = |path: &str, body: &str| {
        c.send(
            "POST",
            path,
            &[
                ("content-type", "application/x-www-form-urlencoded"),
                crate::ORIGIN,
            ],
            Some(body),
        )
        .unwrap()
    };
    let signed_up = post_form("/api/auth/sign-up/email", form);
    assert_eq!(signed_up.status, 200, "{dialect}: {}", signed_up.body);
    assert_eq!(signed_up.json()["user"]["name"], "Form User", "{dialect}");
    let signed_in = post_form(
        "/api/auth/sign-in/email",
        "email=form%40example.com&password=form+password+1",
    );
    assert_eq!(signed_in.status, 200, "{dialect}: {}", signed_in.body);
    assert!(signed_in.cookie("better-auth.session_token").is_some());
    let elsewhere = c
        .post_raw(
            "/api/auth/request-password-reset",
            "application/x-www-form-urlencoded",
            "email=form%40example.com",
        )
        .unwrap();
    assert_eq!(
        elsewhere.status, 400,
        "{dialect}: other endpoints take JSON only"
    );
}

/// Two servers sharing their rate-limit store (the database's `rateLimit` table, or Redis): a
/// burst of 20 concurrent sign-in attempts from one client, spread over both, gets exactly the
/// rule's 3 through.
pub fn shared_rate_limit(dialect: &str, first: &App, second: &App) {
    // A client address of this run only: counters outlive the servers in Redis.
    let client = format!("198.51.{}", crate::run_tag());
    let client = client.as_str();
    let attempts: Vec<u16> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..20)
            .map(|i| {
                let app = if i % 2 == 0 { first } else { second };
                scope.spawn(move || {
                    app.client
                        .post_json(
                            "/api/auth/sign-in/email",
                            r#"{"email":"burst@example.com","password":"wrong password"}"#,
                            &[("x-forwarded-for", client)],
                        )
                        .unwrap()
                        .status
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let allowed = attempts.iter().filter(|s| **s != 429).count();
    assert_eq!(allowed, 3, "{dialect}: statuses {attempts:?}");
}
