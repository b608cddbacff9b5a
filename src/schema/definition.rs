//! The format of the schema files, `templates/core/schema.toml` and each plugin unit's
//! `templates/plugins/<name>/schema.toml`: tables and fields as Better Auth declares them
//! (REFERENCE §2). Files are embedded in the binary; see `templates/core/schema.toml` for the keys.

use indexmap::IndexMap;
use serde::Deserialize;

use crate::config::FieldType;

use super::model::DefaultValue;

/// One schema file: core's, or a plugin's.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PluginSchema {
    /// One line for `--help` and docs.
    pub description: String,
    /// Plugins this one cannot work without.
    #[serde(default)]
    pub requires: Vec<String>,
    /// New tables, and fields added to tables of other files (matched by key).
    #[serde(default)]
    pub tables: IndexMap<String, TableDef>,
}

/// A table, or additions to one.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableDef {
    /// Only present when this option is on (e.g. `organization.teams`).
    pub when: Option<String>,
    /// Created after every other table (Better Auth orders `rateLimit` last).
    #[serde(default)]
    pub last: bool,
    #[serde(default)]
    pub fields: IndexMap<String, FieldDef>,
    /// Multi-column indexes.
    #[serde(default)]
    pub indexes: Vec<IndexDef>,
}

/// A field (column), and how the generated row code carries it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    #[serde(rename = "type")]
    pub kind: FieldType,
    #[serde(default = "yes")]
    pub required: bool,
    #[serde(default)]
    pub unique: bool,
    #[serde(default)]
    pub index: bool,
    pub default: Option<DefaultValue>,
    #[serde(default)]
    pub default_now: bool,
    pub references: Option<ReferenceDef>,
    #[serde(default)]
    pub sortable: bool,
    #[serde(default)]
    pub bigint: bool,
    #[serde(default = "yes")]
    pub input: bool,
    #[serde(default = "yes")]
    pub returned: bool,
    #[serde(default)]
    pub on_update: bool,
    pub when: Option<String>,
    /// Doc comment of the generated row field.
    pub doc: Option<String>,
    /// New rows of the generated code take this constant, a path in the generated module
    /// (`admin::DEFAULT_ROLE`: a plugin option its module declares), instead of `default`.
    pub default_option: Option<String>,
    /// Users change it themselves (`/update-user` writes it).
    #[serde(default)]
    pub self_update: bool,
    /// Sent to clients as `""` when null (Better Auth's sessions without a known IP address).
    #[serde(default)]
    pub empty_when_null: bool,
}

fn yes() -> bool {
    true
}

/// A foreign key, by logical table and field.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceDef {
    pub table: String,
    #[serde(default = "id")]
    pub field: String,
    #[serde(default)]
    pub on_delete: super::model::OnDelete,
}

fn id() -> String {
    "id".into()
}

/// A table-level index.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexDef {
    pub fields: Vec<String>,
    #[serde(default)]
    pub unique: bool,
}
