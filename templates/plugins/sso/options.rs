//! `[plugins.sso]`: enterprise SSO (its schema only, for now: no checks, no template values, so
//! the `PluginOptions` defaults).

use schemars::JsonSchema;
use serde::Deserialize;

use super::contract::PluginOptions;

/// `[plugins.sso]`
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct SsoOptions {
    /// Require domain verification (adds `ssoProvider.domainVerified`).
    pub domain_verification: bool,
}

impl PluginOptions for SsoOptions {
    fn schema_flags(&self) -> Vec<&'static str> {
        if self.domain_verification {
            vec!["sso.domain_verification"]
        } else {
            Vec::new()
        }
    }
}
