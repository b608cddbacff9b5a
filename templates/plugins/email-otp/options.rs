//! `[plugins.email-otp]`: one-time codes by email.

use schemars::JsonSchema;
use serde::Deserialize;

use super::contract::{Context, PluginOptions};
use super::otp::check_code_options;
use crate::config::diagnostic::Issue;
use crate::config::duration::Seconds;
use crate::config::literal::rust_bool;

/// `[plugins.email-otp]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct EmailOtpOptions {
    /// Code length.
    pub otp_length: u32,
    /// Code lifetime.
    pub expires_in: Seconds,
    /// Wrong attempts before the code is void.
    pub allowed_attempts: u32,
    /// Only existing users may sign in with a code.
    pub disable_sign_up: bool,
    /// Mail an email-verification code after `/sign-up/email`.
    pub send_verification_on_sign_up: bool,
    /// Allow `/email-otp/request-email-change` and `/email-otp/change-email`.
    pub change_email: bool,
    /// An email change also needs a code sent to the current address (`change_email` only).
    pub verify_current_email: bool,
}

impl Default for EmailOtpOptions {
    fn default() -> Self {
        Self {
            otp_length: 6,
            expires_in: Seconds(300),
            allowed_attempts: 3,
            disable_sign_up: false,
            send_verification_on_sign_up: false,
            change_email: false,
            verify_current_email: false,
        }
    }
}

impl PluginOptions for EmailOtpOptions {
    fn check(&self, _: &Context, issues: &mut Vec<Issue>) {
        check_code_options(
            "email-otp",
            self.otp_length,
            self.expires_in,
            self.allowed_attempts,
            issues,
        );
        if self.verify_current_email && !self.change_email {
            issues.push(
                Issue::new(
                    &["plugins", "email-otp", "verify_current_email"],
                    "`verify_current_email` needs `change_email = true`",
                )
                .help("it guards the email change, which is off"),
            );
        }
    }

    fn template_values(&self, _: &Context) -> serde_json::Value {
        serde_json::json!({
            "otp_length": self.otp_length,
            "expires_in": self.expires_in.0,
            "allowed_attempts": self.allowed_attempts,
            "disable_sign_up": rust_bool(self.disable_sign_up),
            "send_verification_on_sign_up": rust_bool(self.send_verification_on_sign_up),
            "change_email": rust_bool(self.change_email),
            "verify_current_email": rust_bool(self.verify_current_email),
        })
    }
}
