//! `[plugins.custom-session]`: the `/get-session` answer shaped by the application.

use schemars::JsonSchema;
use serde::Deserialize;

use super::contract::{Context, PluginOptions};
use crate::config::literal::rust_bool;

/// `[plugins.custom-session]`
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct CustomSessionOptions {
    /// Shape each entry of `/multi-session/list-device-sessions` too (Better Auth:
    /// `shouldMutateListDeviceSessionsEndpoint`).
    pub list_device_sessions: bool,
}

impl PluginOptions for CustomSessionOptions {
    fn template_values(&self, _: &Context) -> serde_json::Value {
        serde_json::json!({ "list_device_sessions": rust_bool(self.list_device_sessions) })
    }
}
