//! The layouts are what the tools read: sqlx's own `Migrator` and diesel's migration harness run
//! rauth's files, record them in their ledgers, and find nothing pending afterwards.

use std::path::Path;

use diesel::Connection as _;
use diesel_migrations::{FileBasedMigrations, MigrationHarness};

use crate::db::{self, DIALECTS, TestDb};
use crate::support::{Project, fixture_config};

/// A project whose migrations dir holds two migrations: core, then every plugin.
fn two_migrations(dialect: &str, extra_args: &[&str]) -> Project {
    let project = Project::new(&format!("[database]\ndialect = \"{dialect}\"\n"));
    let args: Vec<&str> = ["generate", "schema"]
        .iter()
        .copied()
        .chain(extra_args.iter().copied())
        .collect();
    project.rauth(&args).success();
    project.write(
        "rauth.toml",
        &format!(
            "[database]\ndialect = \"{dialect}\"\n{}",
            fixture_config("everything")
        ),
    );
    project.rauth(&args).success();
    project
}

async fn pool(url: &str) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    sqlx::AnyPool::connect(url)
        .await
        .unwrap_or_else(|e| panic!("connect {url}: {e}"))
}

#[tokio::test]
async fn sqlx_migrator_applies_and_reverts_rauths_files() {
    if db::skipped() {
        return;
    }
    for dialect in DIALECTS {
        let db = TestDb::create(dialect);
        let project = two_migrations(dialect, &["--reversible"]);
        let dir = project.file("migrations");
        let migrator = sqlx::migrate::Migrator::new(dir.as_path()).await.unwrap();
        assert_eq!(
            migrator
                .iter()
                .filter(|m| m.migration_type.is_up_migration())
                .count(),
            2,
            "{dialect}: the state file is not a migration"
        );
        let pool = pool(&db.url).await;
        migrator
            .run(&pool)
            .await
            .unwrap_or_else(|e| panic!("{dialect}: {e}"));
        let applied: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
                .fetch_one(&pool)
                .await
                .unwrap();
        assert_eq!(applied, 2, "{dialect}");
        migrator
            .run(&pool)
            .await
            .unwrap_or_else(|e| panic!("{dialect}: second run: {e}"));
        assert!(
            db.catalog().contains("column oauthClient.clientId"),
            "{dialect}: tables exist"
        );

        migrator
            .undo(&pool, 0)
            .await
            .unwrap_or_else(|e| panic!("{dialect}: undo: {e}"));
        let left = db.catalog();
        assert!(
            left.lines().all(|l| l.contains("_sqlx_migrations")),
            "{dialect}: down migrations remove everything:\n{left}"
        );
        pool.close().await;
    }
}

/// A diesel connection to `db`, of its dialect's type, handed to `check`.
pub fn with_diesel<R>(db: &TestDb, check: impl DieselCheck<R>) -> R {
    match db.dialect {
        "postgres" => check.run(diesel::PgConnection::establish(&db.url).unwrap()),
        "mysql" => check.run(diesel::MysqlConnection::establish(&db.url).unwrap()),
        _ => check
            .run(diesel::SqliteConnection::establish(db.sqlite_path().to_str().unwrap()).unwrap()),
    }
}

/// Something to do with a diesel connection of any backend.
pub trait DieselCheck<R> {
    fn run<C>(self, conn: C) -> R
    where
        C: diesel::Connection + MigrationHarness<C::Backend>,
        FileBasedMigrations: diesel::migration::MigrationSource<C::Backend>;
}

/// Applies rauth's diesel migrations with diesel's harness, checks the catalog, reverts them all.
struct ApplyCheckRevert<'a>(&'a TestDb, FileBasedMigrations);
impl DieselCheck<()> for ApplyCheckRevert<'_> {
    fn run<C>(self, mut conn: C)
    where
        C: diesel::Connection + MigrationHarness<C::Backend>,
        FileBasedMigrations: diesel::migration::MigrationSource<C::Backend>,
    {
        let (db, migrations) = (self.0, self.1);
        let dialect = db.dialect;
        let applied = conn
            .run_pending_migrations(migrations.clone())
            .unwrap_or_else(|e| panic!("{dialect}: {e}"));
        assert_eq!(applied.len(), 2, "{dialect}");
        assert!(
            !conn.has_pending_migration(migrations.clone()).unwrap(),
            "{dialect}"
        );
        assert!(
            db.catalog().contains("column twoFactor.secret"),
            "{dialect}"
        );
        conn.revert_all_migrations(migrations)
            .unwrap_or_else(|e| panic!("{dialect}: revert: {e}"));
    }
}

#[test]
fn diesel_harness_applies_and_reverts_rauths_files() {
    if db::skipped() {
        return;
    }
    for dialect in DIALECTS {
        let db = TestDb::create(dialect);
        let project = two_migrations(dialect, &["--format", "diesel"]);
        let migrations = FileBasedMigrations::from_path(project.file("migrations")).unwrap();
        with_diesel(&db, ApplyCheckRevert(&db, migrations));
        let left = db.catalog();
        assert!(
            left.lines()
                .all(|l| l.contains("__diesel_schema_migrations")),
            "{dialect}: down migrations remove everything:\n{left}"
        );
    }
}

#[tokio::test]
async fn plain_sql_files_apply_with_the_database_client() {
    if db::skipped() {
        return;
    }
    for dialect in DIALECTS {
        let db = TestDb::create(dialect);
        let project = two_migrations(dialect, &["--format", "sql"]);
        let mut files: Vec<_> = std::fs::read_dir(project.file("migrations"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "sql"))
            .collect();
        files.sort();
        assert_eq!(files.len(), 2);
        for file in &files {
            db.apply(&std::fs::read_to_string(Path::new(file)).unwrap());
        }
    }
}
