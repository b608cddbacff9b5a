//! Bad configs: each kind gives one clear error with file:line:col, a caret and a hint.

use crate::support::{Project, snapshot_settings};

fn check(name: &str, config: &str) {
    let project = Project::new(config);
    let run = project.rauth(&["config", "check"]).failure();
    assert!(run.stdout.is_empty(), "errors go to stderr only");
    // The same error stops `generate` before anything is written.
    project.rauth(&["generate", "schema"]).failure();
    assert!(
        project.files().is_empty(),
        "nothing written for {name}: {:?}",
        project.files()
    );
    snapshot_settings()
        .bind(|| insta::assert_snapshot!(format!("config_error_{name}"), run.stderr));
}

#[test]
fn toml_syntax() {
    check("syntax", "[app]\nname = \"Acme\nbase_url = \"http://x\"\n");
}

#[test]
fn unknown_key_suggests_the_right_one() {
    check("unknown_key", "[app]\nnaem = \"Acme\"\n");
}

#[test]
fn unknown_plugin_suggests_the_right_one() {
    check(
        "unknown_plugin",
        "[plugins.username]\n[plugins.two-factr]\n",
    );
}

#[test]
fn unknown_section() {
    check("unknown_section", "[sesion]\nexpires_in = \"7d\"\n");
}

#[test]
fn wrong_type() {
    check(
        "wrong_type",
        "[email_and_password]\nmin_password_length = \"8\"\n",
    );
}

#[test]
fn unknown_enum_value() {
    check("unknown_dialect", "[database]\ndialect = \"postgress\"\n");
}

#[test]
fn bad_duration() {
    check("bad_duration", "[session]\nexpires_in = \"7 days\"\n");
}

#[test]
fn same_site_none_without_secure() {
    check(
        "same_site_none",
        "[app]\nbase_url = \"http://localhost:3000\"\n\n[session]\nsame_site = \"none\"\n",
    );
}

#[test]
fn update_age_longer_than_expiry() {
    check(
        "update_age",
        "[session]\nexpires_in = \"1h\"\nupdate_age = \"1d\"\n",
    );
}

#[test]
fn plugin_that_needs_another() {
    check("plugin_requires", "[plugins.oauth-provider]\n");
}

#[test]
fn one_tap_without_google() {
    check(
        "one_tap_without_google",
        "[plugins.one-tap]\nhosted_domain = \"\"\nkeys_url = \"ftp://keys\"\n",
    );
}

#[test]
fn open_api_page_path_and_theme() {
    check(
        "open_api_path_theme",
        "[plugins.open-api]\npath = \"reference\"\ntheme = \"mon\"\n",
    );
}

#[test]
fn oauth_proxy_without_a_provider() {
    check(
        "oauth_proxy",
        "[plugins.oauth-proxy]\ncurrent_url_env = \"PREVIEW-URL\"\nmax_age = 0\n",
    );
}

#[test]
fn oauth2_provider_endpoints() {
    check(
        "oauth2_endpoints",
        "[social.oidc.plain]\nclient_id_env = \"A\"\nclient_secret_env = \"B\"\nauthorization_url = \"https://auth.example/authorize\"\nuser_info_url = \"auth.example/userinfo\"\ndiscovery_url = \"https://auth.example/.well-known/openid-configuration\"\n\n[social.github]\nclient_id_env = \"C\"\nclient_secret_env = \"D\"\ntoken_url = \"https://github.com/login/oauth/access_token\"\n",
    );
}

#[test]
fn rename_of_a_table_that_does_not_exist() {
    check("unknown_table", "[tables.usr]\nname = \"users\"\n");
}

#[test]
fn rename_of_a_disabled_plugins_table() {
    check(
        "disabled_plugin_table",
        "[tables.twoFactor]\nname = \"two_factor\"\n",
    );
}

#[test]
fn additional_field_that_already_exists() {
    check(
        "duplicate_field",
        "[user.additional_fields.email]\ntype = \"string\"\n",
    );
}

#[test]
fn out_of_range_plugin_option() {
    check("out_of_range", "[plugins.two-factor]\ndigits = 7\n");
}

/// `[plugins.two-factor] otp` turns codes by email on or off: a boolean, nothing else.
#[test]
fn two_factor_otp_is_a_boolean() {
    check("two_factor_otp", "[plugins.two-factor]\notp = \"off\"\n");
}

#[test]
fn two_factor_otp_misspelled() {
    check("two_factor_otp_key", "[plugins.two-factor]\nopt = false\n");
}

#[test]
fn passkey_rp_id_and_origin_that_webauthn_cannot_match() {
    check(
        "passkey",
        "[plugins.passkey]\nrp_id = \"https://example.com\"\norigin = [\"https://example.com\", \"https://example.com/\"]\n",
    );
}

#[test]
fn unknown_social_provider() {
    check(
        "unknown_social",
        "[social.githb]\nclient_id_env = \"GITHUB_ID\"\nclient_secret_env = \"GITHUB_SECRET\"\n",
    );
}

/// Api-key configurations: `default` is `[plugins.api-key]` itself, ids are plain names, keys
/// of organizations need the organization plugin, and two configurations cannot read session
/// keys from one header.
#[test]
fn api_key_configurations() {
    check(
        "api_key_configs",
        "[plugins.api-key]\nenable_session_for_api_keys = true\n\n[plugins.api-key.configs.default]\n\n[plugins.api-key.configs.orgs]\nreferences = \"organization\"\nenable_session_for_api_keys = true\n\n[plugins.api-key.configs.\"ci keys\"]\nmin_expires_in = \"30d\"\nmax_expires_in = \"7d\"\n",
    );
}

#[test]
fn api_key_configuration_unknown_key() {
    check(
        "api_key_config_unknown_key",
        "[plugins.api-key]\n[plugins.api-key.configs.ci]\nrate_limit_mx = 5\n",
    );
}

#[test]
fn api_key_configuration_declared_twice() {
    check(
        "api_key_config_twice",
        "[plugins.api-key.configs.ci]\ndefault_prefix = \"ci_\"\n\n[plugins.api-key.configs.ci]\nrequire_name = true\n",
    );
}

#[test]
fn the_newer_plugins_options() {
    check(
        "newer_plugins",
        "[plugins.captcha]\nprovider = \"hcaptcha\"\nmin_score = 0.5\nsecret_key_env = \"1BAD\"\nendpoints = [\"sign-up/email\"]\n\n[plugins.have-i-been-pwned]\napi_url = \"api.pwnedpasswords.com\"\ntimeout = \"0s\"\n\n[plugins.device-authorization]\nuser_code_length = 4\ninterval = \"1h\"\n\n[plugins.siwe]\nchain_ids = [0]\n\n[plugins.last-login-method]\ncookie_name = \"last method\"\n",
    );
}

#[test]
fn captcha_without_a_provider() {
    check("captcha_provider", "[plugins.captcha]\nsite_key = \"x\"\n");
}

#[test]
fn several_problems_are_reported_together() {
    check(
        "several",
        "[app]\nbase_url = \"localhost:3000\"\nbase_path = \"api/auth/\"\n\n[rate_limit]\nmax = 0\n",
    );
}

/// Two of each kind of problem, all reported by one run, each at its own position.
#[test]
fn every_problem_is_reported_in_one_run() {
    check(
        "every_problem",
        "[app]\nnaem = \"Acme\"\nbase_url = \"localhost:3000\"\nbase_pth = \"/auth\"\n\n[email_and_password]\nmin_password_length = \"8\"\n\n[session]\nsecure = \"yes\"\n\n[rate_limit]\nmax = 0\n\n[plugins.two-factr]\n[plugins.usernme]\n",
    );
}

#[test]
fn a_missing_config_says_how_to_make_one() {
    let project = Project::new("");
    std::fs::remove_file(project.file("rauth.toml")).unwrap();
    let run = project.rauth(&["config", "check"]).failure();
    assert!(
        run.stderr.contains("no config at `rauth.toml`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("rauth init"), "{}", run.stderr);
}

#[test]
fn a_valid_config_passes() {
    let run = Project::new("[plugins.username]\n")
        .rauth(&["config", "check"])
        .success();
    assert_eq!(
        run.stderr.trim(),
        "Valid rauth.toml: sqlite, plugins username, 4 tables"
    );
}

#[test]
fn the_json_schema_is_valid_json_with_descriptions() {
    let run = Project::new("").rauth(&["config", "schema"]).success();
    let schema: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(
        schema["additionalProperties"], false,
        "unknown top-level keys are flagged by editors"
    );
    let plugins = &schema["$defs"]["Plugins"]["properties"];
    assert!(
        plugins["two-factor"].is_object(),
        "plugins are listed by their kebab-case names"
    );
}

#[test]
fn sub_options_of_a_feature_that_is_off() {
    check(
        "feature_off",
        "[user]\nconfirm_email_change = true\ndelete_user_verification = true\n",
    );
}

/// The README's full example is a valid config.
#[test]
fn the_readme_example_passes_config_check() {
    readme_toml_passes_config_check("## Configuration");
}

/// So is its OAuth provider setup.
#[test]
fn the_readme_oauth_provider_example_passes_config_check() {
    readme_toml_passes_config_check("### OAuth provider");
}

/// The first TOML block after `heading` in the README passes `rauth config check`.
fn readme_toml_passes_config_check(heading: &str) {
    let readme = include_str!("../../README.md");
    let section = &readme[readme.find(heading).unwrap()..];
    let start = section.find("```toml\n").unwrap() + "```toml\n".len();
    let example = &section[start..start + section[start..].find("```").unwrap()];
    let project = crate::support::Project::new(example);
    let run = project.rauth(&["config", "check"]);
    assert_eq!(run.code, 0, "{heading}: {}", run.stderr);
}

#[test]
fn a_byte_that_is_not_utf8_is_located() {
    let project = Project::new("");
    std::fs::write(
        project.file("rauth.toml"),
        b"[app]\nname = \"Ac\xffme\"\n".as_slice(),
    )
    .unwrap();
    let run = project.rauth(&["config", "check"]).failure();
    snapshot_settings().bind(|| insta::assert_snapshot!("config_error_not_utf8", run.stderr));
}

/// An empty file (or only comments) is valid but almost surely a mistake: every command that
/// acts on it says every setting is a default.
#[test]
fn an_empty_config_is_a_warning() {
    for text in ["", "  \n# nothing yet\n\n"] {
        let project = Project::new(text);
        let run = project.rauth(&["config", "check"]).success();
        assert!(
            run.stderr
                .starts_with("warning: rauth.toml is empty: every setting is a default (SQLite"),
            "{}",
            run.stderr
        );
        let run = project.rauth(&["generate", "schema"]).success();
        assert_eq!(
            run.stderr.matches("rauth.toml is empty").count(),
            1,
            "{}",
            run.stderr
        );
    }
    let run = Project::new("[plugins.username]\n")
        .rauth(&["config", "check"])
        .success();
    assert!(!run.stderr.contains("empty"), "{}", run.stderr);
}
