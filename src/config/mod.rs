//! `rauth.toml`: loading, validation with located errors, and the `rauth config` commands.

mod diagnostic;
mod duration;
mod model;
mod suggest;
mod validate;

use std::path::{Path, PathBuf};

use anyhow::Context as _;

pub use diagnostic::{ConfigError, Issue, Source};
pub use duration::Seconds;
pub use model::*;
pub use suggest::did_you_mean;
pub use validate::{callback_url, secure_cookies, warnings};

use diagnostic::Diagnostic;

/// A parsed, validated config and the text it came from.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub config: Config,
    pub source: Source,
    /// Directory the config's relative paths are resolved against.
    pub base_dir: PathBuf,
}

/// Parses and checks config text. `file` is the name shown in errors.
pub fn parse(file: &str, text: &str) -> Result<Config, ConfigError> {
    let source = Source {
        file: file.to_owned(),
        text: text.to_owned(),
    };
    let config: Config = toml::from_str(text).map_err(|e| {
        let (message, help) = suggest::explain_serde_message(e.message());
        ConfigError {
            file: source.file.clone(),
            text: source.text.clone(),
            diagnostics: vec![Diagnostic {
                message,
                span: e.span(),
                help,
            }],
        }
    })?;
    let issues = validate::check(&config);
    if issues.is_empty() {
        Ok(config)
    } else {
        Err(source.error(issues))
    }
}

/// Reads and checks the config at `path`.
pub fn load(path: &Path) -> anyhow::Result<Loaded> {
    let text = std::fs::read_to_string(path).with_context(|| {
        if path.exists() {
            format!("cannot read `{}`", path.display())
        } else {
            format!(
                "no config at `{}`: run `rauth init` to create one, or pass `--config <FILE>`",
                path.display()
            )
        }
    })?;
    let file = path.display().to_string();
    let config = parse(&file, &text)?;
    // `rauth.toml`'s parent is empty: keep it so, and paths print as `migrations/…`.
    let base_dir = path.parent().map_or_else(PathBuf::new, Path::to_path_buf);
    Ok(Loaded {
        config,
        source: Source { file, text },
        base_dir,
    })
}

/// JSON Schema of `rauth.toml`, for taplo / Even Better TOML.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Config);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_file_is_better_auths_defaults() {
        let c = parse("rauth.toml", "").unwrap();
        assert_eq!(c.session.expires_in, Seconds(604_800));
        assert_eq!(c.session.update_age, Seconds(86_400));
        assert_eq!(c.session.fresh_age, Seconds(86_400));
        assert_eq!(c.session.cookie_prefix, "better-auth");
        assert_eq!(c.rate_limit.window, Seconds(10));
        assert_eq!(c.rate_limit.max, 100);
        assert_eq!(c.app.base_path, "/api/auth");
        assert_eq!(c.email_and_password.min_password_length, 8);
        assert_eq!(c.email_and_password.max_password_length, 128);
        assert!(c.plugins.enabled().is_empty());
    }

    #[test]
    fn empty_plugin_tables_enable_plugins_in_canonical_order() {
        let c = parse("x", "[plugins.two-factor]\n[plugins.username]\n").unwrap();
        assert_eq!(c.plugins.enabled(), ["username", "two-factor"]);
    }

    #[test]
    fn unknown_plugin_gets_a_suggestion_and_a_position() {
        let err = parse("rauth.toml", "[plugins.two-factr]\n").unwrap_err();
        let d = &err.diagnostics[0];
        assert_eq!(d.message, "unknown key `two-factr`");
        assert_eq!(d.help.as_deref(), Some("did you mean `two-factor`?"));
        assert!(d.span.is_some());
    }

    #[test]
    fn the_json_schema_describes_every_section() {
        let schema: serde_json::Value = serde_json::from_str(&json_schema()).unwrap();
        let props = schema["properties"].as_object().unwrap();
        for key in [
            "app",
            "database",
            "migrations",
            "codegen",
            "session",
            "rate_limit",
            "plugins",
            "social",
            "tables",
            "user",
        ] {
            assert!(props.contains_key(key), "missing {key}");
        }
    }
}
