//! `[plugins.siwe]`: Sign-In with Ethereum.

use schemars::JsonSchema;
use serde::Deserialize;

use super::contract::{Context, PluginOptions};
use crate::config::diagnostic::Issue;
use crate::config::literal::{rust_bool, rust_str};

/// `[plugins.siwe]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct SiweOptions {
    /// The `domain` signed messages must name (Better Auth: `domain`); default: the host (and
    /// port) of `base_url`.
    pub domain: Option<String>,
    /// Domain of new users' emails (`<address>@<domain>`); default: Better Auth's placeholder.
    pub email_domain_name: Option<String>,
    /// Wallets may sign in without an email (Better Auth: `anonymous`, default true); false:
    /// `/siwe/verify` needs `email`.
    pub anonymous: bool,
    /// The chains a message may name (EIP-155 ids); empty: any.
    pub chain_ids: Vec<u64>,
}

impl Default for SiweOptions {
    fn default() -> Self {
        Self {
            domain: None,
            email_domain_name: None,
            anonymous: true,
            chain_ids: Vec::new(),
        }
    }
}

/// `host[:port]` of a URL.
fn authority(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(['/', '?', '#']).next().unwrap_or_default()
}

impl PluginOptions for SiweOptions {
    fn check(&self, _: &Context, issues: &mut Vec<Issue>) {
        if let Some(domain) = &self.domain
            && (domain.is_empty() || domain.contains(['/', ' ']))
        {
            issues.push(
                Issue::new(
                    &["plugins", "siwe", "domain"],
                    format!("`{domain}` is not a domain"),
                )
                .help(
                    "host and optional port, as messages name it: `example.com`, `localhost:3000`",
                ),
            );
        }
        if self.chain_ids.contains(&0) {
            issues.push(Issue::new(
                &["plugins", "siwe", "chain_ids"],
                "chain ids start at 1",
            ));
        }
    }

    fn template_values(&self, ctx: &Context) -> serde_json::Value {
        let domain = self
            .domain
            .clone()
            .unwrap_or_else(|| authority(ctx.base_url).to_owned());
        serde_json::json!({
            "domain": rust_str(&domain.to_ascii_lowercase()),
            "email_domain_name": rust_str(self.email_domain_name.as_deref().unwrap_or_default()),
            "anonymous": rust_bool(self.anonymous),
            "chain_ids": self.chain_ids,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::authority;

    #[test]
    fn the_default_domain_is_the_base_urls_authority() {
        assert_eq!(authority("http://localhost:3000"), "localhost:3000");
        assert_eq!(
            authority("https://app.example.com/base?x"),
            "app.example.com"
        );
    }
}
