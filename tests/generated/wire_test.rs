//! No difference on the wire with Better Auth 1.7 (issue 18 §3): what the answers of the
//! generated service carry — user objects, session cookies and their deletion, the
//! `set-auth-token` header, an API key's session, the second factors offered — checked on the
//! plain responses the framework adapters send as they are.

mod common;

use std::sync::atomic::{AtomicU32, Ordering};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rauth_generated_check::auth_sqlite::Auth;
use rauth_generated_check::auth_sqlite::{Request, Response};
use serde_json::{Value, json};

const SECRET: &str = "1:wire-secret-wire-secret-wire-secret-wire";

/// A request from an address of its own (sign-ins are rate-limited per address), with the
/// app's origin, `cookie` and `extra` headers.
fn request(method: &str, path: &str, body: &str, cookie: &str, extra: &[(&str, &str)]) -> Request {
    static ADDRESSES: AtomicU32 = AtomicU32::new(1);
    let n = ADDRESSES.fetch_add(1, Ordering::Relaxed);
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let mut headers = vec![
        ("content-type".to_owned(), "application/json".to_owned()),
        ("origin".to_owned(), "http://localhost:3000".to_owned()),
    ];
    if !cookie.is_empty() {
        headers.push(("cookie".to_owned(), cookie.to_owned()));
    }
    headers.extend(
        extra
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    Request {
        method: method.into(),
        path: path.into(),
        headers,
        body: body.as_bytes().to_vec(),
        ip: Some(format!("10.{}.{}.1", n / 250, n % 250)),
        query: query.into(),
    }
}

/// The `Set-Cookie` line of cookie `key` (`better-auth.<key>`), if the response sends one.
fn set_cookie<'a>(response: &'a Response, key: &str) -> Option<&'a str> {
    let name = format!("better-auth.{key}=");
    response
        .set_cookies
        .iter()
        .find(|c| c.starts_with(&name))
        .map(String::as_str)
}

/// The `name=value` pair of the session cookie a response sets.
/// The `name=value` pair of cookie `key` that `response` sets, to send it back.
fn pair(response: &Response, key: &str) -> String {
    set_cookie(response, key)
        .unwrap_or_else(|| panic!("no {key} cookie: {:?}", response.set_cookies))
        .split(';')
        .next()
        .expect("a pair")
        .to_owned()
}

fn session_pair(response: &Response) -> String {
    pair(response, "session_token")
}

/// The `name=value` pairs of every cookie a response sets (not those it deletes).
fn cookie_pairs(response: &Response) -> String {
    let pairs: Vec<&str> = response
        .set_cookies
        .iter()
        .filter(|c| !c.contains("Max-Age=0"))
        .filter_map(|c| c.split(';').next())
        .collect();
    pairs.join("; ")
}

fn header<'a>(response: &'a Response, name: &str) -> Option<&'a str> {
    response
        .headers
        .iter()
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.as_str())
}

fn body(response: &Response) -> &Value {
    response.body.as_ref().expect("a body")
}

async fn sign_up(auth: &Auth, email: &str) -> Response {
    let body = format!(r#"{{"name":"Wire","email":"{email}","password":"wire password"}}"#);
    let response = post(auth, "/sign-up/email", &body, "").await;
    assert_eq!(response.status, 200, "{:?}", response.body);
    response
}

/// `/sign-in/email` of a user of [`sign_up`]; `more` adds fields to the body (`,"rememberMe":false`).
fn sign_in_request(email: &str, more: &str) -> Request {
    let body = format!(r#"{{"email":"{email}","password":"wire password"{more}}}"#);
    request("POST", "/sign-in/email", &body, "", &[])
}

async fn sign_in(auth: &Auth, email: &str, more: &str) -> Response {
    auth.handle(&sign_in_request(email, more)).await
}

/// Turns two-factor on for the user of `signed_up` behind the service's back (no authenticator
/// enrolled): their next sign-in is a challenge.
async fn two_factor_on(pool: &sqlx::SqlitePool, signed_up: &Value) {
    let id = signed_up["user"]["id"].as_str().expect("an id");
    sqlx::query("UPDATE \"user\" SET \"twoFactorEnabled\" = 1 WHERE \"id\" = ?")
        .bind(id)
        .execute(pool)
        .await
        .expect("two-factor on");
}

async fn post(auth: &Auth, path: &str, body: &str, cookie: &str) -> Response {
    auth.handle(&request("POST", path, body, cookie, &[])).await
}

async fn get_session(auth: &Auth, cookie: &str, extra: &[(&str, &str)]) -> Response {
    auth.handle(&request("GET", "/get-session", "", cookie, extra))
        .await
}

#[tokio::test]
async fn users_carry_a_null_image() {
    let auth = common::sqlite_auth(SECRET).await;
    let signed_up = sign_up(&auth, "image@example.com").await;
    let user = &body(&signed_up)["user"];
    assert_eq!(user.get("image"), Some(&Value::Null), "sign-up: {user}");
    let signed_in = sign_in(&auth, "image@example.com", "").await;
    let user = &body(&signed_in)["user"];
    assert_eq!(user.get("image"), Some(&Value::Null), "sign-in: {user}");
    let session = get_session(&auth, &session_pair(&signed_up), &[]).await;
    let user = &body(&session)["user"];
    assert_eq!(user.get("image"), Some(&Value::Null), "get-session: {user}");
    // The jwt plugin's token holds the user as the API answers it.
    let jwt = header(&session, "set-auth-jwt").expect("a JWT");
    let payload = jwt.split('.').nth(1).expect("a payload");
    let claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url"))
            .expect("JSON claims");
    assert_eq!(
        claims.get("image"),
        Some(&Value::Null),
        "JWT claims: {claims}"
    );
    let listed = auth
        .handle(&request(
            "GET",
            "/multi-session/list-device-sessions",
            "",
            &cookie_pairs(&signed_up),
            &[],
        ))
        .await;
    let user = &body(&listed)[0]["user"];
    assert_eq!(
        user.get("image"),
        Some(&Value::Null),
        "multi-session: {user}"
    );
}

#[tokio::test]
async fn a_dead_session_cookie_is_deleted() {
    let auth = common::sqlite_auth(SECRET).await;
    let cookie = session_pair(&sign_up(&auth, "dead@example.com").await);
    let revoked = post(&auth, "/revoke-sessions", "{}", &cookie).await;
    assert_eq!(body(&revoked)["status"], true);
    let session = get_session(&auth, &cookie, &[]).await;
    assert_eq!(body(&session), &Value::Null);
    for key in ["session_token", "session_data", "dont_remember"] {
        let deleted = set_cookie(&session, key).unwrap_or_default();
        assert!(
            deleted.starts_with(&format!("better-auth.{key}=; Max-Age=0;")),
            "{key}: {:?}",
            session.set_cookies
        );
    }
    // A cookie that does not verify is no session cookie of this service: left alone.
    let forged = get_session(&auth, "better-auth.session_token=abc.def", &[]).await;
    assert_eq!((body(&forged), forged.set_cookies.len()), (&Value::Null, 0));
}

#[tokio::test]
async fn changing_the_user_or_the_active_organization_sends_the_session_cookie_again() {
    let auth = common::sqlite_auth(SECRET).await;
    let signed_up = sign_up(&auth, "slide@example.com").await;
    let cookie = session_pair(&signed_up);
    let check = |response: &Response, what: &str| {
        assert_eq!(response.status, 200, "{what}: {:?}", response.body);
        let sent = set_cookie(response, "session_token").unwrap_or_default();
        assert!(
            sent.starts_with(&format!("{cookie}; Max-Age=604800;")),
            "{what}: {:?}",
            response.set_cookies
        );
        assert!(header(response, "set-auth-token").is_some(), "{what}");
        assert!(set_cookie(response, "dont_remember").is_none(), "{what}");
    };
    let updated = post(&auth, "/update-user", r#"{"name":"Slid"}"#, &cookie).await;
    check(&updated, "update-user");
    let created = post(
        &auth,
        "/organization/create",
        r#"{"name":"Slide","slug":"slide","keepCurrentActiveOrganization":true}"#,
        &cookie,
    )
    .await;
    let organization = body(&created)["id"].as_str().expect("an id").to_owned();
    let active = post(
        &auth,
        "/organization/set-active",
        &json!({ "organizationId": organization }).to_string(),
        &cookie,
    )
    .await;
    check(&active, "set-active");
    let unset = post(
        &auth,
        "/organization/set-active",
        r#"{"organizationId":null}"#,
        &cookie,
    )
    .await;
    check(&unset, "set-active null");
    // Not remembered: a browser-session cookie, and the marker with it.
    let short = sign_in(&auth, "slide@example.com", r#","rememberMe":false"#).await;
    let marker = pair(&short, "dont_remember");
    let cookies = format!("{}; {marker}", session_pair(&short));
    let updated = post(&auth, "/update-user", r#"{"name":"Short"}"#, &cookies).await;
    let sent = set_cookie(&updated, "session_token").expect("the session cookie");
    assert!(!sent.contains("Max-Age"), "{sent}");
    assert!(set_cookie(&updated, "dont_remember").is_some_and(|c| c.starts_with(&marker)));
}

#[tokio::test]
async fn set_auth_token_is_the_decoded_cookie_value() {
    let auth = common::sqlite_auth(SECRET).await;
    let signed_up = sign_up(&auth, "bearer@example.com").await;
    let token = header(&signed_up, "set-auth-token").expect("set-auth-token");
    let raw = session_pair(&signed_up);
    let raw = raw.split_once('=').expect("a value").1;
    assert!(raw.contains('%'), "the cookie value is URL-encoded: {raw}");
    assert!(!token.contains('%'), "{token}");
    let (value, signature) = token.split_once('.').expect("<token>.<signature>");
    assert_eq!(value, body(&signed_up)["token"]);
    assert!(signature.ends_with('='), "{token}");
    assert_eq!(
        raw.replace("%2B", "+")
            .replace("%2F", "/")
            .replace("%3D", "="),
        token
    );
    // And the token works as a bearer token.
    let bearer = format!("Bearer {token}");
    let session = get_session(&auth, "", &[("authorization", &bearer)]).await;
    assert_eq!(body(&session)["user"]["email"], "bearer@example.com");
}

#[tokio::test]
async fn remembered_sign_ins_clear_only_a_marker_the_browser_sends() {
    let auth = common::sqlite_auth(SECRET).await;
    let signed_up = sign_up(&auth, "remember@example.com").await;
    assert_eq!(set_cookie(&signed_up, "dont_remember"), None, "sign-up");
    let signed_in = sign_in(&auth, "remember@example.com", "").await;
    assert_eq!(set_cookie(&signed_in, "dont_remember"), None, "sign-in");
    let anonymous = post(&auth, "/sign-in/anonymous", "{}", "").await;
    assert_eq!(anonymous.status, 200, "{:?}", anonymous.body);
    assert_eq!(set_cookie(&anonymous, "dont_remember"), None, "anonymous");
    // A remembered sign-in from a browser that still sends an earlier session's marker clears
    // it, as Better Auth 1.7's setSessionCookie does.
    let short = sign_in(&auth, "remember@example.com", r#","rememberMe":false"#).await;
    let marker = pair(&short, "dont_remember");
    let credentials = r#"{"email":"remember@example.com","password":"wire password"}"#;
    let again = post(&auth, "/sign-in/email", credentials, &marker).await;
    assert_eq!(again.status, 200, "{:?}", again.body);
    assert!(
        set_cookie(&again, "dont_remember").is_some_and(|c| c.contains("Max-Age=0")),
        "the marker is cleared: {:?}",
        again.set_cookies
    );
    // A two-factor challenge of a remembered sign-in clears only the session cookies.
    two_factor_on(auth.pool(), body(&signed_up)).await;
    let challenged = sign_in(&auth, "remember@example.com", "").await;
    assert_eq!(body(&challenged)["twoFactorRedirect"], true);
    assert_eq!(
        set_cookie(&challenged, "dont_remember"),
        None,
        "2FA challenge"
    );
    assert!(set_cookie(&challenged, "session_token").is_some_and(|c| c.contains("Max-Age=0")));
}

#[tokio::test]
async fn an_api_key_session_is_answered_as_better_auth_answers_it() {
    let auth = common::sqlite_auth(SECRET).await;
    let cookie = session_pair(&sign_up(&auth, "key@example.com").await);
    let created = post(&auth, "/api-key/create", r#"{"name":"k"}"#, &cookie).await;
    let key = body(&created)["key"].as_str().expect("a key").to_owned();
    let session = get_session(&auth, "", &[("x-api-key", &key), ("user-agent", "wire")]).await;
    assert_eq!(session.status, 200, "{:?}", session.body);
    let answer = body(&session);
    assert_eq!(answer["user"]["email"], "key@example.com");
    let s = answer["session"].as_object().expect("a session");
    assert_eq!(s.get("ipAddress"), Some(&Value::Null), "{answer}");
    assert_eq!(s.get("userAgent"), Some(&json!("wire")), "{answer}");
    assert_eq!(s.get("token"), Some(&json!(key)));
    for absent in ["activeOrganizationId", "activeTeamId", "impersonatedBy"] {
        assert!(!s.contains_key(absent), "{absent}: {answer}");
    }
    for absent in ["set-auth-jwt", "cache-control", "pragma", "set-auth-token"] {
        assert_eq!(
            header(&session, absent),
            None,
            "{absent}: {:?}",
            session.headers
        );
    }
    assert!(session.set_cookies.is_empty(), "{:?}", session.set_cookies);
    // Deliberately not Better Auth's ~10 minutes: a key without expiry stands for a session of
    // `[session] expires_in` (7 days).
    let expires = time::OffsetDateTime::parse(
        s["expiresAt"].as_str().expect("a date"),
        &time::format_description::well_known::Rfc3339,
    )
    .expect("ISO");
    let left = expires - time::OffsetDateTime::now_utc();
    assert!(
        left > time::Duration::days(7) - time::Duration::minutes(1)
            && left <= time::Duration::days(7),
        "{left}"
    );
}

#[tokio::test]
async fn emailed_codes_are_offered_only_when_on() {
    // `[plugins.two-factor]` with its defaults: codes by email.
    let on = common::sqlite_auth(SECRET).await;
    let signed_up = sign_up(&on, "otp-on@example.com").await;
    two_factor_on(on.pool(), body(&signed_up)).await;
    let challenged = sign_in(&on, "otp-on@example.com", "").await;
    assert_eq!(body(&challenged)["twoFactorMethods"], json!(["otp"]));

    // The actix-web SQLite module, on the same database, has `otp = false`.
    use rauth_generated_check::auth_sqlite_actix as off;
    let keyring = off::Keyring::parse(Some(SECRET), None).expect("keyring");
    let auth = off::Auth::new(on.pool().clone(), keyring);
    let auth = &auth;
    let handle = |r: Request| async move {
        let r = off::Request {
            method: r.method,
            path: r.path,
            headers: r.headers,
            body: r.body,
            ip: r.ip,
            query: r.query,
        };
        auth.handle(&r).await
    };
    let signed_up = sign_up(&on, "otp-off@example.com").await;
    two_factor_on(on.pool(), body(&signed_up)).await;
    let challenged = handle(sign_in_request("otp-off@example.com", "")).await;
    let answer = challenged.body.expect("a body");
    assert_eq!(answer["twoFactorMethods"], json!([]), "{answer}");
    let two_factor = challenged
        .set_cookies
        .iter()
        .find(|c| c.starts_with("better-auth.two_factor="))
        .and_then(|c| c.split(';').next())
        .expect("the challenge cookie");
    let sent = handle(request(
        "POST",
        "/two-factor/send-otp",
        "{}",
        two_factor,
        &[],
    ))
    .await;
    assert_eq!(
        (sent.status, &sent.body.expect("an error")["code"]),
        (400, &json!("OTP_NOT_CONFIGURED"))
    );
}
