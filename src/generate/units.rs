//! Plugin units: each plugin's generated code lives in `templates/plugins/<name>/`, with a
//! `plugin.toml` that says what core needs to know about it — the extension points it hooks
//! into, the core helpers it uses, the items the module root re-exports, the crates it needs and
//! its rate-limit rules. Core templates loop over these declarations and never name a plugin.
//!
//! Conditions (`when`) are template expressions over the same values the templates see
//! (`plugins.api_key.sessions`), so a hook or a crate can depend on the plugin's options.

use std::collections::{BTreeMap, BTreeSet};

use minijinja::Value;
use serde::Deserialize;

use super::templates;

/// The points where core calls into plugins. Each names the function a hooking module defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Hook {
    /// `before(auth, req) -> Result<(), AuthError>`: may refuse a request before its endpoint
    /// runs (a missing captcha, a breached password).
    Request,
    /// `route(auth, req) -> Option<Result<Response, AuthError>>`: the plugin's endpoints.
    Routes,
    /// `after(auth, req, response) -> Response`: sees every answer, may add cookies or headers.
    Response,
    /// `session(auth, req) -> Result<Option<Current>, AuthError>`: a session from something
    /// other than the session cookie (an API key).
    RequestSession,
    /// `get_session(auth, req) -> Result<Option<Response>, AuthError>`: answers `/get-session`
    /// itself when it recognises the request.
    GetSession,
    /// `session_cookie(auth, req) -> Option<String>`: the session cookie value a request stands
    /// for when it carries none (a bearer token).
    SessionCookie,
    /// `allow_session(auth, user) -> Result<(), AuthError>`: may refuse to start a session.
    SessionAllowed,
    /// `challenge(auth, req, user, remember) -> Result<Option<Response>, AuthError>`: answers a
    /// checked sign-in with a further step instead of a session (a second factor).
    SignInChallenge,
    /// `on_sign_up(auth, body, user) -> Result<(), AuthError>`: reads or refuses the plugin's
    /// fields of an email sign-up before the user is stored.
    SignUp,
    /// `on_update_user(auth, body, user) -> Result<(), AuthError>`: the same for `/update-user`.
    UpdateUser,
    /// A `State` the service holds (`State::new()`, `state.check_production()`), reachable as
    /// `auth.<module>`: the plugin's own senders and settings.
    State,
}

impl Hook {
    const ALL: [Self; 11] = [
        Self::Request,
        Self::Routes,
        Self::Response,
        Self::RequestSession,
        Self::GetSession,
        Self::SessionCookie,
        Self::SessionAllowed,
        Self::SignInChallenge,
        Self::SignUp,
        Self::UpdateUser,
        Self::State,
    ];

    /// The hook as templates name it: `hooks.request_session`.
    fn name(self) -> &'static str {
        match self {
            Self::Request => "request",
            Self::Routes => "routes",
            Self::Response => "response",
            Self::RequestSession => "request_session",
            Self::GetSession => "get_session",
            Self::SessionCookie => "session_cookie",
            Self::SessionAllowed => "session_allowed",
            Self::SignInChallenge => "sign_in_challenge",
            Self::SignUp => "sign_up",
            Self::UpdateUser => "update_user",
            Self::State => "state",
        }
    }
}

/// Core helpers that exist only for plugins; core emits each when an enabled unit uses it.
const CAPABILITIES: [&str; 13] = [
    // `Response::expose_header`: a header browsers on other origins may read.
    "expose-header",
    // `Response::session_cookie_set` / `Auth::session_token_set`: the session a response starts.
    "session-cookie-set",
    "session-token-set",
    // `store::consume_verification`: one-time values (codes, links, challenges).
    "verification-values",
    // `store::latest_verification`: the newest value under an identifier, expired or not.
    "verification-lookup",
    // `store::delete_verifications`: every value under an identifier gone.
    "verification-codes",
    // `store::set_or_create_password`: a password set by a code or link, creating the
    // credential account when the user has none.
    "set-password",
    // `verification::check_code`: one-time codes stored with their wrong attempts, compared in
    // constant time.
    "one-time-codes",
    // `store::revoke_unproven_access`: an email proven by a link or code.
    "prove-email",
    // `store::user_by_id`: a user read by id (the session's user is in hand otherwise).
    "user-by-id",
    // `crypto::encrypt` / `decrypt`: data encrypted at rest with the secret, as Better Auth's
    // `symmetricEncrypt`.
    "encryption",
    // `permissions::authorizes`: Better Auth's access-control rule over a role's statements.
    "permissions",
    // `store::Field`/`Kind` and `input::query_values`/`one_of`: statements and filters built at run time.
    "dynamic-queries",
];

/// The core helpers a unit uses: a list (always), or a table of conditions like `hooks`
/// (`user-by-id = "plugins.api_key.sessions"`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Uses {
    Always(Vec<String>),
    When(BTreeMap<String, Condition>),
}

impl Default for Uses {
    fn default() -> Self {
        Self::Always(Vec::new())
    }
}

impl Uses {
    /// Each capability with its condition.
    fn entries(&self) -> Vec<(&str, Condition)> {
        match self {
            Self::Always(names) => names
                .iter()
                .map(|n| (n.as_str(), Condition::Fixed(true)))
                .collect(),
            Self::When(table) => table.iter().map(|(n, c)| (n.as_str(), c.clone())).collect(),
        }
    }
}

/// A condition: always, never, or a template expression.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Condition {
    Fixed(bool),
    When(String),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Crate {
    /// What follows `cargo add`: `sha1@0.10`, `rsa@0.9 --features sha2`.
    add: String,
    when: Option<String>,
}

/// A rate-limit rule of the plugin's paths; `*` at the end of a path matches any rest.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RateLimit {
    paths: Vec<String>,
    window: u64,
    max: u64,
}

/// `templates/plugins/<name>/plugin.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    /// One line: what the plugin gives.
    #[allow(
        dead_code,
        reason = "documentation in the manifest, checked to be present"
    )]
    summary: String,
    #[serde(default)]
    hooks: BTreeMap<Hook, Condition>,
    #[serde(default)]
    uses: Uses,
    #[serde(default)]
    exports: Vec<String>,
    #[serde(default)]
    crates: Vec<Crate>,
    #[serde(default)]
    rate_limits: Vec<RateLimit>,
    /// Functions of other plugins the unit's templates call, by plugin: `organization =
    /// ["api_key_permission"]`. Only for a genuine dependency (API keys owned by organizations);
    /// each call sits under that plugin's condition. Core events reach plugins through hooks.
    #[serde(default)]
    calls: BTreeMap<String, Vec<String>>,
}

/// One enabled plugin with generated code.
#[derive(Debug, Clone)]
pub struct Unit {
    /// Its name in `rauth.toml`: `two-factor`.
    pub name: String,
    /// Its module: `two_factor`.
    pub module: String,
    manifest: Manifest,
}

/// The directory of a plugin's unit: `plugins/two-factor/`.
fn dir(name: &str) -> String {
    format!("plugins/{name}/")
}

/// A plugin's module name: `two-factor` → `two_factor`.
pub fn module_name(name: &str) -> String {
    name.replace('-', "_")
}

/// Whether a plugin has generated code (a unit); the others add tables only.
pub fn has_unit(name: &str) -> bool {
    templates::embedded(&format!("{}plugin.toml", dir(name))).is_some()
}

/// The modules of the `enabled` plugins that have units, sorted: what the module root declares.
pub fn modules(enabled: &[&str]) -> Vec<String> {
    let mut modules: Vec<String> = enabled
        .iter()
        .filter(|p| has_unit(p))
        .map(|p| module_name(p))
        .collect();
    modules.sort();
    modules
}

/// The units of `enabled` plugins, by module name (the order hooks run in).
pub fn load(enabled: &[&str]) -> anyhow::Result<Vec<Unit>> {
    let mut units = Vec::new();
    for name in enabled {
        let path = format!("{}plugin.toml", dir(name));
        let Some(text) = templates::embedded(&path) else {
            continue;
        };
        let manifest: Manifest =
            toml::from_str(text).map_err(|e| anyhow::anyhow!("template `{path}`: {e}"))?;
        if let Some((unknown, _)) = manifest
            .uses
            .entries()
            .into_iter()
            .find(|(u, _)| !CAPABILITIES.contains(u))
        {
            anyhow::bail!("template `{path}`: `uses` names no core helper `{unknown}`");
        }
        if let Some(unknown) = manifest
            .calls
            .keys()
            .find(|p| !has_unit(p) || p.as_str() == *name)
        {
            anyhow::bail!("template `{path}`: `calls` names no other plugin `{unknown}`");
        }
        units.push(Unit {
            name: (*name).to_owned(),
            module: module_name(name),
            manifest,
        });
    }
    units.sort_by(|a, b| a.module.cmp(&b.module));
    Ok(units)
}

impl Unit {
    /// The unit's templates: `plugins/two-factor/mod.rs.j2` first.
    pub fn templates(&self) -> Vec<String> {
        let mut names = templates::names(&dir(&self.name));
        names.sort_by_key(|n| !n.ends_with("/mod.rs.j2"));
        names
    }
}

/// The file a unit's template renders to: its module file alone (`two_factor.rs`), or a
/// directory module (`organization/mod.rs`, `organization/teams.rs`) when it has several.
pub fn output_path(template: &str) -> Option<String> {
    let rest = template.strip_prefix("plugins/")?;
    let (name, file) = rest.split_once('/')?;
    let file = file.strip_suffix(".j2")?;
    let module = module_name(name);
    let alone = templates::names(&dir(name)).len() == 1;
    Some(if file == "mod.rs" && alone {
        format!("{module}.rs")
    } else {
        format!("{module}/{file}")
    })
}

/// What the units declare, evaluated for a config: the values core templates see as `hooks`,
/// `uses`, `exports` and `plugin_rate_limits`, and the `cargo add` lines.
#[derive(Debug, Default)]
pub struct Declared {
    hooks: BTreeMap<&'static str, Vec<String>>,
    uses: BTreeSet<String>,
    exports: Vec<(String, String)>,
    rate_limits: Vec<serde_json::Value>,
    pub cargo_add: Vec<String>,
}

/// Evaluates the units' declarations against the template context `ctx`. `extra_routes`: the
/// modules of core features that serve endpoints too (social sign-in).
pub fn declare(
    env: &minijinja::Environment<'_>,
    units: &[Unit],
    ctx: &Value,
) -> anyhow::Result<Declared> {
    let holds = |unit: &Unit, expr: &str| -> anyhow::Result<bool> {
        let value = env
            .compile_expression(expr)
            .and_then(|e| e.eval(ctx))
            .map_err(|e| anyhow::anyhow!("plugin `{}`: condition `{expr}`: {e}", unit.name))?;
        Ok(value.is_true())
    };
    let mut declared = Declared::default();
    for hook in Hook::ALL {
        declared.hooks.insert(hook.name(), Vec::new());
    }
    for unit in units {
        let m = &unit.manifest;
        let on = |condition: &Condition| match condition {
            Condition::Fixed(on) => Ok(*on),
            Condition::When(expr) => holds(unit, expr),
        };
        for (hook, condition) in &m.hooks {
            let name = hook.name();
            if on(condition)? {
                declared
                    .hooks
                    .entry(name)
                    .or_default()
                    .push(format!("plugins::{}", unit.module));
            }
        }
        for (capability, condition) in m.uses.entries() {
            if on(&condition)? {
                declared.uses.insert(capability.to_owned());
            }
        }
        declared.exports.extend(
            m.exports
                .iter()
                .map(|item| (unit.module.clone(), item.clone())),
        );
        for c in &m.crates {
            let wanted = match &c.when {
                Some(expr) => holds(unit, expr)?,
                None => true,
            };
            let line = format!("cargo add {}", c.add);
            if wanted && !declared.cargo_add.contains(&line) {
                declared.cargo_add.push(line);
            }
        }
        declared
            .rate_limits
            .extend(m.rate_limits.iter().map(rate_limit_rule));
    }
    Ok(declared)
}

/// A rule as the rate limiter's template renders it: the Rust condition on `path`.
fn rate_limit_rule(rule: &RateLimit) -> serde_json::Value {
    let tests: Vec<String> = rule
        .paths
        .iter()
        .map(|p| match p.strip_suffix('*') {
            Some(prefix) => format!("path.starts_with({prefix:?})"),
            None => format!("path == {p:?}"),
        })
        .collect();
    serde_json::json!({ "test": tests.join(" || "), "window": rule.window, "max": rule.max })
}

impl Declared {
    /// Adds `module` to a hook's callers, after the plugins (core features that hook in like
    /// plugins).
    pub fn hook(&mut self, hook: &'static str, module: &str) {
        self.hooks.entry(hook).or_default().push(module.to_owned());
    }

    /// Records that a core feature uses a capability, as a unit's `uses` does.
    pub fn uses(&mut self, capability: &str) {
        debug_assert!(CAPABILITIES.contains(&capability), "{capability}");
        self.uses.insert(capability.to_owned());
    }

    /// The template values: `hooks.<hook>` (module paths from the module's root, as core names
    /// them: `plugins::two_factor`, `social::routes`), `uses.<capability>` (booleans, `-`
    /// as `_`), `exports` (`{module, items}`), `plugin_rate_limits`.
    pub fn context(&self) -> Value {
        let uses: BTreeMap<String, bool> = CAPABILITIES
            .iter()
            .map(|c| (c.replace('-', "_"), self.uses.contains(*c)))
            .collect();
        let mut exports: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (module, item) in &self.exports {
            exports.entry(module).or_default().push(item);
        }
        let exports: Vec<serde_json::Value> = exports
            .into_iter()
            .map(|(module, items)| serde_json::json!({ "module": module, "items": items }))
            .collect();
        minijinja::context! {
            hooks => self.hooks,
            uses => uses,
            exports => exports,
            plugin_rate_limits => self.rate_limits,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The README's two plugin tables follow the registry: the options table has a row per
    /// plugin, the table of generated code a row per plugin with a unit.
    #[test]
    fn the_readme_lists_every_plugin() {
        let readme = include_str!("../../README.md");
        let rows = |heading: &str| -> Vec<String> {
            let table = readme.split_once(heading).expect(heading).1;
            table
                .lines()
                .skip_while(|l| !l.starts_with('|'))
                .take_while(|l| l.starts_with('|'))
                .filter_map(|l| {
                    l.strip_prefix("| `")?
                        .split_once('`')
                        .map(|(n, _)| n.to_owned())
                })
                .collect()
        };
        let all = crate::config::Plugins::all();
        let names: Vec<String> = all.entries().iter().map(|e| e.name.to_owned()).collect();
        let mut options = rows("Plugins (`[plugins.<name>]`), with the tables they add");
        options.sort();
        let mut expected = names.clone();
        expected.sort();
        assert_eq!(options, expected, "README: the plugin options table");
        let mut generated = rows("Generated\ntoday:");
        generated.sort();
        let mut with_units: Vec<String> = names.into_iter().filter(|n| has_unit(n)).collect();
        with_units.sort();
        assert_eq!(
            generated, with_units,
            "README: the table of generated plugins"
        );
    }

    /// Every plugin directory has a manifest that parses, and every unit has a module template.
    #[test]
    fn every_unit_has_a_valid_manifest_and_a_module() {
        let names: BTreeSet<String> = templates::names("plugins/")
            .iter()
            .filter_map(|t| {
                t.strip_prefix("plugins/")?
                    .split_once('/')
                    .map(|(n, _)| n.to_owned())
            })
            .collect();
        assert!(names.len() >= 13, "{names:?}");
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let units = load(&refs).unwrap();
        assert_eq!(
            units.len(),
            names.len(),
            "a plugin directory without plugin.toml"
        );
        for unit in &units {
            assert!(unit.templates()[0].ends_with("/mod.rs.j2"), "{}", unit.name);
        }
    }

    /// Core calls plugins only through hooks and capabilities: no core template tests a
    /// plugin's options or calls into a plugin's module by name.
    #[test]
    fn core_templates_name_no_plugin() {
        let modules: Vec<String> = templates::names("plugins/")
            .iter()
            .filter_map(|t| {
                t.strip_prefix("plugins/")?
                    .split_once('/')
                    .map(|(n, _)| module_name(n))
            })
            .collect();
        for dir in [
            "core/",
            "axum/",
            "actix-web/",
            "features/",
            "inject/",
            "wiring/",
        ] {
            for name in templates::names(dir) {
                let text = templates::embedded(&name).unwrap();
                assert!(
                    !text.contains("plugins."),
                    "{name} tests a plugin's options"
                );
                for module in &modules {
                    assert!(
                        !text.contains(&format!("super::{module}::")),
                        "{name} calls plugin module `{module}`"
                    );
                }
            }
        }
    }

    /// A plugin template calls another plugin (`super::organization::api_key_permission`) only
    /// as its manifest's `calls` declares, and every declared call is made.
    #[test]
    fn plugin_to_plugin_calls_are_declared() {
        let names: BTreeSet<String> = templates::names("plugins/")
            .iter()
            .filter_map(|t| Some(t.strip_prefix("plugins/")?.split_once('/')?.0.to_owned()))
            .collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let units = load(&refs).unwrap();
        for unit in &units {
            let mut made = BTreeSet::new();
            for template in unit.templates() {
                let text = templates::embedded(&template).unwrap();
                for other in units.iter().filter(|u| u.name != unit.name) {
                    let prefix = format!("super::{}::", other.module);
                    for (at, _) in text.match_indices(&prefix) {
                        let rest = &text[at + prefix.len()..];
                        let end = rest
                            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                            .unwrap_or(rest.len());
                        made.insert((other.name.clone(), rest[..end].to_owned()));
                    }
                }
            }
            let declared: BTreeSet<(String, String)> = unit
                .manifest
                .calls
                .iter()
                .flat_map(|(p, fns)| fns.iter().map(move |f| (p.clone(), f.clone())))
                .collect();
            assert_eq!(
                made, declared,
                "plugin `{}`: calls made vs declared",
                unit.name
            );
        }
    }

    #[test]
    fn output_paths_of_single_and_directory_modules() {
        assert_eq!(
            output_path("plugins/two-factor/mod.rs.j2").unwrap(),
            "two_factor.rs"
        );
        assert_eq!(output_path("core/api.rs.j2"), None);
    }

    #[test]
    fn rate_limit_paths_become_rust_conditions() {
        let rule = RateLimit {
            paths: vec!["/a/*".into(), "/b".into()],
            window: 60,
            max: 5,
        };
        assert_eq!(
            rate_limit_rule(&rule)["test"],
            "path.starts_with(\"/a/\") || path == \"/b\""
        );
    }
}
