//! The contract between rauth and each plugin's options: what a plugin reads of the rest of the
//! config ([`Context`]) and what it answers ([`PluginOptions`]). Apart from the registry in
//! `mod.rs`, because the registry names every plugin file and every plugin file names this: in
//! one file they would be a module cycle.

use crate::config::diagnostic::Issue;

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
    /// The configured social providers' ids (`github`, `google`, an `oidc` table's key): a
    /// plugin that signs in through one of them (`one-tap`) needs it configured.
    pub social: Vec<String>,
}

/// What the rest of rauth asks of a plugin's options. Both have defaults, for the plugins that
/// add their schema only (`sso`, `oauth-provider`) or have nothing to check (`bearer`).
pub trait PluginOptions: std::fmt::Debug {
    /// Pushes this table's config errors, at their key paths; none by default.
    fn check(&self, _ctx: &Context, _issues: &mut Vec<Issue>) {}

    /// The option flags of its schema that are on: the `when = "<plugin>.<flag>"` of its
    /// `schema.toml` (`organization.teams`); none by default.
    fn schema_flags(&self) -> Vec<&'static str> {
        Vec::new()
    }

    /// What its templates see as `plugins.<key>`; an empty table by default.
    fn template_values(&self, _ctx: &Context) -> serde_json::Value {
        serde_json::Value::Object(serde_json::Map::new())
    }
}
