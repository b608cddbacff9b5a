//! `[plugins.phone-number]`: sign-in with a phone number and codes by SMS.

use schemars::JsonSchema;
use serde::Deserialize;

use super::contract::{Context, PluginOptions};
use super::otp::check_code_options;
use crate::config::diagnostic::Issue;
use crate::config::duration::Seconds;
use crate::config::literal::rust_bool;

/// `[plugins.phone-number]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PhoneNumberOptions {
    /// Code length.
    pub otp_length: u32,
    /// Code lifetime.
    pub expires_in: Seconds,
    /// Wrong attempts before the code is void.
    pub allowed_attempts: u32,
    /// Refuse password sign-in (and reset) until the phone number is verified; the refused
    /// sign-in texts a code.
    pub require_verification: bool,
}

impl Default for PhoneNumberOptions {
    fn default() -> Self {
        Self {
            otp_length: 6,
            expires_in: Seconds(300),
            allowed_attempts: 3,
            require_verification: false,
        }
    }
}

impl PluginOptions for PhoneNumberOptions {
    fn check(&self, _: &Context, issues: &mut Vec<Issue>) {
        check_code_options(
            "phone-number",
            self.otp_length,
            self.expires_in,
            self.allowed_attempts,
            issues,
        );
    }

    fn template_values(&self, _: &Context) -> serde_json::Value {
        serde_json::json!({
            "otp_length": self.otp_length,
            "expires_in": self.expires_in.0,
            "allowed_attempts": self.allowed_attempts,
            "require_verification": rust_bool(self.require_verification),
        })
    }
}
