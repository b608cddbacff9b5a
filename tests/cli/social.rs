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
        generated.stdout.contains("pub(crate) mod social"),
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
fn generated_code_needs_an_http_client_and_a_jwt_verifier() {
    let http = "cargo add reqwest@0.12 --no-default-features --features rustls-tls";
    let jwt = "cargo add jsonwebtoken@11 --no-default-features --features rust_crypto";
    let project = Project::new(
        "[codegen]\ninject = false\n[social.oidc.corp]\nclient_id_env = \"A\"\nclient_secret_env = \"B\"\ndiscovery_url_env = \"C\"\n",
    );
    let run = project.rauth(&["generate", "code"]).success();
    assert!(run.stderr.contains(http), "{}", run.stderr);
    assert!(run.stderr.contains(jwt), "{}", run.stderr);
    assert!(
        project
            .files()
            .contains(&"src/auth/social/id_token.rs".to_owned())
    );
    // GitHub signs no ID tokens: no verifier, no module for it.
    let github = Project::new(
        "[codegen]\ninject = false\n[social.github]\nclient_id_env = \"A\"\nclient_secret_env = \"B\"\n",
    );
    let run = github.rauth(&["generate", "code"]).success();
    assert!(run.stderr.contains(http), "{}", run.stderr);
    assert!(!run.stderr.contains("jsonwebtoken"), "{}", run.stderr);
    assert!(
        !github
            .files()
            .contains(&"src/auth/social/id_token.rs".to_owned())
    );
}

#[test]
fn sign_in_with_apple_is_generated_with_either_client_secret() {
    for secret in [
        "client_secret_env = \"APPLE_SECRET\"\n",
        "team_id = \"TEAM123456\"\nkey_id = \"KEY1234567\"\nprivate_key_env = \"APPLE_KEY\"\napp_bundle_identifier = \"com.example.app\"\n",
    ] {
        let apple = Project::new(&format!(
            "[social.apple]\nclient_id_env = \"APPLE_ID\"\n{secret}"
        ));
        let run = apple.rauth(&["generate", "code", "--stdout"]).success();
        assert!(
            run.stdout.contains("https://appleid.apple.com/auth/keys"),
            "{}",
            run.stderr
        );
        assert_eq!(
            run.stdout.contains("apple_key: Some(AppleKey"),
            secret.contains("team_id"),
            "{secret}"
        );
        assert_eq!(
            run.stdout.contains(r#"audiences: &["com.example.app"]"#),
            secret.contains("app_bundle_identifier"),
            "{secret}"
        );
    }
}

#[test]
fn apple_tables_are_validated() {
    let project = Project::new(
        r#"[social.apple]
client_id_env = "APPLE_ID"
client_secret_env = "APPLE_SECRET"
team_id = "team"
key_id = "KEY1234567"

[social.github]
client_id_env = "GITHUB_CLIENT_ID"
private_key_env = "GITHUB KEY"
app_bundle_identifier = "com.example.app"
"#,
    );
    let run = project.rauth(&["config", "check"]).failure();
    snapshot_settings().bind(|| insta::assert_snapshot!("social_apple_config_errors", run.stderr));
    let neither = Project::new("[social.apple]\nclient_id_env = \"APPLE_ID\"\n");
    let run = neither.rauth(&["config", "check"]).failure();
    assert!(
        run.stderr.contains("`[social.apple]` needs `team_id`, `key_id` and `private_key_env`, or `client_secret_env`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("rauth.toml:1:9"), "{}", run.stderr);
    let partial =
        Project::new("[social.apple]\nclient_id_env = \"APPLE_ID\"\nteam_id = \"TEAM123456\"\n");
    let run = partial.rauth(&["config", "check"]).failure();
    assert!(run.stderr.contains("needs `key_id` too"), "{}", run.stderr);
    assert!(
        run.stderr.contains("needs `private_key_env` too"),
        "{}",
        run.stderr
    );
}
