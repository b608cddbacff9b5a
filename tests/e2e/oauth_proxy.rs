//! The OAuth proxy for preview deployments (`[plugins.oauth-proxy]`). One build runs twice, each
//! on its own database with the same secret: as production (`base_url`, the URL the provider has
//! registered) and as a preview (`AUTH_CURRENT_URL` set to its own URL). The test plays the
//! browser: preview → provider → production's callback → back to the preview, signed in there
//! and nowhere else. Better Auth's own crypto opens what the preview sealed for production, and
//! seals a profile (as a Better Auth production would) that the preview takes.
//!
//! Refused: the hand-back opened in a browser without the flow's state cookie (login CSRF, which
//! Better Auth lets through), the same hand-back twice, a tampered or expired profile, one for
//! another provider, and a state production cannot open.

use crate::db::{self, TestDb};
use crate::generic_oauth::{self, CLIENT_ID, CLIENT_SECRET, CODE};
use crate::http::{Client, Reply};
use crate::social::param;
use crate::{App, ONE_APP_AT_A_TIME, build_small_app, node_script, npm_project, start_with};

/// Production: `base_url` of every app `rauth new` makes.
const PRODUCTION: &str = "http://localhost:3000";
/// The preview's own URL: another origin, trusted by the config `rauth new` writes.
const PREVIEW: &str = "http://127.0.0.1:3000";
const SECRETS: &str = "1:oauth-proxy-test-secret-of-both-deployments-0123456789";
/// How old a handed-back profile may be, in seconds: short, so the test can outwait it.
const MAX_AGE: u64 = 4;

#[test]
fn oauth_proxy_actix_web_sqlite() {
    a_preview_signs_in_through_production(("actix-web", "sqlite"), "oauth-proxy-actix-web.lock");
}

#[test]
fn oauth_proxy_actix_web_mysql() {
    a_preview_signs_in_through_production(
        ("actix-web", "mysql"),
        "oauth-proxy-actix-web-mysql.lock",
    );
}

#[test]
fn oauth_proxy_axum_postgres() {
    a_preview_signs_in_through_production(("axum", "postgres"), "oauth-proxy-axum.lock");
}

fn a_preview_signs_in_through_production(
    (framework, dialect): (&str, &'static str),
    lockfile: &str,
) {
    if db::skipped() {
        return;
    }
    let _turn = ONE_APP_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let stand_in = crate::stub_http::serve(generic_oauth::provider);
    let (project, binary) = build_small_app(
        "e2e_oauth_proxy",
        (framework, dialect),
        &format!(
            "{}\n[plugins.oauth-proxy]\nmax_age = {MAX_AGE}\n",
            generic_oauth::provider_config(&stand_in)
        ),
        generic_oauth::DEPENDENCIES,
        lockfile,
    );
    let (production_db, preview_db) = (TestDb::create(dialect), TestDb::create(dialect));
    let provider = [
        ("PLAIN_CLIENT_ID", CLIENT_ID),
        ("PLAIN_CLIENT_SECRET", CLIENT_SECRET),
        ("AUTH_SECRETS", SECRETS),
    ];
    let dir = project.file("app");
    let production = start_with(&binary, &dir, &production_db.url, &provider);
    let preview_env = [provider.as_slice(), &[("AUTH_CURRENT_URL", PREVIEW)]].concat();
    let preview = start_with(&binary, &dir, &preview_db.url, &preview_env);
    npm_project("npm-client");
    let both = Deployments {
        production,
        preview,
        production_db,
        preview_db,
    };
    let (handed, state_cookie) = sealed_for_production(&both, &stand_in);
    hand_back_refused(&both, &handed, &state_cookie);
    let session = signed_in_on_the_preview(&both, &handed, &state_cookie);
    proxied_link(&both, &session);
    expired_profile_refused(&both);
    better_auth_profile_taken(&both);
    not_proxied(&both);
}

/// Production and the preview, each with its database.
struct Deployments {
    production: App,
    preview: App,
    production_db: TestDb,
    preview_db: TestDb,
}

impl Deployments {
    /// SQL over one of the databases with `{name}` quoted for the dialect: `SELECT {email} …`.
    fn sql(db: &TestDb, sql: &str) -> String {
        let q = crate::plugins::quote(db.dialect);
        db.query(
            &sql.replace('{', &q.to_string())
                .replace('}', &q.to_string()),
        )
    }

    /// How many users production has: it signs no one in for a preview.
    fn production_users(&self) -> String {
        Self::sql(&self.production_db, "SELECT count(*) FROM {user}")
            .trim()
            .to_owned()
    }
}

/// A flow started at the preview, through production: production's answer, and the preview
/// browser's state cookie.
fn sealed_for_production(both: &Deployments, stand_in: &str) -> (HandBack, String) {
    let Deployments {
        production,
        preview,
        preview_db,
        ..
    } = both;
    // The flow starts at the preview: production's redirect URI, a state sealed for production.
    let (url, state_cookie) = start(&preview.client, &[]);
    assert!(url.starts_with(&format!("{stand_in}/authorize?")), "{url}");
    assert_eq!(
        param(&url, "redirect_uri").as_deref(),
        Some(&*format!("{PRODUCTION}/api/auth/callback/plain"))
    );
    let sealed = param(&url, "state").unwrap();
    assert!(sealed.starts_with("$ba$1$"), "{sealed}");
    // Better Auth's crypto opens it: the package of its oAuthProxy plugin, the stored flow inside.
    let package = open("oauth-proxy-package", &sealed);
    assert_eq!(package["isOAuthProxy"], true, "{package}");
    let state = package["state"].as_str().unwrap();
    let flow = open(
        "oauth-proxy-state",
        package["stateCookie"].as_str().unwrap(),
    );
    assert_eq!(flow["oauthState"], state, "{flow}");
    assert!(
        flow["callbackURL"].as_str().unwrap().starts_with(&format!(
            "{PREVIEW}/api/auth/callback/plain/oauth-proxy?callbackURL="
        )),
        "{flow}"
    );
    // Stored at the preview as Better Auth stores a flow, which a Better Auth preview would find.
    assert!(
        preview_db
            .query("SELECT identifier FROM verification")
            .lines()
            .any(|id| id == format!("auth-state:{state}"))
    );

    // A state production cannot open is an ordinary flow's, and not one of production's.
    turned_away(
        production,
        &format!("/api/auth/callback/plain?code={CODE}&state=not-a-package"),
        "",
        "state_mismatch",
    );

    // The provider sends the browser to production, which hands the profile back to the preview.
    let handed = hand_back(production, &sealed);
    assert_eq!(both.production_users(), "0");
    assert!(handed.set_cookie("better-auth.session_token").is_none());
    // The profile is one a Better Auth preview takes: its shape, under Better Auth's schemas.
    let profile = param(&handed.path, "profile").unwrap();
    let payload = &node_script(
        "oauth-proxy-crypto.mjs",
        "oauth-proxy",
        &[SECRETS, "profile", "oauth-proxy-profile", &profile],
    )["payload"];
    assert_eq!(payload["state"], state, "{payload}");
    assert_eq!(payload["callbackURL"], "/dashboard", "{payload}");
    assert_eq!(payload["errorURL"], "/oops", "{payload}");
    assert_eq!(payload["account"]["providerId"], "plain", "{payload}");
    assert_eq!(payload["account"]["accountId"], "4242", "{payload}");
    assert_eq!(payload["userInfo"]["emailVerified"], true, "{payload}");
    assert!(payload.get("newUserURL").is_none(), "{payload}");
    (handed, state_cookie)
}

/// The hand-back in another browser, tampered with, or for another provider.
fn hand_back_refused(both: &Deployments, handed: &HandBack, state_cookie: &str) {
    let preview = &both.preview;
    // Without the app's callback URL (Better Auth's query schema requires it), or with a foreign one.
    let without = handed.path.replacen("callbackURL=%2Fdashboard&", "", 1);
    let refused = preview
        .client
        .get(&without, &[("cookie", state_cookie)])
        .unwrap();
    assert_eq!(refused.status, 400, "{}", refused.body);
    let foreign = handed
        .path
        .replacen("%2Fdashboard", "https%3A%2F%2Fevil.example%2F", 1);
    let refused = preview
        .client
        .get(&foreign, &[("cookie", state_cookie)])
        .unwrap();
    assert_eq!(refused.status, 403, "{}", refused.body);

    // The hand-back in another browser (no state cookie): refused, and the flow still stands.
    turned_away(preview, &handed.path, "", "state_mismatch");
    // A tampered profile, and one for another provider.
    let tampered = handed
        .path
        .replacen("profile=%24ba%241%24", "profile=%24ba%241%240", 1);
    turned_away(preview, &tampered, state_cookie, "invalid_profile");
    let elsewhere = handed
        .path
        .replacen("/callback/plain/", "/callback/github/", 1);
    turned_away(preview, &elsewhere, state_cookie, "provider_mismatch");
}

/// The hand-back from the browser that started the flow: signed in at the preview only, once.
fn signed_in_on_the_preview(both: &Deployments, handed: &HandBack, state_cookie: &str) -> String {
    let Deployments {
        preview,
        preview_db,
        ..
    } = both;
    let signed_in = preview
        .client
        .get(&handed.path, &[("cookie", state_cookie)])
        .unwrap();
    assert_eq!(redirect(&signed_in), "/dashboard", "{signed_in:?}");
    let session = signed_in.cookie("better-auth.session_token").unwrap();
    let me = preview
        .client
        .get("/api/auth/get-session", &[("cookie", &session)])
        .unwrap()
        .json();
    assert_eq!(me["user"]["email"], "plain@example.com", "{me}");
    assert_eq!(
        Deployments::sql(preview_db, "SELECT {accountId}, {providerId} FROM account").trim(),
        "4242\tplain"
    );
    assert_eq!(both.production_users(), "0");
    // Single use: the same hand-back again finds no flow.
    turned_away(preview, &handed.path, state_cookie, "state_mismatch");
    session
}

/// `/link-social` on the preview goes through production as well, and its end links the
/// provider's account to the signed-in user, without a new session.
fn proxied_link(both: &Deployments, session: &str) {
    let (url, state_cookie) = start_at(
        &both.preview.client,
        "/api/auth/link-social",
        &[("cookie", session)],
    );
    let handed = hand_back(&both.production, &param(&url, "state").unwrap());
    let cookies = format!("{state_cookie}; {session}");
    let linked = both
        .preview
        .client
        .get(&handed.path, &[("cookie", &cookies)])
        .unwrap();
    assert_eq!(redirect(&linked), "/dashboard", "{linked:?}");
    assert!(linked.set_cookie("better-auth.session_token").is_none());
    let flow = open(
        "oauth-proxy-state",
        open("oauth-proxy-package", &param(&url, "state").unwrap())["stateCookie"]
            .as_str()
            .unwrap(),
    );
    assert!(
        flow["link"]["encryptedSessionToken"].is_string(),
        "the link is bound to its session: {flow}"
    );
}

/// A profile older than `max_age`.
fn expired_profile_refused(both: &Deployments) {
    let Deployments {
        production,
        preview,
        ..
    } = both;
    // A profile older than `max_age` is refused.
    let (url, state_cookie) = start(&preview.client, &[]);
    let late = hand_back(production, &param(&url, "state").unwrap());
    std::thread::sleep(std::time::Duration::from_secs(MAX_AGE + 2));
    turned_away(preview, &late.path, &state_cookie, "payload_expired");
}

fn better_auth_profile_taken(both: &Deployments) {
    let Deployments {
        preview,
        preview_db,
        ..
    } = both;
    // A profile sealed by Better Auth's crypto, as a Better Auth production hands it back, to
    // Better Auth's older end, which names no provider.
    let (url, state_cookie) = start(&preview.client, &[]);
    let state = open("oauth-proxy-package", &param(&url, "state").unwrap())["state"]
        .as_str()
        .unwrap()
        .to_owned();
    let payload = serde_json::json!({
        "userInfo": { "id": "77", "email": "Grace@Example.com", "name": "Grace", "emailVerified": true },
        "account": { "providerId": "plain", "accountId": "77", "accessToken": "t", "scope": "read:user", "accessTokenExpiresAt": "2030-01-01T00:00:00.000Z" },
        "scopes": ["read:user"],
        "state": state,
        "callbackURL": "/dashboard",
        "errorURL": "/oops",
        "timestamp": u64::try_from(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis()).unwrap(),
    });
    let profile = node_script(
        "oauth-proxy-crypto.mjs",
        "oauth-proxy",
        &[SECRETS, "seal", "oauth-proxy-profile", &payload.to_string()],
    )["sealed"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!(
        "/api/auth/oauth-proxy-callback?callbackURL=%2Fdashboard&profile={}",
        profile.replace('$', "%24")
    );
    let grace = preview
        .client
        .get(&path, &[("cookie", &state_cookie)])
        .unwrap();
    assert_eq!(redirect(&grace), "/dashboard", "{grace:?}");
    assert!(grace.cookie("better-auth.session_token").is_some());
    assert!(Deployments::sql(preview_db, "SELECT email FROM {user}").contains("grace@example.com"));
}

fn not_proxied(both: &Deployments) {
    let Deployments {
        production,
        preview,
        ..
    } = both;
    // Production's own sign-ins are not proxied, nor a preview's that asks to skip.
    let (url, state_cookie) = start(&production.client, &[]);
    let own = param(&url, "state").unwrap();
    assert_eq!(own.len(), 32, "{own}");
    let signed_in = production
        .client
        .get(
            &format!("/api/auth/callback/plain?code={CODE}&state={own}"),
            &[("cookie", &state_cookie)],
        )
        .unwrap();
    assert_eq!(redirect(&signed_in), "/dashboard", "{signed_in:?}");
    let (url, _) = start(&preview.client, &[("x-skip-oauth-proxy", "1")]);
    assert_eq!(param(&url, "state").unwrap().len(), 32, "{url}");
}

/// `/sign-in/social` with the stand-in: its authorization URL and the state cookie.
fn start(c: &Client, headers: &[(&str, &str)]) -> (String, String) {
    start_at(c, "/api/auth/sign-in/social", headers)
}

/// The same start at `path` (`/link-social`).
fn start_at(c: &Client, path: &str, headers: &[(&str, &str)]) -> (String, String) {
    let headers = [headers, &[("origin", PREVIEW)]].concat();
    let started = c
        .post_json(
            path,
            r#"{"provider":"plain","callbackURL":"/dashboard","errorCallbackURL":"/oops"}"#,
            &headers,
        )
        .unwrap();
    assert_eq!(started.status, 200, "{}", started.body);
    let url = started.json()["url"].as_str().unwrap().to_owned();
    (url, started.cookie("better-auth.state").unwrap())
}

/// Production's answer to the provider's redirect with `state`: where it sends the browser.
struct HandBack {
    reply: Reply,
    /// The path and query at the preview.
    path: String,
}

impl HandBack {
    fn set_cookie(&self, name: &str) -> Option<&str> {
        self.reply.set_cookie(name)
    }
}

fn hand_back(production: &App, state: &str) -> HandBack {
    let query = format!("code={CODE}&state={}", encode(state));
    let reply = production
        .client
        .get(&format!("/api/auth/callback/plain?{query}"), &[])
        .unwrap();
    let location = redirect(&reply).to_owned();
    let path = location
        .strip_prefix(PREVIEW)
        .unwrap_or_else(|| panic!("not back to the preview: {location}"))
        .to_owned();
    assert!(
        path.starts_with("/api/auth/callback/plain/oauth-proxy?callbackURL=%2Fdashboard&profile="),
        "{path}"
    );
    HandBack { reply, path }
}

/// `path` at `app` from a browser holding `cookie` (none when empty): sent to an error page with
/// `error=<code>`, and no session.
fn turned_away(app: &App, path: &str, cookie: &str, code: &str) {
    let headers: Vec<(&str, &str)> = if cookie.is_empty() {
        Vec::new()
    } else {
        vec![("cookie", cookie)]
    };
    let reply = app.client.get(path, &headers).unwrap();
    assert!(
        redirect(&reply).contains(&format!("error={code}")),
        "{path}: {reply:?}"
    );
    assert!(
        reply.set_cookie("better-auth.session_token").is_none(),
        "{path}"
    );
}

/// The `Location` of a redirect.
fn redirect(reply: &Reply) -> &str {
    assert_eq!(reply.status, 302, "{}", reply.body);
    reply.header("location").unwrap_or_default()
}

/// What Better Auth's crypto opens of `sealed` under `purpose`, parsed.
fn open(purpose: &str, sealed: &str) -> serde_json::Value {
    let opened = node_script(
        "oauth-proxy-crypto.mjs",
        "oauth-proxy",
        &[SECRETS, "open", purpose, sealed],
    );
    serde_json::from_str(opened["plain"].as_str().unwrap()).unwrap()
}

/// A query value, percent-encoded.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
