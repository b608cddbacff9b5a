//! What it takes to go from the schema already generated to the one the config asks for.
//!
//! Only additive changes are emitted: new tables, new columns, new indexes — in Better Auth's
//! order (columns, then tables, then indexes), so that `npx auth migrate` and rauth agree on what
//! a database needs. Anything that could lose or corrupt data (a removed plugin, a changed column,
//! a required column without a default on an existing table) is never emitted: it is reported
//! with the manual step instead.

use crate::config::{Dialect, FieldType};

use super::model::{Column, Index, Schema, Table};

/// One additive change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change<'a> {
    AddColumn {
        table: &'a Table,
        column: &'a Column,
    },
    CreateTable(&'a Table),
    CreateIndex {
        table: &'a Table,
        index: &'a Index,
    },
}

/// A change rauth refuses to make by itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocker {
    pub message: String,
    pub manual_step: String,
}

/// The plan from one schema to another.
#[derive(Debug, Default)]
pub struct Delta<'a> {
    pub changes: Vec<Change<'a>>,
    /// Changes that need a person: nothing is generated while any exist.
    pub blockers: Vec<Blocker>,
    /// Things in the database that the config no longer mentions; kept, and said so.
    pub kept: Vec<String>,
}

/// Plans `from` → `to` for `dialect` (which decides what an added column can default to).
pub fn plan<'a>(from: &Schema, to: &'a Schema, dialect: Dialect) -> Delta<'a> {
    let mut delta = Delta::default();
    let mut add_columns = Vec::new();
    let mut create_tables = Vec::new();
    let mut create_indexes = Vec::new();

    for table in &to.tables {
        let Some(old) = from.table(&table.name) else {
            if let Some(renamed) = from.tables.iter().find(|t| t.key == table.key) {
                delta.blockers.push(Blocker {
                    message: format!("table `{}` is now named `{}`", renamed.name, table.name),
                    manual_step: format!(
                        "rename it in the database (ALTER TABLE {} RENAME TO {}), then record it with `rauth generate schema --accept-manual`",
                        renamed.name, table.name
                    ),
                });
                continue;
            }
            create_tables.push(Change::CreateTable(table));
            create_indexes.extend(
                table
                    .indexes
                    .iter()
                    .map(|index| Change::CreateIndex { table, index }),
            );
            continue;
        };
        for column in &table.columns {
            match old.column(&column.name) {
                None => {
                    if let Some(blocker) = unsafe_addition(table, column, dialect) {
                        delta.blockers.push(blocker);
                    } else {
                        add_columns.push(Change::AddColumn { table, column });
                    }
                }
                Some(before) if !same_column(before, column) => delta.blockers.push(Blocker {
                    message: format!("column `{}.{}` changed: {}", table.name, column.name, describe_change(before, column)),
                    manual_step: "rauth never alters existing columns: write that migration by hand, then record it with `rauth generate schema --accept-manual`".into(),
                }),
                Some(_) => {}
            }
        }
        for column in &old.columns {
            if table.column(&column.name).is_none() {
                delta.kept.push(format!("column `{}.{}` is no longer in the config; it stays in the database (drop it by hand if you mean to)", old.name, column.name));
            }
        }
        for index in &table.indexes {
            match old.indexes.iter().find(|i| i.name == index.name) {
                None => create_indexes.push(Change::CreateIndex { table, index }),
                Some(before) if before != index => delta.blockers.push(Blocker {
                    message: format!("index `{}` now covers ({}) {}", index.name, index.columns.join(", "), if index.unique { "as unique" } else { "as non-unique" }),
                    manual_step: format!("drop and re-create `{}` by hand, then record it with `rauth generate schema --accept-manual`", index.name),
                }),
                Some(_) => {}
            }
        }
        // A column that became unique on an existing table is covered by `same_column`; a new
        // unique column gets Better Auth's separate `_uidx` index (see `AddColumn` rendering).
    }
    for table in &from.tables {
        if to.table(&table.name).is_none() && !to.tables.iter().any(|t| t.key == table.key) {
            delta.kept.push(format!("table `{}` is no longer in the config; it stays in the database (drop it by hand if you mean to)", table.name));
        }
    }
    delta.changes.extend(add_columns);
    delta.changes.extend(create_tables);
    delta.changes.extend(create_indexes);
    delta
}

/// Whether adding `column` to an existing (possibly populated) table would fail or invent data.
fn unsafe_addition(table: &Table, column: &Column, dialect: Dialect) -> Option<Blocker> {
    let dated = column.kind == FieldType::Date && column.default_now && dialect != Dialect::Sqlite;
    if !column.required || column.default.is_some() || dated {
        return None;
    }
    Some(Blocker {
        message: format!("cannot add required column `{}.{}` to an existing table: it has no default, so existing rows have no value", table.name, column.name),
        manual_step: "give the field a `default`, or make it `required = false`; or add it as nullable, backfill every row, then set NOT NULL by hand".into(),
    })
}

/// Same column as far as the database is concerned.
fn same_column(a: &Column, b: &Column) -> bool {
    a.kind == b.kind
        && a.required == b.required
        && a.unique == b.unique
        && a.bigint == b.bigint
        && a.references == b.references
}

fn describe_change(before: &Column, after: &Column) -> String {
    let mut what = Vec::new();
    if before.kind != after.kind || before.bigint != after.bigint {
        what.push("its type");
    }
    if before.required != after.required {
        what.push(if after.required {
            "it became required"
        } else {
            "it became optional"
        });
    }
    if before.unique != after.unique {
        what.push(if after.unique {
            "it became unique"
        } else {
            "it is no longer unique"
        });
    }
    if before.references != after.references {
        what.push("its foreign key");
    }
    what.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse;
    use crate::schema::build;

    fn schema(text: &str) -> Schema {
        build(&parse("t", text).unwrap()).unwrap()
    }

    fn kinds(delta: &Delta<'_>) -> Vec<String> {
        delta
            .changes
            .iter()
            .map(|c| match c {
                Change::AddColumn { table, column } => {
                    format!("add {}.{}", table.name, column.name)
                }
                Change::CreateTable(t) => format!("create {}", t.name),
                Change::CreateIndex { index, .. } => format!("index {}", index.name),
            })
            .collect()
    }

    #[test]
    fn from_nothing_creates_everything_tables_before_indexes() {
        let to = schema("");
        let d = plan(&Schema::default(), &to, Dialect::Postgres);
        assert_eq!(
            kinds(&d),
            [
                "create user",
                "create session",
                "create account",
                "create verification",
                "index session_userId_idx",
                "index account_userId_idx",
                "index verification_identifier_idx"
            ]
        );
    }

    #[test]
    fn same_schema_is_no_change() {
        let s = schema("[plugins.organization]\nteams = true\n");
        let d = plan(&s, &s, Dialect::Mysql);
        assert!(d.changes.is_empty() && d.blockers.is_empty() && d.kept.is_empty());
    }

    #[test]
    fn a_new_plugin_adds_columns_first_then_tables_then_indexes() {
        let from = schema("");
        let to = schema("[plugins.username]\n[plugins.two-factor]\n");
        let d = plan(&from, &to, Dialect::Sqlite);
        assert_eq!(
            kinds(&d),
            [
                "add user.username",
                "add user.displayUsername",
                "add user.twoFactorEnabled",
                "create twoFactor",
                "index twoFactor_secret_idx",
                "index twoFactor_userId_idx"
            ]
        );
        assert!(d.blockers.is_empty());
    }

    #[test]
    fn removed_plugins_are_kept_and_reported() {
        let from = schema("[plugins.two-factor]\n");
        let to = schema("");
        let d = plan(&from, &to, Dialect::Postgres);
        assert!(d.changes.is_empty());
        assert_eq!(d.kept.len(), 2, "{:?}", d.kept);
    }

    #[test]
    fn a_required_column_without_default_is_blocked() {
        let to = schema("[user.additional_fields.tenant]\ntype = \"string\"\n");
        let d = plan(&schema(""), &to, Dialect::Postgres);
        assert!(d.changes.is_empty());
        assert_eq!(d.blockers.len(), 1);
        assert!(d.blockers[0].message.contains("user.tenant"));
        let with_default =
            schema("[user.additional_fields.tenant]\ntype = \"string\"\ndefault = \"acme\"\n");
        let core = schema("");
        assert_eq!(
            kinds(&plan(&core, &with_default, Dialect::Postgres)),
            ["add user.tenant"]
        );
    }

    #[test]
    fn a_changed_column_is_blocked() {
        let from = schema("[user.additional_fields.age]\ntype = \"number\"\nrequired = false\n");
        let to = schema("[user.additional_fields.age]\ntype = \"string\"\nrequired = false\n");
        let d = plan(&from, &to, Dialect::Postgres);
        assert_eq!(d.blockers.len(), 1);
        assert!(d.blockers[0].message.contains("its type"));
    }

    #[test]
    fn a_renamed_table_is_blocked_not_recreated() {
        let to = schema("[tables.user]\nname = \"users\"\n");
        let d = plan(&schema(""), &to, Dialect::Postgres);
        assert!(d.changes.is_empty(), "{:?}", kinds(&d));
        assert!(
            d.blockers[0]
                .message
                .contains("`user` is now named `users`")
        );
    }
}
