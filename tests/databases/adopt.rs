//! Adopting a database Better Auth migrated: its tables exist, its ledger does not. The schema is
//! made by Better Auth's own SQL (`tests/fixtures/better-auth/<case>.<dialect>.sql`, what its
//! `migrate` runs), then `rauth migrate` runs with the project's generated migration files.

use std::path::Path;

use crate::db::{self, DIALECTS, TestDb};
use crate::support::{Project, Run, fixture_config};

fn better_auth_sql(case: &str, dialect: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/better-auth")
        .join(format!("{case}.{dialect}.sql"));
    std::fs::read_to_string(&path).unwrap()
}

/// A project for `case`'s config, with its migration generated (sqlx layout).
fn project(dialect: &str, case: &str) -> Project {
    let project = Project::new("");
    generate_next(&project, dialect, &fixture_config(case));
    project
}

/// Changes the project's config to `config` and generates the next migration: what the new
/// config adds.
fn generate_next(project: &Project, dialect: &str, config: &str) {
    project.write(
        "rauth.toml",
        &format!("[database]\ndialect = \"{dialect}\"\n{config}"),
    );
    project.rauth(&["generate", "schema"]).success();
}

/// How many migrations a run reports with `verb` (`Adopted`, `Applied`).
fn reported(run: &Run, verb: &str) -> usize {
    run.stderr.matches(verb).count()
}

fn migrate(project: &Project, db: &TestDb, args: &[&str]) -> Run {
    let mut all = vec!["migrate", "--database-url", &db.url];
    all.extend_from_slice(args);
    project.rauth(&all)
}

/// The catalog without the ledgers' own tables.
fn auth_catalog(db: &TestDb) -> String {
    let catalog = db.catalog();
    let lines: Vec<&str> = catalog
        .lines()
        .filter(|l| !l.contains("_migrations"))
        .collect();
    lines.join("\n")
}

fn ledger_rows(db: &TestDb) -> usize {
    db.query("SELECT version FROM _sqlx_migrations")
        .lines()
        .count()
}

#[test]
fn a_better_auth_database_is_adopted_and_left_as_it_was() {
    if db::skipped() {
        return;
    }
    // `full`: organization with teams, two-factor, admin, api-key, passkey, jwt and more.
    for dialect in DIALECTS {
        let db = TestDb::create(dialect);
        db.apply(&better_auth_sql("full", dialect));
        let before = auth_catalog(&db);
        let project = project(dialect, "full");

        let dry = migrate(&project, &db, &["--dry-run"]).success();
        assert!(
            dry.stdout
                .contains(": adopt (its schema is already present)")
                && !dry.stdout.contains("CREATE TABLE"),
            "{dialect}: {}",
            dry.stdout
        );
        assert!(
            db.try_query("SELECT 1 FROM _sqlx_migrations").is_err() || ledger_rows(&db) == 0,
            "{dialect}: a dry run records nothing"
        );

        let run = migrate(&project, &db, &[]).success();
        assert!(
            run.stderr.contains("Adopted") && run.stderr.contains("schema already present"),
            "{dialect}: {}",
            run.stderr
        );
        assert_eq!(ledger_rows(&db), 1, "{dialect}");
        assert!(
            auth_catalog(&db) == before,
            "{dialect}: adoption changed the schema"
        );

        let again = migrate(&project, &db, &[]).success();
        assert!(
            again.stderr.contains("Fresh"),
            "{dialect}: {}",
            again.stderr
        );
        let status = project
            .rauth(&["migrate", "status", "--database-url", &db.url])
            .success();
        assert!(
            status.stdout.contains("applied") && !status.stdout.contains("pending"),
            "{dialect}: {}",
            status.stdout
        );
    }
}

#[test]
fn one_more_plugin_than_better_auth_had_gets_only_its_delta() {
    if db::skipped() {
        return;
    }
    for dialect in DIALECTS {
        let db = TestDb::create(dialect);
        db.apply(&better_auth_sql("api-key-jwt", dialect));
        let project = project(dialect, "api-key-jwt");
        let with_username = format!("{}\n[plugins.username]\n", fixture_config("api-key-jwt"));
        generate_next(&project, dialect, &with_username);

        let run = migrate(&project, &db, &[]).success();
        assert_eq!(
            (reported(&run, "Adopted"), reported(&run, "Applied")),
            (1, 1),
            "{dialect}: {}",
            run.stderr
        );
        assert_eq!(ledger_rows(&db), 2, "{dialect}");

        // The result is the schema rauth makes from scratch for the larger config.
        let fresh = TestDb::create(dialect);
        migrate(&project, &fresh, &[]).success();
        assert!(
            auth_catalog(&db) == auth_catalog(&fresh),
            "{dialect}: the adopted database and a fresh one differ"
        );
    }
}

#[test]
fn a_partial_or_different_schema_is_refused_with_what_differs() {
    if db::skipped() {
        return;
    }
    for dialect in DIALECTS {
        // Better Auth's core tables, then one column more than the migration makes.
        let db = TestDb::create(dialect);
        db.apply(&better_auth_sql("core", dialect));
        db.apply("ALTER TABLE verification ADD COLUMN note TEXT");
        let before = auth_catalog(&db);
        let project = project(dialect, "core");
        let run = migrate(&project, &db, &[]).failure();
        assert!(
            run.stderr.contains("not exactly as they would create them")
                && run.stderr.contains("+ column verification.note"),
            "{dialect}: {}",
            run.stderr
        );
        assert!(auth_catalog(&db) == before, "{dialect}: nothing may run");
        assert_eq!(ledger_rows(&db), 0, "{dialect}: nothing may be recorded");

        // Only some of the tables: the missing ones are named.
        let partial = TestDb::create(dialect);
        partial.apply(&better_auth_sql("core", dialect));
        partial.apply("DROP TABLE verification");
        let run = migrate(&project, &partial, &[]).failure();
        assert!(
            run.stderr.contains("- column verification.id"),
            "{dialect}: {}",
            run.stderr
        );
    }
}

#[test]
fn adopt_records_and_applies_nothing_else() {
    if db::skipped() {
        return;
    }
    let dialect = "postgres";
    let db = TestDb::create(dialect);
    db.apply(&better_auth_sql("core", dialect));
    let project = project(dialect, "core");
    // A second migration that is not present: `--adopt` leaves it pending.
    let with_username = format!("{}\n[plugins.username]\n", fixture_config("core"));
    generate_next(&project, dialect, &with_username);
    let run = migrate(&project, &db, &["--adopt"]).success();
    assert!(run.stderr.contains("Adopted"), "{}", run.stderr);
    assert!(!run.stderr.contains("Applied"), "{}", run.stderr);
    assert_eq!(ledger_rows(&db), 1);
    let status = project
        .rauth(&["migrate", "status", "--database-url", &db.url])
        .success();
    assert_eq!(
        status.stdout.matches("pending").count(),
        1,
        "{}",
        status.stdout
    );

    // On a database without the schema there is nothing to adopt, and nothing runs.
    let empty = TestDb::create(dialect);
    let run = migrate(&project, &empty, &["--adopt"]).success();
    assert!(run.stderr.contains("nothing to adopt"), "{}", run.stderr);
    assert!(
        empty.try_query("SELECT 1 FROM \"user\"").is_err(),
        "--adopt created tables"
    );
}

#[test]
fn migrations_that_together_make_better_auths_schema_are_adopted_together() {
    if db::skipped() {
        return;
    }
    for dialect in DIALECTS {
        // Core first, then every plugin of `full`: the second migration adds columns to `user`
        // and `session` (with the DEFAULT an added column gets), which Better Auth's SQL makes
        // in its CREATE TABLE.
        let db = TestDb::create(dialect);
        db.apply(&better_auth_sql("full", dialect));
        let before = auth_catalog(&db);
        let project = project(dialect, "core");
        generate_next(&project, dialect, &fixture_config("full"));

        let run = migrate(&project, &db, &[]).success();
        assert_eq!(reported(&run, "Adopted"), 2, "{dialect}: {}", run.stderr);
        assert!(
            run.stderr.contains("column defaults differ") && run.stderr.contains("user.banned"),
            "{dialect}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("Applied"), "{dialect}: {}", run.stderr);
        assert!(
            auth_catalog(&db) == before,
            "{dialect}: adoption changed the schema"
        );
    }
}
