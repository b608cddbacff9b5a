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
    /// `intercept(auth, req) -> Option<Result<Response, AuthError>>`: may answer a request in
    /// place of the endpoint it names (a social sign-in sent through a proxy); `None` lets the
    /// endpoint run.
    Intercept,
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
    const ALL: [Self; 12] = [
        Self::Request,
        Self::Intercept,
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
            Self::Intercept => "intercept",
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
const CAPABILITIES: [&str; 15] = [
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
    // `Keyring::for_purpose`: Better Auth's `derivePurposeKey`, a key of its own per kind of
    // ciphertext.
    "purpose-keys",
    // `permissions::authorizes`: Better Auth's access-control rule over a role's statements.
    "permissions",
    // `store::Field`/`Kind` and `input::query_values`/`one_of`: statements and filters built at run time.
    "dynamic-queries",
    // `oauth::Refusal`, `refuse`, `answer`: RFC 6749's `{"error", "error_description"}` answers.
    "oauth-errors",
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
    /// The plugin's endpoints: its `route` function's arms and its operations in the OpenAPI
    /// document are both made from these.
    #[serde(default)]
    routes: Vec<Route>,
}

/// One endpoint, as data: what routes a request to its function and what the OpenAPI document
/// says of it come from the same entry, so neither is kept by hand.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// `GET`, `POST`, or several (`["GET", "POST"]`).
    #[serde(deserialize_with = "one_or_many")]
    method: Vec<String>,
    /// `/two-factor/enable`. One segment may be a parameter, `{name}`: it matches one non-empty
    /// segment, which the function gets as one more `&str` argument (`/callback/{id}`,
    /// `/callback/{id}/oauth-proxy`). A template expression
    /// when the path is an option (`{{ plugins.open_api.path }}`).
    path: String,
    /// Better Auth's older names of the same endpoint, served too and documented as deprecated.
    #[serde(default)]
    aliases: Vec<String>,
    /// The function that serves it, in the unit's module: `enable`, `teams::create_team`.
    /// Plugins' take `(auth, req, …)`, core's are `Auth` methods taking `(req, …)`.
    handler: String,
    /// Arguments after the request: `Decision::Approve`.
    #[serde(default)]
    args: Vec<String>,
    /// Served only when this template expression holds (`plugins.organization.teams`).
    when: Option<String>,
    /// A Rust condition the arm tests instead (`DELETE_USER`, a const of the options), for an
    /// endpoint whose code is compiled whatever the config: the arm is always generated, and
    /// `when` only decides whether the document lists it.
    guard: Option<String>,
    /// One line for the OpenAPI document: what the endpoint does.
    summary: String,
    /// The JSON body's fields: `email`, `rememberMe?:boolean` (`?` optional; types `string`,
    /// `number`, `integer`, `boolean`, `array`, `object`; `string` when not given).
    #[serde(default)]
    body: Vec<String>,
    /// The query parameters, written as `body`'s fields.
    #[serde(default)]
    query: Vec<String>,
    /// Left out of the OpenAPI document (the document's own endpoints, as Better Auth does).
    #[serde(default)]
    hidden: bool,
    /// A way in: it signs someone in (a session starts, a cookie is set). Core holds it to the
    /// login-CSRF origin rule before it runs, as every `/sign-in/*` and `/sign-up/*` path, so
    /// a refused request changes nothing (no code spent, no user written).
    #[serde(default)]
    signs_in: bool,
}

/// `templates/core/routes.toml` and `templates/social/routes.toml`: endpoints outside plugins.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RouteFile {
    routes: Vec<Route>,
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(one) => vec![one],
        OneOrMany::Many(many) => many,
    })
}

/// Who serves a route: core (an `Auth` method), or a module of its own (social sign-in, a plugin).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    Core,
    Module(String),
}

impl Owner {
    /// How templates name the owner's routes: `routes.core`, `routes.two_factor`.
    fn key(&self) -> &str {
        match self {
            Self::Core => "core",
            Self::Module(module) => module,
        }
    }
}

/// A route of the config: enabled, its path rendered, with its owner and OpenAPI tag.
#[derive(Debug, Clone)]
pub struct DeclaredRoute {
    pub owner: Owner,
    /// The OpenAPI tag: `Default` for core endpoints, the plugin's name capitalized as Better
    /// Auth does (`Two-factor`).
    pub tag: String,
    pub path: String,
    /// Whether the OpenAPI document lists it (not `hidden`, and not off by `when`).
    pub documented: bool,
    route: Route,
}

impl DeclaredRoute {
    pub fn methods(&self) -> &[String] {
        &self.route.method
    }

    pub fn summary(&self) -> &str {
        &self.route.summary
    }

    pub fn body(&self) -> &[String] {
        &self.route.body
    }

    pub fn query(&self) -> &[String] {
        &self.route.query
    }

    /// The path's `{name}` segment, if it has one: `/callback/{id}/oauth-proxy` → (`/callback/`,
    /// `id`, `/oauth-proxy`).
    pub fn parameter(&self) -> Option<Parameter<'_>> {
        let open = self.path.find('{')?;
        let close = open + self.path[open..].find('}')?;
        Some(Parameter {
            prefix: &self.path[..open],
            name: &self.path[open + 1..close],
            suffix: &self.path[close + 1..],
        })
    }

    /// Every path the route answers: its own, then its aliases (Better Auth's older names).
    pub fn paths(&self) -> impl Iterator<Item = &String> {
        std::iter::once(&self.path).chain(&self.route.aliases)
    }

    /// Whether a request could match both routes: a method in common, and a path in common or
    /// one's parameter prefix covering the other's path.
    fn overlaps(&self, other: &Self) -> bool {
        if !self
            .route
            .method
            .iter()
            .any(|m| other.route.method.contains(m))
        {
            return false;
        }
        self.paths()
            .any(|p| other.paths().any(|q| paths_overlap(p, q)))
    }

    /// The Rust match arm's pattern over `(method, path)`:
    /// `("POST", "/a" | "/b")`, or `("GET", path) if path.starts_with("/callback/")`.
    fn pattern(&self) -> String {
        let methods: Vec<String> = self.route.method.iter().map(|m| format!("{m:?}")).collect();
        let methods = methods.join(" | ");
        let guard = self.route.guard.as_ref();
        if let Some(parameter) = self.parameter() {
            let guard = guard.map(|g| format!(" && {g}")).unwrap_or_default();
            let Parameter { prefix, suffix, .. } = parameter;
            let value = if suffix.is_empty() {
                format!("path.strip_prefix({prefix:?})")
            } else {
                format!("path.strip_prefix({prefix:?}).and_then(|p| p.strip_suffix({suffix:?}))")
            };
            return format!(
                "({methods}, path) if {value}.is_some_and(|p| !p.is_empty() && !p.contains('/')){guard}"
            );
        }
        let paths: Vec<String> = self.paths().map(|p| format!("{p:?}")).collect();
        let guard = guard.map(|g| format!(" if {g}")).unwrap_or_default();
        format!("({methods}, {}){guard}", paths.join(" | "))
    }

    /// The call that serves the route, without `.await`: `enable(auth, req)`,
    /// `self.revoke_sessions(req, false)`, `callback(auth, req, &path["/callback/".len()..])`.
    fn call(&self) -> String {
        let mut args = vec!["req".to_owned()];
        if let Some(Parameter { prefix, suffix, .. }) = self.parameter() {
            args.push(if suffix.is_empty() {
                format!("&path[{prefix:?}.len()..]")
            } else {
                format!("&path[{prefix:?}.len()..path.len() - {suffix:?}.len()]")
            });
        }
        args.extend(self.route.args.iter().cloned());
        match &self.owner {
            Owner::Core => format!("self.{}({})", self.route.handler, args.join(", ")),
            Owner::Module(_) => format!("{}(auth, {})", self.route.handler, args.join(", ")),
        }
    }
}

/// A route's one parameter: a whole segment, `{id}` in `/callback/{id}/oauth-proxy`. It matches
/// one non-empty segment, never a `/`, so `/callback/{id}` does not swallow the longer path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parameter<'a> {
    /// The path up to the parameter: `/callback/`.
    pub prefix: &'a str,
    pub name: &'a str,
    /// The path after it: `/oauth-proxy`, or empty.
    pub suffix: &'a str,
}

/// Whether one request path could match both route paths: the same number of segments, each
/// pair equal or one of them a parameter.
fn paths_overlap(a: &str, b: &str) -> bool {
    let is_parameter = |s: &str| s.starts_with('{');
    let (a, b): (Vec<&str>, Vec<&str>) = (a.split('/').collect(), b.split('/').collect());
    a.len() == b.len()
        && a.iter()
            .zip(&b)
            .all(|(x, y)| x == y || is_parameter(x) || is_parameter(y))
}

/// `text` with its first letter capitalized: Better Auth's tag of a plugin's endpoints
/// (`two-factor` → `Two-factor`), its component name of a table (`twoFactor` → `TwoFactor`).
pub fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// A body field or query parameter as the route declares it: `email`, `rememberMe?:boolean`.
pub struct Field<'a> {
    pub name: &'a str,
    pub required: bool,
    pub kind: &'a str,
}

impl<'a> Field<'a> {
    pub fn parse(text: &'a str) -> Self {
        let (name, kind) = text.split_once(':').unwrap_or((text, "string"));
        match name.strip_suffix('?') {
            Some(name) => Self {
                name,
                required: false,
                kind,
            },
            None => Self {
                name,
                required: true,
                kind,
            },
        }
    }

    /// Its JSON Schema.
    pub fn schema(&self) -> serde_json::Value {
        serde_json::json!({ "type": self.kind })
    }
}

/// The field types a route may declare (the JSON Schema types).
const FIELD_TYPES: [&str; 6] = ["string", "number", "integer", "boolean", "array", "object"];

/// Whether a declared field is well formed: a name, `?` for optional, a known type.
fn valid_field(text: &str) -> bool {
    let field = Field::parse(text);
    !field.name.is_empty()
        && field
            .name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
        && FIELD_TYPES.contains(&field.kind)
}

/// Core's endpoints.
pub const CORE_ROUTES: &str = "core/routes.toml";
/// Social sign-in's endpoints.
pub const SOCIAL_ROUTES: &str = "social/routes.toml";

/// The routes of `templates/<file>` (core's, social sign-in's).
pub fn route_file(file: &str) -> anyhow::Result<Vec<Route>> {
    let text =
        templates::embedded(file).ok_or_else(|| anyhow::anyhow!("template `{file}` is missing"))?;
    let parsed: RouteFile =
        toml::from_str(text).map_err(|e| anyhow::anyhow!("template `{file}`: {e}"))?;
    check_routes(file, &parsed.routes)?;
    Ok(parsed.routes)
}

/// A template's routes are documented (a summary) and their fields well formed.
fn check_routes(file: &str, routes: &[Route]) -> anyhow::Result<()> {
    for route in routes {
        if route.summary.trim().is_empty() {
            anyhow::bail!("template `{file}`: route `{}` has no summary", route.path);
        }
        if let Some(field) = route
            .body
            .iter()
            .chain(&route.query)
            .find(|f| !valid_field(f))
        {
            anyhow::bail!(
                "template `{file}`: route `{}`: field `{field}` is not `name[?][:type]`",
                route.path
            );
        }
        if let Some(method) = route
            .method
            .iter()
            .find(|m| !["GET", "POST", "PUT", "PATCH", "DELETE"].contains(&m.as_str()))
        {
            anyhow::bail!(
                "template `{file}`: route `{}`: no method `{method}`",
                route.path
            );
        }
        // A path that is a template expression is checked once rendered (`add_routes`).
        if !route.path.contains("{{") {
            check_route_shape(route, &route.path)
                .map_err(|e| anyhow::anyhow!("template `{file}`: route `{}`: {e}", route.path))?;
        }
    }
    Ok(())
}

/// What the router and the document could not honour: no method; a `{name}` that is not a
/// whole segment, or two of them; aliases or `signs_in` on a route with a parameter (the arm
/// matches a shape, the ways in exact paths); `signs_in` on a route that is not a `POST` (only those are
/// checked); a `guard` without the `when` that keeps the document honest.
fn check_route_shape(route: &Route, path: &str) -> Result<(), &'static str> {
    if route.method.is_empty() {
        return Err("no method");
    }
    let braces = |text: &str| text.contains(['{', '}']);
    let parameters: Vec<&str> = path.split('/').filter(|s| braces(s)).collect();
    let parameter = !parameters.is_empty();
    let whole = |s: &str| {
        s.strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
            .is_some_and(|name| !name.is_empty() && !braces(name))
    };
    if parameters.len() > 1 || !parameters.iter().all(|s| whole(s)) {
        return Err("a path has at most one parameter, a whole segment `{name}`");
    }
    if parameter && !route.aliases.is_empty() {
        return Err("a route with a parameter cannot have aliases");
    }
    if route.signs_in && (parameter || route.method.iter().any(|m| m != "POST")) {
        return Err("`signs_in` is for `POST` routes without a parameter");
    }
    if route.guard.is_some() && route.when.is_none() {
        return Err("a `guard` needs the `when` that says when the route is on (for the document)");
    }
    Ok(())
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
        check_routes(&path, &manifest.routes)?;
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
/// `uses`, `exports`, `plugin_rate_limits` and `routes`, the routes themselves (for the OpenAPI
/// document), and the `cargo add` lines.
#[derive(Debug, Default)]
pub struct Declared {
    hooks: BTreeMap<&'static str, Vec<String>>,
    uses: BTreeSet<String>,
    exports: Vec<(String, String)>,
    rate_limits: Vec<serde_json::Value>,
    pub routes: Vec<DeclaredRoute>,
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
        let owner = Owner::Module(unit.module.clone());
        declared.add_routes(env, ctx, &owner, &capitalized(&unit.name), &m.routes)?;
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

    /// Adds the routes of `owner` that `ctx` enables, their paths rendered.
    pub fn add_routes(
        &mut self,
        env: &minijinja::Environment<'_>,
        ctx: &Value,
        owner: &Owner,
        tag: &str,
        routes: &[Route],
    ) -> anyhow::Result<()> {
        let who = owner.key();
        for route in routes {
            let mut documented = true;
            if let Some(expr) = &route.when {
                let on = env
                    .compile_expression(expr)
                    .and_then(|e| e.eval(ctx))
                    .map_err(|e| anyhow::anyhow!("`{who}`: route condition `{expr}`: {e}"))?;
                // A value rendered as a Rust literal is the string "false", which is true.
                anyhow::ensure!(
                    on.kind() == minijinja::value::ValueKind::Bool,
                    "`{who}`: route condition `{expr}` is `{on}`, not true or false (compare a Rust literal: `x == 'true'`)"
                );
                if !on.is_true() && route.guard.is_none() {
                    continue;
                }
                documented = on.is_true();
            }
            let path = if route.path.contains("{{") {
                env.render_str(&route.path, ctx)
                    .map_err(|e| anyhow::anyhow!("`{who}`: route path `{}`: {e}", route.path))?
            } else {
                route.path.clone()
            };
            check_route_shape(route, &path)
                .map_err(|e| anyhow::anyhow!("`{who}`: route `{path}`: {e}"))?;
            let declared = DeclaredRoute {
                owner: owner.clone(),
                tag: tag.to_owned(),
                path,
                documented: documented && !route.hidden,
                route: route.clone(),
            };
            if let Some(other) = self.routes.iter().find(|r| r.overlaps(&declared)) {
                anyhow::bail!(
                    "`{who}`: {} {} is served by `{}` already (a path option that names another endpoint?)",
                    declared.route.method.join("|"),
                    declared.path,
                    other.owner.key()
                );
            }
            self.routes.push(declared);
        }
        Ok(())
    }

    /// Records that a core feature uses a capability, as a unit's `uses` does.
    pub fn uses(&mut self, capability: &str) {
        debug_assert!(CAPABILITIES.contains(&capability), "{capability}");
        self.uses.insert(capability.to_owned());
    }

    /// The template values: `hooks.<hook>` (module paths from the module's root, as core names
    /// them: `plugins::two_factor`, `social::routes`), `uses.<capability>` (booleans, `-`
    /// as `_`), `exports` (`{module, items}`), `plugin_rate_limits`, and `routes.<owner>`
    /// (`core`, `social`, a plugin's module: its match arms as `{pattern, call}`), `ways_in`
    /// (the paths of the routes that sign in, as a Rust pattern: `"/a" | "/b"`).
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
        let mut routes: BTreeMap<&str, Vec<serde_json::Value>> = BTreeMap::new();
        let ways_in: Vec<String> = self
            .routes
            .iter()
            .filter(|r| r.route.signs_in)
            .flat_map(DeclaredRoute::paths)
            .map(|p| format!("{p:?}"))
            .collect();
        for route in &self.routes {
            let owner = route.owner.key();
            routes
                .entry(owner)
                .or_default()
                .push(serde_json::json!({ "pattern": route.pattern(), "call": route.call() }));
        }
        minijinja::context! {
            routes => routes,
            ways_in => ways_in.join(" | "),
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

    /// Endpoints are routed only from declarations: no template has a match arm of its own over
    /// a method and a path, so the router and the OpenAPI document cannot part.
    #[test]
    fn no_template_routes_a_path_by_hand() {
        for name in templates::names("") {
            let text = templates::embedded(&name).unwrap();
            for line in text.lines().map(str::trim_start) {
                let method_arm = [
                    "(\"GET\"",
                    "(\"POST\"",
                    "(\"PUT\"",
                    "(\"PATCH\"",
                    "(\"DELETE\"",
                ]
                .iter()
                .any(|m| line.starts_with(m));
                let path_arm = line.starts_with("\"/");
                let serves = line
                    .split_once("=>")
                    .is_some_and(|(_, call)| call.contains("(auth, req") || call.contains("self."));
                assert!(
                    !((method_arm || path_arm) && serves),
                    "{name} routes by hand: {line}"
                );
            }
        }
    }

    /// Every route of every unit, core and social sign-in parses, has a summary and names its
    /// fields well; paths are unique per method.
    #[test]
    fn every_route_is_declared_once_and_documented() {
        let names: Vec<String> = templates::names("plugins/")
            .iter()
            .filter_map(|t| Some(t.strip_prefix("plugins/")?.split_once('/')?.0.to_owned()))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let units = load(&refs).unwrap();
        let mut seen = BTreeSet::new();
        let core = route_file(CORE_ROUTES).unwrap();
        let social = route_file(SOCIAL_ROUTES).unwrap();
        let all = units
            .iter()
            .flat_map(|u| &u.manifest.routes)
            .chain(&core)
            .chain(&social);
        let mut count = 0;
        for route in all {
            for path in std::iter::once(&route.path).chain(&route.aliases) {
                for method in &route.method {
                    assert!(
                        seen.insert((method.clone(), path.clone())),
                        "{method} {path} twice"
                    );
                }
            }
            count += 1;
        }
        assert!(count > 100, "{count} routes");
    }

    #[test]
    fn fields_are_named_optional_and_typed() {
        let field = Field::parse("rememberMe?:boolean");
        assert_eq!(
            (field.name, field.required, field.kind),
            ("rememberMe", false, "boolean")
        );
        let field = Field::parse("email");
        assert_eq!(
            (field.name, field.required, field.kind),
            ("email", true, "string")
        );
        assert!(valid_field("scopes?:array"));
        assert!(!valid_field("scopes?:list"));
        assert!(!valid_field("?"));
        assert!(!valid_field("a b"));
    }

    #[test]
    fn routes_the_router_could_not_honour_are_refused() {
        let shape = |extra: &str, path: &str| {
            let text = format!(
                "method = \"POST\"\npath = \"{path}\"\nhandler = \"h\"\nsummary = \"s\"\n{extra}"
            );
            let route: Route = toml::from_str(&text).unwrap();
            check_route_shape(&route, path)
        };
        assert_eq!(shape("", "/a/{id}"), Ok(()));
        assert_eq!(shape("", "/a/{id}/b"), Ok(()));
        assert!(shape("", "/a/{id}/{b}").is_err());
        assert!(shape("", "/a/x{id}").is_err());
        assert!(shape("", "/a/{}").is_err());
        assert!(shape("aliases = [\"/b/{id}\"]", "/a/{id}").is_err());
        assert!(shape("signs_in = true", "/a/{id}").is_err());
        assert_eq!(shape("signs_in = true", "/a"), Ok(()));
        assert!(shape("guard = \"ON\"", "/a").is_err());
        assert_eq!(shape("guard = \"ON\"\nwhen = \"on\"", "/a"), Ok(()));
    }

    #[test]
    fn two_routes_for_one_request_are_refused() {
        let env = minijinja::Environment::new();
        let ctx = minijinja::context! {};
        let route = |method: &str, path: &str| -> Route {
            toml::from_str(&format!(
                "method = \"{method}\"\npath = \"{path}\"\nhandler = \"h\"\nsummary = \"s\""
            ))
            .unwrap()
        };
        let mut declared = Declared::default();
        let social = Owner::Module("social".into());
        declared
            .add_routes(
                &env,
                &ctx,
                &social,
                "Default",
                &[route("GET", "/callback/{id}")],
            )
            .unwrap();
        let plugin = Owner::Module("x".into());
        declared
            .add_routes(&env, &ctx, &plugin, "X", &[route("POST", "/callback/x")])
            .unwrap();
        let clash = declared.add_routes(&env, &ctx, &plugin, "X", &[route("GET", "/callback/x")]);
        assert!(
            clash
                .unwrap_err()
                .to_string()
                .contains("served by `social` already")
        );
        let same = declared.add_routes(
            &env,
            &ctx,
            &Owner::Core,
            "Default",
            &[route("POST", "/callback/x")],
        );
        assert!(same.is_err());
        // A parameter is one segment: a longer path is another route, a same-shaped one is not.
        let longer = route("GET", "/callback/{provider}/oauth-proxy");
        declared
            .add_routes(&env, &ctx, &plugin, "X", std::slice::from_ref(&longer))
            .unwrap();
        assert!(
            declared
                .add_routes(&env, &ctx, &plugin, "X", &[route("GET", "/callback/a/{b}")])
                .is_err()
        );
    }

    #[test]
    fn arms_are_patterns_over_method_and_path() {
        let route = |text: &str, owner: Owner| DeclaredRoute {
            owner,
            tag: "Default".into(),
            documented: true,
            path: toml::from_str::<Route>(text).unwrap().path,
            route: toml::from_str(text).unwrap(),
        };
        let plain = route(
            "method = \"POST\"\npath = \"/siwe/nonce\"\naliases = [\"/siwe/get-nonce\"]\nhandler = \"nonce\"\nsummary = \"s\"",
            Owner::Module("siwe".into()),
        );
        assert_eq!(
            plain.pattern(),
            "(\"POST\", \"/siwe/nonce\" | \"/siwe/get-nonce\")"
        );
        assert_eq!(plain.call(), "nonce(auth, req)");
        let param = route(
            "method = [\"GET\", \"POST\"]\npath = \"/callback/{id}\"\nhandler = \"callback\"\nsummary = \"s\"",
            Owner::Module("social".into()),
        );
        assert_eq!(
            param.pattern(),
            "(\"GET\" | \"POST\", path) if path.strip_prefix(\"/callback/\").is_some_and(|p| !p.is_empty() && !p.contains('/'))"
        );
        assert_eq!(
            param.call(),
            "callback(auth, req, &path[\"/callback/\".len()..])"
        );
        let inner = route(
            "method = \"GET\"\npath = \"/callback/{id}/oauth-proxy\"\nhandler = \"complete\"\nsummary = \"s\"",
            Owner::Module("oauth_proxy".into()),
        );
        assert_eq!(
            inner.pattern(),
            "(\"GET\", path) if path.strip_prefix(\"/callback/\").and_then(|p| p.strip_suffix(\"/oauth-proxy\")).is_some_and(|p| !p.is_empty() && !p.contains('/'))"
        );
        assert_eq!(
            inner.call(),
            "complete(auth, req, &path[\"/callback/\".len()..path.len() - \"/oauth-proxy\".len()])"
        );
        let core = route(
            "method = \"POST\"\npath = \"/delete-user\"\nhandler = \"delete_user\"\nguard = \"DELETE_USER\"\nargs = [\"true\"]\nsummary = \"s\"",
            Owner::Core,
        );
        assert_eq!(
            core.pattern(),
            "(\"POST\", \"/delete-user\") if DELETE_USER"
        );
        assert_eq!(core.call(), "self.delete_user(req, true)");
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
