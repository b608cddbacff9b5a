//! Device-authorization plugin (RFC 8628): codes, polling (`authorization_pending`,
//! `slow_down`, `expired_token`, `access_denied`), the verification page's claim, approval and
//! denial, and the device's session token; attacks refused: another client's poll, another
//! user's approval, an unclaimed code, a code redeemed twice, a cross-site approval, a client
//! the app does not know. Better Auth's `deviceAuthorizationClient` drives the whole flow.

use std::path::Path;

use serde_json::{Value, json};

use super::{option, past, quote};
use crate::db::TestDb;
use crate::http::{Client, Reply};
use crate::{ORIGIN, npm_script_with, sign_up};

const GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

pub fn flows(dialect: &str, c: &Client, inbox: &Path, db: &TestDb) {
    // The app's known clients (`client_ids`), if it lists any.
    let client = option(inbox, "device-authorization", "client_ids").map_or_else(
        || "any-client".to_owned(),
        |list| list.trim_matches(['[', ']', '"']).to_owned(),
    );
    if option(inbox, "device-authorization", "client_ids").is_some() {
        assert_oauth_error(dialect, &code(c, "unknown-client"), 400, "invalid_client");
    }
    let codes = code(c, &client);
    assert_eq!(codes.status, 200, "{dialect}: {}", codes.body);
    assert_eq!(codes.header("cache-control"), Some("no-store"), "{dialect}");
    let codes = codes.json();
    let device_code = codes["device_code"].as_str().unwrap().to_owned();
    let user_code = codes["user_code"].as_str().unwrap().to_owned();
    assert_eq!(device_code.len(), 40, "{dialect}: {codes}");
    assert_eq!(
        codes["verification_uri"], "http://localhost:3000/device",
        "{dialect}"
    );

    let poll = |client: &str| token(c, &device_code, client);
    assert_oauth_error(dialect, &poll(&client), 400, "authorization_pending");
    assert_oauth_error(dialect, &poll(&client), 400, "slow_down");
    // Another client's poll: unknown to an app that lists its clients, else not the code's.
    let listed = option(inbox, "device-authorization", "client_ids").is_some();
    let other = if listed {
        "invalid_client"
    } else {
        "invalid_grant"
    };
    assert_oauth_error(dialect, &poll("another-client"), 400, other);

    let owner = review(dialect, c, &user_code, &client);
    assert_eq!(
        approve(c, &owner, &user_code, ORIGIN).json()["success"],
        true,
        "{dialect}"
    );
    let q = quote(dialect);
    let clear_poll = || {
        db.apply(&format!(
            "UPDATE {q}deviceCode{q} SET {q}lastPolledAt{q} = NULL"
        ));
    };
    clear_poll();
    let granted = poll(&client);
    assert_eq!(granted.status, 200, "{dialect}: {}", granted.body);
    let granted = granted.json();
    assert_eq!(granted["token_type"], "Bearer", "{dialect}");
    let session = c
        .get(
            "/api/auth/get-session",
            &[(
                "authorization",
                &format!("Bearer {}", granted["access_token"].as_str().unwrap()),
            )],
        )
        .unwrap()
        .json();
    assert_eq!(
        session["user"]["email"], "device-owner@example.com",
        "{dialect}"
    );
    clear_poll();
    assert_oauth_error(dialect, &poll(&client), 400, "invalid_grant");

    denied_and_expired(dialect, c, db, &client, &owner);

    let got = npm_script_with(
        "device-authorization.mjs",
        dialect,
        c,
        &[Path::new(&client)],
    );
    assert_eq!(
        got,
        json!({
            "codes": true, "pending": "authorization_pending",
            "verify": { "status": "pending", "client_id": client, "scope": "openid profile" },
            "approve": true, "tokenType": "Bearer", "session": true,
        }),
        "{dialect}"
    );
}

/// The verification page's rules: only a signed-in user who opened the code sees its client and
/// may decide, and only from a trusted origin. Returns the session cookie of the user who
/// claimed it.
fn review(dialect: &str, c: &Client, user_code: &str, client: &str) -> String {
    let owner = signed_up(c, "device-owner@example.com");
    let stranger = signed_up(c, "device-stranger@example.com");
    assert_oauth_error(
        dialect,
        &approve(c, &owner, user_code, ORIGIN),
        400,
        "invalid_request",
    );
    let anonymous = c
        .get(&format!("/api/auth/device?user_code={user_code}"), &[])
        .unwrap()
        .json();
    assert_eq!(
        anonymous,
        json!({ "user_code": user_code, "status": "pending" }),
        "{dialect}"
    );
    // Typed as a person would read it out: lower case, with a dash.
    let typed = format!("{}-{}", &user_code[..4], &user_code[4..]).to_lowercase();
    let seen = c
        .get(
            &format!("/api/auth/device?user_code={typed}"),
            &[("cookie", &owner)],
        )
        .unwrap()
        .json();
    assert_eq!(seen["client_id"], client, "{dialect}: {seen}");
    assert_eq!(seen["scope"], "openid", "{dialect}: {seen}");
    let claimed_elsewhere = c
        .get(
            &format!("/api/auth/device?user_code={user_code}"),
            &[("cookie", &stranger)],
        )
        .unwrap()
        .json();
    assert_eq!(
        claimed_elsewhere.get("client_id"),
        None,
        "{dialect}: {claimed_elsewhere}"
    );
    assert_oauth_error(
        dialect,
        &approve(c, &stranger, user_code, ORIGIN),
        403,
        "access_denied",
    );
    let cross_site = approve(c, &owner, user_code, ("origin", "https://evil.example"));
    assert_eq!(cross_site.status, 403, "{dialect}: {}", cross_site.body);

    owner
}

/// A denied code answers `access_denied` once, then is gone; an expired one `expired_token`.
fn denied_and_expired(dialect: &str, c: &Client, db: &TestDb, client: &str, owner: &str) {
    let q = quote(dialect);
    let denied = code(c, client).json();
    let denied_user_code = denied["user_code"].as_str().unwrap();
    c.get(
        &format!("/api/auth/device?user_code={denied_user_code}"),
        &[("cookie", owner)],
    )
    .unwrap();
    let deny = c
        .post_json(
            "/api/auth/device/deny",
            &json!({ "userCode": denied_user_code }).to_string(),
            &[("cookie", owner), ORIGIN],
        )
        .unwrap();
    assert_eq!(deny.json()["success"], true, "{dialect}");
    let denied_code = denied["device_code"].as_str().unwrap();
    assert_oauth_error(
        dialect,
        &token(c, denied_code, client),
        400,
        "access_denied",
    );
    db.apply(&format!(
        "UPDATE {q}deviceCode{q} SET {q}lastPolledAt{q} = NULL"
    ));
    assert_oauth_error(
        dialect,
        &token(c, denied_code, client),
        400,
        "invalid_grant",
    );
    let expired = code(c, client).json();
    db.apply(&format!(
        "UPDATE {q}deviceCode{q} SET {q}expiresAt{q} = {}",
        past(dialect)
    ));
    let expired_code = expired["device_code"].as_str().unwrap();
    assert_oauth_error(
        dialect,
        &token(c, expired_code, client),
        400,
        "expired_token",
    );
}

fn signed_up(c: &Client, email: &str) -> String {
    let reply = sign_up(c, email, "device password 1");
    reply.cookie("better-auth.session_token").unwrap()
}

/// `POST /device/code`, form-encoded as RFC 8628 has it.
fn code(c: &Client, client_id: &str) -> Reply {
    c.post_raw(
        "/api/auth/device/code",
        "application/x-www-form-urlencoded",
        &format!("client_id={client_id}&scope=openid"),
    )
    .unwrap()
}

fn token(c: &Client, device_code: &str, client_id: &str) -> Reply {
    c.post_raw(
        "/api/auth/device/token",
        "application/x-www-form-urlencoded",
        &format!("grant_type={GRANT}&device_code={device_code}&client_id={client_id}"),
    )
    .unwrap()
}

fn approve(c: &Client, cookie: &str, user_code: &str, origin: (&str, &str)) -> Reply {
    c.post_json(
        "/api/auth/device/approve",
        &json!({ "userCode": user_code }).to_string(),
        &[("cookie", cookie), origin],
    )
    .unwrap()
}

fn assert_oauth_error(dialect: &str, reply: &Reply, status: u16, error: &str) {
    let body: Value = reply.json();
    assert_eq!(
        (reply.status, body["error"].as_str()),
        (status, Some(error)),
        "{dialect}: {}",
        reply.body
    );
    assert!(body["error_description"].is_string(), "{dialect}: {body}");
}
