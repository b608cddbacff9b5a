//! The config loader never panics, whatever TOML (or non-TOML) it is given.

use proptest::prelude::*;

/// Keys the loader knows, mixed with near misses, so generated documents reach deep validation.
const KEYS: &[&str] = &[
    "app",
    "database",
    "migrations",
    "codegen",
    "session",
    "rate_limit",
    "plugins",
    "social",
    "account",
    "account_linking",
    "oidc",
    "redirect_uri",
    "tables",
    "user",
    "email_and_password",
    "name",
    "base_url",
    "base_path",
    "trusted_origins",
    "dialect",
    "naming",
    "format",
    "dir",
    "expires_in",
    "update_age",
    "same_site",
    "secure",
    "window",
    "max",
    "storage",
    "custom_rules",
    "two-factor",
    "username",
    "organization",
    "teams",
    "oauth-provider",
    "jwt",
    "additional_fields",
    "type",
    "required",
    "default",
    "fields",
    "github",
    "oidc",
    "client_id_env",
    "discovery_url",
    "digits",
    "x",
    "",
];

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        any::<bool>().prop_map(|b| b.to_string()),
        "[a-z0-9 /:._-]{0,12}".prop_map(|s| format!("{s:?}")),
        prop::sample::select(vec![
            "\"7d\"",
            "\"none\"",
            "\"postgres\"",
            "\"string\"",
            "\"-1s\"",
            "[]",
            "{}",
            "1.5",
            "\"https://a.b\""
        ])
        .prop_map(str::to_owned),
    ]
}

fn document() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        (prop::sample::select(KEYS), prop::sample::select(KEYS))
            .prop_map(|(a, b)| format!("[{a}.{b}]")),
        prop::sample::select(KEYS).prop_map(|k| format!("[{k}]")),
        (prop::sample::select(KEYS), value()).prop_map(|(k, v)| format!("{k} = {v}")),
        (
            prop::sample::select(KEYS),
            prop::sample::select(KEYS),
            value()
        )
            .prop_map(|(a, b, v)| format!("{a}.{b} = {v}")),
    ];
    prop::collection::vec(line, 0..12).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn structured_documents_never_panic(text in document()) {
        if let Ok(config) = rauth::config::parse("fuzz.toml", &text) {
            let _ = rauth::schema::build(&config);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        let _ = rauth::config::parse("fuzz.toml", &text).map(|c| rauth::schema::build(&c));
    }

    #[test]
    fn error_rendering_never_panics(text in document()) {
        if let Err(e) = rauth::config::parse("fuzz.toml", &text) {
            prop_assert!(!e.to_string().is_empty());
        }
    }
}
