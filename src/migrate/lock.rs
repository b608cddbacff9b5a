//! The migration lock: one `rauth migrate` at a time per database, and never at the same time as
//! the application's own sqlx migrator (same key).
//!
//! - PostgreSQL: `pg_try_advisory_lock(key)` on the dedicated connection (session mode), or
//!   `pg_try_advisory_xact_lock(key)` inside the one transaction of a run (transaction mode, for
//!   PgBouncer's transaction pooling). The key is sqlx's: `0x3d32ad9e * crc32(current_database())`.
//! - MySQL/MariaDB: `GET_LOCK(<that key in hex>, 0)`, whose result is checked.
//! - SQLite: an exclusive OS lock on `<database>.rauth-lock` (holder details written inside),
//!   plus `BEGIN EXCLUSIVE` around each migration.
//!
//! Every attempt is a try, polled with backoff until the timeout, so a waiting process can say
//! who holds the lock. Session locks die with the connection, and the file lock with the
//! process: a crash or `kill -9` never leaves the lock behind.

use std::fs::File;
use std::io::{Read as _, Seek as _, Write as _};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use sqlx::{AnyConnection, AssertSqlSafe, Row as _};

use crate::config::Dialect;

/// `0x3d32ad9e * crc32(database name)`: sqlx's migrator lock key (from Rails).
pub fn sqlx_lock_key(database: &str) -> i64 {
    0x3d32_ad9e * i64::from(crc32fast::hash(database.as_bytes()))
}

/// How the PostgreSQL lock is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LockMode {
    /// A session lock on a dedicated connection, released after the run.
    Session,
    /// A transaction lock: the whole run is one transaction (PgBouncer transaction pooling).
    Transaction,
}

/// A held lock. Release it with [`Held::release`]; if the process dies first, the server (or the
/// OS, for SQLite's file) releases it.
#[derive(Debug)]
pub enum Held {
    Postgres { key: i64, transaction: bool },
    Mysql { name: String },
    Sqlite { _file: File },
}

/// Where to take the lock.
#[derive(Debug, Clone)]
pub enum Target {
    Server(Dialect),
    SqliteFile(PathBuf),
}

/// Takes the lock, polling with backoff until `timeout`. `waiting` is told who holds it.
pub async fn acquire(
    conn: &mut AnyConnection,
    target: &Target,
    mode: LockMode,
    timeout: Duration,
    mut waiting: impl FnMut(&str),
) -> anyhow::Result<Held> {
    let started = Instant::now();
    let mut delay = Duration::from_millis(25);
    let mut attempt = Attempt::new(conn, target, mode).await?;
    loop {
        if let Some(held) = attempt.try_once(conn).await? {
            return Ok(held);
        }
        let holder = attempt
            .holder(conn)
            .await
            .unwrap_or_else(|_| "another process".into());
        let waited = started.elapsed();
        if waited >= timeout {
            bail!(
                "timed out after {}s waiting for the migration lock, held by {holder}; raise `--lock-timeout`, or stop that process",
                waited.as_secs()
            );
        }
        waiting(&format!(
            "waiting for the migration lock, held by {holder} ({}s)",
            waited.as_secs()
        ));
        tokio::time::sleep(delay.min(timeout.saturating_sub(waited)) + jitter()).await;
        delay = (delay * 3 / 2).min(Duration::from_secs(1));
    }
}

impl Held {
    /// Releases the lock, checking that it was still held.
    pub async fn release(self, conn: &mut AnyConnection) -> anyhow::Result<()> {
        match self {
            // A transaction lock ends with its transaction.
            Self::Postgres {
                transaction: true, ..
            }
            | Self::Sqlite { .. } => Ok(()),
            Self::Postgres {
                key,
                transaction: false,
            } => {
                let released: bool = sqlx::query("SELECT pg_advisory_unlock($1)")
                    .bind(key)
                    .fetch_one(&mut *conn)
                    .await?
                    .try_get(0)?;
                if !released {
                    bail!("the migration lock was no longer held when releasing it");
                }
                Ok(())
            }
            Self::Mysql { name } => {
                let released: Option<i64> = sqlx::query("SELECT CAST(RELEASE_LOCK(?) AS SIGNED)")
                    .bind(name)
                    .fetch_one(&mut *conn)
                    .await?
                    .try_get(0)?;
                if released != Some(1) {
                    bail!("the migration lock was no longer held when releasing it");
                }
                Ok(())
            }
        }
    }
}

/// One way of trying the lock, set up once per run.
enum Attempt {
    Postgres { key: i64, transaction: bool },
    Mysql { name: String },
    Sqlite { path: PathBuf, file: File },
}

impl Attempt {
    async fn new(
        conn: &mut AnyConnection,
        target: &Target,
        mode: LockMode,
    ) -> anyhow::Result<Self> {
        if mode == LockMode::Transaction && !matches!(target, Target::Server(Dialect::Postgres)) {
            bail!(
                "`--lock-mode transaction` is for PostgreSQL behind a transaction-pooling proxy such as PgBouncer"
            );
        }
        Ok(match target {
            Target::Server(Dialect::Postgres) => {
                let db: String = sqlx::query("SELECT current_database()::text")
                    .fetch_one(&mut *conn)
                    .await?
                    .try_get(0)?;
                Self::Postgres {
                    key: sqlx_lock_key(&db),
                    transaction: mode == LockMode::Transaction,
                }
            }
            Target::Server(_) => {
                let db: Option<String> = sqlx::query("SELECT DATABASE()")
                    .fetch_one(&mut *conn)
                    .await?
                    .try_get(0)?;
                let db = db.context("the database URL names no database")?;
                Self::Mysql {
                    name: format!("{:x}", sqlx_lock_key(&db)),
                }
            }
            Target::SqliteFile(db) => {
                let mut path = db.clone().into_os_string();
                path.push(".rauth-lock");
                let path = PathBuf::from(path);
                let file = std::fs::OpenOptions::new()
                    .read(true)
                    .write(true)
                    .create(true)
                    .truncate(false)
                    .open(&path)
                    .with_context(|| format!("cannot open the lock file `{}`", path.display()))?;
                Self::Sqlite { path, file }
            }
        })
    }

    async fn try_once(&mut self, conn: &mut AnyConnection) -> anyhow::Result<Option<Held>> {
        match self {
            Self::Postgres { key, transaction } => {
                let sql = if *transaction {
                    "SELECT pg_try_advisory_xact_lock($1)"
                } else {
                    "SELECT pg_try_advisory_lock($1)"
                };
                let got: bool = sqlx::query(sql)
                    .bind(*key)
                    .fetch_one(&mut *conn)
                    .await?
                    .try_get(0)?;
                Ok(got.then_some(Held::Postgres {
                    key: *key,
                    transaction: *transaction,
                }))
            }
            Self::Mysql { name } => {
                // 1 = acquired, 0 = held elsewhere, NULL = error (e.g. killed): only 1 counts.
                let got: Option<i64> = sqlx::query("SELECT CAST(GET_LOCK(?, 0) AS SIGNED)")
                    .bind(name.as_str())
                    .fetch_one(&mut *conn)
                    .await?
                    .try_get(0)?;
                Ok((got == Some(1)).then(|| Held::Mysql { name: name.clone() }))
            }
            Self::Sqlite { path, file } => match file.try_lock() {
                Ok(()) => {
                    let holder = format!(
                        "pid {} on {} since {}",
                        std::process::id(),
                        hostname(),
                        unix_now()
                    );
                    file.set_len(0)
                        .and_then(|()| file.rewind())
                        .and_then(|()| file.write_all(holder.as_bytes()))
                        .and_then(|()| file.sync_all())
                        .with_context(|| {
                            format!("cannot write the lock file `{}`", path.display())
                        })?;
                    let file = file.try_clone()?;
                    Ok(Some(Held::Sqlite { _file: file }))
                }
                Err(std::fs::TryLockError::WouldBlock) => Ok(None),
                Err(std::fs::TryLockError::Error(e)) => {
                    Err(e).with_context(|| format!("cannot lock `{}`", path.display()))
                }
            },
        }
    }

    /// Who holds the lock, as far as the server tells.
    async fn holder(&mut self, conn: &mut AnyConnection) -> anyhow::Result<String> {
        match self {
            Self::Postgres { key, .. } => {
                let sql = "SELECT a.pid::bigint, COALESCE(a.application_name, ''), COALESCE(host(a.client_addr), 'local socket'), \
                           EXTRACT(EPOCH FROM now() - COALESCE(a.xact_start, a.backend_start))::bigint \
                           FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid \
                           WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 \
                           AND ((l.classid::bigint << 32) | l.objid::bigint) = $1 LIMIT 1";
                let Some(row) = sqlx::query(sql)
                    .bind(*key)
                    .fetch_optional(&mut *conn)
                    .await?
                else {
                    return Ok("another session".into());
                };
                let (pid, app, addr, secs): (i64, String, String, i64) = (
                    row.try_get(0)?,
                    row.try_get(1)?,
                    row.try_get(2)?,
                    row.try_get(3)?,
                );
                let app = if app.is_empty() {
                    String::new()
                } else {
                    format!(" ({app})")
                };
                Ok(format!("pid {pid}{app} from {addr}, connected {secs}s"))
            }
            Self::Mysql { name } => {
                let sql = "SELECT CAST(p.ID AS SIGNED), COALESCE(p.USER, ''), COALESCE(p.HOST, ''), CAST(p.TIME AS SIGNED) \
                           FROM information_schema.PROCESSLIST p WHERE p.ID = IS_USED_LOCK(?)";
                let Some(row) = sqlx::query(AssertSqlSafe(sql))
                    .bind(name.as_str())
                    .fetch_optional(&mut *conn)
                    .await?
                else {
                    return Ok("another connection".into());
                };
                let (id, user, host, secs): (i64, String, String, i64) = (
                    row.try_get(0)?,
                    row.try_get(1)?,
                    row.try_get(2)?,
                    row.try_get(3)?,
                );
                Ok(format!("connection {id} ({user}@{host}), busy {secs}s"))
            }
            Self::Sqlite { file, .. } => {
                let mut text = String::new();
                let mut reader = file.try_clone()?;
                reader.rewind()?;
                reader.read_to_string(&mut text)?;
                Ok(if text.trim().is_empty() {
                    "another process".into()
                } else {
                    text.trim().to_owned()
                })
            }
        }
    }
}

fn jitter() -> Duration {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    Duration::from_millis(u64::from(nanos % 25))
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map_or_else(|_| "this host".into(), |h| h.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_keys_match_sqlx() {
        // Values from ECOSYSTEM-NOTES (computed with sqlx's own generate_lock_id).
        assert_eq!(sqlx_lock_key("postgres"), 368_907_709_894_077_238);
        assert_eq!(sqlx_lock_key("app"), 3_469_795_979_745_788_610);
        assert_eq!(format!("{:x}", sqlx_lock_key("app")), "3027310f4fd382c2");
    }
}
