//! `[plugins.jwt]`: JWTs and `/jwks`.

use schemars::JsonSchema;
use serde::Deserialize;

use super::contract::{Context, PluginOptions};
use crate::config::diagnostic::Issue;
use crate::config::duration::Seconds;

/// `[plugins.jwt]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct JwtOptions {
    /// Signing algorithm of new keys: "EdDSA" (Ed25519, Better Auth's default), "ES256" (P-256)
    /// or "RS256" (RSA, 2048 bits). Tokens are signed with the newest live key of this algorithm.
    pub alg: JwtAlg,
    /// Token lifetime (Better Auth's `jwt.expirationTime`, "15m").
    pub expiration: Seconds,
    /// A new signing key this long after the current one was created (Better Auth's
    /// `jwks.rotationInterval`). Default: keys do not expire.
    pub rotation_interval: Option<Seconds>,
    /// How long `/jwks` still lists a key after it stopped signing, so tokens it signed keep
    /// verifying (Better Auth's `jwks.gracePeriod`, 30 days).
    pub grace_period: Seconds,
}

impl Default for JwtOptions {
    fn default() -> Self {
        Self {
            alg: JwtAlg::EdDsa,
            expiration: Seconds(900),
            rotation_interval: None,
            grace_period: Seconds(30 * 86_400),
        }
    }
}

/// JWT signing algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum JwtAlg {
    /// Ed25519.
    #[serde(rename = "EdDSA")]
    EdDsa,
    /// P-256.
    #[serde(rename = "ES256")]
    Es256,
    /// RSA 2048.
    #[serde(rename = "RS256")]
    Rs256,
}

impl JwtAlg {
    /// The name as written in `rauth.toml` and in a JWT's `alg` header.
    pub fn name(self) -> &'static str {
        match self {
            Self::EdDsa => "EdDSA",
            Self::Es256 => "ES256",
            Self::Rs256 => "RS256",
        }
    }
}

impl PluginOptions for JwtOptions {
    fn check(&self, _: &Context, issues: &mut Vec<Issue>) {
        let durations = [
            ("expiration", Some(self.expiration)),
            ("rotation_interval", self.rotation_interval),
        ];
        for (key, value) in durations {
            if value.is_some_and(|s| s.0 == 0) {
                issues.push(Issue::new(
                    &["plugins", "jwt", key],
                    format!("`{key}` must be longer than 0s"),
                ));
            }
        }
    }

    fn template_values(&self, _: &Context) -> serde_json::Value {
        serde_json::json!({
            "alg": self.alg.name(),
            "expiration": self.expiration.0,
            "rotation_interval": self.rotation_interval.map_or(0, |r| r.0),
            "grace_period": self.grace_period.0,
        })
    }
}
