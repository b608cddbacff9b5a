//! The ledgers: the table the user's tool reads, so `rauth migrate` and the app's own migrator
//! agree on what is applied.
//!
//! - sqlx: `_sqlx_migrations`, with sqlx's columns and SHA-384 checksum.
//! - diesel: `__diesel_schema_migrations` (no checksum: rauth keeps one in `_rauth_migrations`).
//! - plain SQL: `_rauth_migrations`.
//!
//! On MySQL, where DDL commits by itself, `_rauth_migrations` also journals a migration as
//! started (`finished = 0`) before its first statement, so a crash is found and resumed.

use sqlx::{AnyConnection, AssertSqlSafe, Row as _};

use crate::config::{Dialect, MigrationFormat};

use super::source::Migration;

/// A migration the database says is applied (or, on MySQL, started).
#[derive(Debug, Clone)]
pub struct Applied {
    pub version: String,
    pub checksum: Option<Vec<u8>>,
    pub at: String,
    /// False for a MySQL migration that started and did not finish (a crash).
    pub finished: bool,
}

/// The ledger for one run.
#[derive(Debug, Clone, Copy)]
pub struct Ledger {
    pub dialect: Dialect,
    pub format: MigrationFormat,
}

impl Ledger {
    /// Whether rauth's own table is used: as the ledger, as diesel's checksum store, or as
    /// MySQL's journal.
    fn uses_rauth_table(self) -> bool {
        self.format != MigrationFormat::Sqlx || self.dialect == Dialect::Mysql
    }

    /// `$1` on PostgreSQL, `?` elsewhere.
    fn ph(self, n: usize) -> String {
        if self.dialect == Dialect::Postgres {
            format!("${n}")
        } else {
            "?".into()
        }
    }

    /// Creates the ledger tables if missing.
    pub async fn ensure(self, conn: &mut AnyConnection) -> anyhow::Result<()> {
        let (blob, timestamp) = match self.dialect {
            Dialect::Postgres => ("BYTEA", "TIMESTAMPTZ NOT NULL DEFAULT now()"),
            Dialect::Mysql | Dialect::Sqlite => {
                ("BLOB", "TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP")
            }
        };
        let mut tables = Vec::new();
        match self.format {
            // Exactly sqlx 0.9's DDL, so either tool may create it first.
            MigrationFormat::Sqlx => tables.push(format!(
                "CREATE TABLE IF NOT EXISTS _sqlx_migrations (\n    version BIGINT PRIMARY KEY,\n    description TEXT NOT NULL,\n    installed_on {timestamp},\n    success BOOLEAN NOT NULL,\n    checksum {blob} NOT NULL,\n    execution_time BIGINT NOT NULL\n)"
            )),
            // Exactly diesel's.
            MigrationFormat::Diesel => tables.push(
                "CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (\n       version VARCHAR(50) PRIMARY KEY NOT NULL,\n       run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP\n)".into(),
            ),
            MigrationFormat::Sql => {}
        }
        if self.uses_rauth_table() {
            tables.push(
                "CREATE TABLE IF NOT EXISTS _rauth_migrations (version VARCHAR(50) NOT NULL PRIMARY KEY, description TEXT NOT NULL, checksum VARCHAR(96) NOT NULL, finished INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)".into(),
            );
        }
        for sql in tables {
            sqlx::raw_sql(AssertSqlSafe(sql))
                .execute(&mut *conn)
                .await?;
        }
        Ok(())
    }

    /// Applied (and started) migrations, by version.
    pub async fn applied(self, conn: &mut AnyConnection) -> anyhow::Result<Vec<Applied>> {
        let (text, stamp) = (self.text_cast(), self.stamp_text());
        let mut out: Vec<Applied> = Vec::new();
        match self.format {
            MigrationFormat::Sqlx => {
                let sql = format!(
                    "SELECT {}, checksum, {}, {} FROM _sqlx_migrations",
                    text("version"),
                    stamp("installed_on"),
                    self.int_of("success")
                );
                for row in sqlx::query(AssertSqlSafe(sql))
                    .fetch_all(&mut *conn)
                    .await?
                {
                    out.push(Applied {
                        version: row.try_get(0)?,
                        checksum: Some(row.try_get(1)?),
                        at: row.try_get(2)?,
                        finished: row.try_get::<i64, _>(3)? == 1,
                    });
                }
            }
            MigrationFormat::Diesel => {
                let sql = format!(
                    "SELECT version, {} FROM __diesel_schema_migrations",
                    stamp("run_on")
                );
                for row in sqlx::query(AssertSqlSafe(sql))
                    .fetch_all(&mut *conn)
                    .await?
                {
                    out.push(Applied {
                        version: row.try_get(0)?,
                        checksum: None,
                        at: row.try_get(1)?,
                        finished: true,
                    });
                }
            }
            MigrationFormat::Sql => {}
        }
        if self.uses_rauth_table() {
            let sql = format!(
                "SELECT version, checksum, {}, {} FROM _rauth_migrations",
                stamp("applied_at"),
                self.int_of("finished")
            );
            for row in sqlx::query(AssertSqlSafe(sql))
                .fetch_all(&mut *conn)
                .await?
            {
                let version: String = row.try_get(0)?;
                let checksum = hex::decode(row.try_get::<String, _>(1)?).ok();
                let finished = row.try_get::<i64, _>(3)? == 1;
                match out.iter_mut().find(|a| a.version == version) {
                    // The tool's ledger says applied; rauth's row adds the checksum diesel lacks.
                    Some(a) => a.checksum = a.checksum.take().or(checksum),
                    None if self.format == MigrationFormat::Sql || !finished => {
                        out.push(Applied {
                            version,
                            checksum,
                            at: row.try_get(2)?,
                            finished,
                        });
                    }
                    None => {}
                }
            }
        }
        out.sort_by(|a, b| super::source::compare_versions(&a.version, &b.version));
        Ok(out)
    }

    /// Statements that mark `m` as started (MySQL only; elsewhere the transaction does it).
    pub async fn start(self, conn: &mut AnyConnection, m: &Migration) -> anyhow::Result<()> {
        if self.dialect != Dialect::Mysql {
            return Ok(());
        }
        let sql = "INSERT INTO _rauth_migrations (version, description, checksum, finished) VALUES (?, ?, ?, 0) \
                   ON DUPLICATE KEY UPDATE finished = 0";
        sqlx::query(sql)
            .bind(m.version.as_str())
            .bind(m.description.as_str())
            .bind(hex::encode(&m.checksum))
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    /// Records `m` as applied, in the tool's ledger and (where used) rauth's.
    pub async fn record(
        self,
        conn: &mut AnyConnection,
        m: &Migration,
        execution_nanos: i64,
    ) -> anyhow::Result<()> {
        let p = |n| self.ph(n);
        match self.format {
            MigrationFormat::Sqlx => {
                let version = m.version_number().ok_or_else(|| {
                    anyhow::anyhow!("sqlx versions are numbers, not `{}`", m.version)
                })?;
                let sql = format!(
                    "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES ({}, {}, TRUE, {}, {})",
                    p(1),
                    p(2),
                    p(3),
                    p(4)
                );
                sqlx::query(AssertSqlSafe(sql))
                    .bind(version)
                    .bind(m.description.as_str())
                    .bind(m.checksum.clone())
                    .bind(execution_nanos)
                    .execute(&mut *conn)
                    .await?;
            }
            MigrationFormat::Diesel => {
                let sql = format!(
                    "INSERT INTO __diesel_schema_migrations (version) VALUES ({})",
                    p(1)
                );
                sqlx::query(AssertSqlSafe(sql))
                    .bind(m.version.as_str())
                    .execute(&mut *conn)
                    .await?;
            }
            MigrationFormat::Sql => {}
        }
        if self.uses_rauth_table() {
            let delete = format!("DELETE FROM _rauth_migrations WHERE version = {}", p(1));
            sqlx::query(AssertSqlSafe(delete))
                .bind(m.version.as_str())
                .execute(&mut *conn)
                .await?;
            let insert = format!(
                "INSERT INTO _rauth_migrations (version, description, checksum, finished) VALUES ({}, {}, {}, 1)",
                p(1),
                p(2),
                p(3)
            );
            sqlx::query(AssertSqlSafe(insert))
                .bind(m.version.as_str())
                .bind(m.description.as_str())
                .bind(hex::encode(&m.checksum))
                .execute(&mut *conn)
                .await?;
        }
        Ok(())
    }

    /// Removes `version` from the ledgers (after its down migration ran).
    pub async fn forget(self, conn: &mut AnyConnection, version: &str) -> anyhow::Result<()> {
        let p1 = self.ph(1);
        match self.format {
            MigrationFormat::Sqlx => {
                let number: i64 = version.parse()?;
                let sql = format!("DELETE FROM _sqlx_migrations WHERE version = {p1}");
                sqlx::query(AssertSqlSafe(sql))
                    .bind(number)
                    .execute(&mut *conn)
                    .await?;
            }
            MigrationFormat::Diesel => {
                let sql = format!("DELETE FROM __diesel_schema_migrations WHERE version = {p1}");
                sqlx::query(AssertSqlSafe(sql))
                    .bind(version)
                    .execute(&mut *conn)
                    .await?;
            }
            MigrationFormat::Sql => {}
        }
        if self.uses_rauth_table() {
            let sql = format!("DELETE FROM _rauth_migrations WHERE version = {p1}");
            sqlx::query(AssertSqlSafe(sql))
                .bind(version)
                .execute(&mut *conn)
                .await?;
        }
        Ok(())
    }

    fn text_cast(self) -> impl Fn(&str) -> String {
        let dialect = self.dialect;
        move |column| match dialect {
            Dialect::Postgres => format!("{column}::text"),
            Dialect::Mysql => format!("CAST({column} AS CHAR)"),
            Dialect::Sqlite => format!("CAST({column} AS TEXT)"),
        }
    }

    fn stamp_text(self) -> impl Fn(&str) -> String {
        let dialect = self.dialect;
        move |column| match dialect {
            Dialect::Postgres => {
                format!("to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')")
            }
            Dialect::Mysql => format!("DATE_FORMAT({column}, '%Y-%m-%d %H:%i:%s')"),
            Dialect::Sqlite => format!("CAST({column} AS TEXT)"),
        }
    }

    fn int_of(self, column: &str) -> String {
        match self.dialect {
            Dialect::Postgres => {
                format!("CAST(CASE WHEN {column}::int <> 0 THEN 1 ELSE 0 END AS BIGINT)")
            }
            Dialect::Mysql => format!("CAST({column} AS SIGNED)"),
            Dialect::Sqlite => format!("CAST({column} AS INTEGER)"),
        }
    }
}
