//! Adoption: a pending migration whose tables already exist exactly as it would create them —
//! a database Better Auth's own `migrate` built, which keeps no ledger — is recorded as applied
//! instead of failing on "relation already exists".
//!
//! What a migration creates is learned by running the migrations on a scratch schema that is
//! thrown away (a rolled-back PostgreSQL schema, a temporary MySQL database, an in-memory SQLite
//! database) and reading its catalog after each one. The live database must then hold exactly
//! those facts for those tables: a partial or different schema is reported, never adopted.

use std::fmt::Write as _;

use anyhow::Context as _;
use sqlx::{AnyConnection, AssertSqlSafe, Connection as _};

use crate::config::Dialect;

use super::catalog::{self, Catalog};
use super::source::Migration;
use super::statements;

/// What to do with one pending migration.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Its schema is present exactly: record it as applied.
    Adopt,
    /// None of it is present: run it.
    Apply,
    /// Part of it is present, or present differently.
    Differs(Difference),
}

/// How the live tables differ from what the migration creates.
#[derive(Debug, PartialEq, Eq)]
pub struct Difference {
    /// Facts the migration creates that the database lacks.
    pub missing: Vec<String>,
    /// Facts the database has on those tables that the migration does not create.
    pub unexpected: Vec<String>,
}

impl Difference {
    /// The difference as `-`/`+` lines, at most `limit` of them.
    pub fn lines(&self, limit: usize) -> String {
        let mut out = String::new();
        let all: Vec<String> = self
            .missing
            .iter()
            .map(|f| format!("- {f}   (the migration creates it; the database lacks it)"))
            .chain(
                self.unexpected
                    .iter()
                    .map(|f| format!("+ {f}   (the database has it; the migration does not)")),
            )
            .collect();
        for line in all.iter().take(limit) {
            let _ = writeln!(out, "    {line}");
        }
        if all.len() > limit {
            let _ = writeln!(out, "    … and {} more", all.len() - limit);
        }
        out
    }
}

/// Judges one migration: `before` and `after` are the scratch catalogs around it, `live` the
/// database's. Pure, so the rules are tested without a server.
pub fn judge(live: &Catalog, before: &Catalog, after: &Catalog) -> Verdict {
    let tables = after.tables();
    let live_view = live.restricted_to(&tables);
    if live_view == *after {
        return Verdict::Adopt;
    }
    let created_tables: Vec<&str> = tables.difference(&before.tables()).copied().collect();
    let live_tables = live.tables();
    let touched = after
        .facts
        .difference(&before.facts)
        .any(|fact| live.facts.contains(fact))
        || created_tables.iter().any(|t| live_tables.contains(t));
    if !touched {
        return Verdict::Apply;
    }
    Verdict::Differs(Difference {
        missing: after
            .facts
            .difference(&live_view.facts)
            .map(|(_, f)| f.clone())
            .collect(),
        unexpected: live_view
            .facts
            .difference(&after.facts)
            .map(|(_, f)| f.clone())
            .collect(),
    })
}

/// The catalogs of a scratch schema before any migration and after each of `migrations`.
pub async fn scratch_catalogs(
    dialect: Dialect,
    url: &str,
    migrations: &[&Migration],
) -> anyhow::Result<Vec<Catalog>> {
    match dialect {
        Dialect::Sqlite => {
            let mut conn = AnyConnection::connect("sqlite::memory:").await?;
            let result = run_and_read(&mut conn, dialect, migrations).await;
            let _ = conn.close().await;
            result
        }
        Dialect::Postgres => {
            let mut conn = AnyConnection::connect(url).await?;
            let name = scratch_name();
            // DDL is transactional here: the scratch schema disappears with the rollback.
            sqlx::raw_sql(AssertSqlSafe(format!(
                "BEGIN; CREATE SCHEMA {name}; SET LOCAL search_path TO {name}"
            )))
            .execute(&mut conn)
            .await?;
            let result = run_and_read(&mut conn, dialect, migrations).await;
            let _ = sqlx::raw_sql("ROLLBACK").execute(&mut conn).await;
            let _ = conn.close().await;
            result
        }
        Dialect::Mysql => {
            let mut conn = AnyConnection::connect(url).await?;
            let name = scratch_name();
            sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut conn)
                .await
                .context("cannot create a scratch database to compare with (rauth needs the CREATE privilege for `rauth_scratch_%` databases)")?;
            let used = sqlx::raw_sql(AssertSqlSafe(format!("USE {name}")))
                .execute(&mut conn)
                .await;
            let result = match used {
                Ok(_) => run_and_read(&mut conn, dialect, migrations).await,
                Err(e) => Err(e.into()),
            };
            let dropped = sqlx::raw_sql(AssertSqlSafe(format!("DROP DATABASE {name}")))
                .execute(&mut conn)
                .await;
            let _ = conn.close().await;
            let catalogs = result?;
            dropped.with_context(|| format!("cannot drop the scratch database `{name}`"))?;
            Ok(catalogs)
        }
    }
}

async fn run_and_read(
    conn: &mut AnyConnection,
    dialect: Dialect,
    migrations: &[&Migration],
) -> anyhow::Result<Vec<Catalog>> {
    let mut catalogs = vec![catalog::read(conn, dialect).await?];
    for m in migrations {
        for statement in statements::split(&m.up_sql) {
            sqlx::raw_sql(AssertSqlSafe(statement.sql.clone()))
                .execute(&mut *conn)
                .await
                .with_context(|| {
                    format!(
                        "`{}` line {} failed on a scratch schema",
                        m.up_path.display(),
                        statement.line
                    )
                })?;
        }
        catalogs.push(catalog::read(conn, dialect).await?);
    }
    Ok(catalogs)
}

/// A name no other run uses at the same time: the process and the clock.
fn scratch_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("rauth_scratch_{}_{nanos}", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog(facts: &[(&str, &str)]) -> Catalog {
        Catalog {
            facts: facts
                .iter()
                .map(|(t, f)| ((*t).to_owned(), (*f).to_owned()))
                .collect(),
        }
    }

    const USER: [(&str, &str); 2] = [("user", "column user.id"), ("user", "pk user(id)")];

    #[test]
    fn an_exact_schema_is_adopted_whatever_else_the_database_holds() {
        let after = catalog(&USER);
        let mut live = USER.to_vec();
        live.push(("orders", "column orders.id"));
        assert_eq!(
            judge(&catalog(&live), &Catalog::default(), &after),
            Verdict::Adopt
        );
    }

    #[test]
    fn an_absent_schema_is_applied() {
        let live = catalog(&[("orders", "column orders.id")]);
        assert_eq!(
            judge(&live, &Catalog::default(), &catalog(&USER)),
            Verdict::Apply
        );
    }

    #[test]
    fn a_later_migration_is_applied_when_only_the_earlier_tables_exist() {
        let before = catalog(&USER);
        let mut after = USER.to_vec();
        after.push(("user", "column user.username"));
        assert_eq!(
            judge(&before, &before, &catalog(&after)),
            Verdict::Apply,
            "a column that is missing on an existing table is this migration's to add"
        );
    }

    #[test]
    fn a_partial_or_different_schema_is_reported() {
        let after = catalog(&[
            ("user", "column user.id"),
            ("user", "pk user(id)"),
            ("session", "column session.id"),
        ]);
        let live = catalog(&[
            ("user", "column user.id"),
            ("user", "column user.nickname"),
            ("user", "pk user(id)"),
        ]);
        assert_eq!(
            judge(&live, &Catalog::default(), &after),
            Verdict::Differs(Difference {
                missing: vec!["column session.id".into()],
                unexpected: vec!["column user.nickname".into()],
            })
        );
    }

    #[test]
    fn a_difference_is_printed_within_its_limit() {
        let d = Difference {
            missing: vec!["a".into(), "b".into()],
            unexpected: vec!["c".into()],
        };
        let text = d.lines(2);
        assert!(text.contains("- a") && text.contains("- b"), "{text}");
        assert!(text.contains("… and 1 more"), "{text}");
    }
}
