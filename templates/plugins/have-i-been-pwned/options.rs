//! `[plugins.have-i-been-pwned]`: passwords checked against Have I Been Pwned.

use schemars::JsonSchema;
use serde::Deserialize;

use super::contract::{Context, PluginOptions};
use super::services::{check_env_name, check_service_url};
use crate::config::diagnostic::Issue;
use crate::config::duration::Seconds;
use crate::config::literal::{rust_bool, rust_str};

/// Better Auth's default: every endpoint that sets a password from a request.
const DEFAULT_PATHS: [&str; 7] = [
    "/sign-up/email",
    "/change-password",
    "/reset-password",
    "/email-otp/reset-password",
    "/phone-number/reset-password",
    "/admin/create-user",
    "/admin/set-user-password",
];

/// `[plugins.have-i-been-pwned]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct HaveIBeenPwnedOptions {
    /// The endpoints whose `password` or `newPassword` is checked (Better Auth: `paths`).
    pub paths: Vec<String>,
    /// The refusal's message (Better Auth: `customPasswordCompromisedMessage`).
    pub message: Option<String>,
    /// The range API's address; `/range/<prefix>` is appended.
    pub api_url: String,
    /// An environment variable that, when set, replaces `api_url` (a mirror, or a test server).
    pub api_url_env: Option<String>,
    /// How long a check may take.
    pub timeout: Seconds,
    /// When the API cannot answer, accept the password (`true`) or refuse the request with 500
    /// as Better Auth does (`false`, the default).
    pub fail_open: bool,
}

impl Default for HaveIBeenPwnedOptions {
    fn default() -> Self {
        Self {
            paths: DEFAULT_PATHS.map(str::to_owned).to_vec(),
            message: None,
            api_url: "https://api.pwnedpasswords.com".to_owned(),
            api_url_env: None,
            timeout: Seconds(5),
            fail_open: false,
        }
    }
}

impl PluginOptions for HaveIBeenPwnedOptions {
    fn check(&self, _: &Context, issues: &mut Vec<Issue>) {
        let key = |k: &'static str| ["plugins", "have-i-been-pwned", k];
        if let Some(bad) = self.paths.iter().find(|p| !p.starts_with('/')) {
            issues.push(
                Issue::new(&key("paths"), format!("`{bad}` is not an endpoint path"))
                    .help("paths start with `/`, below the base path: `/sign-up/email`"),
            );
        }
        check_service_url("have-i-been-pwned", "api_url", &self.api_url, issues);
        if let Some(name) = &self.api_url_env {
            check_env_name("have-i-been-pwned", "api_url_env", name, issues);
        }
        if self.timeout.0 == 0 {
            issues.push(Issue::new(
                &key("timeout"),
                "`timeout` must be longer than 0s",
            ));
        }
    }

    fn template_values(&self, _: &Context) -> serde_json::Value {
        serde_json::json!({
            "paths": self.paths.iter().map(|p| rust_str(p)).collect::<Vec<_>>(),
            "message": rust_str(self.message.as_deref().unwrap_or(
                "The password you entered has been compromised. Please choose a different password.",
            )),
            "api_url": rust_str(self.api_url.trim_end_matches('/')),
            "api_url_env": rust_str(self.api_url_env.as_deref().unwrap_or_default()),
            "timeout": self.timeout.0,
            "fail_open": rust_bool(self.fail_open),
        })
    }
}
