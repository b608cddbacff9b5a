//! The app as an OAuth 2.1 / OpenID Connect provider (`[plugins.oauth-provider]`), driven by a
//! relying party nobody here wrote: panva's `openid-client` runs discovery, the authorization
//! code flow with PKCE through the app's login and consent pages, ID token validation,
//! userinfo, refresh with rotation, introspection and revocation, then the attacks (a code used
//! twice, a redirect URI with a slash or a query added, a wrong verifier, no PKCE, no secret, a
//! refresh token replayed after rotation). The database then holds secrets and tokens only as
//! Better Auth stores them: hashed. Last, Better Auth's own OAuth provider runs beside the app on
//! one database, and each takes what the other made: clients, signed requests, consents, codes
//! and tokens.

use crate::cross_server;
use crate::db::{self, TestDb};
use crate::support::Project;
use crate::{ONE_APP_AT_A_TIME, ORIGIN, build_small_app_edited, node_script, npm_project, start};

/// The issuer: `[app] base_url` of every app `rauth new` makes, and its base path.
const ISSUER: &str = "http://localhost:3000/api/auth";

#[test]
fn oauth_provider_axum_sqlite() {
    an_openid_client_signs_in(("axum", "sqlite"), "oauth-provider-axum.lock");
}

#[test]
fn oauth_provider_actix_web_postgres() {
    an_openid_client_signs_in(("actix-web", "postgres"), "oauth-provider-actix-web.lock");
}

#[test]
fn oauth_provider_axum_mysql() {
    an_openid_client_signs_in(("axum", "mysql"), "oauth-provider-axum-mysql.lock");
}

fn an_openid_client_signs_in((framework, dialect): (&str, &'static str), lockfile: &str) {
    if db::skipped() {
        return;
    }
    let _turn = ONE_APP_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    // The axum apps get an API of their own that takes the provider's tokens (the README's).
    let with_api = framework == "axum";
    let (project, binary) = build_small_app_edited(
        "e2e_oauth_provider",
        (framework, dialect),
        "[plugins.jwt]\n[plugins.oauth-provider]\nlogin_page = \"/login\"\nresources = [\"http://localhost:3000/notes\", \"http://localhost:3000/other\"]\nallow_dynamic_client_registration = true\nallow_unauthenticated_client_registration = true\n",
        "",
        lockfile,
        |project| {
            if with_api {
                add_api(project);
            }
        },
    );
    let db = TestDb::create(dialect);
    let app = start(&binary, &project.file("app"), &db.url);
    npm_project("npm-client");
    let base_url = app.client.base_url();
    let (trusted_id, trusted_secret) = register_trusted_client(&project, &db);
    let mut args = vec![
        base_url.as_str(),
        ORIGIN.1,
        ISSUER,
        &trusted_id,
        &trusted_secret,
    ];
    if with_api {
        args.push("/notes");
    }
    let mut got = node_script("oauth-provider.mjs", dialect, &args);
    if with_api {
        let api = got.as_object_mut().unwrap().remove("api");
        let expected_api = expected_api_answers();
        assert_eq!(
            api,
            Some(expected_api),
            "{framework} on {dialect}: the app's API"
        );
    }
    assert_eq!(got, expected_answers(), "{framework} on {dialect}");
    stored_hashed(&db);
    drop(app);
    with_better_auth(&binary, (framework, dialect));
}

/// What `oauth-provider.mjs` answers at each step when the provider is right.
fn expected_answers() -> serde_json::Value {
    serde_json::json!({
        "registered": { "status": 201, "secret": true, "method": "client_secret_basic" },
        "discovered": true,
        "toLogin": true,
        "signedIn": { "status": 200, "redirect": true, "toConsent": true },
        "tamperedQuery": 400,
        "crossSiteConsent": 403,
        "consented": { "status": 200, "toClient": true, "state": true, "iss": ISSUER },
        "tokens": {
            "type": "bearer", "scope": "openid profile email offline_access", "refresh": true,
            "idTokenSigned": "EdDSA", "nonce": true, "profileInIdToken": false,
        },
        "userinfo": {
            "email": true, "name": "Grace Brewster Hopper", "given": "Grace Brewster",
            "family": "Hopper", "verified": false,
        },
        "introspected": { "active": true, "sub": true, "client": true },
        "refreshed": true,
        "replayedRefresh": "invalid_grant",
        "familyRevoked": "invalid_grant",
        "refreshedAccessAfterReplay": false,
        "remembered": true,
        "wrongVerifier": "invalid_grant",
        "formPost": { "status": 200, "action": true, "noCodeInUrl": true, "tokens": true },
        "codeReused": "invalid_grant",
        "firstUseRevoked": true,
        "slashAdded": "invalid_redirect",
        "queryAdded": "invalid_redirect",
        "withoutPkce": "invalid_request",
        "promptNone": "login_required",
        "withoutSecret": { "status": 400, "error": "invalid_client" },
        "revoked": { "refresh": "invalid_grant", "access": false },
        "trustedSkipsConsent": true,
        "endSession": {
            "sid": true,
            "unsigned": "no redirect: 401",
            "hmacWithPublicKey": "no redirect: 401",
            "fromAnotherBrowser": "no redirect: 400",
            "stillSignedIn": true,
            "signedOut": "https://rp.example/signed-out?state=bye",
            "sessionGone": true,
        },
        "clientCredentials": {
            "scope": "api:read", "refresh": false, "idToken": false, "active": true,
            "sub": null, "userScope": "invalid_scope",
        },
        "dynamicRegistration": {
            "public": true, "secret": false, "signedIn": true,
            "confidentialWithoutSession": "invalid_client_metadata",
        },
        "kept": true,
    })
}

/// What it answers of the app's own API (`notes`), on the apps that have it.
fn expected_api_answers() -> serde_json::Value {
    serde_json::json!({
        "anonymous": 401, "authorizationServers": [ISSUER], "jwt": true, "withToken": 200,
        "user": true, "forAnotherApi": 401, "opaque": 401, "madeUp": 401, "userinfo": true,
        "introspected": {
            "active": true,
            "aud": ["http://localhost:3000/notes", format!("{ISSUER}/oauth2/userinfo")],
        },
        "unknownResource": "invalid_target",
    })
}

/// Better Auth's own OAuth provider and the app on one database (made by Better Auth's
/// migrator, adopted by the app) with one secret: clients, codes, consents and tokens made by
/// either are taken by the other (`npm-client/oauth-provider-interop.mjs`).
fn with_better_auth(binary: &std::path::Path, (framework, dialect): (&str, &'static str)) {
    let db = TestDb::create(dialect);
    let secret = cross_server::secret();
    let work = cross_server::workdir();
    let better_auth = cross_server::better_auth_with(
        framework,
        &work.path().join("better-auth"),
        &db,
        &secret,
        "86400",
        &[("PLUGINS", "oauth-provider"), ("JWT_ALG", "EdDSA")],
    );
    // Run where no `.env` is: the app's own would give it another secret than Better Auth's.
    let app = cross_server::generated(binary, &work.path().join("rauth"), &db, &secret);
    let (rauth_url, better_auth_url) = (app.client.base_url(), better_auth.client.base_url());
    let got = node_script(
        "oauth-provider-interop.mjs",
        dialect,
        &[&rauth_url, &better_auth_url, ORIGIN.1, ISSUER],
    );
    let expected = serde_json::json!({
        "betterAuthClientThroughRauth": { "code": true, "idToken": true },
        "rauthReadsBetterAuthToken": { "userinfo": true, "introspected": true },
        "rauthRotatesBetterAuthRefresh": true,
        "betterAuthSeesTheRotation": "invalid_grant",
        "betterAuthToLogin": true,
        "rauthContinuesBetterAuthRequest": { "status": 200, "toConsent": true },
        "betterAuthTakesRauthConsentQuery": 200,
        "rauthRedeemsBetterAuthCode": true,
        "betterAuthReadsRauthToken": { "userinfo": true, "introspected": true },
    });
    assert_eq!(got, expected, "{dialect}: rauth beside Better Auth");
}

/// A trusted client, registered as an operator does, with `rauth oauth-client create`: consent
/// skipped, RP-initiated logout allowed (back to `https://rp.example/signed-out`), and the client
/// credentials grant for `api:read`. Its id and secret, as the command printed them.
fn register_trusted_client(project: &Project, db: &TestDb) -> (String, String) {
    let created = project
        .rauth(&[
            "-c",
            "app/rauth.toml",
            "oauth-client",
            "create",
            "--name",
            "Trusted",
            "--redirect-uri",
            "https://rp.example/callback",
            "--trusted",
            "--end-session",
            "--post-logout-redirect-uri",
            "https://rp.example/signed-out",
            "--client-credentials-scope",
            "api:read",
            "--database-url",
            &db.url,
        ])
        .success();
    let printed = |key: &str| {
        created
            .stdout
            .lines()
            .find_map(|line| line.strip_prefix(key))
            .unwrap_or_else(|| panic!("no {key} in:\n{}", created.stdout))
            .to_owned()
    };
    (printed("client_id="), printed("client_secret="))
}

/// Client secrets and tokens are in the database only as `base64url(SHA-256)`, 43 characters,
/// as Better Auth stores them: a leaked table holds no usable credential.
fn stored_hashed(db: &TestDb) {
    let q = crate::plugins::quote(db.dialect);
    for (table, column) in [
        ("oauthClient", "clientSecret"),
        ("oauthAccessToken", "token"),
        ("oauthRefreshToken", "token"),
    ] {
        // Public clients have no secret.
        let values = db.query(&format!(
            "SELECT {q}{column}{q} FROM {q}{table}{q} WHERE {q}{column}{q} IS NOT NULL"
        ));
        let values: Vec<&str> = values
            .lines()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .collect();
        assert!(!values.is_empty(), "{table}: no rows");
        for value in values {
            assert!(
                value.len() == 43
                    && value
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
                "{table}.{column} holds {value:?}, not a SHA-256 in base64url"
            );
        }
    }
}

/// An API route of the app behind `Auth::oauth_access`, and its Protected Resource Metadata
/// (RFC 9728), as the README shows them.
fn add_api(project: &Project) {
    let main = project.read("app/src/main.rs");
    let routes = ".route(\"/me\", get(me))";
    assert!(main.contains(routes), "{main}");
    let main = main.replacen(
        routes,
        &format!(
            "{routes}\n        .route(\"/notes\", get(notes))\n        .route(\"/.well-known/oauth-protected-resource/notes\", get(|| async {{ Json(e2e_oauth_provider::auth::protected_resource_metadata(\"http://localhost:3000/notes\", &[\"openid\", \"email\"])) }}))"
        ),
        1,
    );
    project.write("app/src/main.rs", &format!("{main}{API}"));
}

const API: &str = r#"
/// Notes, for clients holding an access token with the `email` scope.
async fn notes(
    axum::extract::State(auth): axum::extract::State<e2e_oauth_provider::auth::Auth>,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    use axum::http::StatusCode;
    use axum::response::IntoResponse as _;
    use e2e_oauth_provider::auth::oauth_challenge;
    const METADATA: &str = "http://localhost:3000/.well-known/oauth-protected-resource/notes";
    let authorization = headers.get("authorization").and_then(|v| v.to_str().ok());
    match auth.oauth_access(authorization, Some("http://localhost:3000/notes")).await {
        Ok(Some(access)) if access.has_scope("email") => {
            Json(json!({ "user": access.user_id, "client": access.client_id })).into_response()
        }
        Ok(Some(_)) => {
            let challenge = oauth_challenge(METADATA, Some("insufficient_scope"));
            (StatusCode::FORBIDDEN, [("www-authenticate", challenge)]).into_response()
        }
        Ok(None) => {
            let challenge = oauth_challenge(METADATA, None);
            (StatusCode::UNAUTHORIZED, [("www-authenticate", challenge)]).into_response()
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
"#;
