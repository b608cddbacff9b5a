//! Plain OAuth 2.0 providers (Better Auth's genericOAuth with `authorizationUrl`, `tokenUrl` and
//! `userInfoUrl`, no discovery): `[social.oidc.<id>]` with the three endpoints. The provider is
//! a local stand-in that checks what the app sends to its token and userinfo endpoints; the test
//! plays the browser between them. Refused: a code the provider rejects, a callback without the
//! browser's state cookie, and a state used twice.

use std::sync::Mutex;

use crate::db::{self, TestDb};
use crate::http::{Client, Reply};
use crate::social::param;
use crate::stub_http::{self, StubRequest, StubResponse};
use crate::{ONE_APP_AT_A_TIME, ORIGIN, build_small_app, start_with};

pub const CLIENT_ID: &str = "plain-client";
pub const CLIENT_SECRET: &str = "plain-secret";
/// `Basic base64("plain-client:plain-secret")`: `authentication = "basic"`.
const BASIC: &str = "Basic cGxhaW4tY2xpZW50OnBsYWluLXNlY3JldA==";
/// The one code the stand-in accepts, and the access token it answers with.
pub const CODE: &str = "good-code";
const ACCESS_TOKEN: &str = "plain-access-token";

/// The token requests the stand-in received: their `authorization` header and form body.
static TOKEN_REQUESTS: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());

fn json(status: &'static str, body: &str) -> StubResponse {
    StubResponse {
        status,
        content_type: "application/json",
        body: body.to_owned(),
    }
}

/// The provider: `/token` exchanges [`CODE`] for [`ACCESS_TOKEN`] from the client
/// authenticated with HTTP Basic; `/userinfo` answers that token's user, with a numeric `id`
/// and no `sub`, as GitHub-like providers do.
pub fn provider(req: &StubRequest) -> StubResponse {
    match req.path.split('?').next().unwrap_or_default() {
        "/token" => {
            let body = String::from_utf8_lossy(&req.body).into_owned();
            let authorization = req.header("authorization").unwrap_or_default().to_owned();
            TOKEN_REQUESTS
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push((authorization.clone(), body.clone()));
            let code = body
                .split('&')
                .find_map(|pair| pair.strip_prefix("code="))
                .unwrap_or_default();
            if authorization != BASIC || code != CODE {
                return json("400 Bad Request", r#"{"error":"invalid_grant"}"#);
            }
            json(
                "200 OK",
                &format!(
                    r#"{{"access_token":"{ACCESS_TOKEN}","token_type":"Bearer","expires_in":3600}}"#
                ),
            )
        }
        "/userinfo" if req.header("authorization") == Some(&format!("Bearer {ACCESS_TOKEN}")) => {
            json(
                "200 OK",
                r#"{"id":4242,"email":"Plain@Example.com","email_verified":true,"name":"Plain User","picture":"https://img.example/p.png"}"#,
            )
        }
        _ => json("401 Unauthorized", r#"{"error":"invalid_token"}"#),
    }
}

/// The crates social sign-in needs.
pub const DEPENDENCIES: &str = "reqwest = { version = \"0.12\", default-features = false, features = [\"rustls-tls\", \"json\"] }\njsonwebtoken = { version = \"11\", default-features = false, features = [\"rust_crypto\"] }\n";

/// `[social.oidc.plain]`: the stand-in listening at `stand_in`, its client id and secret in the
/// environment as `PLAIN_CLIENT_ID` and `PLAIN_CLIENT_SECRET`.
pub fn provider_config(stand_in: &str) -> String {
    format!(
        "[social.oidc.plain]\nclient_id_env = \"PLAIN_CLIENT_ID\"\nclient_secret_env = \"PLAIN_CLIENT_SECRET\"\nauthorization_url = \"{stand_in}/authorize\"\ntoken_url = \"{stand_in}/token\"\nuser_info_url = \"{stand_in}/userinfo\"\nauthentication = \"basic\"\nscopes = [\"read:user\"]\n"
    )
}

#[test]
fn a_plain_oauth2_provider_signs_in_through_its_configured_endpoints() {
    if db::skipped() {
        return;
    }
    let _turn = ONE_APP_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let stand_in = stub_http::serve(provider);
    // The endpoints are in the generated code: the app is generated once the stand-in listens.
    let (project, binary) = build_small_app(
        "e2e_generic_oauth",
        ("axum", "postgres"),
        &provider_config(&stand_in),
        DEPENDENCIES,
        "generic-oauth-axum.lock",
    );
    let db = TestDb::create("postgres");
    let app = start_with(
        &binary,
        &project.file("app"),
        &db.url,
        &[
            ("PLAIN_CLIENT_ID", CLIENT_ID),
            ("PLAIN_CLIENT_SECRET", CLIENT_SECRET),
        ],
    );
    let c = &app.client;

    let (url, state_cookie) = start(c);
    assert!(url.starts_with(&format!("{stand_in}/authorize?")), "{url}");
    assert_eq!(param(&url, "client_id").as_deref(), Some(CLIENT_ID));
    assert_eq!(param(&url, "response_type").as_deref(), Some("code"));
    assert_eq!(
        param(&url, "code_challenge_method").as_deref(),
        Some("S256")
    );
    assert!(param(&url, "scope").unwrap().contains("read:user"), "{url}");
    // Plain OAuth 2.0: no nonce, as no ID token will carry it back.
    assert_eq!(param(&url, "nonce"), None, "{url}");
    let redirect_uri = param(&url, "redirect_uri").unwrap();
    assert!(
        redirect_uri.ends_with("/api/auth/callback/plain"),
        "{redirect_uri}"
    );
    let state = param(&url, "state").unwrap();

    // A code the provider refuses: back to the error page, no session.
    let refused = callback(c, &state, "forged-code", &state_cookie);
    assert_eq!(refused.status, 302, "{}", refused.body);
    let location = refused.header("location").unwrap_or_default();
    assert!(location.contains("error=invalid_code"), "{location}");
    assert!(refused.set_cookie("better-auth.session_token").is_none());

    let (url, _) = start(c);
    let state = param(&url, "state").unwrap();
    // The provider's redirect without the browser's state cookie (another browser's): refused.
    let stolen = callback(c, &state, CODE, "");
    assert!(stolen.set_cookie("better-auth.session_token").is_none());
    assert!(
        stolen
            .header("location")
            .is_some_and(|l| l.contains("error=")),
        "{:?}",
        stolen.headers
    );

    let (url, state_cookie) = start(c);
    let state = param(&url, "state").unwrap();
    let signed_in = callback(c, &state, CODE, &state_cookie);
    assert_eq!(signed_in.status, 302, "{}", signed_in.body);
    assert_eq!(signed_in.header("location"), Some("/dashboard"));
    let session_cookie = signed_in.cookie("better-auth.session_token").unwrap();
    let session = c
        .get("/api/auth/get-session", &[("cookie", &session_cookie)])
        .unwrap()
        .json();
    assert_eq!(session["user"]["email"], "plain@example.com", "{session}");
    assert_eq!(session["user"]["name"], "Plain User", "{session}");
    let account = db.query("SELECT \"accountId\", \"providerId\" FROM account");
    assert_eq!(account.trim(), "4242\tplain");

    // What reached the token endpoint: the code, its PKCE verifier and the redirect URI.
    let requests = TOKEN_REQUESTS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    let (authorization, body) = requests.last().unwrap();
    assert_eq!(authorization, BASIC);
    assert!(body.contains("grant_type=authorization_code"), "{body}");
    assert!(body.contains("code_verifier="), "{body}");
    assert!(!body.contains(CLIENT_SECRET), "basic, not post: {body}");

    // The state is single use.
    let replayed = callback(c, &state, CODE, &state_cookie);
    assert!(replayed.set_cookie("better-auth.session_token").is_none());
}

/// `/sign-in/social` with the provider: its authorization URL and the state cookie.
fn start(c: &Client) -> (String, String) {
    let started = c
        .post_json(
            "/api/auth/sign-in/social",
            r#"{"provider":"plain","callbackURL":"/dashboard","errorCallbackURL":"/oops"}"#,
            &[ORIGIN],
        )
        .unwrap();
    assert_eq!(started.status, 200, "{}", started.body);
    let url = started.json()["url"].as_str().unwrap().to_owned();
    (url, started.cookie("better-auth.state").unwrap())
}

/// The provider's redirect back to the app, from a browser holding `cookie`.
fn callback(c: &Client, state: &str, code: &str, cookie: &str) -> Reply {
    let path = format!("/api/auth/callback/plain?code={code}&state={state}");
    let headers: Vec<(&str, &str)> = if cookie.is_empty() {
        Vec::new()
    } else {
        vec![("cookie", cookie)]
    };
    c.get(&path, &headers).unwrap()
}
