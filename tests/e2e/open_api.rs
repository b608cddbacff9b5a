//! The `open-api` plugin: the OpenAPI document a generated app serves is the one
//! `rauth generate openapi` prints, a real OpenAPI 3.1 validator accepts it, every operation in
//! it reaches an endpoint of the app (the router and the document come from the same
//! declarations), it documents the operations Better Auth's own `openAPI` plugin documents for
//! the same plugins, and the reference page embeds it.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::db::{self, TestDb};
use crate::http::Client;
use crate::{
    ONE_APP_AT_A_TIME, ORIGIN, build_small_app, node_script, npm_project, shared_target, start_with,
};

/// Every plugin with endpoints that Better Auth's generator knows, and social sign-in.
const PLUGINS: [&str; 17] = [
    "username",
    "two-factor",
    "magic-link",
    "email-otp",
    "organization",
    "admin",
    "jwt",
    "phone-number",
    "anonymous",
    "multi-session",
    "bearer",
    "passkey",
    "api-key",
    "one-time-token",
    "device-authorization",
    "siwe",
    "oauth-proxy",
];

/// What Better Auth 1.7 documents for these plugins and rauth does not serve: `/update-session`,
/// which writes a session's additional fields (`[session.additional_fields]` are columns of the
/// schema only: the generated code neither reads nor writes them).
const NOT_SERVED: [&str; 1] = ["POST /update-session"];

#[test]
fn the_served_document_is_valid_complete_and_matches_the_router() {
    if db::skipped() {
        return;
    }
    let _turn = ONE_APP_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    every_plugin_on_axum();
    reference_page_elsewhere_on_actix();
}

/// What `rauth generate` prints to `cargo add` for [`PLUGINS`] beyond what `rauth new` wrote:
/// siwe's curve and hash, social sign-in's HTTP client.
const DEPENDENCIES: &str = "k256 = \"0.13\"\nsha3 = \"0.10\"\nreqwest = { version = \"0.12\", default-features = false, features = [\"rustls-tls\"] }\n";

fn every_plugin_on_axum() {
    let mut config = String::from(
        "[user]\ndelete_user = true\n[social.github]\nclient_id_env = \"GITHUB_ID\"\nclient_secret_env = \"GITHUB_SECRET\"\n[plugins.open-api]\n",
    );
    for plugin in PLUGINS {
        config.push_str("[plugins.");
        config.push_str(plugin);
        config.push_str("]\n");
        if plugin == "organization" {
            config.push_str("teams = true\ndynamic_access_control = true\n");
        }
    }
    let (project, binary) = build_small_app(
        "e2e_open_api",
        ("axum", "sqlite"),
        &config,
        DEPENDENCIES,
        "open-api-axum.lock",
    );
    let printed: Value = serde_json::from_str(
        &project
            .rauth(&["-c", "app/rauth.toml", "generate", "openapi"])
            .success()
            .stdout,
    )
    .unwrap();

    let db = TestDb::create("sqlite");
    let app = start_with(
        &binary,
        &project.file("app"),
        &db.url,
        &[
            ("GITHUB_ID", "id"),
            ("GITHUB_SECRET", "secret"),
            ("AUTH_RATE_LIMIT", "off"),
        ],
    );
    let c = &app.client;
    let served = c.get("/api/auth/open-api/generate-schema", &[]).unwrap();
    assert_eq!(served.status, 200, "{}", served.body);
    assert_eq!(served.header("content-type"), Some("application/json"));
    let document = served.json();
    assert_eq!(
        document, printed,
        "the served document is not the one `rauth generate openapi` prints"
    );

    assert_valid(&document);
    every_operation_is_served(c, &document);
    same_operations_as_better_auth(&document);
    error_page_escapes_what_it_shows(c);

    let page = c.get("/api/auth/reference", &[]).unwrap();
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(
        embedded_document(&page.body),
        document,
        "the reference page embeds another document"
    );
    assert!(page.body.contains(r#"theme: "default""#), "{}", page.body);
    // Scalar's script, pinned and checked by the browser.
    assert!(
        page.body.contains(r#"integrity="sha384-"#) && page.body.contains("@scalar/api-reference@"),
        "{}",
        page.body
    );
}

/// A custom reference path and theme, on actix-web: the page moved, and its old path is no
/// endpoint.
fn reference_page_elsewhere_on_actix() {
    let config = "[plugins.open-api]\npath = \"/docs\"\ntheme = \"moon\"\n[plugins.two-factor]\n";
    let (project, binary) = build_small_app(
        "e2e_open_api_actix",
        ("actix-web", "sqlite"),
        config,
        "",
        "open-api-actix-web.lock",
    );
    let db = TestDb::create("sqlite");
    let app = start_with(
        &binary,
        &project.file("app"),
        &db.url,
        &[("AUTH_RATE_LIMIT", "off")],
    );
    let c = &app.client;
    let served = c.get("/api/auth/open-api/generate-schema", &[]).unwrap();
    assert_eq!(served.header("content-type"), Some("application/json"));
    let document = served.json();
    assert_valid(&document);
    every_operation_is_served(c, &document);
    assert!(
        document["paths"]["/two-factor/enable"]["post"].is_object(),
        "{document}"
    );
    assert!(
        document["paths"]["/organization/create"].is_null(),
        "a plugin that is not enabled is documented"
    );
    assert!(
        document["paths"]["/delete-user"].is_null(),
        "`/delete-user` is off and documented"
    );

    let page = c.get("/api/auth/docs", &[]).unwrap();
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(page.body.contains(r#"theme: "moon""#), "{}", page.body);
    assert_eq!(embedded_document(&page.body), document);
    let old = c.get("/api/auth/reference", &[]).unwrap();
    assert_eq!((old.status, old.body.as_str()), (404, ""));
}

/// A real OpenAPI 3.1 validator (the specification's JSON Schemas) accepts the document, and
/// refuses it without its `info`: the check can fail.
fn assert_valid(document: &Value) {
    npm_project("npm-client");
    let validate = |document: &Value| {
        let file = shared_target()
            .join("npm-client")
            .join("openapi-under-test.json");
        std::fs::write(&file, document.to_string()).unwrap();
        node_script(
            "openapi-validate.mjs",
            "open-api",
            &[file.to_str().unwrap()],
        )
    };
    let verdict = validate(document);
    assert_eq!(
        verdict,
        json!({ "valid": true, "version": "3.1", "errors": [] })
    );
    let mut broken = document.clone();
    broken.as_object_mut().unwrap().remove("info");
    assert_eq!(
        validate(&broken)["valid"],
        false,
        "the validator accepts a document without `info`"
    );
}

/// Each documented operation reaches an endpoint: whatever it answers (a missing session, a
/// bad body), it is not the router's empty 404. A made-up path is.
fn every_operation_is_served(c: &Client, document: &Value) {
    let mut operations = 0;
    for (path, item) in document["paths"].as_object().unwrap() {
        let url = format!("/api/auth{}", path.replace(['{', '}'], ""));
        for method in item.as_object().unwrap().keys() {
            let method = method.to_uppercase();
            let body = (method != "GET").then_some("{}");
            let headers = [ORIGIN, ("content-type", "application/json")];
            let reply = c.send(&method, &url, &headers, body).unwrap();
            assert!(
                !(reply.status == 404 && reply.body.is_empty()),
                "{method} {path} is documented but no endpoint answers it"
            );
            operations += 1;
        }
    }
    assert!(operations > 20, "{operations} operations");
    let made_up = c
        .send(
            "POST",
            "/api/auth/two-factor/made-up",
            &[ORIGIN],
            Some("{}"),
        )
        .unwrap();
    assert_eq!((made_up.status, made_up.body.as_str()), (404, ""));
}

/// The operations rauth documents are the ones Better Auth's own generator documents for the
/// same plugins, but for [`NOT_SERVED`].
fn same_operations_as_better_auth(document: &Value) {
    let ours: BTreeSet<String> = document["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |m| format!("{} {path}", m.to_uppercase()))
        })
        .collect();
    let theirs: BTreeSet<String> =
        serde_json::from_value(node_script("openapi-better-auth.mjs", "open-api", &PLUGINS))
            .unwrap();
    let invented: Vec<&String> = ours.difference(&theirs).collect();
    assert!(
        invented.is_empty(),
        "documented by rauth, not by Better Auth: {invented:?}"
    );
    let missing: Vec<&str> = theirs.difference(&ours).map(String::as_str).collect();
    assert_eq!(
        missing, NOT_SERVED,
        "documented by Better Auth, not by rauth"
    );
}

/// `/error`, where a failed social sign-in lands by default: the code and description shown,
/// and nothing in them run as HTML.
fn error_page_escapes_what_it_shows(c: &Client) {
    let page = c
        .get(
            "/api/auth/error?error=state_mismatch&error_description=Try%20again",
            &[],
        )
        .unwrap();
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(
        page.header("content-security-policy"),
        Some("default-src 'none'")
    );
    assert!(
        page.body.contains("<code>state_mismatch</code>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("<p>Try again</p>"), "{}", page.body);
    let attack = c
        .get(
            "/api/auth/error?error=%3Cscript%3Ealert(1)%3C%2Fscript%3E&error_description=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
            &[],
        )
        .unwrap();
    assert_eq!(attack.status, 200, "{}", attack.body);
    assert!(
        attack.body.contains("<code>UNKNOWN</code>"),
        "{}",
        attack.body
    );
    assert!(
        attack.body.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{}",
        attack.body
    );
    assert!(
        !attack.body.contains("<img") && !attack.body.contains("<script"),
        "{}",
        attack.body
    );
}

/// The document in the reference page's `<script id="api-reference">` element.
fn embedded_document(page: &str) -> Value {
    let start = page
        .find(r#"type="application/json">"#)
        .expect("the document's element")
        + r#"type="application/json">"#.len();
    let end = start + page[start..].find("</script>").expect("its end");
    serde_json::from_str(&page[start..end]).unwrap()
}
