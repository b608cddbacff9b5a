//! `[plugins.passkey]`: WebAuthn passkeys.

use schemars::JsonSchema;
use serde::Deserialize;

use super::contract::{Context, PluginOptions};
use crate::config::diagnostic::Issue;
use crate::config::literal::rust_str;

/// `[plugins.passkey]`
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PasskeyOptions {
    /// Relying party id: the domain passkeys are bound to. Default: the host of `base_url`.
    pub rp_id: Option<String>,
    /// Relying party name, shown by the authenticator. Default: `app.name`.
    pub rp_name: Option<String>,
    /// Origins (`scheme://host[:port]`) the ceremonies may come from. Default: the request's
    /// `Origin`, which must be `base_url` or a trusted origin.
    pub origin: Vec<String>,
}

impl PluginOptions for PasskeyOptions {
    /// A bare domain as `rp_id`, bare origins as `origin`, since WebAuthn compares both exactly.
    fn check(&self, _: &Context, issues: &mut Vec<Issue>) {
        if let Some(rp_id) = &self.rp_id
            && (rp_id.is_empty() || rp_id.contains([':', '/']))
        {
            issues.push(
                Issue::new(
                    &["plugins", "passkey", "rp_id"],
                    format!("`{rp_id}` is not a domain"),
                )
                .help("write the domain alone, like `example.com`: no scheme, port or path"),
            );
        }
        let bare_origin = |o: &String| {
            o.split_once("://").is_some_and(|(scheme, host)| {
                !scheme.is_empty() && !host.is_empty() && !host.contains('/')
            })
        };
        if let Some(bad) = self.origin.iter().find(|o| !bare_origin(o)) {
            issues.push(
                Issue::new(
                    &["plugins", "passkey", "origin"],
                    format!("`{bad}` is not an origin"),
                )
                .help("an origin is `scheme://host[:port]` without a path or trailing `/`, like `https://example.com`"),
            );
        }
    }

    fn template_values(&self, ctx: &Context) -> serde_json::Value {
        serde_json::json!({
            "rp_id": rust_str(self.rp_id.as_deref().unwrap_or_else(|| host_of(ctx.base_url))),
            "rp_name": rust_str(self.rp_name.as_deref().unwrap_or(ctx.app_name)),
            "origins": self.origin.iter().map(|h| rust_str(h)).collect::<Vec<_>>(),
        })
    }
}

/// The host of a URL, without scheme, credentials or port: Better Auth's default passkey
/// `rpID` (`new URL(baseURL).hostname`).
fn host_of(url: &str) -> &str {
    let authority = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = authority.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    match host.strip_prefix('[') {
        // An IPv6 literal keeps its brackets, as `hostname` does.
        Some(v6) => v6
            .split_once(']')
            .map_or(host, |(addr, _)| &host[..addr.len() + 2]),
        None => host.split(':').next().unwrap_or_default(),
    }
}
