//! `[plugins.api-key]`: API keys, in one or more key configurations.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

use super::contract::{Context, PluginOptions};
use crate::config::diagnostic::Issue;
use crate::config::duration::Seconds;
use crate::config::literal::{rust_bool, rust_int, rust_str};

/// `[plugins.api-key]`: the `default` key configuration. Each
/// `[plugins.api-key.configs.<config_id>]` table declares one more (Better Auth's array of
/// configurations), with the same options; options are not inherited from the default one.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ApiKeyOptions {
    /// Prefix of new keys.
    pub default_prefix: Option<String>,
    /// Length of new keys (without prefix).
    pub default_key_length: u32,
    /// A key in one of `headers` signs the request in as the key's user (Better Auth's
    /// `enableSessionForAPIKeys`; off by default, as there).
    pub enable_session_for_api_keys: bool,
    /// Request headers a key is read from when keys are sessions (Better Auth's `apiKeyHeaders`).
    pub headers: Vec<String>,
    /// Keys may carry metadata (Better Auth's `enableMetadata`).
    pub enable_metadata: bool,
    /// Who owns the keys: the signed-in `user`, or an `organization` whose members manage them
    /// with the `apiKey` permissions (needs `[plugins.organization]`).
    pub references: ApiKeyReferences,
    /// A new key must have a name (Better Auth's `requireName`).
    pub require_name: bool,
    /// New keys are rate limited (Better Auth's `rateLimit.enabled`); off: no key of this
    /// configuration is.
    pub rate_limit_enabled: bool,
    /// The window of a new key's rate limit (`rateLimit.timeWindow`).
    pub rate_limit_time_window: Seconds,
    /// Uses of a new key per window (`rateLimit.maxRequests`).
    pub rate_limit_max: u32,
    /// Lifetime of a key created without `expiresIn` (`keyExpiration.defaultExpiresIn`; none:
    /// it never expires).
    pub default_expires_in: Option<Seconds>,
    /// Shortest `expiresIn` a request may ask for (`keyExpiration.minExpiresIn`).
    pub min_expires_in: Seconds,
    /// Longest `expiresIn` a request may ask for (`keyExpiration.maxExpiresIn`).
    pub max_expires_in: Seconds,
    /// Requests may not choose `expiresIn` (`keyExpiration.disableCustomExpiresTime`).
    pub disable_custom_expires_time: bool,
    /// More key configurations, by `configId`; only in `[plugins.api-key]` itself.
    pub configs: BTreeMap<String, ApiKeyOptions>,
}

impl Default for ApiKeyOptions {
    fn default() -> Self {
        Self {
            default_prefix: None,
            default_key_length: 64,
            enable_session_for_api_keys: false,
            headers: vec!["x-api-key".into()],
            enable_metadata: false,
            references: ApiKeyReferences::User,
            require_name: false,
            rate_limit_enabled: true,
            rate_limit_time_window: Seconds(86_400),
            rate_limit_max: 10,
            default_expires_in: None,
            min_expires_in: Seconds(86_400),
            max_expires_in: Seconds(365 * 86_400),
            disable_custom_expires_time: false,
            configs: BTreeMap::new(),
        }
    }
}

impl ApiKeyOptions {
    /// Every key configuration with its `configId`, the default one first.
    pub fn all_configs(&self) -> Vec<(&str, &Self)> {
        std::iter::once(("default", self))
            .chain(self.configs.iter().map(|(id, c)| (id.as_str(), c)))
            .collect()
    }
}

/// Who owns the keys of an api-key configuration (Better Auth's `references`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ApiKeyReferences {
    /// The user who creates the key (the default).
    User,
    /// An organization, named by `organizationId`.
    Organization,
}

impl PluginOptions for ApiKeyOptions {
    /// This table and each of its `configs`: ids, key length, header names, expiry bounds, and
    /// organization-owned keys without the organization plugin.
    fn check(&self, ctx: &Context, issues: &mut Vec<Issue>) {
        let mut session_headers: Vec<(&str, &str)> = Vec::new();
        let nested = self.configs.iter().map(|(id, c)| (Some(id.as_str()), c));
        for (nested_id, c) in std::iter::once((None, self)).chain(nested) {
            let id = nested_id.unwrap_or("default");
            let base: Vec<&str> = match nested_id {
                None => vec!["plugins", "api-key"],
                Some(id) => vec!["plugins", "api-key", "configs", id],
            };
            let at = |key: &str| {
                let mut path: Vec<String> = base.iter().map(|s| (*s).to_owned()).collect();
                if !key.is_empty() {
                    path.push(key.to_owned());
                }
                path
            };
            let table = match nested_id {
                None => "[plugins.api-key]".to_owned(),
                Some(id) => format!("[plugins.api-key.configs.{id}]"),
            };
            if nested_id.is_some() {
                check_config_id(id, at(""), issues);
                if !c.configs.is_empty() {
                    issues.push(
                        Issue::at(
                            at("configs"),
                            "a key configuration cannot have configurations of its own",
                        )
                        .help("declare every configuration as `[plugins.api-key.configs.<config_id>]`"),
                    );
                }
            }
            if !(16..=256).contains(&c.default_key_length) {
                issues.push(Issue::at(
                    at("default_key_length"),
                    format!(
                        "`default_key_length` must be between 16 and 256, not {}",
                        c.default_key_length
                    ),
                ));
            }
            let token = |h: &String| {
                !h.is_empty() && h.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            };
            if let Some(bad) = c.headers.iter().find(|h| !token(h)) {
                issues.push(
                    Issue::at(at("headers"), format!("`{bad}` is not a header name"))
                        .help("header names are letters, digits and `-`, like `x-api-key`"),
                );
            }
            if c.enable_session_for_api_keys && c.headers.is_empty() {
                issues.push(
                    Issue::at(
                        at("headers"),
                        "keys are sessions (`enable_session_for_api_keys`) but no header carries them",
                    )
                    .help("remove `headers` to read keys from `x-api-key`, or name the headers"),
                );
            }
            if c.enable_session_for_api_keys {
                for header in &c.headers {
                    let header = header.as_str();
                    if let Some((other, _)) = session_headers
                        .iter()
                        .find(|(_, h)| h.eq_ignore_ascii_case(header))
                    {
                        issues.push(
                            Issue::at(at("headers"), format!("header `{header}` already carries the keys of configuration `{other}`"))
                                .help("give each configuration whose keys are sessions its own headers"),
                        );
                    }
                    session_headers.push((id, header));
                }
            }
            if c.min_expires_in > c.max_expires_in {
                issues.push(Issue::at(
                    at("min_expires_in"),
                    "`min_expires_in` is longer than `max_expires_in`",
                ));
            }
            if c.references == ApiKeyReferences::Organization
                && !ctx.enabled.contains(&"organization")
            {
                issues.push(
                    Issue::at(
                        at("references"),
                        "organization-owned keys (`references = \"organization\"`) need plugin `organization`, which is not enabled",
                    )
                    .help(format!("add `[plugins.organization]`, or remove `references` from {table}")),
                );
            }
        }
    }

    /// The configurations as templates see them, the default one first; `sessions` and
    /// `organization`: whether any configuration has keys that are sessions, or organization-owned.
    fn template_values(&self, _: &Context) -> serde_json::Value {
        let configs: Vec<serde_json::Value> = self
            .all_configs()
            .into_iter()
            .map(|(id, c)| {
                serde_json::json!({
                    "id": rust_str(id),
                    "default_prefix": c.default_prefix.as_deref().map(rust_str),
                    "default_key_length": c.default_key_length,
                    "sessions": rust_bool(c.enable_session_for_api_keys),
                    "headers": c.headers.iter().map(|h| rust_str(h)).collect::<Vec<_>>(),
                    "enable_metadata": rust_bool(c.enable_metadata),
                    "organization": rust_bool(c.references == ApiKeyReferences::Organization),
                    "require_name": rust_bool(c.require_name),
                    "rate_limit_enabled": rust_bool(c.rate_limit_enabled),
                    "rate_limit_time_window": rust_int(c.rate_limit_time_window.0.saturating_mul(1000).min(I32_MAX)),
                    "rate_limit_max": rust_int(u64::from(c.rate_limit_max).min(I32_MAX)),
                    "default_expires_in": c.default_expires_in.map_or_else(|| "None".to_owned(), |s| format!("Some({})", rust_int(s.0.min(I64_MAX)))),
                    "min_expires_in": rust_int(c.min_expires_in.0),
                    "max_expires_in": rust_int(c.max_expires_in.0),
                    "custom_expires_in": rust_bool(!c.disable_custom_expires_time),
                })
            })
            .collect();
        serde_json::json!({
            "sessions": self.all_configs().iter().any(|(_, c)| c.enable_session_for_api_keys),
            "organization": self.all_configs().iter().any(|(_, c)| c.references == ApiKeyReferences::Organization),
            "configs": configs,
        })
    }
}

/// The largest values of the generated code's `i32` and `i64` fields.
const I32_MAX: u64 = 2_147_483_647;
const I64_MAX: u64 = i64::MAX.unsigned_abs();

/// A `configId` of `[plugins.api-key.configs.<config_id>]`: not `default` (the top-level
/// table is that one), and a plain name, since clients send it in queries.
fn check_config_id(id: &str, at: Vec<String>, issues: &mut Vec<Issue>) {
    if id == "default" {
        issues.push(
            Issue::at(at, "`default` is the configuration of `[plugins.api-key]` itself")
                .help("set the default configuration's options in `[plugins.api-key]`, or give this one another id"),
        );
    } else if id.is_empty()
        || id.len() > 64
        || !id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
    {
        issues.push(
            Issue::at(at, format!("`{id}` is not a usable configId"))
                .help("a configId is 1 to 64 letters, digits, `_`, `-` or `.`, like `public`"),
        );
    }
}
