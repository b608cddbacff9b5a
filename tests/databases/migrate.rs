//! `rauth migrate` against the real servers: concurrency, crashes, lock behaviour, interop.

use std::fs::TryLockError;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::db::{self, DIALECTS, TestDb};
use crate::support::{Project, Run, fixture_config};

/// A project with two generated migrations (core, then every plugin) for `dialect`.
fn project(dialect: &str, format: &str) -> Project {
    let head =
        format!("[database]\ndialect = \"{dialect}\"\n[migrations]\nformat = \"{format}\"\n");
    let project = Project::new(&head);
    project.rauth(&["generate", "schema"]).success();
    project.write(
        "rauth.toml",
        &format!("{head}{}", fixture_config("everything")),
    );
    project.rauth(&["generate", "schema"]).success();
    project
}

fn spawn(project: &Project, db: &TestDb, args: &[&str]) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("rauth"))
        .args(args)
        .current_dir(project.path())
        .env("DATABASE_URL", &db.url)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn migrate(project: &Project, db: &TestDb, args: &[&str]) -> Run {
    let mut all = vec!["migrate"];
    all.extend_from_slice(args);
    Run::from(spawn(project, db, &all).wait_with_output().unwrap())
}

/// Rows of the sqlx ledger, as `version` strings, sorted.
fn ledger_versions(db: &TestDb) -> Vec<String> {
    let sql = "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version";
    let mut out: Vec<String> = db.query(sql).lines().map(str::to_owned).collect();
    out.sort();
    out
}

#[test]
fn sixteen_concurrent_runs_apply_each_migration_once() {
    if db::skipped() {
        return;
    }
    for dialect in DIALECTS {
        let db = TestDb::create(dialect);
        let project = project(dialect, "sqlx");
        let started = Instant::now();
        let children: Vec<Child> = (0..16)
            .map(|_| spawn(&project, &db, &["migrate", "--lock-timeout", "60s"]))
            .collect();
        let runs: Vec<Run> = children
            .into_iter()
            .map(|c| Run::from(c.wait_with_output().unwrap()))
            .collect();
        let elapsed = started.elapsed();
        for run in &runs {
            assert_eq!(run.code, 0, "{dialect}: {}", run.stderr);
        }
        let applied = runs
            .iter()
            .map(|r| r.stderr.matches("Applied").count())
            .sum::<usize>();
        assert_eq!(applied, 2, "{dialect}: each migration applied exactly once");
        assert_eq!(
            ledger_versions(&db),
            ["20261126223000", "20261126223001"],
            "{dialect}: no duplicates in the ledger"
        );
        assert!(
            db.catalog().contains("column oauthConsent.scopes"),
            "{dialect}: the final schema is there"
        );
        eprintln!(
            "{dialect}: 16 concurrent runs took {} ms",
            elapsed.as_millis()
        );
    }
}

/// A migration that sleeps between its statements, to be killed in the middle.
fn slow_migration(dialect: &str) -> String {
    let sleep = match dialect {
        "postgres" => "SELECT pg_sleep(30)",
        "mysql" => "SELECT SLEEP(30)",
        // SQLite has no sleep: count to a large number.
        _ => {
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000000) SELECT count(*) FROM c"
        }
    };
    format!(
        "CREATE TABLE slow_a (id INTEGER PRIMARY KEY);\n{sleep};\nCREATE TABLE slow_b (id INTEGER PRIMARY KEY);\n"
    )
}

/// Waits until `child` runs the slow migration's middle statement holding the migration lock, as
/// the database and the lock show it (never a guess at how long the steps take): on PostgreSQL
/// and MariaDB the connection that holds the lock runs the sleep (and on MariaDB, whose DDL
/// commits by itself, the first table exists and the journal says started); on SQLite the child
/// holds the lock file and a write transaction is open (a rollback journal, reads refused).
fn wait_inside_slow_migration(db: &TestDb, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_mins(2);
    while !inside_slow_migration(db, child.id()) {
        if let Some(status) = child.try_wait().unwrap() {
            panic!(
                "{}: rauth migrate ended ({status}) before it was seen inside the slow migration",
                db.dialect
            );
        }
        assert!(
            Instant::now() < deadline,
            "{}: rauth migrate not seen inside the slow migration in 120 s",
            db.dialect
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn inside_slow_migration(db: &TestDb, pid: u32) -> bool {
    match db.dialect {
        "postgres" => {
            let key = rauth::migrate::lock::sqlx_lock_key(&db.name);
            db.query(&format!(
                "SELECT count(*) FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid \
                 WHERE a.datname = current_database() AND a.state = 'active' \
                 AND a.query LIKE 'SELECT pg\\_sleep(30)%' AND l.locktype = 'advisory' AND l.granted \
                 AND ((l.classid::bigint << 32) | l.objid::bigint) = {key}"
            ))
            .trim()
                == "1"
        }
        "mysql" => {
            let name = format!("{:x}", rauth::migrate::lock::sqlx_lock_key(&db.name));
            db.try_query(&format!(
                "SELECT (SELECT COUNT(*) FROM information_schema.PROCESSLIST p \
                 WHERE p.ID = IS_USED_LOCK('{name}') AND p.INFO LIKE 'SELECT SLEEP(30)%'), \
                 (SELECT COUNT(*) FROM information_schema.TABLES \
                 WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'slow_a'), \
                 (SELECT COUNT(*) FROM _rauth_migrations \
                 WHERE version = '20261126223002' AND finished = 0)"
            ))
            .is_ok_and(|row| row.trim() == "1\t1\t1")
        }
        _ => {
            let path = db.sqlite_path();
            let lock = PathBuf::from(format!("{}.rauth-lock", path.display()));
            let journal = PathBuf::from(format!("{}-journal", path.display()));
            let Ok(file) = std::fs::File::open(&lock) else {
                return false;
            };
            let held_by_child = matches!(file.try_lock(), Err(TryLockError::WouldBlock))
                && std::fs::read_to_string(&lock)
                    .is_ok_and(|holder| holder.starts_with(&format!("pid {pid} ")));
            let journal_open = std::fs::metadata(&journal).is_ok_and(|m| m.len() > 0);
            held_by_child
                && journal_open
                && db
                    .try_query("SELECT count(*) FROM sqlite_master")
                    .is_err_and(|e| e.contains("locked"))
        }
    }
}

/// What the database shows right after a `kill -9` inside the slow migration, before any rerun:
/// nothing of it committed on PostgreSQL and SQLite (SQLite's journal left hot), and on MariaDB
/// the first table created and the journal row still unfinished.
fn assert_killed_inside_slow_migration(db: &TestDb) {
    let dialect = db.dialect;
    if dialect == "sqlite" {
        let journal = format!("{}-journal", db.sqlite_path().display());
        assert!(
            std::fs::metadata(&journal).is_ok_and(|m| m.len() > 0),
            "sqlite: a hot journal after the kill (the transaction was open)"
        );
    }
    if dialect == "mysql" {
        assert_eq!(
            db.query("SELECT finished FROM _rauth_migrations WHERE version = '20261126223002'")
                .trim(),
            "0",
            "mysql: the journal says started, not finished"
        );
    }
    assert_eq!(
        ledger_versions(db),
        ["20261126223000", "20261126223001"],
        "{dialect}: the slow migration is not recorded"
    );
    let catalog = db.catalog();
    assert_eq!(
        catalog.contains("column slow_a.id"),
        dialect == "mysql",
        "{dialect}: the first statement's table exists on MariaDB only: {catalog}"
    );
    assert!(
        !catalog.contains("column slow_b.id"),
        "{dialect}: {catalog}"
    );
}

#[test]
fn kill_9_inside_a_migration_holding_the_lock_then_rerun_completes() {
    if db::skipped() {
        return;
    }
    for dialect in DIALECTS {
        let db = TestDb::create(dialect);
        let project = project(dialect, "sqlx");
        migrate(&project, &db, &[]).success();
        // The only pending migration sleeps between its statements: killed there, lock held.
        project.write(
            "migrations/20261126223002_slow.sql",
            &slow_migration(dialect),
        );
        let mut child = spawn(&project, &db, &["migrate"]);
        wait_inside_slow_migration(&db, &mut child);
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        assert_killed_inside_slow_migration(&db);
        // Make the slow migration fast (same content length does not matter: it never applied).
        project.write("migrations/20261126223002_slow.sql", "CREATE TABLE slow_a (id INTEGER PRIMARY KEY);\nSELECT 1;\nCREATE TABLE slow_b (id INTEGER PRIMARY KEY);\n");
        // The killed connection's sleep may outlive the kill by a few seconds on the server.
        let rerun = migrate(&project, &db, &["--lock-timeout", "40s"]);
        assert_eq!(rerun.code, 0, "{dialect}: {}", rerun.stderr);
        if dialect == "mysql" {
            // DDL committed before the crash: the journal makes the rerun resume, not fail.
            assert!(
                rerun.stderr.contains("did not finish: resuming it"),
                "{}",
                rerun.stderr
            );
        }
        assert_eq!(
            ledger_versions(&db),
            ["20261126223000", "20261126223001", "20261126223002"],
            "{dialect}"
        );
        let catalog = db.catalog();
        assert!(
            catalog.contains("column slow_a.id") && catalog.contains("column slow_b.id"),
            "{dialect}: {catalog}"
        );
        assert!(
            migrate(&project, &db, &[])
                .success()
                .stderr
                .contains("nothing to apply"),
            "{dialect}"
        );
    }
}

#[test]
fn a_failing_migration_names_file_line_and_error_and_releases_the_lock() {
    if db::skipped() {
        return;
    }
    for dialect in DIALECTS {
        let db = TestDb::create(dialect);
        let project = project(dialect, "sqlx");
        project.write("migrations/20261126223002_broken.sql", "CREATE TABLE ok_1 (id INTEGER PRIMARY KEY);\n\nCREATE TABLE broken (id INTEGER PRIMARY KEY, oops NOT_A_TYPE(;\nCREATE TABLE never (id INTEGER PRIMARY KEY);\n");
        let run = migrate(&project, &db, &[]).failure();
        assert!(
            run.stderr
                .contains("20261126223002_broken.sql` failed at line 3"),
            "{dialect}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("CREATE TABLE broken"),
            "{dialect}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("caused by:"),
            "{dialect}: the database's error follows: {}",
            run.stderr
        );
        // PostgreSQL's "at line N" is a line of the server's source: only the file's is shown.
        // (MariaDB's "near '' at line 1" is part of its message, about the statement.)
        if dialect == "postgres" {
            assert_eq!(
                run.stderr.matches("at line").count(),
                1,
                "{dialect}: {}",
                run.stderr
            );
        }
        let causes: Vec<&str> = run
            .stderr
            .lines()
            .filter(|l| l.contains("caused by:"))
            .collect();
        assert_eq!(
            causes.len(),
            1,
            "{dialect}: each cause once: {}",
            run.stderr
        );
        assert!(
            !db.catalog().contains("never"),
            "{dialect}: nothing after the failing statement runs"
        );
        assert_eq!(
            ledger_versions(&db).len(),
            2,
            "{dialect}: the broken migration is not recorded"
        );
        // The lock was released: the next run fails the same way at once, it does not wait.
        let again = migrate(&project, &db, &["--lock-timeout", "3s"]).failure();
        assert!(
            !again.stderr.contains("timed out"),
            "{dialect}: {}",
            again.stderr
        );
    }
}

#[test]
fn a_held_lock_times_out_with_who_holds_it() {
    if db::skipped() {
        return;
    }
    for dialect in DIALECTS {
        let db = TestDb::create(dialect);
        let project = project(dialect, "sqlx");
        project.write(
            "migrations/20261126223002_slow.sql",
            &slow_migration(dialect),
        );
        let mut holder = spawn(&project, &db, &["migrate"]);
        wait_inside_slow_migration(&db, &mut holder);
        let waiter = migrate(&project, &db, &["--lock-timeout", "1s"]);
        holder.kill().unwrap();
        holder.wait().unwrap();
        assert_eq!(waiter.code, 1, "{dialect}: {}", waiter.stderr);
        assert!(
            waiter
                .stderr
                .contains("timed out after 1s waiting for the migration lock, held by"),
            "{dialect}: {}",
            waiter.stderr
        );
        let who = if dialect == "mysql" {
            "connection "
        } else {
            "pid "
        };
        assert!(
            waiter.stderr.contains(who),
            "{dialect}: names the holder: {}",
            waiter.stderr
        );
    }
}

#[test]
fn a_changed_applied_file_is_refused_with_both_checksums() {
    if db::skipped() {
        return;
    }
    let db = TestDb::create("sqlite");
    let project = project("sqlite", "sqlx");
    migrate(&project, &db, &[]).success();
    let path = "migrations/20261126223000_rauth_init.sql";
    project.write(path, &format!("{}\n-- edited\n", project.read(path)));
    let run = migrate(&project, &db, &[]).failure();
    assert!(
        run.stderr.contains(
            "20261126223000_rauth_init.sql` was changed after it was applied (applied checksum "
        ),
        "{}",
        run.stderr
    );
    let status = migrate(&project, &db, &["status"]).success();
    assert!(status.stdout.contains("changed"), "{}", status.stdout);
}

#[tokio::test]
async fn sqlx_and_rauth_agree_on_what_is_applied() {
    if db::skipped() {
        return;
    }
    sqlx::any::install_default_drivers();
    for dialect in DIALECTS {
        // sqlx first, then rauth finds nothing to do.
        let db = TestDb::create(dialect);
        let project = project(dialect, "sqlx");
        let migrator = sqlx::migrate::Migrator::new(project.file("migrations").as_path())
            .await
            .unwrap();
        let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
        migrator.run(&pool).await.unwrap();
        let status = migrate(&project, &db, &["status"]).success();
        assert_eq!(
            status.stdout.matches(" ok        applied").count(),
            2,
            "{dialect}:\n{}",
            status.stdout
        );
        assert!(
            migrate(&project, &db, &[])
                .success()
                .stderr
                .contains("nothing to apply"),
            "{dialect}"
        );
        pool.close().await;

        // rauth first, then sqlx's migrator applies nothing and accepts the ledger.
        let db = TestDb::create(dialect);
        migrate(&project, &db, &[]).success();
        let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
        migrator
            .run(&pool)
            .await
            .unwrap_or_else(|e| panic!("{dialect}: sqlx rejects rauth's ledger: {e}"));
        assert_eq!(ledger_versions(&db).len(), 2, "{dialect}");
        pool.close().await;
    }
}

#[test]
fn diesel_and_rauth_agree_on_what_is_applied() {
    use diesel_migrations::{FileBasedMigrations, MigrationHarness};

    use crate::migration_tools::{DieselCheck, with_diesel};

    /// Whether diesel's harness finds a migration pending.
    struct Pending(FileBasedMigrations);
    impl DieselCheck<bool> for Pending {
        fn run<C>(self, mut conn: C) -> bool
        where
            C: diesel::Connection + MigrationHarness<C::Backend>,
            FileBasedMigrations: diesel::migration::MigrationSource<C::Backend>,
        {
            conn.has_pending_migration(self.0).unwrap()
        }
    }

    if db::skipped() {
        return;
    }
    for dialect in DIALECTS {
        let db = TestDb::create(dialect);
        let project = project(dialect, "diesel");
        let migrations = || FileBasedMigrations::from_path(project.file("migrations")).unwrap();
        assert!(
            with_diesel(&db, Pending(migrations())),
            "{dialect}: diesel finds both pending before"
        );
        migrate(&project, &db, &[]).success();
        assert!(
            !with_diesel(&db, Pending(migrations())),
            "{dialect}: diesel finds nothing pending after rauth"
        );
        migrate(&project, &db, &["revert"]).success();
        let status = migrate(&project, &db, &["status"]).success();
        assert!(
            status.stdout.contains("pending"),
            "{dialect}: {}",
            status.stdout
        );
        assert!(
            with_diesel(&db, Pending(migrations())),
            "{dialect}: diesel finds the reverted one pending"
        );
    }
}

#[test]
fn a_database_migrated_by_better_auth_needs_nothing() {
    if db::skipped() {
        return;
    }
    for dialect in DIALECTS {
        let db = TestDb::create(dialect);
        // Exactly the statements `npx auth migrate` runs on an empty database for this config.
        let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("tests/fixtures/better-auth/full.{dialect}.sql"));
        db.apply(&std::fs::read_to_string(fixture).unwrap());
        let project = Project::new(&format!(
            "[database]\ndialect = \"{dialect}\"\n{}",
            fixture_config("full")
        ));
        let run = migrate(&project, &db, &[]).success();
        assert!(
            run.stderr.contains("already has the schema"),
            "{dialect}: {}",
            run.stderr
        );

        // And with one more plugin, only what is missing is applied.
        project.write(
            "rauth.toml",
            &format!(
                "[database]\ndialect = \"{dialect}\"\n{}\n[plugins.oauth-provider]\n",
                fixture_config("full")
            ),
        );
        let dry = migrate(&project, &db, &["--dry-run"]).success();
        assert!(
            dry.stdout.contains("oauthClient")
                && !dry.stdout.contains("TABLE \"user\"")
                && !dry.stdout.contains("TABLE `user`"),
            "{dialect}: {}",
            dry.stdout
        );
        migrate(&project, &db, &[]).success();
        assert!(
            migrate(&project, &db, &[])
                .success()
                .stderr
                .contains("already has the schema"),
            "{dialect}"
        );
    }
}

#[test]
fn passwords_in_urls_are_never_printed() {
    let project = Project::new("[database]\ndialect = \"postgres\"\n");
    let run = project
        .rauth(&[
            "migrate",
            "--database-url",
            "postgres://app:hunter2@127.0.0.1:1/app",
        ])
        .failure();
    assert!(!run.stderr.contains("hunter2"), "{}", run.stderr);
    assert!(
        run.stderr.contains("postgres://app:***@127.0.0.1:1/app"),
        "{}",
        run.stderr
    );
}

#[test]
fn transaction_lock_mode_applies_once_under_concurrency() {
    if db::skipped() {
        return;
    }
    let db = TestDb::create("postgres");
    let project = project("postgres", "sqlx");
    let children: Vec<Child> = (0..4)
        .map(|_| spawn(&project, &db, &["migrate", "--lock-mode", "transaction"]))
        .collect();
    for child in children {
        let run = Run::from(child.wait_with_output().unwrap());
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    assert_eq!(ledger_versions(&db), ["20261126223000", "20261126223001"]);
}

#[test]
fn target_versions_and_revert_walk_the_history() {
    if db::skipped() {
        return;
    }
    let db = TestDb::create("mysql");
    let project = project("mysql", "diesel");
    migrate(&project, &db, &["--target", "20261126223000"]).success();
    let status = migrate(&project, &db, &["status"]).success().stdout;
    assert_eq!(
        (
            status.matches("applied").count(),
            status.matches("pending").count()
        ),
        (1, 1),
        "{status}"
    );
    migrate(&project, &db, &[]).success();
    migrate(&project, &db, &["revert", "--target", "0"]).success();
    let status = migrate(&project, &db, &["status"]).success().stdout;
    assert_eq!(status.matches("pending").count(), 2, "{status}");
    let left = db.catalog();
    assert!(
        !left.contains("column user."),
        "every table is gone after reverting all: {left}"
    );
}
