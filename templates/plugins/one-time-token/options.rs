//! `[plugins.one-time-token]`: single-use tokens that stand for a session.

use schemars::JsonSchema;
use serde::Deserialize;

use super::contract::{Context, PluginOptions};
use crate::config::diagnostic::Issue;
use crate::config::duration::Seconds;
use crate::config::literal::rust_bool;

/// How a token is kept in the `verification` table (Better Auth's `storeToken`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum StoreToken {
    /// As issued (Better Auth's default).
    #[default]
    Plain,
    /// `base64url(SHA-256(token))`: a read of the table gives no usable token.
    Hashed,
}

/// `[plugins.one-time-token]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct OneTimeTokenOptions {
    /// Token lifetime (Better Auth: `expiresIn`, 3 minutes).
    pub expires_in: Seconds,
    /// `plain` or `hashed` (Better Auth: `storeToken`).
    pub store_token: StoreToken,
    /// No `GET /one-time-token/generate` endpoint: tokens come only from the server-side
    /// `generate_one_time_token` (Better Auth: `disableClientRequest`).
    pub disable_client_request: bool,
    /// `/one-time-token/verify` answers the session without setting its cookie (Better Auth:
    /// `disableSetSessionCookie`).
    pub disable_set_session_cookie: bool,
    /// Every response that starts a session carries a fresh token in `set-ott` (Better Auth:
    /// `setOttHeaderOnNewSession`).
    pub set_ott_header_on_new_session: bool,
}

impl Default for OneTimeTokenOptions {
    fn default() -> Self {
        Self {
            expires_in: Seconds(180),
            store_token: StoreToken::Plain,
            disable_client_request: false,
            disable_set_session_cookie: false,
            set_ott_header_on_new_session: false,
        }
    }
}

impl PluginOptions for OneTimeTokenOptions {
    fn check(&self, _: &Context, issues: &mut Vec<Issue>) {
        if self.expires_in.0 == 0 {
            issues.push(Issue::new(
                &["plugins", "one-time-token", "expires_in"],
                "`expires_in` must be longer than 0s",
            ));
        }
    }

    fn template_values(&self, _: &Context) -> serde_json::Value {
        serde_json::json!({
            "expires_in": self.expires_in.0,
            "store_hashed": rust_bool(self.store_token == StoreToken::Hashed),
            "disable_client_request": rust_bool(self.disable_client_request),
            "disable_set_session_cookie": rust_bool(self.disable_set_session_cookie),
            // A condition of the manifest's hooks, so a real boolean.
            "ott_header": self.set_ott_header_on_new_session,
        })
    }
}
