//! A database's schema as a set of normalized facts, one query per dialect, so that "the tables
//! are exactly as this migration creates them" is a set comparison.
//!
//! The facts follow `tests/support/catalog.py` (the schema-parity tests' catalog): columns with
//! type and nullability, column defaults (facts of their own, `default t.c=…`), primary keys,
//! unique keys, indexes and foreign keys by their columns. Names of constraints and indexes are left out, as Better Auth's own migrator and
//! rauth's name them differently on MySQL while the schema is the same. The same query text is
//! compiled into generated apps (`auth::migrate`), so the CLI and the app judge alike.

use std::collections::BTreeSet;

use sqlx::{AnyConnection, Row as _};

use crate::config::Dialect;

/// The catalog query of `dialect`: rows of (table, fact), for the current schema or database.
pub fn query(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Postgres => POSTGRES,
        Dialect::Mysql => MYSQL,
        Dialect::Sqlite => SQLITE,
    }
}

const POSTGRES: &str = r"SELECT c.table_name::text, 'column ' || c.table_name || '.' || c.column_name || ' type=' || c.data_type || coalesce('(' || c.character_maximum_length || ')', '') || ' null=' || c.is_nullable
FROM information_schema.columns c
JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
WHERE c.table_schema = current_schema()
UNION ALL
SELECT c.table_name::text, 'default ' || c.table_name || '.' || c.column_name || '=' || lower(c.column_default)
FROM information_schema.columns c
JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
WHERE c.table_schema = current_schema() AND c.column_default IS NOT NULL
UNION ALL
SELECT cl.relname::text, CASE con.contype WHEN 'p' THEN 'pk ' ELSE 'unique ' END || cl.relname || '(' || string_agg(a.attname::text, ',' ORDER BY k.ord) || ')'
FROM pg_constraint con
JOIN pg_class cl ON cl.oid = con.conrelid
JOIN pg_namespace n ON n.oid = cl.relnamespace
CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
JOIN pg_attribute a ON a.attrelid = cl.oid AND a.attnum = k.attnum
WHERE n.nspname = current_schema() AND con.contype IN ('p', 'u')
GROUP BY cl.relname, con.oid, con.contype
UNION ALL
SELECT cl.relname::text, 'fk ' || cl.relname || '(' || a.attname || ') -> ' || rcl.relname || '(' || ra.attname || ') on delete ' || CASE con.confdeltype WHEN 'c' THEN 'cascade' WHEN 'n' THEN 'set null' WHEN 'r' THEN 'restrict' WHEN 'd' THEN 'set default' ELSE 'no action' END
FROM pg_constraint con
JOIN pg_class cl ON cl.oid = con.conrelid
JOIN pg_namespace n ON n.oid = cl.relnamespace
JOIN pg_class rcl ON rcl.oid = con.confrelid
JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
JOIN pg_attribute ra ON ra.attrelid = con.confrelid AND ra.attnum = con.confkey[1]
WHERE n.nspname = current_schema() AND con.contype = 'f'
UNION ALL
SELECT t.relname::text, CASE WHEN i.indisunique THEN 'unique ' ELSE 'index ' END || t.relname || '(' || string_agg(a.attname::text, ',' ORDER BY k.ord) || ')'
FROM pg_index i
JOIN pg_class t ON t.oid = i.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
WHERE n.nspname = current_schema() AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
GROUP BY t.relname, i.indexrelid, i.indisunique";

const MYSQL: &str = r"SELECT CAST(TABLE_NAME AS CHAR), CAST(CONCAT('column ', TABLE_NAME, '.', COLUMN_NAME, ' type=', COLUMN_TYPE, ' null=', IS_NULLABLE) AS CHAR)
FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()
UNION ALL
SELECT CAST(TABLE_NAME AS CHAR), CAST(CONCAT('default ', TABLE_NAME, '.', COLUMN_NAME, '=', LOWER(COLUMN_DEFAULT)) AS CHAR)
FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_DEFAULT IS NOT NULL AND UPPER(COLUMN_DEFAULT) <> 'NULL'
UNION ALL
SELECT CAST(TABLE_NAME AS CHAR), CAST(CONCAT(CASE WHEN INDEX_NAME = 'PRIMARY' THEN 'pk ' WHEN NON_UNIQUE = 0 THEN 'unique ' ELSE 'index ' END, TABLE_NAME, '(', GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX), ')') AS CHAR)
FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()
GROUP BY TABLE_NAME, INDEX_NAME, NON_UNIQUE
UNION ALL
SELECT CAST(k.TABLE_NAME AS CHAR), CAST(CONCAT('fk ', k.TABLE_NAME, '(', k.COLUMN_NAME, ') -> ', k.REFERENCED_TABLE_NAME, '(', k.REFERENCED_COLUMN_NAME, ') on delete ', LOWER(r.DELETE_RULE)) AS CHAR)
FROM information_schema.KEY_COLUMN_USAGE k
JOIN information_schema.REFERENTIAL_CONSTRAINTS r ON r.CONSTRAINT_SCHEMA = k.TABLE_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL";

const SQLITE: &str = r#"SELECT m.name, 'column ' || m.name || '.' || p.name || ' type=' || lower(p.type) || ' null=' || CASE WHEN p."notnull" OR p.pk THEN 'NO' ELSE 'YES' END
FROM sqlite_master m JOIN pragma_table_info(m.name) p
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
UNION ALL
SELECT m.name, 'default ' || m.name || '.' || p.name || '=' || lower(p.dflt_value)
FROM sqlite_master m JOIN pragma_table_info(m.name) p
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND p.dflt_value IS NOT NULL
UNION ALL
SELECT m.name, 'pk ' || m.name || '(' || (SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_table_info(m.name) WHERE pk > 0 ORDER BY pk)) || ')'
FROM sqlite_master m
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE pk > 0)
UNION ALL
SELECT m.name, CASE WHEN l."unique" THEN 'unique ' ELSE 'index ' END || m.name || '(' || (SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_index_info(l.name) ORDER BY seqno)) || ')'
FROM sqlite_master m JOIN pragma_index_list(m.name) l
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND l.origin <> 'pk'
UNION ALL
SELECT m.name, 'fk ' || m.name || '(' || f."from" || ') -> ' || f."table" || '(' || coalesce(f."to", '') || ') on delete ' || lower(f.on_delete)
FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'"#;

/// One fact about the schema, with the table it belongs to.
pub type Fact = (String, String);

/// The facts of a schema.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    pub facts: BTreeSet<Fact>,
}

impl Catalog {
    /// Without the column defaults: the shape the generated code relies on. It writes every
    /// column itself, and the same schema has a `DEFAULT` or not depending on its history (an
    /// added column gets its static default, as Better Auth's `migrate` adds it).
    pub fn structure(&self) -> Catalog {
        Catalog {
            facts: self
                .facts
                .iter()
                .filter(|(_, f)| !f.starts_with("default "))
                .cloned()
                .collect(),
        }
    }

    /// The tables that have at least one fact (every table has its columns).
    pub fn tables(&self) -> BTreeSet<&str> {
        self.facts.iter().map(|(t, _)| t.as_str()).collect()
    }

    /// The facts of the tables in `tables` only.
    pub fn restricted_to(&self, tables: &BTreeSet<&str>) -> Catalog {
        Catalog {
            facts: self
                .facts
                .iter()
                .filter(|(t, _)| tables.contains(t.as_str()))
                .cloned()
                .collect(),
        }
    }
}

/// The catalog of the schema (PostgreSQL) or database (MySQL, SQLite) `conn` is in.
pub async fn read(conn: &mut AnyConnection, dialect: Dialect) -> anyhow::Result<Catalog> {
    let mut facts = BTreeSet::new();
    for row in sqlx::query(query(dialect)).fetch_all(&mut *conn).await? {
        facts.insert((row.try_get::<String, _>(0)?, row.try_get::<String, _>(1)?));
    }
    Ok(Catalog { facts })
}
