//! What a live database already has, for `rauth migrate` without migration files (as Better
//! Auth's own `migrate` does): the part of the wanted schema that exists, by table, column and
//! index name. The diff from it to the wanted schema is exactly what is missing.

use std::collections::BTreeSet;

use sqlx::{AnyConnection, Row as _};

use crate::config::Dialect;
use crate::schema::Schema;

/// The subset of `wanted` present in the database.
pub async fn existing(
    conn: &mut AnyConnection,
    dialect: Dialect,
    wanted: &Schema,
) -> anyhow::Result<Schema> {
    let (columns_sql, indexes_sql) = match dialect {
        Dialect::Postgres => (
            "SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = current_schema()",
            "SELECT indexname::text FROM pg_indexes WHERE schemaname = current_schema()",
        ),
        Dialect::Mysql => (
            "SELECT CAST(TABLE_NAME AS CHAR), CAST(COLUMN_NAME AS CHAR) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()",
            "SELECT DISTINCT CAST(INDEX_NAME AS CHAR) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()",
        ),
        Dialect::Sqlite => (
            "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'",
            "SELECT name FROM sqlite_master WHERE type = 'index'",
        ),
    };
    let mut columns = BTreeSet::new();
    for row in sqlx::query(columns_sql).fetch_all(&mut *conn).await? {
        columns.insert((row.try_get::<String, _>(0)?, row.try_get::<String, _>(1)?));
    }
    let mut indexes = BTreeSet::new();
    for row in sqlx::query(indexes_sql).fetch_all(&mut *conn).await? {
        indexes.insert(row.try_get::<String, _>(0)?);
    }
    Ok(present(wanted, &columns, &indexes))
}

/// Pure part: keep the tables, columns and indexes of `wanted` that were found.
fn present(
    wanted: &Schema,
    columns: &BTreeSet<(String, String)>,
    indexes: &BTreeSet<String>,
) -> Schema {
    let tables = wanted
        .tables
        .iter()
        .filter(|t| columns.iter().any(|(table, _)| *table == t.name))
        .map(|t| {
            let mut t = t.clone();
            t.columns
                .retain(|c| columns.contains(&(t.name.clone(), c.name.clone())));
            t.indexes.retain(|i| indexes.contains(&i.name));
            t
        })
        .collect();
    Schema { tables }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::diff::{Change, plan};

    #[test]
    fn only_what_is_missing_is_planned() {
        let wanted =
            crate::schema::build(&crate::config::parse("t", "[plugins.username]\n").unwrap())
                .unwrap();
        let mut columns = BTreeSet::new();
        for t in &wanted.tables {
            for c in &t.columns {
                if c.name != "displayUsername" {
                    columns.insert((t.name.clone(), c.name.clone()));
                }
            }
        }
        columns.remove(&("verification".to_owned(), "value".to_owned()));
        let columns: BTreeSet<_> = columns
            .into_iter()
            .filter(|(t, _)| t != "account")
            .collect();
        let indexes: BTreeSet<String> = ["session_userId_idx".to_owned()].into();
        let have = present(&wanted, &columns, &indexes);
        let delta = plan(&have, &wanted, Dialect::Postgres);
        let got: Vec<String> = delta
            .changes
            .iter()
            .map(|c| match c {
                Change::AddColumn { table, column } => {
                    format!("add {}.{}", table.name, column.name)
                }
                Change::CreateTable(t) => format!("create {}", t.name),
                Change::CreateIndex { index, .. } => format!("index {}", index.name),
            })
            .collect();
        assert_eq!(
            got,
            [
                "add user.displayUsername",
                "create account",
                "index account_userId_idx",
                "index verification_identifier_idx"
            ]
        );
        // A required column missing from an existing table is refused, not invented.
        assert_eq!(delta.blockers.len(), 1, "{:?}", delta.blockers);
    }
}
