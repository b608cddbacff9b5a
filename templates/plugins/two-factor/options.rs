//! `[plugins.two-factor]`: TOTP, one-time codes by email and backup codes.

use schemars::JsonSchema;
use serde::Deserialize;

use super::contract::{Context, PluginOptions};
use crate::config::diagnostic::Issue;
use crate::config::duration::Seconds;
use crate::config::literal::{rust_bool, rust_str};

/// `[plugins.two-factor]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct TwoFactorOptions {
    /// TOTP issuer. Default: `app.name`.
    pub issuer: Option<String>,
    /// Enable 2FA without a first TOTP verification.
    pub skip_verification_on_enable: bool,
    /// TOTP code length: 6 or 8.
    pub digits: u32,
    /// TOTP period.
    pub period: Seconds,
    /// Number of backup codes.
    pub backup_codes: u32,
    /// One-time codes by email (`/two-factor/send-otp`, `"otp"` in `twoFactorMethods`), sent
    /// through the app's email sender. Default: on (Better Auth with `otpOptions.sendOTP`).
    pub otp: bool,
}

impl Default for TwoFactorOptions {
    fn default() -> Self {
        Self {
            issuer: None,
            skip_verification_on_enable: false,
            digits: 6,
            period: Seconds(30),
            backup_codes: 10,
            otp: true,
        }
    }
}

impl PluginOptions for TwoFactorOptions {
    fn check(&self, _: &Context, issues: &mut Vec<Issue>) {
        if self.digits != 6 && self.digits != 8 {
            issues.push(
                Issue::new(
                    &["plugins", "two-factor", "digits"],
                    format!("`digits` must be 6 or 8, not {}", self.digits),
                )
                .help("authenticator apps support 6 and 8 digit codes"),
            );
        }
        if self.period.0 == 0 {
            issues.push(Issue::new(
                &["plugins", "two-factor", "period"],
                "`period` must be longer than 0s",
            ));
        }
    }

    fn template_values(&self, ctx: &Context) -> serde_json::Value {
        serde_json::json!({
            "issuer": rust_str(self.issuer.as_deref().unwrap_or(ctx.app_name)),
            "skip_verification_on_enable": rust_bool(self.skip_verification_on_enable),
            "digits": self.digits,
            "period": self.period.0,
            "backup_codes": self.backup_codes,
            "otp": rust_bool(self.otp),
        })
    }
}
