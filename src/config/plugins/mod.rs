//! Each plugin's options, one file per plugin: the options struct with its defaults (the
//! `[plugins.<name>]` table), its `check` and its `template_values` (what its templates see as
//! `plugins.<name>`). `Plugins` in `model.rs` is the registry that names them; `check_plugins`
//! and `generate::code`'s `plugin_options` call them.
//!
//! A plugin file reads the rest of the config through [`Context`], not `Config`: `Config` names
//! the plugins' options, and `src/` has no module cycles.

pub mod admin;
pub mod anonymous;
pub mod api_key;
pub mod bearer;
pub mod email_otp;
pub mod jwt;
pub mod magic_link;
pub mod multi_session;
pub mod oauth_provider;
pub mod organization;
mod otp;
pub mod passkey;
pub mod phone_number;
pub mod sso;
pub mod two_factor;
pub mod username;

/// What a plugin's checks and template values may read of the rest of the config
/// (`Config::plugin_context`).
#[derive(Debug, Clone)]
pub struct Context<'a> {
    /// `[app] name`.
    pub app_name: &'a str,
    /// `[app] base_url`.
    pub base_url: &'a str,
    /// The enabled plugins, kebab-case, in canonical order (`Plugins::enabled`).
    pub enabled: Vec<&'static str>,
}
