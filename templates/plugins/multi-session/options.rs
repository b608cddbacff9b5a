//! `[plugins.multi-session]`: several accounts per browser.

use schemars::JsonSchema;
use serde::Deserialize;

use super::contract::{Context, PluginOptions};
use crate::config::diagnostic::Issue;

/// `[plugins.multi-session]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct MultiSessionOptions {
    /// Signed-in accounts per browser.
    pub maximum_sessions: u32,
}

impl Default for MultiSessionOptions {
    fn default() -> Self {
        Self {
            maximum_sessions: 5,
        }
    }
}

impl PluginOptions for MultiSessionOptions {
    fn check(&self, _: &Context, issues: &mut Vec<Issue>) {
        if self.maximum_sessions == 0 {
            issues.push(Issue::new(
                &["plugins", "multi-session", "maximum_sessions"],
                "`maximum_sessions` must be at least 1",
            ));
        }
    }

    fn template_values(&self, _: &Context) -> serde_json::Value {
        serde_json::json!({
            "maximum_sessions": self.maximum_sessions,
        })
    }
}
