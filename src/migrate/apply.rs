//! Running one migration: its statements and its ledger row together.
//!
//! PostgreSQL and SQLite run both in one transaction (SQLite's `BEGIN EXCLUSIVE`), so a crash
//! leaves the migration either applied and recorded, or neither. MySQL commits each DDL
//! statement by itself: the ledger journals the migration as started first, and a run that finds
//! it unfinished re-runs it, skipping statements whose objects already exist.

use std::time::{Duration, Instant};

use anyhow::Context as _;
use sqlx::{AnyConnection, AssertSqlSafe};

use crate::config::Dialect;

use super::ledger::Ledger;
use super::source::Migration;
use super::statements::{self, Statement};

/// Which way a migration runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

/// How a migration runs.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The whole run is already one transaction (PostgreSQL `--lock-mode transaction`).
    pub in_outer_transaction: bool,
    /// A MySQL migration that started and never finished: objects it made may exist.
    pub resume: bool,
    /// Record it in the ledger (not for the config-planned schema, which has no file).
    pub record: bool,
}

/// Runs `m` in `direction` and updates the ledger. Returns how long it took.
pub async fn run(
    conn: &mut AnyConnection,
    ledger: Ledger,
    m: &Migration,
    direction: Direction,
    opts: Options,
) -> anyhow::Result<Duration> {
    let (sql, file) = match direction {
        Direction::Up => (m.up_sql.as_str(), m.up_path.display().to_string()),
        Direction::Down => (
            m.down_sql.as_deref().unwrap_or_default(),
            format!("down migration of {}", m.up_path.display()),
        ),
    };
    let own_transaction =
        !opts.in_outer_transaction && !m.no_transaction && ledger.dialect != Dialect::Mysql;
    let started = Instant::now();
    if own_transaction {
        let begin = if ledger.dialect == Dialect::Sqlite {
            "BEGIN EXCLUSIVE"
        } else {
            "BEGIN"
        };
        sqlx::raw_sql(begin).execute(&mut *conn).await?;
    }
    let result = async {
        if direction == Direction::Up && opts.record {
            ledger.start(conn, m).await?;
        }
        for statement in statements::split(sql) {
            execute(
                conn,
                &statement,
                opts.resume && ledger.dialect == Dialect::Mysql,
            )
            .await
            .with_context(|| {
                format!(
                    "`{file}` failed at line {}:\n    {}",
                    statement.line,
                    abbreviate(&statement.sql)
                )
            })?;
        }
        let nanos = i64::try_from(started.elapsed().as_nanos()).unwrap_or(i64::MAX);
        if !opts.record {
            return Ok(());
        }
        match direction {
            Direction::Up => ledger.record(conn, m, nanos).await,
            Direction::Down => ledger.forget(conn, &m.version).await,
        }
    }
    .await;
    if own_transaction {
        end_transaction(conn, result.is_ok()).await?;
    }
    result.map(|()| started.elapsed())
}

/// Commits after success, rolls back after failure. A failed rollback is not reported: the
/// error that caused it is the one that matters, and the server rolls back on disconnect.
pub(super) async fn end_transaction(
    conn: &mut AnyConnection,
    succeeded: bool,
) -> anyhow::Result<()> {
    if succeeded {
        sqlx::raw_sql("COMMIT").execute(&mut *conn).await?;
    } else {
        let _ = sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await;
    }
    Ok(())
}

async fn execute(
    conn: &mut AnyConnection,
    statement: &Statement,
    tolerate_existing: bool,
) -> anyhow::Result<()> {
    match sqlx::raw_sql(AssertSqlSafe(statement.sql.clone()))
        .execute(&mut *conn)
        .await
    {
        Ok(_) => Ok(()),
        Err(e) if tolerate_existing && already_done(&e) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// MySQL errors that mean a resumed statement already took effect before the crash.
fn already_done(error: &sqlx::Error) -> bool {
    // 1050 table exists, 1060 duplicate column, 1061 duplicate key name, 1826 duplicate foreign
    // key, 1051 unknown table and 1091 cannot drop (a DROP that already ran).
    const DONE: [u16; 6] = [1050, 1060, 1061, 1826, 1051, 1091];
    error
        .as_database_error()
        .and_then(|e| e.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>())
        .is_some_and(|e| DONE.contains(&e.number()))
}

/// The first line of a statement, shortened for an error message.
fn abbreviate(sql: &str) -> String {
    let first = sql.lines().next().unwrap_or_default();
    let more = sql.lines().nth(1).is_some();
    if first.chars().count() > 100 {
        format!("{}…", first.chars().take(100).collect::<String>())
    } else if more {
        format!("{first} …")
    } else {
        first.to_owned()
    }
}
