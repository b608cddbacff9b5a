//! The resolved schema: physical table and column names, ready for a dialect. Also the format of
//! the recorded state beside the migrations, so it is serializable and compared by value.

use serde::{Deserialize, Serialize};

use crate::config::FieldType;

/// Tables in creation order (referenced tables first).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    pub tables: Vec<Table>,
}

impl Schema {
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }
}

/// A table. Every table also has an `id` text primary key, which is not listed in `columns`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    /// Better Auth's name for it (`twoFactor`), whatever it is called in the database.
    pub key: String,
    /// Name in the database.
    pub name: String,
    pub columns: Vec<Column>,
    pub indexes: Vec<Index>,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// A column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    /// Better Auth's field name.
    pub key: String,
    /// Name in the database.
    pub name: String,
    #[serde(rename = "type")]
    pub kind: FieldType,
    pub required: bool,
    /// Inline UNIQUE constraint.
    pub unique: bool,
    /// Has a single-column index (sizes MySQL strings).
    #[serde(default, skip_serializing_if = "is_false")]
    pub indexed: bool,
    /// Part of a multi-column index (MySQL then needs a bounded varchar).
    #[serde(default, skip_serializing_if = "is_false")]
    pub in_table_index: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub sortable: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub bigint: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<DefaultValue>,
    /// Date defaulting to the current time.
    #[serde(default, skip_serializing_if = "is_false")]
    pub default_now: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub references: Option<ForeignKey>,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_false(b: &bool) -> bool {
    !*b
}

/// A static default value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DefaultValue {
    Bool(bool),
    Int(i64),
    Str(String),
}

/// A foreign key to another table's column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    pub table: String,
    pub column: String,
    pub on_delete: OnDelete,
}

/// `ON DELETE` action. Better Auth's migrator defaults to cascade.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnDelete {
    #[default]
    Cascade,
    #[serde(rename = "set null")]
    SetNull,
    Restrict,
    #[serde(rename = "no action")]
    NoAction,
}

/// An index other than a column's inline UNIQUE.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    pub name: String,
    pub columns: Vec<String>,
    pub unique: bool,
}
