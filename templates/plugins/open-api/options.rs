//! `[plugins.open-api]`: the OpenAPI document of the auth API and its reference page.

use schemars::JsonSchema;
use serde::Deserialize;

use super::contract::{Context, PluginOptions};
use crate::config::diagnostic::Issue;
use crate::config::literal::rust_str;
use crate::config::suggest::did_you_mean;

/// Scalar's themes, the values Better Auth's `theme` takes.
const THEMES: [&str; 14] = [
    "default",
    "alternate",
    "moon",
    "purple",
    "solarized",
    "bluePlanet",
    "deepSpace",
    "saturn",
    "kepler",
    "elysiajs",
    "fastify",
    "mars",
    "laserwave",
    "none",
];

/// `[plugins.open-api]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct OpenApiOptions {
    /// Where the reference page is served, under the base path (Better Auth: `path`).
    pub path: String,
    /// No reference page; the document is still served at `/open-api/generate-schema`
    /// (Better Auth: `disableDefaultReference`).
    pub disable_default_reference: bool,
    /// The reference page's Scalar theme (Better Auth: `theme`).
    pub theme: String,
}

impl Default for OpenApiOptions {
    fn default() -> Self {
        Self {
            path: "/reference".to_owned(),
            disable_default_reference: false,
            theme: "default".to_owned(),
        }
    }
}

impl PluginOptions for OpenApiOptions {
    fn check(&self, _: &Context, issues: &mut Vec<Issue>) {
        let plain = |c: char| c.is_ascii_alphanumeric() || "/-_.".contains(c);
        if !self.path.starts_with('/') || self.path.len() < 2 || !self.path.chars().all(plain) {
            issues.push(
                Issue::new(
                    &["plugins", "open-api", "path"],
                    "`path` must be a path under the base path, like `/reference`",
                )
                .help("letters, digits, `/`, `-`, `_` and `.`, starting with `/`"),
            );
        }
        if self.path == "/open-api/generate-schema" {
            issues.push(Issue::new(
                &["plugins", "open-api", "path"],
                "`path` is the document's own endpoint; the reference page needs another",
            ));
        }
        if !THEMES.contains(&self.theme.as_str()) {
            let mut issue = Issue::new(
                &["plugins", "open-api", "theme"],
                format!("`{}` is not a Scalar theme", self.theme),
            );
            issue = match did_you_mean(&self.theme, THEMES) {
                Some(theme) => issue.help(format!("did you mean `{theme}`?")),
                None => issue.help(format!("one of: {}", THEMES.join(", "))),
            };
            issues.push(issue);
        }
    }

    fn template_values(&self, _: &Context) -> serde_json::Value {
        serde_json::json!({
            "path": rust_str(&self.path),
            "disable_default_reference": self.disable_default_reference,
            "theme": rust_str(&self.theme),
        })
    }
}
