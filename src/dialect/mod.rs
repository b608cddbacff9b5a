//! SQL for one dialect: DDL built with sea-query (identifiers are always quoted by the builder),
//! with Better Auth's types, defaults and index names.
//!
//! sea-query panics on features a backend lacks (several ALTER options at once on SQLite, a
//! foreign key added by ALTER on SQLite, `IF EXISTS` on MySQL's DROP INDEX): this module only
//! asks each backend for what it supports.

pub mod rows;
mod types;

use sea_query::{
    Alias, ColumnDef, Expr, ForeignKey, ForeignKeyAction, Index as SqIndex, MysqlQueryBuilder,
    PostgresQueryBuilder, SqliteQueryBuilder, Table as SqTable,
};

use crate::config::Dialect;
use crate::schema::diff::Change;
use crate::schema::{Column, Index, OnDelete, Table, foreign_key_name, index_name};

pub use types::column_type;

/// Renders a sea-query statement for `dialect`.
macro_rules! build {
    ($stmt:expr, $dialect:expr) => {
        match $dialect {
            Dialect::Postgres => $stmt.to_string(PostgresQueryBuilder),
            Dialect::Mysql => $stmt.to_string(MysqlQueryBuilder),
            Dialect::Sqlite => $stmt.to_string(SqliteQueryBuilder),
        }
    };
}

/// Up statements for a plan, in order, each without a trailing `;`.
pub fn up(dialect: Dialect, changes: &[Change<'_>]) -> Vec<String> {
    let mut out = Vec::new();
    for change in changes {
        match change {
            Change::AddColumn { table, column } => out.extend(add_column(dialect, table, column)),
            Change::CreateTable(table) => out.push(create_table(dialect, table)),
            Change::CreateIndex { table, index } => out.push(create_index(dialect, table, index)),
        }
    }
    out
}

/// Down statements undoing `up` for the same plan, in reverse order.
pub fn down(dialect: Dialect, changes: &[Change<'_>]) -> Vec<String> {
    let mut out = Vec::new();
    for change in changes.iter().rev() {
        match change {
            Change::AddColumn { table, column } => out.extend(drop_column(dialect, table, column)),
            Change::CreateTable(table) => out.push(build!(
                SqTable::drop().table(Alias::new(&table.name)),
                dialect
            )),
            // Dropping a created table drops its indexes; only indexes on existing tables need it.
            Change::CreateIndex { table, index } => {
                let created_here = changes
                    .iter()
                    .any(|c| matches!(c, Change::CreateTable(t) if t.name == table.name));
                if !created_here {
                    out.push(drop_index(dialect, &table.name, &index.name));
                }
            }
        }
    }
    out
}

/// `CREATE TABLE` with every column, inline UNIQUE and foreign keys.
pub fn create_table(dialect: Dialect, table: &Table) -> String {
    let mut stmt = SqTable::create();
    stmt.table(Alias::new(&table.name));
    stmt.col(
        ColumnDef::new(Alias::new("id"))
            .custom(Alias::new(types::id_type(dialect)))
            .not_null()
            .primary_key(),
    );
    for column in &table.columns {
        let mut def = column_def(dialect, column, false);
        if column.unique {
            def.unique_key();
        }
        stmt.col(def);
        if let Some(fk) = &column.references {
            stmt.foreign_key(
                ForeignKey::create()
                    .name(foreign_key_name(&table.name, &column.name))
                    .from(Alias::new(&table.name), Alias::new(&column.name))
                    .to(Alias::new(&fk.table), Alias::new(&fk.column))
                    .on_delete(action(fk.on_delete)),
            );
        }
    }
    pretty_create_table(&build!(stmt, dialect))
}

/// `CREATE [UNIQUE] INDEX`.
pub fn create_index(dialect: Dialect, table: &Table, index: &Index) -> String {
    let mut stmt = SqIndex::create();
    stmt.name(&index.name).table(Alias::new(&table.name));
    for column in &index.columns {
        stmt.col(Alias::new(column));
    }
    if index.unique {
        stmt.unique();
    }
    build!(stmt, dialect)
}

fn drop_index(dialect: Dialect, table: &str, name: &str) -> String {
    let mut stmt = SqIndex::drop();
    stmt.name(name);
    // MySQL's DROP INDEX needs the table; the others reject it.
    if dialect == Dialect::Mysql {
        stmt.table(Alias::new(table));
    }
    build!(stmt, dialect)
}

/// Adds a column to an existing table, as Better Auth's ALTER path does: static defaults are
/// emitted here (existing rows need a value), UNIQUE becomes a separate `_uidx` index because
/// SQLite cannot add a UNIQUE column.
fn add_column(dialect: Dialect, table: &Table, column: &Column) -> Vec<String> {
    let mut stmt = SqTable::alter();
    stmt.table(Alias::new(&table.name));
    let mut def = column_def(dialect, column, true);
    if let Some(fk) = &column.references {
        if dialect == Dialect::Sqlite {
            // SQLite takes a foreign key on ADD COLUMN only inline (and sea-query has no API for it).
            def.extra(format!(
                "REFERENCES {} ({}) ON DELETE {}",
                quote_sqlite(&fk.table),
                quote_sqlite(&fk.column),
                on_delete_sql(fk.on_delete)
            ));
        }
        stmt.add_column(def);
        if dialect != Dialect::Sqlite {
            stmt.add_foreign_key(
                ForeignKey::create()
                    .name(foreign_key_name(&table.name, &column.name))
                    .from_tbl(Alias::new(&table.name))
                    .from_col(Alias::new(&column.name))
                    .to_tbl(Alias::new(&fk.table))
                    .to_col(Alias::new(&fk.column))
                    .on_delete(action(fk.on_delete))
                    .get_foreign_key(),
            );
        }
    } else {
        stmt.add_column(def);
    }
    let mut out = vec![build!(stmt, dialect)];
    if column.unique {
        let index = Index {
            name: index_name(&table.name, &[&column.name], true),
            columns: vec![column.name.clone()],
            unique: true,
        };
        out.push(create_index(dialect, table, &index));
    }
    out
}

fn drop_column(dialect: Dialect, table: &Table, column: &Column) -> Vec<String> {
    let mut out = Vec::new();
    if column.unique {
        out.push(drop_index(
            dialect,
            &table.name,
            &index_name(&table.name, &[&column.name], true),
        ));
    }
    if column.references.is_some() && dialect != Dialect::Sqlite {
        let mut stmt = SqTable::alter();
        stmt.table(Alias::new(&table.name))
            .drop_foreign_key(Alias::new(foreign_key_name(&table.name, &column.name)));
        out.push(build!(stmt, dialect));
    }
    let mut stmt = SqTable::alter();
    stmt.table(Alias::new(&table.name))
        .drop_column(Alias::new(&column.name));
    out.push(build!(stmt, dialect));
    out
}

fn column_def(dialect: Dialect, column: &Column, adding: bool) -> ColumnDef {
    let mut def = ColumnDef::new(Alias::new(&column.name));
    def.custom(Alias::new(column_type(dialect, column)));
    if column.required {
        def.not_null();
    } else {
        def.null();
    }
    if column.default_now
        && let Some(now) = types::now_default(dialect)
    {
        def.default(Expr::cust(now));
    } else if adding && let Some(value) = &column.default {
        def.default(types::static_default(dialect, value));
    }
    def
}

fn action(on_delete: OnDelete) -> ForeignKeyAction {
    match on_delete {
        OnDelete::Cascade => ForeignKeyAction::Cascade,
        OnDelete::SetNull => ForeignKeyAction::SetNull,
        OnDelete::Restrict => ForeignKeyAction::Restrict,
        OnDelete::NoAction => ForeignKeyAction::NoAction,
    }
}

fn on_delete_sql(on_delete: OnDelete) -> &'static str {
    match on_delete {
        OnDelete::Cascade => "CASCADE",
        OnDelete::SetNull => "SET NULL",
        OnDelete::Restrict => "RESTRICT",
        OnDelete::NoAction => "NO ACTION",
    }
}

fn quote_sqlite(identifier: &str) -> String {
    format!("\"{}\"", identifier.replace('"', "\"\""))
}

/// Puts each column of a one-line `CREATE TABLE` on its own line. Splits only on commas outside
/// quotes and parentheses, so identifiers and defaults containing commas survive.
fn pretty_create_table(sql: &str) -> String {
    let Some((open, _)) = unquoted(sql).find(|&(_, c)| c == '(') else {
        return sql.to_owned();
    };
    let Some(close) = sql.rfind(')') else {
        return sql.to_owned();
    };
    let body = &sql[open + 1..close];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0_i32, 0);
    for (i, c) in unquoted(body) {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(body[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(body[start..].trim());
    format!(
        "{} (\n    {}\n){}",
        sql[..open].trim_end(),
        parts.join(",\n    "),
        &sql[close + 1..]
    )
}

/// Characters of `sql` outside quoted identifiers and strings, with their byte offsets.
fn unquoted(sql: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let mut quote = None;
    sql.char_indices().filter(move |&(_, c)| match quote {
        Some(q) => {
            if c == q {
                quote = None;
            }
            false
        }
        None if matches!(c, '"' | '`' | '\'') => {
            quote = Some(c);
            false
        }
        None => true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_printing_keeps_quoted_commas_and_parentheses() {
        let sql = r#"CREATE TABLE "a,(b" ( "id" text NOT NULL, "x" varchar(3) DEFAULT 'a,b', FOREIGN KEY ("x") REFERENCES "t" ("id") )"#;
        assert_eq!(
            pretty_create_table(sql),
            "CREATE TABLE \"a,(b\" (\n    \"id\" text NOT NULL,\n    \"x\" varchar(3) DEFAULT 'a,b',\n    FOREIGN KEY (\"x\") REFERENCES \"t\" (\"id\")\n)"
        );
    }
}
