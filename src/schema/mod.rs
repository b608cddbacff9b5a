//! The auth schema: Better Auth's tables for the enabled plugins (from each unit's `schema.toml`), with
//! additional fields, naming and renames from the config applied. Pure: config in, schema out.

mod definition;
pub mod diff;
mod model;
mod naming;

use std::collections::BTreeSet;
use std::sync::OnceLock;

use indexmap::IndexMap;

use crate::config::{
    AdditionalField, Config, FieldType, Issue, Naming, OnDeleteAction, RateLimitStorage,
    did_you_mean,
};
use crate::embedded;

pub use definition::{FieldDef, PluginSchema, TableDef};
pub use model::{Column, DefaultValue, ForeignKey, Index, OnDelete, Schema, Table};
pub use naming::{foreign_key_name, index_name, snake_case};

use definition::ReferenceDef;

/// Longest identifier every dialect accepts (PostgreSQL truncates at 63 bytes).
const MAX_IDENTIFIER_BYTES: usize = 63;

/// Every embedded schema by name, parsed once: core's (`templates/core/schema.toml`, as `core`)
/// and each plugin's (`templates/plugins/<name>/schema.toml`), sorted by name.
///
/// # Panics
/// If an embedded schema file is invalid: a build defect that the unit tests catch.
pub fn plugin_schemas() -> &'static IndexMap<String, PluginSchema> {
    static PARSED: OnceLock<IndexMap<String, PluginSchema>> = OnceLock::new();
    PARSED.get_or_init(|| {
        let plugins = embedded::TEMPLATES
            .get_dir("plugins")
            .into_iter()
            .flat_map(include_dir::Dir::dirs)
            .filter_map(|unit| {
                let name = unit.path().file_name()?.to_str()?;
                Some((
                    name,
                    embedded::file(&format!("plugins/{name}/schema.toml"))?,
                ))
            });
        let mut files: Vec<(&str, &str)> = embedded::file("core/schema.toml")
            .map(|core| ("core", core))
            .into_iter()
            .chain(plugins)
            .collect();
        files.sort_by_key(|(name, _)| *name);
        files
            .into_iter()
            .map(|(name, text)| {
                // The files ship inside the binary and a unit test parses each one, so a bad file
                // is a build defect, not user input.
                let schema = toml::from_str(text)
                    .unwrap_or_else(|e| panic!("the embedded schema of `{name}` is invalid: {e}"));
                (name.to_owned(), schema)
            })
            .collect()
    })
}

/// Builds the schema `config` asks for. Problems carry the config key path they are about.
pub fn build(config: &Config) -> Result<Schema, Vec<Issue>> {
    let schemas = plugin_schemas();
    let mut issues = Vec::new();
    let enabled = enabled_plugins(config);
    for &plugin in &enabled[1..] {
        for needed in &schemas[plugin].requires {
            if !enabled.contains(&needed.as_str()) {
                issues.push(
                    Issue::new(
                        &["plugins", plugin],
                        format!("plugin `{plugin}` needs plugin `{needed}`, which is not enabled"),
                    )
                    .help(format!("add `[plugins.{needed}]`")),
                );
            }
        }
    }
    let features = features(config);
    let mut tables = merge_tables(&enabled, &features);
    add_fields(
        &mut tables,
        "user",
        &config.user.additional_fields,
        &["user", "additional_fields"],
        &mut issues,
    );
    add_fields(
        &mut tables,
        "session",
        &config.session.additional_fields,
        &["session", "additional_fields"],
        &mut issues,
    );
    check_renames(config, &tables, &enabled, &mut issues);
    let mut schema = resolve(config, &tables, &mut issues);
    order_by_references(&mut schema.tables);
    if issues.is_empty() {
        Ok(schema)
    } else {
        Err(issues)
    }
}

/// `core` and the enabled plugins, in the order their tables and fields are merged.
fn enabled_plugins(config: &Config) -> Vec<&'static str> {
    std::iter::once("core")
        .chain(config.plugins.enabled())
        .collect()
}

/// The tables and fields the schema files declare for this config, by logical name, in the
/// schema's order, with their attributes for generated code (`doc`, `returned`, …). The config's
/// additional fields are not among them: the generated rows do not carry those.
pub fn declared_tables(config: &Config) -> IndexMap<String, TableDef> {
    merge_tables(&enabled_plugins(config), &features(config))
}

/// Moves each table after the tables it references (stable otherwise), so CREATE TABLE never
/// names a table that does not exist yet. A reference cycle keeps the given order.
fn order_by_references(tables: &mut Vec<Table>) {
    let mut remaining = std::mem::take(tables);
    while !remaining.is_empty() {
        let ready = remaining
            .iter()
            .position(|t| {
                t.columns
                    .iter()
                    .filter_map(|c| c.references.as_ref())
                    .all(|r| r.table == t.name || !remaining.iter().any(|o| o.name == r.table))
            })
            .unwrap_or(0);
        tables.push(remaining.remove(ready));
    }
}

/// Option flags that `when = "…"` in schema files refer to: the rate limit's, and those the
/// enabled plugins' options say are on.
fn features(config: &Config) -> BTreeSet<&'static str> {
    let mut on: BTreeSet<&'static str> = config
        .plugins
        .enabled_options()
        .into_iter()
        .flat_map(|(_, options)| options.schema_flags())
        .collect();
    if config.rate_limit.storage == RateLimitStorage::Database {
        on.insert("rate_limit.database");
    }
    on
}

/// Logical tables of the enabled plugins, in order: each table where it first appears, fields
/// of later plugins appended, `last` tables at the end.
fn merge_tables(enabled: &[&str], features: &BTreeSet<&str>) -> IndexMap<String, TableDef> {
    let active = |when: &Option<String>| when.as_deref().is_none_or(|w| features.contains(w));
    let mut tables: IndexMap<String, TableDef> = IndexMap::new();
    for plugin in enabled {
        for (key, def) in &plugin_schemas()[*plugin].tables {
            if !active(&def.when) {
                continue;
            }
            let table = tables.entry(key.clone()).or_default();
            table.last |= def.last;
            for (field, f) in &def.fields {
                if active(&f.when) {
                    table.fields.insert(field.clone(), f.clone());
                }
            }
            table.indexes.extend(def.indexes.iter().cloned());
        }
    }
    let (last, mut ordered): (Vec<_>, Vec<_>) = tables.into_iter().partition(|(_, t)| t.last);
    ordered.extend(last);
    ordered.into_iter().collect()
}

fn add_fields(
    tables: &mut IndexMap<String, TableDef>,
    table: &str,
    fields: &std::collections::BTreeMap<String, AdditionalField>,
    at: &[&str],
    issues: &mut Vec<Issue>,
) {
    for (key, field) in fields {
        let path: Vec<&str> = at
            .iter()
            .copied()
            .chain([key.as_str(), "references"])
            .collect();
        if let Some(r) = &field.references {
            issues.extend(check_reference(tables, r, &path));
        }
        if field.bigint && field.kind != FieldType::Number {
            issues.push(Issue::new(
                &path[..path.len() - 1],
                "`bigint` is only for `type = \"number\"`",
            ));
        }
    }
    let Some(def) = tables.get_mut(table) else {
        return;
    };
    for (key, field) in fields {
        let path: Vec<&str> = at.iter().copied().chain([key.as_str()]).collect();
        if key == "id" || def.fields.contains_key(key) {
            issues.push(
                Issue::new(&path, format!("`{table}` already has a field `{key}`")).help(
                    "pick another name; to rename a built-in column use [tables.<table>.fields]",
                ),
            );
            continue;
        }
        let default = match field.default.as_ref().map(|v| default_for(field.kind, v)) {
            Some(Ok(d)) => Some(d),
            Some(Err(why)) => {
                let mut p = path.clone();
                p.push("default");
                issues.push(Issue::new(&p, why));
                None
            }
            None => None,
        };
        def.fields.insert(
            key.clone(),
            FieldDef {
                kind: field.kind,
                required: field.required,
                unique: field.unique,
                index: field.index,
                default,
                default_now: false,
                references: field.references.as_ref().map(|r| ReferenceDef {
                    table: r.table.clone(),
                    field: r.field.clone(),
                    on_delete: match r.on_delete {
                        OnDeleteAction::Cascade => OnDelete::Cascade,
                        OnDeleteAction::SetNull => OnDelete::SetNull,
                        OnDeleteAction::Restrict => OnDelete::Restrict,
                        OnDeleteAction::NoAction => OnDelete::NoAction,
                    },
                }),
                sortable: field.sortable,
                bigint: field.bigint,
                input: field.input,
                returned: field.returned,
                on_update: false,
                when: None,
                doc: None,
                default_option: None,
                empty_when_null: false,
                self_update: false,
            },
        );
    }
}

/// A foreign key must name a table of this schema and one of its fields.
fn check_reference(
    tables: &IndexMap<String, TableDef>,
    r: &crate::config::FieldReference,
    path: &[&str],
) -> Option<Issue> {
    let Some(target) = tables.get(&r.table) else {
        let issue = Issue::new(
            path,
            format!("no table `{}` in this schema to reference", r.table),
        );
        return Some(
            match did_you_mean(&r.table, tables.keys().map(String::as_str)) {
                Some(best) => issue.help(format!("did you mean `{best}`?")),
                None => issue,
            },
        );
    };
    if r.field != "id" && !target.fields.contains_key(&r.field) {
        return Some(Issue::new(
            path,
            format!(
                "table `{}` has no field `{}` to reference",
                r.table, r.field
            ),
        ));
    }
    None
}

fn default_for(kind: FieldType, value: &toml::Value) -> Result<DefaultValue, String> {
    match (kind, value) {
        (FieldType::String, toml::Value::String(s)) => Ok(DefaultValue::Str(s.clone())),
        (FieldType::Number, toml::Value::Integer(n)) => Ok(DefaultValue::Int(*n)),
        (FieldType::Boolean, toml::Value::Boolean(b)) => Ok(DefaultValue::Bool(*b)),
        (FieldType::String | FieldType::Number | FieldType::Boolean, other) => Err(format!(
            "`default` must be a {} like the field, not a {}",
            type_name(kind),
            other.type_str()
        )),
        _ => Err(format!(
            "a {} field cannot have a static `default`",
            type_name(kind)
        )),
    }
}

fn type_name(kind: FieldType) -> &'static str {
    match kind {
        FieldType::String => "string",
        FieldType::Number => "number",
        FieldType::Boolean => "boolean",
        FieldType::Date => "date",
        FieldType::Json => "json",
        FieldType::StringArray => "string[]",
        FieldType::NumberArray => "number[]",
    }
}

/// Renames must name tables and fields that exist in this config's schema.
fn check_renames(
    config: &Config,
    tables: &IndexMap<String, TableDef>,
    enabled: &[&str],
    issues: &mut Vec<Issue>,
) {
    for (key, rename) in &config.tables {
        let Some(table) = tables.get(key) else {
            let owner = plugin_schemas()
                .iter()
                .find(|(name, s)| !enabled.contains(&name.as_str()) && s.tables.contains_key(key));
            let issue = Issue::new(&["tables", key], format!("no table `{key}` in this schema"));
            issues.push(
                match (owner, did_you_mean(key, tables.keys().map(String::as_str))) {
                    (Some((plugin, _)), _) => issue.help(format!(
                        "`{key}` belongs to plugin `{plugin}`, which is not enabled"
                    )),
                    (None, Some(best)) => issue.help(format!("did you mean `{best}`?")),
                    (None, None) => issue.help(format!(
                        "tables are keyed by Better Auth's names: {}",
                        tables
                            .keys()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                },
            );
            continue;
        };
        for field in rename.fields.keys() {
            if field == "id" {
                issues.push(Issue::new(
                    &["tables", key, "fields", field],
                    "the `id` column cannot be renamed",
                ));
            } else if !table.fields.contains_key(field) {
                let issue = Issue::new(
                    &["tables", key, "fields", field],
                    format!("table `{key}` has no field `{field}`"),
                );
                issues.push(
                    match did_you_mean(field, table.fields.keys().map(String::as_str)) {
                        Some(best) => issue.help(format!("did you mean `{best}`?")),
                        None => issue,
                    },
                );
            }
        }
    }
}

/// Physical names: explicit renames, else the naming convention.
struct Names<'a> {
    config: &'a Config,
    snake: bool,
}

impl Names<'_> {
    fn table(&self, key: &str) -> String {
        let renamed = self.config.tables.get(key).and_then(|r| r.name.clone());
        renamed.unwrap_or_else(|| self.convention(key))
    }

    /// Where a field is configured, for error locations: an additional field's own table, else
    /// the table's renames.
    fn field_path<'a>(&self, table: &'a str, field: &'a str) -> [&'a str; 4] {
        let additional = match table {
            "user" => self.config.user.additional_fields.contains_key(field),
            "session" => self.config.session.additional_fields.contains_key(field),
            _ => false,
        };
        let renamed = self
            .config
            .tables
            .get(table)
            .is_some_and(|r| r.fields.contains_key(field));
        if additional && !renamed {
            [table, "additional_fields", field, ""]
        } else {
            ["tables", table, "fields", field]
        }
    }

    fn column(&self, table: &str, field: &str) -> String {
        if field == "id" {
            return "id".to_owned();
        }
        let additional = match table {
            "user" => self.config.user.additional_fields.get(field),
            "session" => self.config.session.additional_fields.get(field),
            _ => None,
        };
        let renamed = self
            .config
            .tables
            .get(table)
            .and_then(|r| r.fields.get(field).cloned());
        renamed
            .or_else(|| additional.and_then(|a| a.column.clone()))
            .unwrap_or_else(|| self.convention(field))
    }

    fn convention(&self, name: &str) -> String {
        if self.snake {
            snake_case(name)
        } else {
            name.to_owned()
        }
    }
}

/// Applies naming and renames, and derives indexes.
fn resolve(
    config: &Config,
    tables: &IndexMap<String, TableDef>,
    issues: &mut Vec<Issue>,
) -> Schema {
    let names = Names {
        config,
        snake: config.database.naming == Naming::SnakeCase,
    };
    let mut schema = Schema::default();
    for (key, def) in tables {
        let name = names.table(key);
        check_identifier(&name, &["tables", key, "name"], issues);
        if let Some(other) = schema.tables.iter().find(|t| t.name == name) {
            issues.push(Issue::new(
                &["tables", key, "name"],
                format!(
                    "tables `{}` and `{key}` would both be named `{name}`",
                    other.key
                ),
            ));
        }
        let columns = resolve_columns(&names, key, def, issues);
        let indexes = derive_indexes(&names, key, &name, def, &columns);
        schema.tables.push(Table {
            key: key.clone(),
            name,
            columns,
            indexes,
        });
    }
    schema
}

fn resolve_columns(
    names: &Names<'_>,
    key: &str,
    def: &TableDef,
    issues: &mut Vec<Issue>,
) -> Vec<Column> {
    let in_table_index: BTreeSet<&str> = def
        .indexes
        .iter()
        .flat_map(|i| i.fields.iter().map(String::as_str))
        .collect();
    let mut columns: Vec<Column> = Vec::new();
    for (field, f) in &def.fields {
        let column = names.column(key, field);
        let path = names.field_path(key, field);
        let path: Vec<&str> = path.into_iter().filter(|p| !p.is_empty()).collect();
        check_identifier(&column, &path, issues);
        if column == "id" || columns.iter().any(|c| c.name == column) {
            issues.push(Issue::new(
                &["tables", key, "fields", field],
                format!(
                    "two columns of `{}` would be named `{column}`",
                    names.table(key)
                ),
            ));
        }
        columns.push(Column {
            key: field.clone(),
            name: column,
            kind: f.kind,
            required: f.required,
            unique: f.unique,
            indexed: f.index,
            in_table_index: in_table_index.contains(field.as_str()),
            sortable: f.sortable,
            bigint: f.bigint,
            default: f.default.clone(),
            default_now: f.default_now,
            references: f.references.as_ref().map(|r| ForeignKey {
                table: names.table(&r.table),
                column: names.column(&r.table, &r.field),
                on_delete: r.on_delete,
            }),
        });
    }
    columns
}

/// Better Auth's indexes: one per non-unique `index` field, then the table-level ones.
fn derive_indexes(
    names: &Names<'_>,
    key: &str,
    table: &str,
    def: &TableDef,
    columns: &[Column],
) -> Vec<Index> {
    let single = columns
        .iter()
        .filter(|c| c.indexed && !c.unique)
        .map(|c| Index {
            name: index_name(table, &[&c.name], false),
            columns: vec![c.name.clone()],
            unique: false,
        });
    let multi = def.indexes.iter().map(|idx| {
        let cols: Vec<String> = idx.fields.iter().map(|f| names.column(key, f)).collect();
        let refs: Vec<&str> = cols.iter().map(String::as_str).collect();
        Index {
            name: index_name(table, &refs, idx.unique),
            columns: cols,
            unique: idx.unique,
        }
    });
    single.chain(multi).collect()
}

fn check_identifier(name: &str, path: &[&str], issues: &mut Vec<Issue>) {
    if name.trim().is_empty() || name.trim() != name || name.contains(['\0', '\n', '\r']) {
        issues.push(
            Issue::new(
                path,
                format!(
                    "`{}` is not a usable table or column name",
                    name.escape_debug()
                ),
            )
            .help("use letters, digits and `_`"),
        );
    } else if name.len() > MAX_IDENTIFIER_BYTES {
        issues.push(Issue::new(path, format!("`{name}` is longer than {MAX_IDENTIFIER_BYTES} bytes, the limit of PostgreSQL and MySQL")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse;

    fn schema(text: &str) -> Schema {
        build(&parse("t", text).unwrap()).unwrap()
    }

    fn issues(text: &str) -> Vec<String> {
        build(&parse("t", text).unwrap())
            .unwrap_err()
            .into_iter()
            .map(|i| {
                format!(
                    "{}: {}{}",
                    i.path.join("."),
                    i.message,
                    i.help.map(|h| format!(" ({h})")).unwrap_or_default()
                )
            })
            .collect()
    }

    fn names(s: &Schema) -> Vec<&str> {
        s.tables.iter().map(|t| t.name.as_str()).collect()
    }

    #[test]
    fn every_embedded_schema_parses_and_matches_a_plugin() {
        let all = plugin_schemas();
        let mut expected: Vec<&str> = crate::config::Plugins::all().enabled();
        expected.push("core");
        expected.sort_unstable();
        let mut found: Vec<&str> = all.keys().map(String::as_str).collect();
        found.sort_unstable();
        assert_eq!(found, expected);
    }

    #[test]
    fn core_has_better_auths_four_tables() {
        let s = schema("");
        assert_eq!(names(&s), ["user", "session", "account", "verification"]);
        let idx: Vec<&str> = s
            .tables
            .iter()
            .flat_map(|t| t.indexes.iter().map(|i| i.name.as_str()))
            .collect();
        assert_eq!(
            idx,
            [
                "session_userId_idx",
                "account_userId_idx",
                "verification_identifier_idx"
            ]
        );
    }

    #[test]
    fn rate_limit_table_only_with_database_storage_and_last() {
        assert!(!names(&schema("")).contains(&"rateLimit"));
        let s = schema("[rate_limit]\nstorage = \"database\"\n[plugins.jwt]\n");
        assert_eq!(names(&s).last(), Some(&"rateLimit"));
    }

    #[test]
    fn plugin_options_switch_tables_and_fields() {
        let plain = schema("[plugins.organization]\n");
        assert!(!names(&plain).contains(&"team"));
        assert!(
            plain
                .table("session")
                .unwrap()
                .column("activeTeamId")
                .is_none()
        );
        let teams = schema("[plugins.organization]\nteams = true\n");
        assert!(names(&teams).contains(&"teamMember"));
        assert!(
            teams
                .table("invitation")
                .unwrap()
                .column("teamId")
                .is_some()
        );
    }

    #[test]
    fn plugins_extend_core_tables_in_plugin_order() {
        let s = schema("[plugins.anonymous]\n[plugins.username]\n[plugins.admin]\n");
        let cols: Vec<&str> = s
            .table("user")
            .unwrap()
            .columns
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(
            &cols[6..],
            [
                "username",
                "displayUsername",
                "role",
                "banned",
                "banReason",
                "banExpires",
                "isAnonymous"
            ]
        );
    }

    #[test]
    fn snake_case_naming_renames_tables_columns_references_and_indexes() {
        let s = schema("[database]\nnaming = \"snake_case\"\n[plugins.two-factor]\n");
        let tf = s.table("two_factor").unwrap();
        let user_id = tf.column("user_id").unwrap();
        assert_eq!(user_id.references.as_ref().unwrap().table, "user");
        assert!(
            tf.indexes
                .iter()
                .any(|i| i.name == "two_factor_user_id_idx")
        );
        assert!(s.table("user").unwrap().column("email_verified").is_some());
    }

    #[test]
    fn explicit_renames_win_and_follow_references() {
        let s =
            schema("[tables.user]\nname = \"users\"\nfields = { emailVerified = \"verified\" }\n");
        assert!(s.table("users").unwrap().column("verified").is_some());
        assert_eq!(
            s.table("session")
                .unwrap()
                .column("userId")
                .unwrap()
                .references
                .as_ref()
                .unwrap()
                .table,
            "users"
        );
    }

    #[test]
    fn additional_fields_are_appended() {
        let s = schema(
            "[user.additional_fields.locale]\ntype = \"string\"\nrequired = false\ndefault = \"en\"\n",
        );
        let c = s.table("user").unwrap().columns.last().unwrap();
        assert_eq!(
            (c.name.as_str(), c.required, c.default.clone()),
            ("locale", false, Some(DefaultValue::Str("en".into())))
        );
    }

    #[test]
    fn bad_renames_and_fields_are_reported() {
        assert_eq!(
            issues("[tables.usr]\nname = \"x\"\n"),
            ["tables.usr: no table `usr` in this schema (did you mean `user`?)"]
        );
        assert_eq!(
            issues("[tables.twoFactor]\nname = \"x\"\n"),
            [
                "tables.twoFactor: no table `twoFactor` in this schema (`twoFactor` belongs to plugin `two-factor`, which is not enabled)"
            ]
        );
        assert_eq!(
            issues("[tables.user.fields]\nemailVerifed = \"x\"\n"),
            [
                "tables.user.fields.emailVerifed: table `user` has no field `emailVerifed` (did you mean `emailVerified`?)"
            ]
        );
        assert_eq!(
            issues("[user.additional_fields.email]\ntype = \"string\"\n").len(),
            1
        );
        assert_eq!(
            issues("[user.additional_fields.age]\ntype = \"number\"\ndefault = \"x\"\n"),
            [
                "user.additional_fields.age.default: `default` must be a number like the field, not a string"
            ]
        );
        assert_eq!(
            issues("[tables.session]\nname = \"user\"\n"),
            ["tables.session.name: tables `user` and `session` would both be named `user`"]
        );
    }

    #[test]
    fn additional_fields_can_reference_tables_and_be_bigint() {
        let s = schema(
            "[plugins.organization]\n[user.additional_fields.homeOrg]\ntype = \"string\"\nrequired = false\nreferences = { table = \"organization\", on_delete = \"set null\" }\n[user.additional_fields.credits]\ntype = \"number\"\nrequired = false\nbigint = true\n",
        );
        let user = s.table("user").unwrap();
        let fk = user.column("homeOrg").unwrap().references.clone().unwrap();
        assert_eq!(
            (fk.table.as_str(), fk.column.as_str(), fk.on_delete),
            ("organization", "id", OnDelete::SetNull)
        );
        assert!(user.column("credits").unwrap().bigint);
        // `user` now references `organization`, so it is created after it.
        let order = names(&s);
        assert!(
            order.iter().position(|t| *t == "organization")
                < order.iter().position(|t| *t == "user"),
            "{order:?}"
        );
        assert_eq!(
            issues(
                "[user.additional_fields.org]\ntype = \"string\"\nrequired = false\nreferences = { table = \"organisation\" }\n"
            ),
            [
                "user.additional_fields.org.references: no table `organisation` in this schema to reference"
            ]
        );
        assert_eq!(
            issues(
                "[user.additional_fields.n]\ntype = \"string\"\nbigint = true\nrequired = false\n"
            ),
            ["user.additional_fields.n: `bigint` is only for `type = \"number\"`"]
        );
    }

    #[test]
    fn a_plugin_that_needs_another_is_refused() {
        assert_eq!(
            issues("[plugins.oauth-provider]\n"),
            [
                "plugins.oauth-provider: plugin `oauth-provider` needs plugin `jwt`, which is not enabled (add `[plugins.jwt]`)"
            ]
        );
    }
}
