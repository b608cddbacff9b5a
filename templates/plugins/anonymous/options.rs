//! `[plugins.anonymous]`: anonymous users.

use schemars::JsonSchema;
use serde::Deserialize;

use super::contract::{Context, PluginOptions};
use crate::config::literal::rust_str;

/// `[plugins.anonymous]`
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct AnonymousOptions {
    /// Domain of generated emails (`temp-<id>@<domain>`). Default: Better Auth 1.7's
    /// placeholder `<id>@anonymous.placeholder.invalid`.
    pub email_domain_name: Option<String>,
}

impl PluginOptions for AnonymousOptions {
    fn template_values(&self, _: &Context) -> serde_json::Value {
        serde_json::json!({
            "email_domain_name": rust_str(self.email_domain_name.as_deref().unwrap_or_default()),
        })
    }
}
