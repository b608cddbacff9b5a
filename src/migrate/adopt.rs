//! Adoption: a pending migration whose tables already exist exactly as it would create them —
//! a database Better Auth's own `migrate` built, which keeps no ledger — is recorded as applied
//! instead of failing on "relation already exists".
//!
//! What a migration creates is learned by running the migrations on a scratch schema that is
//! thrown away (a rolled-back PostgreSQL schema, a temporary MySQL database, an in-memory SQLite
//! database) and reading its catalog after each one. The live database must then hold exactly
//! those facts for those tables: a partial or different schema is reported, never adopted.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use anyhow::Context as _;
use sqlx::{AnyConnection, AssertSqlSafe, Connection as _};

use crate::config::Dialect;

use super::catalog::{self, Catalog};
use super::source::Migration;
use super::statements;

/// What to do with the pending migrations.
#[derive(Debug, PartialEq, Eq)]
pub enum Plan {
    /// Record `count` of them, from the first, as applied (their schema is present); apply the
    /// rest. `defaults`: columns whose `DEFAULT` differs from the migrations' (`table.column`).
    Adopt { count: usize, defaults: Vec<String> },
    /// Part of their schema is present, or present differently.
    Differs(Difference),
}

/// How the live tables differ from what the migrations create.
#[derive(Debug, PartialEq, Eq)]
pub struct Difference {
    /// Facts the migrations create that the database lacks.
    pub missing: Vec<String>,
    /// Facts the database has on those tables that the migrations do not create.
    pub unexpected: Vec<String>,
}

impl Difference {
    /// The difference as `-`/`+` lines, at most `limit` of them.
    pub fn lines(&self, limit: usize) -> String {
        let mut out = String::new();
        let all: Vec<String> = self
            .missing
            .iter()
            .map(|f| format!("- {f}   (the migrations create it; the database lacks it)"))
            .chain(
                self.unexpected
                    .iter()
                    .map(|f| format!("+ {f}   (the database has it; the migrations do not)")),
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

/// Plans adoption. `steps[0]` is the scratch catalog before the first pending migration and
/// `steps[i]` the one after the i-th; `live` is the database's. Pure, so the rules are tested
/// without a server.
///
/// The pending migrations up to the last one whose tables the database holds exactly are
/// adopted together: Better Auth makes in one go what several migrations make in turn (plugin
/// columns on `user`, say), so only the state after a migration is compared, never each
/// migration's own part. If the next migration's schema is then partly there, nothing is.
pub fn plan(live: &Catalog, steps: &[Catalog]) -> Plan {
    let pending = steps.len().saturating_sub(1);
    let view = |of: &Catalog| live.restricted_to(&of.tables());
    let adopt = (1..=pending)
        .rev()
        .find(|&j| view(&steps[j]).structure() == steps[j].structure())
        .unwrap_or(0);
    if adopt < pending && touches(live, &steps[adopt], &steps[adopt + 1]) {
        let last = steps[pending].structure();
        let live_view = view(&last).structure();
        return Plan::Differs(Difference {
            missing: last
                .facts
                .difference(&live_view.facts)
                .map(|(_, f)| f.clone())
                .collect(),
            unexpected: live_view
                .facts
                .difference(&last.facts)
                .map(|(_, f)| f.clone())
                .collect(),
        });
    }
    let defaults = if adopt == 0 {
        Vec::new()
    } else {
        let (wanted, have) = (&steps[adopt].facts, &view(&steps[adopt]).facts);
        let columns: BTreeSet<String> = wanted
            .symmetric_difference(have)
            .filter_map(|(_, f)| f.strip_prefix("default "))
            .filter_map(|f| f.split_once('=').map(|(column, _)| column.to_owned()))
            .collect();
        columns.into_iter().collect()
    };
    Plan::Adopt {
        count: adopt,
        defaults,
    }
}

/// Whether `sql` creates, alters or indexes a table named in `live_tables`: only then can a
/// pending migration's schema be present already, and running the migrations on a scratch
/// schema is worth its time (a data migration may be slow even there). A name in quotes,
/// backticks or with a schema prefix counts; a false alarm only costs the scratch run.
pub fn names_a_live_table(sql: &str, live_tables: &BTreeSet<&str>) -> bool {
    let live: BTreeSet<String> = live_tables.iter().map(|t| t.to_lowercase()).collect();
    let text: String = sql
        .chars()
        .map(|c| match c {
            '"' | '`' | '[' | ']' | '(' | ')' | ',' | ';' => ' ',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    // `public."user"` became `public. user `: join the schema to its table again.
    let text = text.replace(". ", ".");
    let words: Vec<&str> = text.split_whitespace().collect();
    let named = |i: usize| {
        words.get(i).is_some_and(|w| {
            let name = w.rsplit('.').next().unwrap_or(w);
            live.contains(name)
        })
    };
    words.iter().enumerate().any(|(i, w)| match *w {
        "table" => {
            let skip = if words.get(i + 1..i + 4) == Some(&["if", "not", "exists"][..]) {
                3
            } else {
                0
            };
            named(i + 1 + skip)
        }
        "on" => named(i + 1),
        _ => false,
    })
}

/// Whether anything the migration from `before` to `after` creates is in `live`: one of its
/// facts, or a table of the same name.
fn touches(live: &Catalog, before: &Catalog, after: &Catalog) -> bool {
    let live_tables = live.tables();
    after
        .facts
        .difference(&before.facts)
        .any(|fact| live.facts.contains(fact))
        || after
            .tables()
            .difference(&before.tables())
            .any(|t| live_tables.contains(t))
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

    fn with(
        base: &[(&'static str, &'static str)],
        more: &[(&'static str, &'static str)],
    ) -> Catalog {
        catalog(&[base, more].concat())
    }

    fn adopted(count: usize) -> Plan {
        Plan::Adopt {
            count,
            defaults: Vec::new(),
        }
    }

    #[test]
    fn a_column_default_differing_is_adopted_and_named() {
        // An added column gets a DEFAULT; Better Auth's CREATE TABLE has none.
        let steps = [
            Catalog::default(),
            with(&USER, &[("user", "default user.banned=false")]),
        ];
        assert_eq!(
            plan(&catalog(&USER), &steps),
            Plan::Adopt {
                count: 1,
                defaults: vec!["user.banned".into()],
            }
        );
    }

    #[test]
    fn an_exact_schema_is_adopted_whatever_else_the_database_holds() {
        let live = with(&USER, &[("orders", "column orders.id")]);
        let steps = [Catalog::default(), catalog(&USER)];
        assert_eq!(plan(&live, &steps), adopted(1));
    }

    #[test]
    fn an_absent_schema_is_applied() {
        let live = catalog(&[("orders", "column orders.id")]);
        let steps = [Catalog::default(), catalog(&USER)];
        assert_eq!(plan(&live, &steps), adopted(0));
    }

    #[test]
    fn migrations_are_adopted_together_when_only_their_sum_is_present() {
        // The first makes `user`, the second adds a column to it; the database has both.
        let username = [("user", "column user.username")];
        let steps = [Catalog::default(), catalog(&USER), with(&USER, &username)];
        assert_eq!(plan(&with(&USER, &username), &steps), adopted(2));
        // Only the first: the second is applied.
        assert_eq!(plan(&catalog(&USER), &steps), adopted(1));
    }

    #[test]
    fn a_partial_or_different_schema_is_reported() {
        let steps = [
            Catalog::default(),
            with(&USER, &[("session", "column session.id")]),
        ];
        let live = with(&USER, &[("user", "column user.nickname")]);
        assert_eq!(
            plan(&live, &steps),
            Plan::Differs(Difference {
                missing: vec!["column session.id".into()],
                unexpected: vec!["column user.nickname".into()],
            })
        );
    }

    #[test]
    fn only_sql_that_names_a_live_table_is_worth_a_scratch_run() {
        let live: BTreeSet<&str> = ["user", "orders"].into();
        for sql in [
            "CREATE TABLE \"user\" (\"id\" text)",
            "create table if not exists `user`(id text)",
            "ALTER TABLE public.\"user\" ADD COLUMN \"x\" text",
            "CREATE INDEX \"i\" ON \"orders\" (\"id\")",
        ] {
            assert!(names_a_live_table(sql, &live), "{sql}");
        }
        for sql in [
            "CREATE TABLE \"slow_a\" (id INTEGER PRIMARY KEY); SELECT pg_sleep(30)",
            "CREATE TABLE \"session\" (\"userId\" text REFERENCES \"user\" (\"id\") ON DELETE CASCADE)",
        ] {
            assert!(!names_a_live_table(sql, &live), "{sql}");
        }
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
