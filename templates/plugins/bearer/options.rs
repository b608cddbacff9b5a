//! `[plugins.bearer]`: `Authorization: Bearer` tokens.

use schemars::JsonSchema;
use serde::Deserialize;

use super::contract::{Context, PluginOptions};
use crate::config::literal::rust_bool;

/// `[plugins.bearer]`
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct BearerOptions {
    /// Accept only signed tokens (`<token>.<signature>`).
    pub require_signature: bool,
}

impl PluginOptions for BearerOptions {
    fn template_values(&self, _: &Context) -> serde_json::Value {
        serde_json::json!({
            "require_signature": rust_bool(self.require_signature),
        })
    }
}
