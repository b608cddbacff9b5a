//! Schema parity: the catalog of rauth's SQL equals the catalog of Better Auth's own SQL
//! (`tests/fixtures/better-auth/<case>.<dialect>.sql`, emitted by `npx auth generate`), for every
//! case that has a rauth config in `tests/fixtures/configs/<case>.toml`.

use std::path::Path;

use crate::db::{self, DIALECTS, TestDb};
use crate::support::{Project, fixture_config};

fn cases() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/better-auth");
    let mut cases: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            e.ok()?
                .file_name()
                .to_str()?
                .strip_suffix(".postgres.sql")
                .map(str::to_owned)
        })
        .collect();
    cases.sort();
    cases
}

#[test]
fn catalogs_equal_better_auths() {
    if db::skipped() {
        return;
    }
    let cases = cases();
    assert!(cases.len() >= 3, "reference SQL missing: {cases:?}");
    // One thread per dialect: the work is mostly waiting on database clients.
    let failures: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = DIALECTS
            .map(|dialect| {
                scope.spawn(|| {
                    cases
                        .iter()
                        .filter_map(|case| compare(case, dialect))
                        .collect::<Vec<_>>()
                })
            })
            .into();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    assert!(
        failures.is_empty(),
        "catalogs differ (- Better Auth, + rauth):\n{}",
        failures.join("\n")
    );
}

/// The difference between Better Auth's catalog and rauth's for one case, if any.
fn compare(case: &str, dialect: &str) -> Option<String> {
    let project = Project::new(&fixture_config(case));
    let run = project
        .rauth(&["generate", "schema", "--stdout", "--dialect", dialect])
        .success();
    let ours = project.file("ours.sql");
    std::fs::write(&ours, &run.stdout).unwrap();
    let theirs = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/fixtures/better-auth/{case}.{dialect}.sql"));
    let (a, b) = (
        db::catalog_of_sql(dialect, &theirs),
        db::catalog_of_sql(dialect, &ours),
    );
    (a != b).then(|| format!("{case} on {dialect}:\n{}", line_diff(&a, &b)))
}

/// Every plugin and option at once applies on every dialect, and so does the same schema
/// reached in steps (core first, then everything as ALTERs on tables that hold rows).
#[test]
fn every_plugin_applies_at_once_and_in_steps() {
    if db::skipped() {
        return;
    }
    let everything = fixture_config("everything");
    for dialect in DIALECTS {
        let at_once = TestDb::create(dialect);
        let project = Project::new(&everything);
        at_once.apply(
            &project
                .rauth(&["generate", "schema", "--stdout", "--dialect", dialect])
                .success()
                .stdout,
        );

        let stepwise = TestDb::create(dialect);
        let project = Project::new(&format!("[database]\ndialect = \"{dialect}\"\n"));
        project.rauth(&["generate", "schema"]).success();
        stepwise.apply(&project.read("migrations/20261126223000_rauth_init.sql"));
        stepwise.apply(
            "INSERT INTO \"user\" (\"id\", \"name\", \"email\", \"emailVerified\", \"createdAt\", \"updatedAt\") VALUES ('u1', 'Ada', 'ada@example.com', 1 = 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                .replace('"', if dialect == "mysql" { "`" } else { "\"" })
                .as_str(),
        );
        project.write(
            "rauth.toml",
            &format!("[database]\ndialect = \"{dialect}\"\n{everything}"),
        );
        project.rauth(&["generate", "schema"]).success();
        stepwise.apply(&project.read("migrations/20261126223001_rauth_update.sql"));

        // Same tables and columns either way (defaults and unique-index style differ by design,
        // as in Better Auth: ALTER adds static defaults and `_uidx` indexes).
        let shape = |catalog: String| {
            catalog
                .lines()
                .filter(|l| l.starts_with("column "))
                .map(|l| l.split(" default=").next().unwrap().to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            shape(at_once.catalog()),
            shape(stepwise.catalog()),
            "{dialect}"
        );
    }
}

fn line_diff(a: &str, b: &str) -> String {
    let only = |x: &str, y: &str, sign: char| {
        x.lines()
            .filter(|l| !y.lines().any(|m| m == *l))
            .map(|l| format!("  {sign} {l}"))
            .collect::<Vec<_>>()
    };
    let mut out = only(a, b, '-');
    out.extend(only(b, a, '+'));
    out.join("\n")
}
