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
    // Exactly these: a case whose reference SQL went missing fails here, not silently.
    assert_eq!(
        cases,
        [
            "additional-fields",
            "admin",
            "api-key-jwt",
            "core",
            "device-authorization",
            "full",
            "last-login-method",
            "oauth-provider",
            "organization",
            "organization-full",
            "passkey-sso",
            "phone-anonymous",
            "renames",
            "siwe",
            "snake-case",
            "username-2fa",
        ],
        "the reference SQL cases in tests/fixtures/better-auth/"
    );
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
        let core = stepwise.catalog();
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

        // The whole catalog, the same either way but for what Better Auth's own ALTERs do too: a
        // column added to a table that holds rows carries a static default, and a unique one is
        // a `<table>_<column>_uidx` unique index.
        let (a, b) = (
            as_if_altered(&at_once.catalog(), &core),
            as_if_altered(&stepwise.catalog(), &core),
        );
        assert!(
            a == b,
            "{dialect}: at once (-) and in steps (+):\n{}",
            line_diff(&a, &b)
        );
    }
}

/// `catalog` with the default of every column added to a table of `core` (the first step's
/// catalog) left out, and the unique index made for such a column written as a unique key;
/// sorted again.
fn as_if_altered(catalog: &str, core: &str) -> String {
    let added = |table: &str, column: &str| {
        core.contains(&format!("column {table}."))
            && !core.contains(&format!("column {table}.{column} "))
    };
    let mut lines: Vec<String> = catalog
        .lines()
        .filter_map(|line| {
            if let Some(rest) = line.strip_prefix("column ")
                && let Some((table, column)) = rest.split(' ').next().unwrap().split_once('.')
                && added(table, column)
            {
                let typed = line.split(" default=").next().unwrap();
                return Some(format!("{typed} default=(added)"));
            }
            // PostgreSQL: `unique index T(C) name=N`; MySQL and SQLite list `unique T(C)` for
            // every unique index, and `named unique T(C) name=N` for a created one.
            let (named, rest) = match (
                line.strip_prefix("unique index "),
                line.strip_prefix("named unique "),
            ) {
                (Some(rest), _) => (false, rest),
                (None, Some(rest)) => (true, rest),
                (None, None) => return Some(line.to_owned()),
            };
            match rest.split_once('(') {
                Some((table, rest))
                    if rest.split_once(") name=").is_some_and(|(column, name)| {
                        name == format!("{table}_{column}_uidx") && added(table, column)
                    }) =>
                {
                    let column = rest.split(')').next().unwrap();
                    (!named).then(|| format!("unique {table}({column})"))
                }
                _ => Some(line.to_owned()),
            }
        })
        .collect();
    lines.sort();
    lines.join("\n")
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
