//! `rauth generate code`: the auth module, rendered from the templates into `[codegen] out_dir`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use minijinja::{Value, context};

use crate::config::literal::{rust_bool, rust_str};
use crate::config::{
    self, Config, CookieCacheStrategy, Dialect, Framework, JwtAlg, Loaded, ProviderKind,
    RateLimitStorage, SameSite, SessionCache, TokenAuthentication, callback_url, secure_cookies,
};
use crate::dialect::rows;
use crate::schema::{self, Schema};

use super::format::RustStyle;
use super::plan::{self, IfExists};
use super::templates;
use super::units;
use super::wiring::framework_name;

/// One generated file, relative to the output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub path: PathBuf,
    pub contents: String,
    pub if_exists: IfExists,
}

/// Text to insert into a file of the project, after a marker comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Injection {
    /// The file, relative to the project (the directory of `rauth.toml`).
    pub into: String,
    pub anchor: String,
    pub body: String,
    pub skip_if: Option<String>,
    /// The template it came from, for error messages.
    pub template: String,
}

/// Everything `rauth generate code` would produce.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub files: Vec<Generated>,
    pub injections: Vec<Injection>,
    /// Whether rustfmt could format the files.
    pub formatted: bool,
    /// Templates taken from the project's override directory.
    pub overrides: Vec<String>,
    /// Enabled plugins that have tables but no generated code yet.
    pub schema_only_plugins: Vec<&'static str>,
    /// Config warnings (a redirect URI that is not this server's callback), rendered.
    pub warnings: Vec<String>,
    /// The `main` that serves the module (see [`super::wiring`]).
    pub wiring: String,
}

/// The crate the module is declared in: its root file (relative to the project) and the
/// module's name there. `None`: no injection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrateRoot {
    pub file: String,
    pub module: String,
}

/// Renders every file of the auth module for `loaded`'s config — the shared core and the adapter
/// of the configured framework — and, with a crate root, the injection that declares it.
/// Where the module goes in the user's crate.
#[derive(Debug, Clone)]
pub struct Placement {
    /// What declares it; `None`: no injection.
    pub crate_root: Option<CrateRoot>,
    /// How the crate's `main` names it, in the wiring snippet (see [`super::wiring`]).
    pub module_path: String,
    /// How the crate formats Rust.
    pub style: RustStyle,
}

pub fn render(loaded: &Loaded, schema: &Schema, placement: &Placement) -> anyhow::Result<Rendered> {
    let crate_root = placement.crate_root.as_ref();
    let config = &loaded.config;
    let override_dir = loaded.base_dir.join(templates::OVERRIDE_DIR);
    let mut env = templates::environment(Some(override_dir.clone()));
    let dialect = config.database.dialect;
    env.add_function("p", move |n: u32| rows::placeholder(dialect, n));
    env.add_function("json_param", move |n: u32| {
        rows::json_placeholder(dialect, n)
    });
    env.add_function("json_text", move |column: &str| {
        rows::json_as_text(dialect, column)
    });
    let wiring = super::wiring::snippet(config, &placement.module_path, &placement.style)?;
    let base = context! {
        wiring_lines => wiring.lines().collect::<Vec<_>>(),
        ..context(config, schema, crate_root)
    };
    let units = units::load(&config.plugins.enabled())?;
    let declared = declare(&env, &units, config, &base)?;
    let openapi = super::openapi::document(config, schema, &declared.routes);
    let document = embeddable(&openapi)?;
    let ctx = context! { ..document, ..declared.context(), ..base };
    let plugins: Vec<String> = units.iter().flat_map(units::Unit::templates).collect();
    let features = feature_templates(config);
    let mut rendered = Rendered {
        formatted: true,
        schema_only_plugins: config
            .plugins
            .enabled()
            .into_iter()
            .filter(|p| !units::has_unit(p))
            .collect(),
        warnings: loaded.source.warnings(config::warnings(config)),
        wiring,
        ..Rendered::default()
    };
    rendered.warnings.extend(
        templates::stray_overrides(&override_dir)
            .into_iter()
            .map(|name| format!("{}/{name} overrides no template: it is not used (plugin templates live in `plugins/<name>/`, e.g. `plugins/two-factor/mod.rs.j2`)", templates::OVERRIDE_DIR)),
    );
    if matches!(placement.style.edition(), "2015" | "2018") {
        rendered.warnings.push(format!(
            "the crate's edition is {}; the generated code needs edition 2021 or later (set `edition = \"2021\"` in Cargo.toml)",
            placement.style.edition()
        ));
    }
    let adapter = format!("{}/", framework_name(config.codegen.framework));
    let inject = if crate_root.is_some() {
        templates::names("inject/")
    } else {
        Vec::new()
    };
    for name in group_templates(config)
        .into_iter()
        .chain(templates::names("core/"))
        .chain(templates::names(&adapter))
        .chain(features)
        .chain(plugins)
        .chain(inject)
    {
        if override_dir.join(&name).is_file() {
            rendered.overrides.push(name.clone());
        }
        let text = env.get_template(&name)?.render(&ctx)?;
        // A template wrapped whole in a condition that is off (organization teams, a core
        // helper no unit uses): no file, and its group's `mod.rs` declares no module for it.
        if (name.starts_with("plugins/") || name.starts_with("core/")) && text.trim().is_empty() {
            continue;
        }
        let (matter, body) = plan::split_front_matter(&text)
            .map_err(|e| anyhow::anyhow!("template `{name}`: {e}"))?;
        if let Some(into) = matter.into {
            let anchor = matter
                .anchor
                .ok_or_else(|| anyhow::anyhow!("template `{name}`: `into` needs an `anchor`"))?;
            rendered.injections.push(Injection {
                into,
                anchor,
                body: body.to_owned(),
                skip_if: matter.skip_if,
                template: name.clone(),
            });
            continue;
        }
        let contents = placement.style.format(body).unwrap_or_else(|| {
            rendered.formatted = false;
            body.to_owned()
        });
        let path = matter.to.map_or_else(|| output_path(&name), PathBuf::from);
        rendered.files.push(Generated {
            path,
            contents,
            if_exists: matter.if_exists,
        });
    }
    rendered.files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(rendered)
}

/// The OpenAPI document of the endpoints `loaded`'s config serves (`rauth generate openapi`):
/// the routes declared, without rendering the module. The route conditions read the config's
/// values only, never a template.
pub fn openapi(loaded: &Loaded, schema: &Schema) -> anyhow::Result<serde_json::Value> {
    let config = &loaded.config;
    let env = templates::environment(None);
    let base = context(config, schema, None);
    let units = units::load(&config.plugins.enabled())?;
    let declared = declare(&env, &units, config, &base)?;
    Ok(super::openapi::document(config, schema, &declared.routes))
}

/// The OpenAPI document as the `open-api` module holds it (`openapi_document`): compact JSON with
/// `<`, `>` and `&` escaped (`\u003c`…, the same document), since its reference page embeds it
/// in a `<script>` element; and the `#`s of the raw string around it (`openapi_hashes`), one
/// more than any run of them in the text.
fn embeddable(openapi: &serde_json::Value) -> anyhow::Result<Value> {
    // JSON has these characters inside strings only, where the escapes mean the same.
    let compact = serde_json::to_string(openapi)?
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    let longest = compact.split(|c| c != '#').map(str::len).max().unwrap_or(0);
    Ok(context! { openapi_document => compact, openapi_hashes => "#".repeat(longest + 1) })
}

/// What the enabled units declare, with core's routes and social sign-in's (which hooks in as
/// a plugin does).
fn declare(
    env: &minijinja::Environment<'_>,
    units: &[units::Unit],
    config: &Config,
    base: &Value,
) -> anyhow::Result<units::Declared> {
    let mut declared = units::declare(env, units, base)?;
    let core_routes = units::route_file(units::CORE_ROUTES)?;
    declared.add_routes(env, base, &units::Owner::Core, "Default", &core_routes)?;
    if !config.social.is_empty() {
        declared.hook("routes", "social::routes");
        declared.uses("user-by-id");
        declared.uses("encryption");
        declared.uses("purpose-keys");
        let social = units::route_file(units::SOCIAL_ROUTES)?;
        let owner = units::Owner::Module("social".to_owned());
        declared.add_routes(env, base, &owner, "Default", &social)?;
    }
    Ok(declared)
}

/// The module's root and its groups' `mod.rs` files (`root/`): the core always, the plugins
/// and social sign-in when the config has them.
fn group_templates(config: &Config) -> Vec<String> {
    let mut groups = vec!["root/mod.rs.j2".to_owned(), "root/core.rs.j2".to_owned()];
    if config.plugins.enabled().into_iter().any(units::has_unit) {
        groups.push("root/plugins.rs.j2".to_owned());
    }
    if !config.social.is_empty() {
        groups.push("root/social.rs.j2".to_owned());
    }
    groups
}

/// The templates of the optional features the config turns on: the Redis session cache, the
/// cookie cache, and social sign-in with its providers.
fn feature_templates(config: &Config) -> Vec<String> {
    let mut features = Vec::new();
    if config.session.cache == SessionCache::Redis {
        features.push("features/session_cache.rs.j2".to_owned());
    }
    if config.session.cookie_cache.enabled {
        features.push("features/cookie_cache.rs.j2".to_owned());
    }
    if !config.social.is_empty() {
        features.push("social/routes.rs.j2".to_owned());
        features.push("social/providers.rs.j2".to_owned());
    }
    if verifies_id_tokens(config) {
        features.push("social/id_token.rs.j2".to_owned());
    }
    features
}

/// Whether a configured provider signs ID tokens that the generated code verifies against its
/// keys (everyone but GitHub and Discord): `social/id_token.rs` and `jsonwebtoken`.
fn verifies_id_tokens(config: &Config) -> bool {
    let social = &config.social;
    social.google.is_some()
        || social.microsoft.is_some()
        || social.apple.is_some()
        || !social.oidc.is_empty()
}

/// Where a template's output goes in the module, grouped as core, adapter, plugins and social:
/// `root/mod.rs.j2` → `mod.rs`, `root/core.rs.j2` → `core/mod.rs`, `core/crypto.rs.j2` and
/// `features/cookie_cache.rs.j2` → `core/…`, `axum/axum.rs.j2` → `axum.rs`,
/// `social/routes.rs.j2` → `social/routes.rs`; plugin units under `plugins/` as
/// [`units::output_path`] says.
fn output_path(template: &str) -> PathBuf {
    if let Some(module) = units::output_path(template) {
        return Path::new("plugins").join(module);
    }
    let file = templates::output_name(template);
    match template.split_once('/').map_or("", |(dir, _)| dir) {
        "root" if file == "mod.rs" => file.into(),
        "root" => Path::new(file.trim_end_matches(".rs")).join("mod.rs"),
        "core" | "features" => Path::new("core").join(file),
        "social" => Path::new("social").join(file),
        _ => file.into(),
    }
}

/// The module as one self-contained file: `mod.rs` with each `mod x;` replaced by the inline
/// `mod x { … }` (recursively, for directory modules), for `rauth generate code --stdout >
/// src/auth.rs`.
pub fn single_module(files: &[Generated], style: &RustStyle) -> String {
    let Some(root) = files.iter().find(|f| f.path == Path::new("mod.rs")) else {
        return String::new();
    };
    let mut out = String::with_capacity(files.iter().map(|f| f.contents.len() + 16).sum());
    inline_modules(files, Path::new(""), &root.contents, &mut out);
    style.format(&out).unwrap_or(out)
}

/// Writes `text` (a module file in `dir`) to `out`, each `[pub[(…)]] mod x;` replaced by the
/// inline module `x` from `dir/x.rs` or `dir/x/mod.rs`.
fn inline_modules(files: &[Generated], dir: &Path, text: &str, out: &mut String) {
    for line in text.lines() {
        let declared = line.strip_suffix(';').and_then(|decl| {
            let (visibility, name) = decl.rsplit_once("mod ")?;
            let visibility = visibility.trim_end();
            let plain_name = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            let plain_visibility = visibility.is_empty()
                || visibility == "pub"
                || (visibility.starts_with("pub(") && visibility.ends_with(')'));
            (plain_name && plain_visibility).then_some((visibility, name))
        });
        let found = declared.and_then(|(visibility, name)| {
            let flat = dir.join(format!("{name}.rs"));
            let nested = dir.join(name).join("mod.rs");
            files
                .iter()
                .find(|f| f.path == flat)
                .map(|f| (visibility, name, f, dir.join(name)))
                .or_else(|| {
                    files
                        .iter()
                        .find(|f| f.path == nested)
                        .map(|f| (visibility, name, f, dir.join(name)))
                })
        });
        if let Some((visibility, name, file, inner_dir)) = found {
            let space = if visibility.is_empty() { "" } else { " " };
            let _ = writeln!(out, "{visibility}{space}mod {name} {{");
            inline_modules(files, &inner_dir, &file.contents, out);
            out.push_str("}\n");
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
}

/// The values templates see.
fn context(config: &Config, schema: &Schema, crate_root: Option<&CrateRoot>) -> Value {
    let dialect = config.database.dialect;
    let (tables, optional_dates) = tables(config, schema);
    let ep = &config.email_and_password;
    let s = &config.session;
    let ev = &config.email_verification;
    let user = &config.user;
    context! {
        plugins => plugin_options(config),
        social => social_options(config),
        plugin_modules => units::modules(&config.plugins.enabled()),
        crate_root => crate_root.map(|c| c.file.clone()),
        module => crate_root.map(|c| c.module.clone()),
        app_name => rust_str(&config.app.name),
        rauth_version => env!("CARGO_PKG_VERSION"),
        framework => framework_name(config.codegen.framework),
        dialect => dialect.name(),
        catalog_sql => crate::migrate::catalog::query(dialect),
        sqlx_db => match dialect { Dialect::Postgres => "Postgres", Dialect::Mysql => "MySql", Dialect::Sqlite => "Sqlite" },
        t => tables,
        optional_dates => optional_dates,
        user_owned => user_owned(config.database.dialect, schema),
        base_url => rust_str(config.app.base_url.trim_end_matches('/')),
        base_path => rust_str(&config.app.base_path),
        trusted_origins => config.app.trusted_origins.iter().map(|o| rust_str(o)).collect::<Vec<_>>(),
        cookie_prefix => rust_str(&s.cookie_prefix),
        secure => rust_bool(secure_cookies(config)),
        same_site => match s.same_site { SameSite::Lax => "Lax", SameSite::Strict => "Strict", SameSite::None => "None" },
        expires_in => s.expires_in.0,
        update_age => s.update_age.0,
        fresh_age => s.fresh_age.0,
        session_cache => s.cache == SessionCache::Redis,
        session_cache_max_age => s.cache_max_age.0,
        session_redis_url_env => rust_str(&s.redis_url_env),
        session_cache_tag => layout_tag(schema),
        cookie_cache => s.cookie_cache.enabled,
        cookie_cache_max_age => s.cookie_cache.max_age.0,
        cookie_cache_version => rust_str(&s.cookie_cache.version),
        cookie_cache_strategy => match s.cookie_cache.strategy {
            CookieCacheStrategy::Compact => "compact",
            CookieCacheStrategy::Jwt => "jwt",
            CookieCacheStrategy::Jwe => "jwe",
        },
        email_and_password => rust_bool(ep.enabled),
        disable_sign_up => rust_bool(ep.disable_sign_up),
        auto_sign_in => rust_bool(ep.auto_sign_in),
        require_email_verification => rust_bool(ep.require_email_verification),
        allow_unlinking_all => rust_bool(config.account.account_linking.allow_unlinking_all),
        min_password_length => ep.min_password_length,
        max_password_length => ep.max_password_length,
        reset_password_token_expires_in => ep.reset_password_token_expires_in.0,
        email_verification_expires_in => ev.expires_in.0,
        send_verification_on_sign_up => rust_bool(ev.send_on_sign_up.unwrap_or(ep.require_email_verification)),
        send_verification_on_sign_in => rust_bool(ev.send_on_sign_in),
        auto_sign_in_after_verification => rust_bool(ev.auto_sign_in_after_verification),
        change_email => rust_bool(user.change_email),
        change_email_without_verification => rust_bool(user.change_email_without_verification),
        confirm_email_change => rust_bool(user.confirm_email_change),
        delete_user => rust_bool(user.delete_user),
        delete_user_verification => rust_bool(user.delete_user_verification),
        delete_token_expires_in => user.delete_token_expires_in.0,
        revoke_sessions_on_password_reset => rust_bool(ep.revoke_sessions_on_password_reset),
        rate_limit_enabled => config.rate_limit.enabled.map_or("none", rust_bool),
        redis_url_env => rust_str(&config.rate_limit.redis_url_env),
        rate_limit_storage => match config.rate_limit.storage {
            RateLimitStorage::Memory => "memory",
            RateLimitStorage::Database => "database",
            RateLimitStorage::Redis => "redis",
        },
        trusted_proxies => config.rate_limit.trusted_proxies.iter().map(|p| rust_str(p)).collect::<Vec<_>>(),
        ip_address_header => config.rate_limit.ip_address_header.to_ascii_lowercase(),
        ipv6_subnet => config.rate_limit.ipv6_subnet,
        rate_limit_window => config.rate_limit.window.0,
        rate_limit_max => config.rate_limit.max,
        custom_rules => config.rate_limit.custom_rules.iter().map(|(path, r)| serde_json::json!({
            "path": rust_str(path),
            "disabled": r.disabled,
            "window": r.window.map_or(0, |w| w.0),
            "max": r.max.unwrap_or(0),
        })).map(|v| Value::from_serialize(&v)).collect::<Vec<_>>(),
    }
}

/// `t.<table>` of the templates: its quoted `name`, its quoted columns `c.<field>` (`id` too),
/// and its `row` (see [`RowColumn`]); and whether a generated module reads a nullable date
/// column (`optional_from_db`).
fn tables(config: &Config, schema: &Schema) -> (BTreeMap<String, Value>, bool) {
    let dialect = config.database.dialect;
    let declared = schema::declared_tables(config);
    let mut optional_dates = false;
    let tables = schema
        .tables
        .iter()
        .map(|t| {
            let mut columns: BTreeMap<String, String> = t
                .columns
                .iter()
                .map(|c| (c.key.clone(), sql_ident(dialect, &c.name)))
                .collect();
            columns.insert("id".into(), sql_ident(dialect, "id"));
            let row: Vec<RowColumn> = t
                .columns
                .iter()
                .filter_map(|c| {
                    let def = declared.get(&t.key)?.fields.get(&c.key)?;
                    Some(row_column(dialect, c, def))
                })
                .collect();
            // Core's account table always has nullable dates (its OAuth token expiries), which
            // only social sign-in reads.
            if t.key != "account" || !config.social.is_empty() {
                optional_dates |= row.iter().any(|c| c.read == "optional_date");
            }
            (
                t.key.clone(),
                Value::from_serialize(serde_json::json!({
                    "name": sql_ident(dialect, &t.name),
                    "c": columns,
                    "row": row,
                })),
            )
        })
        .collect();
    (tables, optional_dates)
}

/// The rows deleted with their user: every table's column that references `user` with `ON
/// DELETE CASCADE`, as `{table, column}` (quoted), in schema order.
fn user_owned(dialect: Dialect, schema: &Schema) -> Vec<serde_json::Value> {
    schema
        .tables
        .iter()
        .filter(|t| t.key != "user")
        .flat_map(|t| {
            t.columns
                .iter()
                .filter(|c| {
                    c.references.as_ref().is_some_and(|fk| {
                        fk.table == "user" && fk.on_delete == schema::OnDelete::Cascade
                    })
                })
                .map(move |c| {
                    serde_json::json!({
                        "table": sql_ident(dialect, &t.name),
                        "column": sql_ident(dialect, &c.name),
                    })
                })
        })
        .collect()
}

/// A column that a `schema.toml` declares, as the generated row code reads, writes and sends it
/// (`t.<table>.row` in templates, in column order; the config's additional fields are not rows'
/// fields). Values are Rust source unless said otherwise.
#[derive(Debug, serde::Serialize)]
struct RowColumn {
    /// Better Auth's name, the key of the JSON (`emailVerified`).
    key: String,
    /// The row struct's field (`email_verified`), whatever the column is called.
    field: String,
    /// The column, quoted for SQL (with renames and naming applied).
    ident: String,
    /// The field's type (`Option<String>`); `None` for JSON and array columns, not mapped yet.
    #[serde(rename = "type")]
    rust_type: Option<String>,
    /// The type without `Option`.
    base: Option<String>,
    /// How it is read: `value` (as it is), `date` (`from_db`), `optional_date`
    /// (`optional_from_db`), `or` (a nullable column read as `Option<base>`, `default` for null).
    read: &'static str,
    /// The schema's static default, as a Rust literal of `base`.
    default: Option<String>,
    /// Its value in a new row (`User::new`); `None`: a parameter of the constructor.
    new: Option<String>,
    /// How it is bound: `ref` (`&row.field`), `copy`, `date` (`to_db`), `optional_date`.
    bind: &'static str,
    /// How it goes into the JSON: `value`, `date` (`iso`), `optional_date`, `or_empty` (`""`
    /// for null).
    json: &'static str,
    /// Sent to clients.
    returned: bool,
    /// Written by `/update-user` (`store::update_user`).
    self_update: bool,
    /// Lines of the field's doc comment.
    doc: Vec<String>,
}

fn row_column(dialect: Dialect, column: &schema::Column, def: &schema::FieldDef) -> RowColumn {
    use config::FieldType;
    let base = match column.kind {
        FieldType::String => Some("String"),
        FieldType::Boolean => Some("bool"),
        FieldType::Number if column.bigint => Some("i64"),
        FieldType::Number => Some("i32"),
        FieldType::Date => Some("OffsetDateTime"),
        FieldType::Json | FieldType::StringArray | FieldType::NumberArray => None,
    };
    let default = column.default.as_ref().map(|d| match d {
        schema::DefaultValue::Bool(b) => rust_bool(*b).to_owned(),
        schema::DefaultValue::Int(n) => n.to_string(),
        schema::DefaultValue::Str(text) => format!("\"{}\".to_owned()", rust_str(text)),
    });
    // A nullable boolean or number with a default is read as the default when null, as Better
    // Auth's adapters do; a string keeps its `None`.
    let or_default = !column.required
        && default.is_some()
        && matches!(column.kind, FieldType::Boolean | FieldType::Number);
    let nullable = !column.required && !or_default;
    let date = column.kind == FieldType::Date;
    let some = |value: String| {
        if nullable {
            format!("Some({value})")
        } else {
            value
        }
    };
    let new = if let Some(constant) = &def.default_option {
        let value = format!("super::{constant}");
        Some(some(if column.kind == FieldType::String {
            format!("{value}.to_owned()")
        } else {
            value
        }))
    } else if column.default_now {
        Some(some("now".into()))
    } else if let Some(d) = &default {
        Some(some(d.clone()))
    } else if nullable {
        Some("None".into())
    } else {
        None
    };
    RowColumn {
        key: column.key.clone(),
        field: schema::snake_case(&column.key),
        ident: sql_ident(dialect, &column.name),
        rust_type: base.map(|b| {
            if nullable {
                format!("Option<{b}>")
            } else {
                b.to_owned()
            }
        }),
        base: base.map(str::to_owned),
        read: match (date, nullable, or_default) {
            (true, false, _) => "date",
            (true, true, _) => "optional_date",
            (false, _, true) => "or",
            (false, _, false) => "value",
        },
        default,
        new,
        bind: match (date, nullable, column.kind) {
            (true, false, _) => "date",
            (true, true, _) => "optional_date",
            (false, _, FieldType::String) => "ref",
            _ => "copy",
        },
        json: match (date, nullable) {
            (true, false) => "date",
            (true, true) => "optional_date",
            (false, true) if def.empty_when_null => "or_empty",
            _ => "value",
        },
        returned: def.returned,
        self_update: def.self_update,
        doc: def
            .doc
            .as_deref()
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect(),
    }
}

/// A short tag of the user and session rows' layout (their columns, and the rauth version that
/// maps them), in the session cache's keys: an entry written for another layout is never read.
fn layout_tag(schema: &Schema) -> String {
    // FNV-1a: stable across Rust versions and platforms, unlike `DefaultHasher`.
    let mut hash: u32 = 0x811c_9dc5;
    let mut feed = |text: &str| {
        for byte in text.bytes().chain([0]) {
            hash = (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193);
        }
    };
    feed(env!("CARGO_PKG_VERSION"));
    for table in schema
        .tables
        .iter()
        .filter(|t| t.key == "user" || t.key == "session")
    {
        feed(&table.key);
        for column in &table.columns {
            feed(&column.key);
        }
    }
    format!("{hash:08x}")
}

/// Each plugin's options as templates see them: `plugins.two_factor.digits`; `none` when the
/// plugin is off. The values are each plugin's `template_values` (its unit's `options.rs`), keyed
/// by its field name in the registry.
fn plugin_options(config: &Config) -> Value {
    let ctx = config.plugin_context();
    let options: serde_json::Map<String, serde_json::Value> = config
        .plugins
        .entries()
        .into_iter()
        .map(|e| {
            // An off plugin is JSON null, which templates see as `none`.
            let values = e.options.map(|o| o.template_values(&ctx));
            (e.key.to_owned(), values.unwrap_or_default())
        })
        .collect();
    Value::from_serialize(&options)
}

/// The social providers and account options as templates see them; `none` without providers.
fn social_options(config: &Config) -> Value {
    if config.social.is_empty() {
        return Value::from(());
    }
    let providers: Vec<serde_json::Value> = config
        .social
        .providers()
        .into_iter()
        .map(|(id, _, kind, p)| {
            serde_json::json!({
                "id": rust_str(&id),
                "kind": kind.name(),
                "variant": variant_name(kind),
                "client_id_env": rust_str(&p.client_id_env),
                "client_secret_env": rust_str(p.client_secret_env.as_deref().unwrap_or_default()),
                "redirect_uri": rust_str(p.redirect_uri.as_deref().unwrap_or(&callback_url(config, &id))),
                "scopes": p.scopes.iter().map(|s| rust_str(s)).collect::<Vec<_>>(),
                "discovery_url": p.discovery_url.as_deref().map(rust_str),
                "discovery_url_env": p.discovery_url_env.as_deref().map(rust_str),
                "oauth2_endpoints": match (&p.authorization_url, &p.token_url, &p.user_info_url) {
                    (Some(authorization), Some(token), Some(userinfo)) => serde_json::json!({
                        "authorization": rust_str(authorization),
                        "token": rust_str(token),
                        "userinfo": rust_str(userinfo),
                    }),
                    _ => serde_json::Value::Null,
                },
                "prompt": p.prompt.as_deref().map(rust_str),
                "basic_auth": rust_bool(p.authentication == Some(TokenAuthentication::Basic)),
                "pkce": rust_bool(p.pkce),
                "tenant": rust_str(p.tenant_id.as_deref().unwrap_or("common")),
                "apple_key": match (&p.team_id, &p.key_id, &p.private_key_env) {
                    (Some(team), Some(key), Some(env)) => serde_json::json!({
                        "team_id": rust_str(team),
                        "key_id": rust_str(key),
                        "private_key_env": rust_str(env),
                    }),
                    _ => serde_json::Value::Null,
                },
                "audiences": apple_audiences(p).iter().map(|a| rust_str(a)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let configured: Vec<ProviderKind> = config
        .social
        .providers()
        .into_iter()
        .map(|(_, _, kind, _)| kind)
        .collect();
    let kinds: BTreeMap<&str, bool> = [
        ProviderKind::Github,
        ProviderKind::Google,
        ProviderKind::Discord,
        ProviderKind::Microsoft,
        ProviderKind::Apple,
        ProviderKind::Oidc,
    ]
    .into_iter()
    .map(|kind| (kind.name(), configured.contains(&kind)))
    .collect();
    let account = &config.account;
    let linking = &account.account_linking;
    Value::from_serialize(serde_json::json!({
        "providers": providers,
        "kinds": kinds,
        "id_tokens": verifies_id_tokens(config),
        "encrypt_oauth_tokens": rust_bool(account.encrypt_oauth_tokens),
        "linking_enabled": rust_bool(linking.enabled),
        "disable_implicit_linking": rust_bool(linking.disable_implicit_linking),
        "trusted_providers": linking.trusted_providers.iter().map(|p| rust_str(p)).collect::<Vec<_>>(),
        "allow_different_emails": rust_bool(linking.allow_different_emails),
    }))
}

/// The audiences Apple's ID tokens may have besides the client id: `audience`, else the app's
/// bundle id (Better Auth's order).
fn apple_audiences(p: &crate::config::SocialProvider) -> Vec<String> {
    if p.audience.is_empty() {
        p.app_bundle_identifier.iter().cloned().collect()
    } else {
        p.audience.clone()
    }
}

/// The `Kind` variant of a provider in the generated code.
fn variant_name(kind: ProviderKind) -> &'static str {
    match kind {
        ProviderKind::Github => "Github",
        ProviderKind::Google => "Google",
        ProviderKind::Discord => "Discord",
        ProviderKind::Microsoft => "Microsoft",
        ProviderKind::Apple => "Apple",
        ProviderKind::Oidc => "Oidc",
    }
}

/// A quoted SQL identifier, escaped to sit inside a Rust string literal.
fn sql_ident(dialect: Dialect, name: &str) -> String {
    let quoted = match dialect {
        Dialect::Mysql => format!("`{}`", name.replace('`', "``")),
        Dialect::Postgres | Dialect::Sqlite => format!("\"{}\"", name.replace('"', "\"\"")),
    };
    rust_str(&quoted)
}

/// Rust source formatted by rustfmt (edition 2024, its default config) when it is installed,
/// else as it is: `rauth new` apps.
pub fn format_rust(text: &str) -> String {
    RustStyle::default()
        .format(text)
        .unwrap_or_else(|| text.to_owned())
}

/// The `cargo add` lines for the generated module's dependencies.
pub fn cargo_add(framework: Framework, dialect: Dialect) -> [String; 3] {
    let driver = match dialect {
        Dialect::Postgres => "postgres",
        Dialect::Mysql => "mysql",
        Dialect::Sqlite => "sqlite",
    };
    [
        format!(
            "cargo add {} base64@0.22 chacha20poly1305@0.10 hex@0.4 hmac@0.12 rand@0.9 serde_json@1 sha2@0.10 subtle@2 tracing@0.1 unicode-normalization@0.1",
            match framework {
                Framework::Axum => "axum@0.8",
                Framework::ActixWeb => "actix-web@4",
            }
        ),
        format!(
            "cargo add sqlx@0.9 --no-default-features --features runtime-tokio,{driver},time,migrate,macros && cargo add time@0.3 --features formatting,parsing,macros && cargo add tokio@1 --features full"
        ),
        "cargo add scrypt@0.12 --no-default-features".into(),
    ]
}

/// The crates of a config's generated code that are unusably slow unoptimized, for
/// `[profile.dev.package.<name>] opt-level = 3`: scrypt (every password hash), and for RS256
/// JWTs the big-integer arithmetic of RSA (a key takes seconds to generate, a token to sign).
pub fn optimized_in_debug(config: &Config) -> Vec<&'static str> {
    let mut packages = vec!["scrypt"];
    if config
        .plugins
        .jwt
        .as_ref()
        .is_some_and(|jwt| jwt.alg == JwtAlg::Rs256)
    {
        packages.push("num-bigint-dig");
    }
    packages
}

/// The `cargo add` lines of a config's generated code: [`cargo_add`], the crates the enabled
/// plugin units declare, Redis when rate limits or sessions are kept there, serde for the cached
/// rows, and what the cookie cache and the social providers need.
pub fn cargo_add_for(config: &Config) -> Vec<String> {
    let mut lines = cargo_add(config.codegen.framework, config.database.dialect).to_vec();
    lines.extend(plugin_crates(config));
    let session_cache = config.session.cache == SessionCache::Redis;
    if config.rate_limit.storage == RateLimitStorage::Redis || session_cache {
        lines.push(
            "cargo add redis@1 --no-default-features --features tokio-comp,connection-manager"
                .into(),
        );
    }
    if session_cache {
        lines.push(
            "cargo add serde@1 --features derive && cargo add time@0.3 --features serde".into(),
        );
    }
    let cookie_cache = &config.session.cookie_cache;
    if cookie_cache.enabled && cookie_cache.strategy == CookieCacheStrategy::Jwe {
        // The encrypted cookie cache: AES-256-CBC with HMAC-SHA512, its key from HKDF-SHA256.
        lines.push("cargo add aes@0.8 cbc@0.1 hkdf@0.12 --features cbc/alloc".into());
    }
    if !config.social.is_empty() {
        // Token, userinfo and discovery requests of the social providers, over rustls.
        lines.push("cargo add reqwest@0.12 --no-default-features --features rustls-tls".into());
    }
    if verifies_id_tokens(config) {
        // ID-token signatures against the providers' keys, with pure-Rust crypto.
        lines.push("cargo add jsonwebtoken@11 --no-default-features --features rust_crypto".into());
    }
    // Plugins and social sign-in may need the same crate (reqwest): one line each.
    let mut seen = std::collections::HashSet::new();
    lines.retain(|line| seen.insert(line.clone()));
    lines
}

/// The `cargo add` lines the enabled plugin units declare (`crates` in `plugin.toml`), their
/// conditions evaluated against the plugins' options.
fn plugin_crates(config: &Config) -> Vec<String> {
    let env = templates::environment(None);
    let ctx = context! { plugins => plugin_options(config) };
    // The manifests are embedded and every one is evaluated for every plugin in the tests
    // (`units::tests`), so a failure here is a bug in rauth, not in the user's config.
    units::load(&config.plugins.enabled())
        .and_then(|units| units::declare(&env, &units, &ctx))
        .map(|declared| declared.cargo_add)
        .expect("the embedded plugin manifests are valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded document cannot end the page's `<script>` element or its raw string, and
    /// parses back to the same document.
    #[test]
    fn the_embedded_document_is_inert_in_html_and_rust() {
        let document = serde_json::json!({ "info": { "title": "</script><!-- \"## & \"###" } });
        let embedded = embeddable(&document).unwrap();
        let text = embedded.get_attr("openapi_document").unwrap().to_string();
        assert!(!text.contains(['<', '>', '&']), "{text}");
        assert_eq!(
            embedded.get_attr("openapi_hashes").unwrap().to_string(),
            "####"
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, document);
    }

    fn rows(text: &str) -> (serde_json::Value, bool) {
        let config = config::parse("t", text).unwrap();
        let schema = schema::build(&config).unwrap();
        let (tables, optional_dates) = tables(&config, &schema);
        (serde_json::to_value(tables).unwrap(), optional_dates)
    }

    #[test]
    fn a_crate_two_features_need_is_added_once() {
        let config = config::parse(
            "t",
            "[plugins.captcha]\nprovider = \"hcaptcha\"\n[social.github]\nclient_id_env = \"A\"\nclient_secret_env = \"B\"\n",
        )
        .unwrap();
        let reqwest = cargo_add_for(&config)
            .iter()
            .filter(|line| line.contains("reqwest"))
            .count();
        assert_eq!(reqwest, 1);
    }

    fn fields(t: &serde_json::Value, table: &str, key: &str) -> Vec<String> {
        t[table]["row"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c[key].to_string())
            .collect()
    }

    #[test]
    fn rows_follow_the_schema_with_renames_and_without_additional_fields() {
        let (t, _) = rows(
            "[plugins.admin]\n[plugins.phone-number]\n[tables.user]\nfields = { emailVerified = \"verified\" }\n[user.additional_fields.locale]\ntype = \"string\"\nrequired = false\n",
        );
        let row = &t["user"]["row"];
        let email_verified = &row[2];
        assert_eq!(
            (
                &email_verified["field"],
                &email_verified["ident"],
                &email_verified["type"],
                &email_verified["read"],
                &email_verified["new"]
            ),
            (
                &"email_verified".into(),
                &"\\\"verified\\\"".into(),
                &"bool".into(),
                &"value".into(),
                &"false".into()
            )
        );
        assert_eq!(
            fields(&t, "user", "type"),
            [
                "\"String\"",
                "\"String\"",
                "\"bool\"",
                "\"Option<String>\"",
                "\"OffsetDateTime\"",
                "\"OffsetDateTime\"",
                "\"Option<String>\"",
                "\"bool\"",
                "\"Option<String>\"",
                "\"Option<OffsetDateTime>\"",
                "\"Option<String>\"",
                "\"Option<bool>\""
            ]
        );
        assert_eq!(
            fields(&t, "user", "new"),
            [
                "null",
                "null",
                "\"false\"",
                "\"None\"",
                "\"now\"",
                "\"now\"",
                "\"Some(super::plugins::admin::DEFAULT_ROLE.to_owned())\"",
                "\"false\"",
                "\"None\"",
                "\"None\"",
                "\"None\"",
                "\"None\""
            ]
        );
        assert_eq!(row[7]["read"], "or");
        assert_eq!(row[9]["read"], "optional_date");
        assert_eq!(t["session"]["row"][4]["json"], "or_empty");
    }

    /// Every plugin manifest's crates and conditions evaluate, with each JWT algorithm.
    #[test]
    fn every_plugin_declares_its_crates() {
        for (alg, crate_line) in [
            ("EdDSA", "cargo add ed25519-dalek@2"),
            ("ES256", "cargo add p256@0.13"),
            ("RS256", "cargo add rsa@0.9 --features sha2,getrandom"),
        ] {
            let mut config =
                config::parse("t", &format!("[plugins.jwt]\nalg = \"{alg}\"\n")).unwrap();
            let jwt = config.plugins.jwt.clone();
            config.plugins = config::Plugins {
                jwt,
                ..config::Plugins::all()
            };
            let lines = cargo_add_for(&config);
            for wanted in [
                crate_line,
                "cargo add sha1@0.10",
                "cargo add ciborium@0.2 p256@0.13 rsa@0.9 --features rsa/sha2",
            ] {
                assert!(
                    lines.iter().any(|l| l == wanted),
                    "{alg}: {wanted} in {lines:?}"
                );
            }
            let unique: std::collections::BTreeSet<&String> = lines.iter().collect();
            assert_eq!(unique.len(), lines.len(), "{lines:?}");
        }
    }

    #[test]
    fn every_user_and_session_column_has_a_rust_type() {
        let mut config = config::Config {
            plugins: config::Plugins::all(),
            ..config::parse("t", "").unwrap()
        };
        if let Some(organization) = config.plugins.organization.as_mut() {
            organization.teams = true;
        }
        let schema = schema::build(&config).unwrap();
        let (t, _) = tables(&config, &schema);
        let t = serde_json::to_value(t).unwrap();
        for table in ["user", "session"] {
            for column in t[table]["row"].as_array().unwrap() {
                assert!(column["type"].is_string(), "{table}: {column}");
            }
        }
    }

    #[test]
    fn optional_from_db_only_where_a_nullable_date_is_read() {
        assert!(
            !rows("").1,
            "account's token expiries, without social sign-in"
        );
        assert!(!rows("[user.additional_fields.seen]\ntype = \"date\"\nrequired = false\n").1);
        assert!(!rows("[plugins.organization]\n").1);
        assert!(rows("[plugins.passkey]\n").1);
        assert!(rows("[plugins.admin]\n").1);
        assert!(rows("[plugins.organization]\nteams = true\n").1);
        assert!(rows("[social.github]\nclient_id_env = \"A\"\nclient_secret_env = \"B\"\n").1);
    }
}
