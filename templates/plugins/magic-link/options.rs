//! `[plugins.magic-link]`: sign-in links by email.

use schemars::JsonSchema;
use serde::Deserialize;

use super::contract::{Context, PluginOptions};
use crate::config::diagnostic::Issue;
use crate::config::duration::Seconds;
use crate::config::literal::rust_bool;

/// `[plugins.magic-link]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct MagicLinkOptions {
    /// Link lifetime.
    pub expires_in: Seconds,
    /// Only existing users may sign in.
    pub disable_sign_up: bool,
}

impl Default for MagicLinkOptions {
    fn default() -> Self {
        Self {
            expires_in: Seconds(300),
            disable_sign_up: false,
        }
    }
}

impl PluginOptions for MagicLinkOptions {
    fn check(&self, _: &Context, issues: &mut Vec<Issue>) {
        if self.expires_in.0 == 0 {
            issues.push(Issue::new(
                &["plugins", "magic-link", "expires_in"],
                "`expires_in` must be longer than 0s",
            ));
        }
    }

    fn template_values(&self, _: &Context) -> serde_json::Value {
        serde_json::json!({
            "expires_in": self.expires_in.0,
            "disable_sign_up": rust_bool(self.disable_sign_up),
        })
    }
}
