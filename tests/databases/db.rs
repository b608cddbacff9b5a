//! Fresh databases on the real servers, dropped afterwards.
//!
//! PostgreSQL (127.0.0.1:5432, user postgres) and MariaDB (127.0.0.1:3306, root) must run: a test
//! fails when they are down, unless a person sets `RAUTH_SKIP_DB_TESTS=1` for a run without them
//! (a skip panics when `CI` is set).

#![allow(dead_code)] // each test binary uses its own part of this module

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

pub const DIALECTS: [&str; 3] = ["postgres", "mysql", "sqlite"];

/// Whether a person asked to skip database tests. Under `CI` a skip is a failure, never a pass.
pub fn skipped() -> bool {
    let skip = std::env::var("RAUTH_SKIP_DB_TESTS").is_ok_and(|v| v == "1");
    if skip {
        assert!(
            std::env::var_os("CI").is_none(),
            "RAUTH_SKIP_DB_TESTS=1 under CI: the database tier never skips in CI"
        );
        eprintln!("RAUTH_SKIP_DB_TESTS=1: skipping a database test");
    }
    skip
}

/// A database that exists for one test.
pub struct TestDb {
    pub dialect: &'static str,
    pub name: String,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl TestDb {
    pub fn create(dialect: &'static str) -> Self {
        let name = format!(
            "rauth_t_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        match dialect {
            "postgres" => {
                psql("postgres", &format!("create database \"{name}\""));
                Self {
                    dialect,
                    url: format!("postgres://postgres@127.0.0.1:5432/{name}"),
                    name,
                    _dir: None,
                }
            }
            "mysql" => {
                mariadb(None, &format!("create database `{name}`"));
                Self {
                    dialect,
                    url: format!("mysql://root@127.0.0.1:3306/{name}"),
                    name,
                    _dir: None,
                }
            }
            "sqlite" => {
                let dir = tempfile::tempdir().expect("temp dir");
                let path = dir.path().join(format!("{name}.db"));
                Self {
                    dialect,
                    url: format!("sqlite://{}?mode=rwc", path.display()),
                    name: path.display().to_string(),
                    _dir: Some(dir),
                }
            }
            other => panic!("unknown dialect {other}"),
        }
    }

    /// Path of the SQLite file.
    pub fn sqlite_path(&self) -> PathBuf {
        PathBuf::from(&self.name)
    }

    /// Runs SQL text (several statements) with the command-line client, failing the test on error.
    pub fn apply(&self, sql: &str) {
        let mut client = match self.dialect {
            "postgres" => {
                let mut c = Command::new("psql");
                c.args(PG).args(["-d", &self.name, "-v", "ON_ERROR_STOP=1"]);
                c
            }
            "mysql" => {
                let mut c = Command::new("mariadb");
                c.args(MY).arg(&self.name);
                c
            }
            _ => {
                let mut c = Command::new("sqlite3");
                c.args(["-bail", &self.name]);
                c
            }
        };
        run_stdin(&mut client, sql);
    }

    /// Runs one query with the command-line client; one output line per row, tab-separated.
    pub fn query(&self, sql: &str) -> String {
        match self.dialect {
            "postgres" => run(Command::new("psql")
                .args(PG)
                .args(["-d", &self.name, "-At", "-F", "\t", "-c", sql])),
            "mysql" => run(Command::new("mariadb")
                .args(MY)
                .args(["-N", "-B", &self.name, "-e", sql])),
            _ => run(Command::new("sqlite3").args(["-separator", "\t", &self.name, sql])),
        }
    }

    /// Like [`TestDb::query`], but a failure is the client's error output, not a failed test.
    pub fn try_query(&self, sql: &str) -> Result<String, String> {
        let mut cmd = match self.dialect {
            "postgres" => {
                let mut c = Command::new("psql");
                c.args(PG).args(["-d", &self.name, "-At", "-c", sql]);
                c
            }
            "mysql" => {
                let mut c = Command::new("mariadb");
                c.args(MY).args(["-N", "-B", &self.name, "-e", sql]);
                c
            }
            _ => {
                let mut c = Command::new("sqlite3");
                c.args([&self.name, sql]);
                c
            }
        };
        let out = cmd
            .output()
            .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }

    /// The normalized catalog of this database (`tests/support/catalog.py --db`).
    pub fn catalog(&self) -> String {
        catalog(self.dialect, &["--db", &self.name])
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match self.dialect {
            "postgres" => psql(
                "postgres",
                &format!("drop database if exists \"{}\" with (force)", self.name),
            ),
            "mysql" => mariadb(None, &format!("drop database if exists `{}`", self.name)),
            _ => {}
        }
    }
}

const PG: [&str; 6] = ["-X", "-q", "-h", "127.0.0.1", "-U", "postgres"];
const MY: [&str; 4] = ["-h", "127.0.0.1", "-u", "root"];

fn psql(db: &str, sql: &str) {
    run(Command::new("psql")
        .args(PG)
        .args(["-d", db, "-v", "ON_ERROR_STOP=1", "-c", sql]));
}

fn mariadb(db: Option<&str>, sql: &str) {
    run(Command::new("mariadb").args(MY).args(db).args(["-e", sql]));
}

fn run(cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed (is the database server running? see DESIGN's service commands):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs `cmd` with `input` on stdin; its stdout, or a failed test with its stderr.
pub fn run_stdin(cmd: &mut Command, input: &str) -> String {
    use std::io::Write as _;
    let mut child = cmd
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}\ninput:\n{input}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Applies a SQL file to a fresh database and returns its normalized catalog.
pub fn catalog_of_sql(dialect: &str, sql_file: &Path) -> String {
    catalog(dialect, &[sql_file.to_str().unwrap()])
}

fn catalog(dialect: &str, args: &[&str]) -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/catalog.py");
    run(Command::new("python3").arg(script).arg(dialect).args(args))
}
