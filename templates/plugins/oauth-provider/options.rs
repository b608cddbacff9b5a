//! `[plugins.oauth-provider]`: OAuth 2.1 / OIDC provider (its schema only, for now: no checks,
//! no template values, so the `PluginOptions` defaults).

use schemars::JsonSchema;
use serde::Deserialize;

use super::contract::PluginOptions;

/// `[plugins.oauth-provider]`
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct OauthProviderOptions {
    /// Path of the login page users are sent to.
    pub login_page: Option<String>,
    /// Path of the consent page.
    pub consent_page: Option<String>,
}

impl PluginOptions for OauthProviderOptions {}
