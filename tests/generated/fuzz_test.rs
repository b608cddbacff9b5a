//! Arbitrary requests against the generated endpoint functions: never a panic, never a 500.

mod common;

use std::sync::OnceLock;

use proptest::prelude::*;
use rauth_generated_check::auth_sqlite::Auth;
use rauth_generated_check::auth_sqlite::Request;

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| tokio::runtime::Runtime::new().expect("runtime"))
}

fn auth() -> &'static Auth {
    static AUTH: OnceLock<Auth> = OnceLock::new();
    AUTH.get_or_init(|| {
        runtime().block_on(async {
            common::sqlite_auth("1:fuzz-secret-fuzz-secret-fuzz-secret-fuzz").await
        })
    })
}

const PATHS: &[&str] = &[
    "/ok",
    "/error",
    "/open-api/generate-schema",
    "/reference",
    "/sign-up/email",
    "/sign-in/email",
    "/sign-out",
    "/get-session",
    "/list-sessions",
    "/revoke-session",
    "/revoke-sessions",
    "/revoke-other-sessions",
    "/update-user",
    "/change-password",
    "/verify-password",
    "/request-password-reset",
    "/reset-password",
    "/reset-password/abc",
    "/send-verification-email",
    "/verify-email",
    "/change-email",
    "/delete-user",
    "/delete-user/callback",
    "/api-key/create",
    "/api-key/get",
    "/api-key/list",
    "/api-key/update",
    "/api-key/delete",
    "/sign-in/social",
    "/callback/github",
    "/callback/github/oauth-proxy",
    "/callback//oauth-proxy",
    "/oauth-proxy-callback",
    "/one-tap/callback",
    "/one-time-token/verify",
    "/siwe/nonce",
    "/siwe/verify",
    "/device/code",
    "/.well-known/openid-configuration",
    "/oauth2/authorize",
    "/oauth2/consent",
    "/oauth2/token",
    "/oauth2/userinfo",
    "/oauth2/introspect",
    "/oauth2/revoke",
    "/oauth2/create-client",
    "/oauth2/register",
    "/device/token",
    "/device/approve",
    "/nope",
    "",
];

fn json_value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_owned()),
        any::<bool>().prop_map(|b| b.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        "\\PC{0,40}".prop_map(|s| serde_json::Value::String(s).to_string()),
        Just("\"a@b.co\"".to_owned()),
        Just("\"correct horse battery\"".to_owned()),
        Just("\"x'); DROP TABLE user; --\"".to_owned()),
    ];
    leaf.prop_recursive(2, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::vec(
                (
                    prop::sample::select(vec![
                        "email",
                        "password",
                        "name",
                        "token",
                        "newPassword",
                        "currentPassword",
                        "rememberMe",
                        "callbackURL",
                        "redirectTo",
                        "image",
                        "newEmail",
                        "revokeOtherSessions",
                        "keyId",
                        "expiresIn",
                        "prefix",
                        "metadata",
                        "idToken",
                        "provider",
                        "message",
                        "signature",
                        "client_id",
                        "device_code",
                        "grant_type",
                        "oauth_query",
                        "redirect_uris",
                        "refresh_token",
                        "accept",
                        "x"
                    ]),
                    inner
                ),
                0..5
            )
            .prop_map(|kv| format!(
                "{{{}}}",
                kv.iter()
                    .map(|(k, v)| format!("\"{k}\":{v}"))
                    .collect::<Vec<_>>()
                    .join(",")
            )),
        ]
    })
}

fn request() -> impl Strategy<Value = Request> {
    let body = prop_oneof![
        json_value().prop_map(String::into_bytes),
        "[a-zA-Z%+=&]{0,40}".prop_map(String::into_bytes),
        prop::collection::vec(any::<u8>(), 0..64)
    ];
    let header = prop_oneof![
        Just(("content-type".to_owned(), "application/json".to_owned())),
        Just((
            "content-type".to_owned(),
            "application/x-www-form-urlencoded".to_owned()
        )),
        "\\PC{0,20}".prop_map(|v| ("content-type".to_owned(), v)),
        "\\PC{0,60}".prop_map(|v| (
            "cookie".to_owned(),
            format!("better-auth.session_token={v}")
        )),
        "\\PC{0,30}".prop_map(|v| ("origin".to_owned(), v)),
        "\\PC{0,30}".prop_map(|v| ("x-forwarded-for".to_owned(), v)),
        "\\PC{0,70}".prop_map(|v| ("x-api-key".to_owned(), v)),
    ];
    (
        prop::sample::select(vec!["GET", "POST", "PUT", "DELETE"]),
        prop::sample::select(PATHS),
        prop::collection::vec(header, 0..4),
        body,
        "\\PC{0,30}",
    )
        .prop_map(|(method, path, headers, body, query)| Request {
            method: method.to_owned(),
            path: path.to_owned(),
            headers,
            body,
            ip: Some("127.0.0.1".to_owned()),
            query,
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn no_request_panics_or_fails_with_500(req in request()) {
        let response = runtime().block_on(auth().handle(&req));
        prop_assert!(response.status < 500, "{} {} -> {}: {:?}", req.method, req.path, response.status, response.body);
    }
}
