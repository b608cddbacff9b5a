//! `[plugins.one-tap]`: Google One Tap, a Google ID token the browser got itself signing in.

use schemars::JsonSchema;
use serde::Deserialize;

use super::contract::{Context, PluginOptions};
use super::services::{check_env_name, check_service_url};
use crate::config::diagnostic::Issue;
use crate::config::literal::{rust_bool, rust_str};

/// `[plugins.one-tap]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct OneTapOptions {
    /// A token of someone without a user is refused instead of signing up (Better Auth:
    /// `disableSignup`).
    pub disable_signup: bool,
    /// Only accounts of this Google Workspace domain (the token's `hd`); `*`: any Workspace
    /// domain, no personal accounts (Better Auth: the Google provider's `hd`).
    pub hosted_domain: Option<String>,
    /// Where Google publishes the keys its ID tokens are signed with.
    pub keys_url: String,
    /// An environment variable that, when set, replaces `keys_url` (a stand-in of Google in
    /// tests).
    pub keys_url_env: Option<String>,
}

impl Default for OneTapOptions {
    fn default() -> Self {
        Self {
            disable_signup: false,
            hosted_domain: None,
            keys_url: "https://www.googleapis.com/oauth2/v3/certs".to_owned(),
            keys_url_env: None,
        }
    }
}

impl PluginOptions for OneTapOptions {
    fn check(&self, ctx: &Context, issues: &mut Vec<Issue>) {
        if !ctx.social.iter().any(|id| id == "google") {
            issues.push(
                Issue::new(&["plugins", "one-tap"], "`one-tap` signs in with Google, and `[social.google]` is not configured")
                    .help("add `[social.google]`: its `client_id_env` names the client id that One Tap's ID tokens are issued to"),
            );
        }
        if self
            .hosted_domain
            .as_deref()
            .is_some_and(|d| d.is_empty() || d.contains(char::is_whitespace))
        {
            issues.push(
                Issue::new(
                    &["plugins", "one-tap", "hosted_domain"],
                    "`hosted_domain` must be a domain or `*`",
                )
                .help("`example.com` admits that Workspace domain only; `*` any Workspace domain"),
            );
        }
        check_service_url("one-tap", "keys_url", &self.keys_url, issues);
        if let Some(name) = &self.keys_url_env {
            check_env_name("one-tap", "keys_url_env", name, issues);
        }
    }

    fn template_values(&self, _: &Context) -> serde_json::Value {
        serde_json::json!({
            "disable_signup": rust_bool(self.disable_signup),
            "hosted_domain": rust_str(self.hosted_domain.as_deref().unwrap_or_default()),
            "keys_url": rust_str(&self.keys_url),
            "keys_url_env": rust_str(self.keys_url_env.as_deref().unwrap_or_default()),
        })
    }
}
