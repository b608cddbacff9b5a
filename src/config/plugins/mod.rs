//! Each plugin's options: the options struct with its defaults (the `[plugins.<name>]` table)
//! and its [`PluginOptions`] impl: `check` (its config errors) and `template_values` (what its
//! templates see as `plugins.<key>`). They live in the plugin's unit, as
//! `templates/plugins/<name>/options.rs` next to its manifest and templates (a plugin is one
//! directory), and are compiled in here by `#[path]`.
//!
//! The registry at the end of this file is the one place `src/` names the plugins: one line per
//! plugin (field, kebab-case name, options type, doc) makes the `Plugins` table of the config,
//! `Plugins::all`, the canonical order of `Plugins::enabled`, the re-export of the options type
//! from `config`, and the loops of `check_plugins` (`validate.rs`) and `generate::code`'s
//! `plugin_options`. A new plugin's entry is that line and its `#[path] pub mod` line above it:
//! the modules are declared outside the macro so that rustfmt still finds and formats their
//! files.
//!
//! A plugin's options read the rest of the config through [`Context`], not `Config`: `Config`
//! names the plugins' options, and `src/` has no module cycles. For the same reason `Context`
//! and [`PluginOptions`] live in `contract.rs`: this file names every plugin file, so they cannot
//! name it back. Helpers shared by several plugins' options stay here (`otp.rs`, `services.rs`).

use schemars::JsonSchema;
use serde::Deserialize;

#[path = "../../../templates/plugins/admin/options.rs"]
pub mod admin;
#[path = "../../../templates/plugins/anonymous/options.rs"]
pub mod anonymous;
#[path = "../../../templates/plugins/api-key/options.rs"]
pub mod api_key;
#[path = "../../../templates/plugins/bearer/options.rs"]
pub mod bearer;
#[path = "../../../templates/plugins/captcha/options.rs"]
pub mod captcha;
mod contract;
#[path = "../../../templates/plugins/custom-session/options.rs"]
pub mod custom_session;
#[path = "../../../templates/plugins/device-authorization/options.rs"]
pub mod device_authorization;
#[path = "../../../templates/plugins/email-otp/options.rs"]
pub mod email_otp;
#[path = "../../../templates/plugins/have-i-been-pwned/options.rs"]
pub mod have_i_been_pwned;
#[path = "../../../templates/plugins/jwt/options.rs"]
pub mod jwt;
#[path = "../../../templates/plugins/last-login-method/options.rs"]
pub mod last_login_method;
#[path = "../../../templates/plugins/magic-link/options.rs"]
pub mod magic_link;
#[path = "../../../templates/plugins/multi-session/options.rs"]
pub mod multi_session;
#[path = "../../../templates/plugins/oauth-provider/options.rs"]
pub mod oauth_provider;
#[path = "../../../templates/plugins/oauth-proxy/options.rs"]
pub mod oauth_proxy;
#[path = "../../../templates/plugins/one-tap/options.rs"]
pub mod one_tap;
#[path = "../../../templates/plugins/one-time-token/options.rs"]
pub mod one_time_token;
#[path = "../../../templates/plugins/open-api/options.rs"]
pub mod open_api;
#[path = "../../../templates/plugins/organization/options.rs"]
pub mod organization;
mod otp;
#[path = "../../../templates/plugins/passkey/options.rs"]
pub mod passkey;
#[path = "../../../templates/plugins/phone-number/options.rs"]
pub mod phone_number;
mod services;
#[path = "../../../templates/plugins/siwe/options.rs"]
pub mod siwe;
#[path = "../../../templates/plugins/sso/options.rs"]
pub mod sso;
#[path = "../../../templates/plugins/two-factor/options.rs"]
pub mod two_factor;
#[path = "../../../templates/plugins/username/options.rs"]
pub mod username;

pub use contract::{Context, PluginOptions};

/// One plugin of the registry, enabled or not.
#[derive(Debug, Clone, Copy)]
pub struct PluginEntry<'a> {
    /// Kebab-case, as in `[plugins.<name>]` and in `Context::enabled`.
    pub name: &'static str,
    /// Snake-case, as templates name its values (`plugins.two_factor`).
    pub key: &'static str,
    /// Its options when the config enables it.
    pub options: Option<&'a dyn PluginOptions>,
}

/// Makes `Plugins` and its lists from one line per plugin: `(field, "kebab-name", module::Type,
/// "doc")`. The lines' order is the canonical plugin order: tables and columns are emitted in it,
/// `enabled` lists in it and the plugins' config errors come in it. `name` and `doc` are `tt`,
/// not `literal`, so that serde and schemars see plain literals in the attributes (a `literal`
/// fragment reaches a derive wrapped in an invisible group).
macro_rules! registry {
    ($( ($field:ident, $name:tt, $module:ident :: $options:ident, $doc:tt), )*) => {
        /// `[plugins.*]`. Field order is the canonical plugin order (tables and columns are emitted in it).
        #[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
        #[serde(deny_unknown_fields, default)]
        pub struct Plugins {
            $(
                #[doc = $doc]
                #[serde(rename = $name)]
                pub $field: Option<$module::$options>,
            )*
        }

        impl Plugins {
            /// Every plugin, with default options.
            pub fn all() -> Self {
                Self {
                    $( $field: Some($module::$options::default()), )*
                }
            }

            /// Every plugin, in canonical order, with its options when enabled.
            pub fn entries(&self) -> Vec<PluginEntry<'_>> {
                vec![$(
                    PluginEntry {
                        name: $name,
                        key: stringify!($field),
                        options: self.$field.as_ref().map(|o| o as &dyn PluginOptions),
                    },
                )*]
            }
        }

        /// The options types, re-exported from `config` as a whole. The paths start at `crate`:
        /// `module_graph` reads `super` here as this file's parent, which would be a cycle.
        pub mod options {
            $( pub use crate::config::plugins::$module::$options; )*
        }
    };
}

registry! {
    (username,       "username",       username::UsernameOptions,            "Sign in with a username."),
    (two_factor,     "two-factor",     two_factor::TwoFactorOptions,         "TOTP, OTP and backup codes."),
    (magic_link,     "magic-link",     magic_link::MagicLinkOptions,         "Sign-in links by email."),
    (email_otp,      "email-otp",      email_otp::EmailOtpOptions,           "One-time codes by email."),
    (organization,   "organization",   organization::OrganizationOptions,    "Organizations, members, invitations (teams optional)."),
    (admin,          "admin",          admin::AdminOptions,                  "Roles, bans, impersonation."),
    (jwt,            "jwt",            jwt::JwtOptions,                      "JWTs and `/jwks`."),
    (phone_number,   "phone-number",   phone_number::PhoneNumberOptions,     "Phone number sign-in."),
    (anonymous,      "anonymous",      anonymous::AnonymousOptions,          "Anonymous users."),
    (multi_session,  "multi-session",  multi_session::MultiSessionOptions,   "Several accounts per browser."),
    (bearer,         "bearer",         bearer::BearerOptions,                "`Authorization: Bearer` tokens."),
    (passkey,        "passkey",        passkey::PasskeyOptions,              "WebAuthn passkeys."),
    (api_key,        "api-key",        api_key::ApiKeyOptions,               "API keys."),
    (one_time_token, "one-time-token", one_time_token::OneTimeTokenOptions,  "Single-use tokens that stand for a session."),
    (last_login_method, "last-login-method", last_login_method::LastLoginMethodOptions, "How each user last signed in."),
    (have_i_been_pwned, "have-i-been-pwned", have_i_been_pwned::HaveIBeenPwnedOptions, "Breached passwords refused."),
    (captcha,        "captcha",        captcha::CaptchaOptions,              "CAPTCHA on the endpoints bots go for."),
    (device_authorization, "device-authorization", device_authorization::DeviceAuthorizationOptions, "The device authorization grant (RFC 8628)."),
    (siwe,           "siwe",           siwe::SiweOptions,                    "Sign-In with Ethereum (EIP-4361)."),
    (custom_session, "custom-session", custom_session::CustomSessionOptions, "Your own fields in the session answer."),
    (one_tap,        "one-tap",        one_tap::OneTapOptions,               "Google One Tap."),
    (open_api,       "open-api",       open_api::OpenApiOptions,             "The OpenAPI document and its reference page."),
    (oauth_proxy,    "oauth-proxy",    oauth_proxy::OauthProxyOptions,       "Social sign-in on preview deployments."),
    (sso,            "sso",            sso::SsoOptions,                      "Enterprise SSO."),
    (oauth_provider, "oauth-provider", oauth_provider::OauthProviderOptions, "OAuth 2.1 / OIDC provider (needs `jwt`)."),
}

impl Plugins {
    /// Kebab-case names of the enabled plugins, in canonical order.
    pub fn enabled(&self) -> Vec<&'static str> {
        self.entries()
            .into_iter()
            .filter(|e| e.options.is_some())
            .map(|e| e.name)
            .collect()
    }

    /// The enabled plugins' kebab-case names and options, in canonical order.
    pub fn enabled_options(&self) -> Vec<(&'static str, &dyn PluginOptions)> {
        self.entries()
            .into_iter()
            .filter_map(|e| e.options.map(|o| (e.name, o)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_registry_keeps_the_canonical_order_and_snake_case_keys() {
        let all = Plugins::all();
        assert_eq!(
            all.enabled(),
            [
                "username",
                "two-factor",
                "magic-link",
                "email-otp",
                "organization",
                "admin",
                "jwt",
                "phone-number",
                "anonymous",
                "multi-session",
                "bearer",
                "passkey",
                "api-key",
                "one-time-token",
                "last-login-method",
                "have-i-been-pwned",
                "captcha",
                "device-authorization",
                "siwe",
                "custom-session",
                "one-tap",
                "open-api",
                "oauth-proxy",
                "sso",
                "oauth-provider",
            ]
        );
        for entry in all.entries() {
            // Templates name a plugin's values by its field, the kebab name in snake case.
            assert_eq!(entry.key, entry.name.replace('-', "_"));
        }
        assert_eq!(all.enabled_options().len(), all.entries().len());
        assert!(Plugins::default().enabled_options().is_empty());
    }
}
