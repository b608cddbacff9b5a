//! `[plugins.captcha]`: a CAPTCHA answer required on the endpoints bots go for.

use schemars::JsonSchema;
use serde::Deserialize;

use super::contract::{Context, PluginOptions};
use super::services::{check_env_name, check_service_url};
use crate::config::diagnostic::Issue;
use crate::config::literal::rust_str;

/// Better Auth's default: the endpoints bots go for.
const DEFAULT_ENDPOINTS: [&str; 3] = [
    "/sign-up/email",
    "/sign-in/email",
    "/request-password-reset",
];

/// The CAPTCHA vendor, whose `siteverify` protocol the server speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CaptchaProvider {
    /// Cloudflare Turnstile (JSON request; `action` and `hostname` in the answer).
    CloudflareTurnstile,
    /// Google reCAPTCHA v2 or v3 (v3 answers a `score`, held to `min_score`).
    GoogleRecaptcha,
    /// hCaptcha (the site key is sent along when set).
    Hcaptcha,
    /// CaptchaFox (the site key is sent along when set).
    Captchafox,
}

impl CaptchaProvider {
    fn name(self) -> &'static str {
        match self {
            Self::CloudflareTurnstile => "cloudflare-turnstile",
            Self::GoogleRecaptcha => "google-recaptcha",
            Self::Hcaptcha => "hcaptcha",
            Self::Captchafox => "captchafox",
        }
    }

    /// The vendor's verification endpoint.
    fn site_verify_url(self) -> &'static str {
        match self {
            Self::CloudflareTurnstile => {
                "https://challenges.cloudflare.com/turnstile/v0/siteverify"
            }
            Self::GoogleRecaptcha => "https://www.google.com/recaptcha/api/siteverify",
            Self::Hcaptcha => "https://api.hcaptcha.com/siteverify",
            Self::Captchafox => "https://api.captchafox.com/siteverify",
        }
    }

    /// Whether the answer carries `action` and `hostname` to check.
    fn checks_action_and_hostname(self) -> bool {
        matches!(self, Self::CloudflareTurnstile | Self::GoogleRecaptcha)
    }
}

/// `[plugins.captcha]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct CaptchaOptions {
    /// The vendor (required).
    pub provider: Option<CaptchaProvider>,
    /// The environment variable holding the vendor's secret key (Better Auth: `secretKey`).
    pub secret_key_env: String,
    /// The site key, sent to hCaptcha and CaptchaFox (Better Auth: `siteKey`).
    pub site_key: Option<String>,
    /// The endpoints that require an answer in `x-captcha-response`; a trailing `*` matches
    /// any rest (Better Auth: `endpoints`).
    pub endpoints: Vec<String>,
    /// reCAPTCHA v3: the lowest score let through (Better Auth: `minScore`, 0.5).
    pub min_score: Option<f64>,
    /// Turnstile and reCAPTCHA: the widget's `action` the answer must carry.
    pub expected_action: Option<String>,
    /// Turnstile and reCAPTCHA: the hostnames the answer may come from; empty: any.
    pub allowed_hostnames: Vec<String>,
    /// Another `siteverify` address than the vendor's (Better Auth: `siteVerifyURLOverride`).
    pub site_verify_url: Option<String>,
    /// An environment variable that, when set, replaces the `siteverify` address (a test server).
    pub site_verify_url_env: Option<String>,
}

impl Default for CaptchaOptions {
    fn default() -> Self {
        Self {
            provider: None,
            secret_key_env: "CAPTCHA_SECRET_KEY".to_owned(),
            site_key: None,
            endpoints: DEFAULT_ENDPOINTS.map(str::to_owned).to_vec(),
            min_score: None,
            expected_action: None,
            allowed_hostnames: Vec::new(),
            site_verify_url: None,
            site_verify_url_env: None,
        }
    }
}

impl PluginOptions for CaptchaOptions {
    fn check(&self, _: &Context, issues: &mut Vec<Issue>) {
        let key = |k: &'static str| ["plugins", "captcha", k];
        let Some(provider) = self.provider else {
            issues.push(
                Issue::new(&["plugins", "captcha"], "`provider` is required")
                    .help("one of \"cloudflare-turnstile\", \"google-recaptcha\", \"hcaptcha\", \"captchafox\""),
            );
            return;
        };
        check_env_name("captcha", "secret_key_env", &self.secret_key_env, issues);
        if let Some(name) = &self.site_verify_url_env {
            check_env_name("captcha", "site_verify_url_env", name, issues);
        }
        if let Some(bad) = self
            .endpoints
            .iter()
            .find(|p| !p.starts_with('/') || p.trim_end_matches('*').contains('*'))
        {
            issues.push(
                Issue::new(
                    &key("endpoints"),
                    format!("`{bad}` is not an endpoint path"),
                )
                .help("paths start with `/`, below the base path; `*` may end one: `/sign-in/*`"),
            );
        }
        if let Some(url) = &self.site_verify_url {
            check_service_url("captcha", "site_verify_url", url, issues);
        }
        if let Some(score) = self.min_score {
            if provider != CaptchaProvider::GoogleRecaptcha {
                issues.push(Issue::new(
                    &key("min_score"),
                    "`min_score` is for reCAPTCHA v3 (`provider = \"google-recaptcha\"`)",
                ));
            } else if !(0.0..=1.0).contains(&score) {
                issues.push(Issue::new(
                    &key("min_score"),
                    "`min_score` is between 0.0 and 1.0",
                ));
            }
        }
        if !provider.checks_action_and_hostname() {
            if self.expected_action.is_some() {
                issues.push(Issue::new(
                    &key("expected_action"),
                    format!("{} answers no action to check", provider.name()),
                ));
            }
            if !self.allowed_hostnames.is_empty() {
                issues.push(Issue::new(
                    &key("allowed_hostnames"),
                    format!("{} answers no hostname to check", provider.name()),
                ));
            }
        }
        if self.site_key.is_some() && provider.checks_action_and_hostname() {
            issues.push(Issue::new(
                &key("site_key"),
                format!("{} takes no site key", provider.name()),
            ));
        }
    }

    fn template_values(&self, _: &Context) -> serde_json::Value {
        let provider = self
            .provider
            .unwrap_or(CaptchaProvider::CloudflareTurnstile);
        serde_json::json!({
            "provider": provider.name(),
            "secret_key_env": rust_str(&self.secret_key_env),
            "site_key": rust_str(self.site_key.as_deref().unwrap_or_default()),
            "endpoints": self.endpoints.iter().map(|p| rust_str(p)).collect::<Vec<_>>(),
            // A float literal for the template: `0.5`, never `0`.
            "min_score": format!("{:?}", self.min_score.unwrap_or(0.5)),
            "expected_action": rust_str(self.expected_action.as_deref().unwrap_or_default()),
            "allowed_hostnames": self.allowed_hostnames.iter().map(|h| rust_str(h)).collect::<Vec<_>>(),
            "site_verify_url": rust_str(
                self.site_verify_url.as_deref().unwrap_or(provider.site_verify_url()),
            ),
            "site_verify_url_env": rust_str(self.site_verify_url_env.as_deref().unwrap_or_default()),
        })
    }
}
