//! `[plugins.oauth-proxy]`: social sign-in on preview deployments, through production's callback.
//! Production is `[app] base_url`: the build a preview runs is production's, and so are the
//! redirect URIs it sends providers.

use schemars::JsonSchema;
use serde::Deserialize;

use super::contract::{Context, PluginOptions};
use super::services::check_env_name;
use crate::config::diagnostic::Issue;
use crate::config::literal::rust_str;

/// `[plugins.oauth-proxy]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct OauthProxyOptions {
    /// The environment variable that holds a deployment's own URL (`https://pr-42.example.dev`).
    /// Set it on previews only: where it is unset, or names the production URL, sign-ins are not
    /// proxied (Better Auth: `currentURL`, or the platform's variables).
    pub current_url_env: String,
    /// How long, in seconds, the profile production hands back stays valid (Better Auth:
    /// `maxAge`).
    pub max_age: u32,
}

impl Default for OauthProxyOptions {
    fn default() -> Self {
        Self {
            current_url_env: "AUTH_CURRENT_URL".to_owned(),
            max_age: 60,
        }
    }
}

impl PluginOptions for OauthProxyOptions {
    fn check(&self, ctx: &Context, issues: &mut Vec<Issue>) {
        if ctx.social.is_empty() {
            issues.push(
                Issue::new(
                    &["plugins", "oauth-proxy"],
                    "`oauth-proxy` proxies social sign-in, and no `[social.*]` provider is configured",
                )
                .help("add the providers whose callback URL is registered at the production deployment, `[social.github]` for one"),
            );
        }
        check_env_name(
            "oauth-proxy",
            "current_url_env",
            &self.current_url_env,
            issues,
        );
        if self.max_age == 0 || self.max_age > 600 {
            issues.push(
                Issue::new(
                    &["plugins", "oauth-proxy", "max_age"],
                    "`max_age` must be between 1 and 600 seconds",
                )
                .help("the hand-off from production to the preview takes a redirect: Better Auth's 60 is plenty"),
            );
        }
    }

    fn template_values(&self, _: &Context) -> serde_json::Value {
        serde_json::json!({
            "current_url_env": rust_str(&self.current_url_env),
            "max_age": self.max_age,
        })
    }
}
