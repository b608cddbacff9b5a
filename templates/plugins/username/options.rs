//! `[plugins.username]`: sign-in with a username.

use schemars::JsonSchema;
use serde::Deserialize;

use super::contract::{Context, PluginOptions};
use crate::config::diagnostic::Issue;

/// `[plugins.username]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct UsernameOptions {
    /// Shortest username.
    pub min_username_length: u32,
    /// Longest username.
    pub max_username_length: u32,
}

impl Default for UsernameOptions {
    fn default() -> Self {
        Self {
            min_username_length: 3,
            max_username_length: 30,
        }
    }
}

impl PluginOptions for UsernameOptions {
    fn check(&self, _: &Context, issues: &mut Vec<Issue>) {
        if self.min_username_length == 0 || self.min_username_length > self.max_username_length {
            issues.push(Issue::new(
                &["plugins", "username", "min_username_length"],
                format!(
                    "`min_username_length` ({}) must be between 1 and `max_username_length` ({})",
                    self.min_username_length, self.max_username_length
                ),
            ));
        }
    }

    fn template_values(&self, _: &Context) -> serde_json::Value {
        serde_json::json!({
            "min_username_length": self.min_username_length,
            "max_username_length": self.max_username_length,
        })
    }
}
