//! `rauth.toml`: loading, validation with located errors, and the `rauth config` commands.

mod diagnostic;
mod duration;
pub mod literal;
mod model;
mod plugins;
mod recover;
mod suggest;
mod validate;

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use toml::de::DeTable;

pub use diagnostic::{ConfigError, Issue, Source};
pub use duration::Seconds;
pub use model::*;
pub use plugins::api_key::ApiKeyReferences;
pub use plugins::jwt::JwtAlg;
pub use plugins::options::*;
pub use plugins::{PluginEntry, PluginOptions, Plugins};
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

/// Parses and checks config text, reporting every problem found (not only the first).
/// `file` is the name shown in errors.
pub fn parse(file: &str, text: &str) -> Result<Config, ConfigError> {
    let source = Source {
        file: file.to_owned(),
        text: text.to_owned(),
    };
    let doc = DeTable::parse(text).map_err(|e| {
        let (message, help) = suggest::explain_serde_message(e.message());
        source.diagnosed(vec![Diagnostic {
            message,
            span: e.span(),
            help,
        }])
    })?;
    let recovered = recover::deserialize(doc);
    let mut diagnostics = recovered.diagnostics.clone();
    if let Some(config) = &recovered.config {
        let issues: Vec<Issue> = validate::check(config)
            .into_iter()
            .filter(|issue| !recovered.may_mislead(&issue.path))
            .collect();
        diagnostics.extend(source.error(issues).diagnostics);
    }
    match recovered.config {
        Some(config) if diagnostics.is_empty() => Ok(config),
        _ => Err(source.diagnosed(diagnostics)),
    }
}

/// Reads and checks the config at `path`.
pub fn load(path: &Path) -> anyhow::Result<Loaded> {
    let bytes = std::fs::read(path).with_context(|| {
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
    let text = utf8(&file, bytes)?;
    let config = parse(&file, &text)?;
    // `rauth.toml`'s parent is empty: keep it so, and paths print as `migrations/…`.
    let base_dir = path.parent().map_or_else(PathBuf::new, Path::to_path_buf);
    Ok(Loaded {
        config,
        source: Source { file, text },
        base_dir,
    })
}

/// The file's text, or an error at the first byte that is not UTF-8.
fn utf8(file: &str, bytes: Vec<u8>) -> Result<String, ConfigError> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let byte = e.as_bytes().get(at).copied().unwrap_or_default();
        let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
        Source {
            file: file.to_owned(),
            text,
        }
        .diagnosed(vec![Diagnostic {
            message: format!("byte 0x{byte:02x} is not UTF-8 text"),
            // The lossy text is the same up to `at`, where U+FFFD stands for the byte.
            span: Some(at..at + char::REPLACEMENT_CHARACTER.len_utf8()),
            help: Some("TOML files are UTF-8: re-save the file as UTF-8".to_owned()),
        }])
    })
}

impl Loaded {
    /// A warning when the file holds no setting, so every value is a default.
    pub fn empty_warning(&self) -> Option<String> {
        self.source.is_blank().then(|| {
            format!(
                "{} is empty: every setting is a default (SQLite, email and password, no plugins); `rauth init` writes a commented one",
                self.source.file
            )
        })
    }

    /// Every non-fatal finding, rendered with its position: [`Loaded::empty_warning`] and
    /// [`warnings`].
    pub fn warnings(&self) -> Vec<String> {
        self.empty_warning()
            .into_iter()
            .chain(self.source.warnings(warnings(&self.config)))
            .collect()
    }
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
