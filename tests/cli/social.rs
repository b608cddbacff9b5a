//! `[social.*]` and `[account]`: redirect URIs checked against the server's callback URL (a
//! warning, not an error), validation of the provider tables, and what generation needs.

use crate::support::{Project, snapshot_settings};

const PROVIDERS: &str = r#"[app]
base_url = "https://auth.example.com"

[social.github]
client_id_env = "GITHUB_CLIENT_ID"
client_secret_env = "GITHUB_CLIENT_SECRET"
redirect_uri = "https://auth.example.com/api/auth/callback/github"

[social.google]
client_id_env = "GOOGLE_CLIENT_ID"
client_secret_env = "GOOGLE_CLIENT_SECRET"
redirect_uri = "https://auth.example.com/api/auth/callback/google/"

[social.oidc.corp]
client_id_env = "CORP_CLIENT_ID"
client_secret_env = "CORP_CLIENT_SECRET"
discovery_url = "https://id.corp.example/.well-known/openid-configuration"
redirect_uri = "https://www.example.com/api/auth/callback/corp"
"#;

#[test]
fn redirect_uris_that_are_not_the_callback_url_are_warned_about() {
    let project = Project::new(PROVIDERS);
    let run = project.rauth(&["config", "check"]).success();
    // The trailing slash and the other host, not the exact one.
    assert_eq!(run.stderr.matches("warning:").count(), 2, "{}", run.stderr);
    snapshot_settings()
        .bind(|| insta::assert_snapshot!("social_redirect_uri_warnings", run.stderr));
    // `generate` says it too, and still generates.
    let generated = project.rauth(&["generate", "code", "--stdout"]).success();
    assert!(
        generated.stderr.contains(
            "is not this server's callback URL `https://auth.example.com/api/auth/callback/google`"
        ),
        "{}",
        generated.stderr
    );
    assert!(
        generated.stderr.contains("rauth.toml:12:16"),
        "{}",
        generated.stderr
    );
    assert!(
        generated.stdout.contains("pub mod social"),
        "the module is generated"
    );
}

#[test]
fn exact_redirect_uris_and_defaults_give_no_warning() {
    let exact = PROVIDERS
        .replace("callback/google/", "callback/google")
        .replace("https://www.example.com", "https://auth.example.com");
    let run = Project::new(&exact).rauth(&["config", "check"]).success();
    assert!(!run.stderr.contains("warning:"), "{}", run.stderr);
}

#[test]
fn provider_tables_are_validated() {
    let project = Project::new(
        r#"[social.github]
client_id_env = "GITHUB_CLIENT_ID"
client_secret_env = "GITHUB_CLIENT_SECRET"
discovery_url_env = "GITHUB_DISCOVERY"

[social.oidc.corp]
client_id_env = "CORP_CLIENT_ID"
client_secret_env = "CORP_CLIENT_SECRET"
discovery_url = "https://id.corp.example/.well-known/openid-configuration"
discovery_url_env = "CORP_DISCOVERY"
redirect_uri = "/api/auth/callback/corp"

[social.oidc."bad id"]
client_id_env = "X"
client_secret_env = "Y"

[account.account_linking]
trusted_providers = ["githb"]
"#,
    );
    let run = project.rauth(&["config", "check"]).failure();
    snapshot_settings().bind(|| insta::assert_snapshot!("social_config_errors", run.stderr));
}

#[test]
fn generated_code_needs_an_http_client_and_refuses_apple() {
    let project = Project::new(
        "[codegen]\ninject = false\n[social.oidc.corp]\nclient_id_env = \"A\"\nclient_secret_env = \"B\"\ndiscovery_url_env = \"C\"\n",
    );
    let run = project.rauth(&["generate", "code"]).success();
    assert!(
        run.stderr
            .contains("cargo add reqwest@0.12 --no-default-features --features rustls-tls"),
        "{}",
        run.stderr
    );
    let apple = Project::new(
        "[social.apple]\nclient_id_env = \"APPLE_ID\"\nclient_secret_env = \"APPLE_SECRET\"\n",
    );
    let refused = apple.rauth(&["generate", "code", "--stdout"]).failure();
    assert!(
        refused.stderr.contains("Sign in with Apple"),
        "{}",
        refused.stderr
    );
    assert!(refused.stdout.is_empty());
}
