//! `[plugins.admin]`: roles, bans, impersonation.

use schemars::JsonSchema;
use serde::Deserialize;

use super::contract::{Context, PluginOptions};
use crate::config::diagnostic::Issue;
use crate::config::duration::Seconds;
use crate::config::literal::rust_str;

/// `[plugins.admin]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct AdminOptions {
    /// Role of new users.
    pub default_role: String,
    /// Roles whose users count as admins: impersonating one of them needs the
    /// `impersonate-admins` permission, which no built-in role has. Only the built-in roles
    /// (`admin`, `user`) exist.
    pub admin_roles: Vec<String>,
    /// Lifetime of an impersonation session.
    pub impersonation_session_duration: Seconds,
}

impl Default for AdminOptions {
    fn default() -> Self {
        Self {
            default_role: "user".into(),
            admin_roles: vec!["admin".into()],
            impersonation_session_duration: Seconds(3600),
        }
    }
}

impl PluginOptions for AdminOptions {
    fn check(&self, _: &Context, issues: &mut Vec<Issue>) {
        // Better Auth refuses admin roles its access control does not define.
        let unknown: Vec<&str> = self
            .admin_roles
            .iter()
            .map(String::as_str)
            .filter(|r| !["admin", "user"].contains(&r.to_lowercase().as_str()))
            .collect();
        if !unknown.is_empty() {
            issues.push(
                Issue::new(
                    &["plugins", "admin", "admin_roles"],
                    format!("unknown admin roles: {}", unknown.join(", ")),
                )
                .help("the roles are Better Auth's built-in `admin` and `user`"),
            );
        }
    }

    fn template_values(&self, _: &Context) -> serde_json::Value {
        serde_json::json!({
            "default_role": rust_str(&self.default_role),
            "admin_roles": self.admin_roles.iter().map(|r| rust_str(r)).collect::<Vec<_>>(),
            "impersonation_session_duration": self.impersonation_session_duration.0,
        })
    }
}
