//! `[plugins.device-authorization]`: the device authorization grant (RFC 8628).

use schemars::JsonSchema;
use serde::Deserialize;

use super::contract::{Context, PluginOptions};
use crate::config::diagnostic::Issue;
use crate::config::duration::Seconds;
use crate::config::literal::rust_str;

/// `[plugins.device-authorization]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct DeviceAuthorizationOptions {
    /// How long a device code and its user code live (Better Auth: `expiresIn`, 30 minutes).
    pub expires_in: Seconds,
    /// The least time between two polls of `/device/token` (Better Auth: `interval`, 5 s).
    pub interval: Seconds,
    /// Length of device codes (Better Auth: `deviceCodeLength`, 40).
    pub device_code_length: u32,
    /// Length of user codes (Better Auth: `userCodeLength`, 8).
    pub user_code_length: u32,
    /// The clients allowed to ask for codes; empty: any (Better Auth's default, without
    /// `validateClient`).
    pub client_ids: Vec<String>,
    /// The page where users enter their code: a path on `base_url` or an absolute URL (Better
    /// Auth: `verificationUri`, `/device`).
    pub verification_uri: String,
}

impl Default for DeviceAuthorizationOptions {
    fn default() -> Self {
        Self {
            expires_in: Seconds(1800),
            interval: Seconds(5),
            device_code_length: 40,
            user_code_length: 8,
            client_ids: Vec::new(),
            verification_uri: "/device".to_owned(),
        }
    }
}

impl PluginOptions for DeviceAuthorizationOptions {
    fn check(&self, _: &Context, issues: &mut Vec<Issue>) {
        let key = |k: &'static str| ["plugins", "device-authorization", k];
        if self.expires_in.0 == 0 {
            issues.push(Issue::new(
                &key("expires_in"),
                "`expires_in` must be longer than 0s",
            ));
        }
        if self.interval.0 == 0 || self.interval.0 >= self.expires_in.0 {
            issues.push(Issue::new(
                &key("interval"),
                "`interval` must be longer than 0s and shorter than `expires_in`",
            ));
        }
        // Better Auth's bounds; below 6 characters a user code is guessable in its lifetime.
        if !(20..=191).contains(&self.device_code_length) {
            issues.push(Issue::new(
                &key("device_code_length"),
                "`device_code_length` is 20 to 191",
            ));
        }
        if !(6..=191).contains(&self.user_code_length) {
            issues.push(Issue::new(
                &key("user_code_length"),
                "`user_code_length` is 6 to 191",
            ));
        }
        let uri = &self.verification_uri;
        if !(uri.starts_with('/') || uri.starts_with("https://") || uri.starts_with("http://")) {
            issues.push(
                Issue::new(
                    &key("verification_uri"),
                    format!("`{uri}` is neither a path nor a URL"),
                )
                .help("a path on `base_url` (`/device`) or an absolute URL"),
            );
        }
    }

    fn template_values(&self, ctx: &Context) -> serde_json::Value {
        let uri = &self.verification_uri;
        let absolute = if uri.starts_with('/') {
            format!("{}{uri}", ctx.base_url.trim_end_matches('/'))
        } else {
            uri.clone()
        };
        serde_json::json!({
            "expires_in": self.expires_in.0,
            "interval": self.interval.0,
            "device_code_length": self.device_code_length,
            "user_code_length": self.user_code_length,
            "client_ids": self.client_ids.iter().map(|c| rust_str(c)).collect::<Vec<_>>(),
            "verification_uri": rust_str(&absolute),
        })
    }
}
