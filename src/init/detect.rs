//! What `rauth init` can tell about a project from its files, without asking: pure functions
//! over file contents; `super::project` reads the files.

use crate::cargo_toml::Manifest;
use crate::config::{Dialect, Framework, MigrationFormat};

/// The comment the crate root carries where `rauth generate` declares the auth module.
pub const MODULES_MARKER: &str = "// rauth:modules";

/// The web framework, when the crate depends on exactly one of axum and actix-web.
pub fn framework(manifest: &Manifest) -> Option<Framework> {
    match (
        manifest.depends_on("axum"),
        manifest.depends_on("actix-web"),
    ) {
        (true, false) => Some(Framework::Axum),
        (false, true) => Some(Framework::ActixWeb),
        _ => None,
    }
}

/// The dialects named by sqlx's or diesel's features.
pub fn dialects_of_features(manifest: &Manifest, root: Option<&Manifest>) -> Vec<Dialect> {
    let mut found = Vec::new();
    for name in ["sqlx", "diesel", "diesel-async"] {
        let Some(dep) = manifest.dependency(name, root) else {
            continue;
        };
        for feature in &dep.features {
            let dialect = match feature.as_str() {
                "postgres" | "postgresql" => Dialect::Postgres,
                "mysql" | "mariadb" => Dialect::Mysql,
                "sqlite" | "sqlite-unbundled" | "returning_clauses_for_sqlite_3_35" => {
                    Dialect::Sqlite
                }
                _ => continue,
            };
            if !found.contains(&dialect) {
                found.push(dialect);
            }
        }
    }
    found
}

/// The value of `key` in an env file (`KEY=value`, `export KEY="value"`), if set.
pub fn env_value(env_text: &str, key: &str) -> Option<String> {
    env_text.lines().rev().find_map(|line| {
        let line = line.trim_start();
        let line = line.strip_prefix("export ").unwrap_or(line).trim_start();
        let (name, value) = line.split_once('=')?;
        if name.trim_end() != key {
            return None;
        }
        let value = value.trim();
        let unquoted = ['"', '\'']
            .iter()
            .find_map(|q| {
                value
                    .strip_prefix(*q)
                    .and_then(|v| v.split_once(*q))
                    .map(|(inner, _)| inner)
            })
            .unwrap_or_else(|| value.split(" #").next().unwrap_or(value).trim());
        Some(unquoted.to_owned())
    })
}

/// The database a server URL names (`postgres://h/shop?x=1` → `shop`).
pub fn database_name(url: &str) -> Option<String> {
    let (_, rest) = url.split_once("://")?;
    let (_, path) = rest.split_once('/')?;
    let name = path.split(['?', '#']).next()?;
    (!name.is_empty() && !name.contains('/')).then(|| name.to_owned())
}

/// The database: the one dialect the dependencies' features name, or else the one of the URL;
/// when the features name several, the URL picks among them.
pub fn dialect(features: &[Dialect], url: Option<&str>) -> Option<Dialect> {
    let from_url = url.and_then(Dialect::of_url);
    match features {
        [one] => Some(*one),
        [] => from_url,
        several => from_url.filter(|d| several.contains(d)),
    }
}

/// One entry of a migrations directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub is_dir: bool,
    /// For a directory: whether it holds an `up.sql`.
    pub has_up_sql: bool,
}

/// The layout of existing migrations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub format: MigrationFormat,
    /// sqlx `<version>_<name>.up.sql` / `.down.sql` pairs.
    pub reversible: bool,
}

/// The layout of a migrations directory's entries: sqlx-style files (sqlx when the crate uses
/// sqlx, plain SQL otherwise) or diesel directories. `None` when empty or mixed.
pub fn layout(entries: &[Entry], uses_sqlx: bool) -> Option<Layout> {
    let versioned = |name: &str| {
        name.split_once('_').is_some_and(|(version, rest)| {
            !version.is_empty()
                && !rest.is_empty()
                && version.bytes().all(|b| b.is_ascii_digit() || b == b'-')
        })
    };
    let files: Vec<&str> = entries
        .iter()
        .filter(|e| {
            !e.is_dir
                // sqlx reads exactly `.sql`, in lower case
                && std::path::Path::new(&e.name)
                    .extension()
                    .is_some_and(|x| x == "sql")
                && versioned(&e.name)
        })
        .filter(|e| {
            e.name
                .split('_')
                .next()
                .is_some_and(|v| v.bytes().all(|b| b.is_ascii_digit()))
        })
        .map(|e| e.name.as_str())
        .collect();
    let diesel = entries
        .iter()
        .any(|e| e.is_dir && e.has_up_sql && versioned(&e.name));
    match (files.is_empty(), diesel) {
        (false, false) => Some(Layout {
            format: if uses_sqlx {
                MigrationFormat::Sqlx
            } else {
                MigrationFormat::Sql
            },
            reversible: files
                .iter()
                .any(|f| f.ends_with(".up.sql") || f.ends_with(".down.sql")),
        }),
        (true, true) => Some(Layout {
            format: MigrationFormat::Diesel,
            reversible: false,
        }),
        _ => None,
    }
}

/// `[migrations_directory] dir` of a `diesel.toml`.
pub fn diesel_migrations_dir(diesel_toml: &str) -> Option<String> {
    let table: toml::Table = diesel_toml.parse().ok()?;
    table
        .get("migrations_directory")?
        .get("dir")?
        .as_str()
        .map(str::to_owned)
}

/// The crate root with the marker planted on its own line after the leading inner attributes and
/// doc comments, or `None` when the marker is already there.
pub fn plant_marker(source: &str) -> Option<String> {
    if source.lines().any(|l| l.trim() == MODULES_MARKER) {
        return None;
    }
    // Byte offset just past the last line of the leading block of `//!`, `#![…]` and blanks.
    let mut last_non_blank_end = 0;
    let mut depth = 0i32; // open brackets of an inner attribute spanning lines
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let trimmed = line.trim();
        let keep = if depth > 0 {
            true
        } else {
            trimmed.is_empty()
                || trimmed.starts_with("//!")
                || trimmed.starts_with("#![")
                || (trimmed.starts_with("//") && !trimmed.starts_with("///"))
        };
        if !keep {
            break;
        }
        if depth > 0 || trimmed.starts_with("#![") {
            depth += brackets(trimmed);
        }
        offset += line.len();
        if !trimmed.is_empty() {
            last_non_blank_end = offset;
        }
    }
    let (head, tail) = source.split_at(last_non_blank_end);
    let mut out = String::with_capacity(source.len() + MODULES_MARKER.len() + 2);
    out.push_str(head);
    if !head.is_empty() && !head.ends_with('\n') {
        out.push('\n');
    }
    if !head.is_empty() {
        out.push('\n');
    }
    out.push_str(MODULES_MARKER);
    out.push('\n');
    let rest = tail.trim_start_matches(['\n', '\r']);
    if !rest.is_empty() {
        out.push('\n');
        out.push_str(rest);
    }
    Some(out)
}

/// Net `[` minus `]` outside string literals (rough, enough for attributes).
fn brackets(line: &str) -> i32 {
    let mut depth = 0;
    let mut in_string = false;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '[' if !in_string => depth += 1,
            ']' if !in_string => depth -= 1,
            _ => {}
        }
    }
    depth
}

/// Whether a `.gitignore` ignores the file `name` (at the top of its directory). Understands the
/// usual forms: `name`, `/name`, and patterns ending with `*` like `.env*`; a later `!name`
/// un-ignores.
pub fn is_ignored(gitignore: &str, name: &str) -> bool {
    let mut ignored = false;
    for line in gitignore.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (negated, pattern) = match line.strip_prefix('!') {
            Some(p) => (true, p),
            None => (false, line),
        };
        let pattern = pattern.strip_prefix('/').unwrap_or(pattern);
        let matches = pattern == name
            || pattern
                .strip_suffix('*')
                .is_some_and(|prefix| !prefix.contains('/') && name.starts_with(prefix));
        if matches {
            ignored = !negated;
        }
    }
    ignored
}

/// `.gitignore` with `name` appended (under a comment), or `None` when it is already ignored.
pub fn ignore(gitignore: &str, name: &str) -> Option<String> {
    if is_ignored(gitignore, name) {
        return None;
    }
    let mut out = gitignore.to_owned();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str("# Secrets of `rauth init`: never commit them.\n/");
    out.push_str(name);
    out.push('\n');
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(names: &[(&str, bool, bool)]) -> Vec<Entry> {
        names
            .iter()
            .map(|&(name, is_dir, has_up_sql)| Entry {
                name: name.into(),
                is_dir,
                has_up_sql,
            })
            .collect()
    }

    #[test]
    fn reads_package_dependencies_renames_and_target_tables() {
        let m = Manifest::parse(
            r#"
[package]
name = "shop"

[dependencies]
axum = "0.8"
db = { package = "sqlx", version = "0.9", features = ["runtime-tokio", "postgres"] }

[target.'cfg(unix)'.dependencies]
tokio = { version = "1" }
"#,
        )
        .unwrap();
        assert_eq!(m.package.as_deref(), Some("shop"));
        assert!(!m.is_virtual());
        assert_eq!(framework(&m), Some(Framework::Axum));
        assert_eq!(dialects_of_features(&m, None), [Dialect::Postgres]);
        assert!(m.depends_on("tokio"));
    }

    #[test]
    fn a_virtual_workspace_lists_members_and_shares_features() {
        let root = Manifest::parse(
            "[workspace]\nmembers = [\"api\", \"crates/*\"]\nexclude = [\"old\"]\n\
             [workspace.dependencies]\nsqlx = { version = \"0.9\", features = [\"mysql\"] }\n",
        )
        .unwrap();
        assert!(root.is_virtual());
        assert_eq!(root.members, ["api", "crates/*"]);
        assert_eq!(root.exclude, ["old"]);
        let member = Manifest::parse(
            "[package]\nname = \"api\"\n[dependencies]\nactix-web = \"4\"\nsqlx = { workspace = true }\n",
        )
        .unwrap();
        assert_eq!(framework(&member), Some(Framework::ActixWeb));
        assert_eq!(dialects_of_features(&member, Some(&root)), [Dialect::Mysql]);
        assert!(dialects_of_features(&member, None).is_empty());
    }

    #[test]
    fn both_or_no_framework_is_undecided() {
        let both = Manifest::parse("[dependencies]\naxum = \"0.8\"\nactix-web = \"4\"\n").unwrap();
        assert_eq!(framework(&both), None);
        assert_eq!(framework(&Manifest::parse("").unwrap()), None);
        assert!(Manifest::parse("[dependencies\n").is_err());
    }

    #[test]
    fn diesel_features_name_the_database_too() {
        let m = Manifest::parse(
            "[dependencies]\ndiesel = { version = \"2\", features = [\"sqlite\"] }\n",
        )
        .unwrap();
        assert_eq!(dialects_of_features(&m, None), [Dialect::Sqlite]);
    }

    #[test]
    fn the_url_decides_when_features_do_not() {
        use Dialect::{Mysql, Postgres, Sqlite};
        assert_eq!(dialect(&[Postgres], Some("mysql://x")), Some(Postgres));
        assert_eq!(dialect(&[], Some("postgresql://u@h/db")), Some(Postgres));
        assert_eq!(dialect(&[], Some("sqlite://app.db")), Some(Sqlite));
        assert_eq!(dialect(&[], Some("sqlite::memory:")), Some(Sqlite));
        assert_eq!(dialect(&[], Some("mariadb://h/db")), Some(Mysql));
        assert_eq!(
            dialect(&[Postgres, Sqlite], Some("sqlite:a.db")),
            Some(Sqlite)
        );
        assert_eq!(dialect(&[Postgres, Sqlite], Some("mysql://h")), None);
        assert_eq!(dialect(&[Postgres, Sqlite], None), None);
        assert_eq!(dialect(&[], Some("redis://h")), None);
        assert_eq!(dialect(&[], None), None);
    }

    #[test]
    fn the_database_a_url_names() {
        let name = |u| database_name(u);
        assert_eq!(
            name("postgres://postgres@127.0.0.1:5432/shop").as_deref(),
            Some("shop")
        );
        assert_eq!(
            name("mysql://root@h/app?ssl-mode=disabled").as_deref(),
            Some("app")
        );
        assert_eq!(name("postgres://h"), None);
        assert_eq!(name("postgres://h/"), None);
    }

    #[test]
    fn env_values_in_every_usual_form() {
        let env = "# c\nexport DATABASE_URL=\"postgres://a@h/db\"\nOTHER=1\n";
        assert_eq!(
            env_value(env, "DATABASE_URL").as_deref(),
            Some("postgres://a@h/db")
        );
        assert_eq!(
            env_value("DATABASE_URL = 'sqlite:x.db'\n", "DATABASE_URL").as_deref(),
            Some("sqlite:x.db")
        );
        assert_eq!(
            env_value("DATABASE_URL=mysql://h/db # local\n", "DATABASE_URL").as_deref(),
            Some("mysql://h/db")
        );
        assert_eq!(env_value("MY_DATABASE_URL=x\n", "DATABASE_URL"), None);
    }

    #[test]
    fn sqlx_layouts_simple_and_reversible() {
        let simple = entries(&[
            ("20240101000000_users.sql", false, false),
            ("README.md", false, false),
            (".rauth-schema.json", false, false),
        ]);
        assert_eq!(
            layout(&simple, true),
            Some(Layout {
                format: MigrationFormat::Sqlx,
                reversible: false
            })
        );
        assert_eq!(
            layout(&simple, false).map(|l| l.format),
            Some(MigrationFormat::Sql)
        );
        let reversible = entries(&[
            ("0001_users.up.sql", false, false),
            ("0001_users.down.sql", false, false),
        ]);
        assert_eq!(
            layout(&reversible, true),
            Some(Layout {
                format: MigrationFormat::Sqlx,
                reversible: true
            })
        );
    }

    #[test]
    fn diesel_layout_empty_and_mixed() {
        let diesel = entries(&[
            ("00000000000000_diesel_initial_setup", true, true),
            ("2024-01-02-030405_users", true, true),
            (".keep", false, false),
        ]);
        assert_eq!(
            layout(&diesel, true).map(|l| l.format),
            Some(MigrationFormat::Diesel)
        );
        assert_eq!(layout(&[], true), None);
        assert_eq!(
            layout(
                &entries(&[("notes", true, false), ("x.sql", false, false)]),
                true
            ),
            None
        );
        let mixed = entries(&[("1_a.sql", false, false), ("2024-01-02_b", true, true)]);
        assert_eq!(layout(&mixed, true), None);
    }

    #[test]
    fn diesel_toml_names_the_directory() {
        let toml = "[print_schema]\nfile = \"src/schema.rs\"\n\n[migrations_directory]\ndir = \"db/migrations\"\n";
        assert_eq!(
            diesel_migrations_dir(toml).as_deref(),
            Some("db/migrations")
        );
        assert_eq!(diesel_migrations_dir("[print_schema]\n"), None);
        assert_eq!(diesel_migrations_dir("not toml ["), None);
    }

    #[test]
    fn marker_goes_after_inner_attributes_and_docs() {
        let src = "//! My service.\n//!\n//! More.\n#![forbid(unsafe_code)]\n#![cfg_attr(\n    test,\n    allow(clippy::unwrap_used)\n)]\n\nuse axum::Router;\n\nfn main() {}\n";
        let out = plant_marker(src).unwrap();
        assert_eq!(
            out,
            "//! My service.\n//!\n//! More.\n#![forbid(unsafe_code)]\n#![cfg_attr(\n    test,\n    allow(clippy::unwrap_used)\n)]\n\n// rauth:modules\n\nuse axum::Router;\n\nfn main() {}\n"
        );
        assert_eq!(plant_marker(&out), None, "planted once");
    }

    #[test]
    fn marker_at_the_top_without_a_header_and_in_odd_files() {
        assert_eq!(
            plant_marker("use x;\nfn main() {}\n").unwrap(),
            "// rauth:modules\n\nuse x;\nfn main() {}\n"
        );
        assert_eq!(plant_marker("").unwrap(), "// rauth:modules\n");
        assert_eq!(
            plant_marker("//! Only docs").unwrap(),
            "//! Only docs\n\n// rauth:modules\n"
        );
        // A `///` item doc belongs to the item: the marker goes before it.
        assert_eq!(
            plant_marker("/// Entry.\nfn main() {}\n").unwrap(),
            "// rauth:modules\n\n/// Entry.\nfn main() {}\n"
        );
        assert_eq!(
            plant_marker("#![doc = \"a ] in a string\"]\nmod a;\n").unwrap(),
            "#![doc = \"a ] in a string\"]\n\n// rauth:modules\n\nmod a;\n"
        );
        assert_eq!(plant_marker("fn main() {}\n    // rauth:modules\n"), None);
    }

    #[test]
    fn gitignore_forms() {
        assert!(is_ignored(".env\n", ".env"));
        assert!(is_ignored("/.env\n", ".env"));
        assert!(is_ignored(".env*\n", ".env"));
        assert!(is_ignored("*\n", ".env"));
        assert!(!is_ignored(".env\n!.env\n", ".env"));
        assert!(!is_ignored("# .env\n/target\n", ".env"));
        assert!(!is_ignored("config/.env\n", ".env"));
        assert_eq!(
            ignore("/target", ".env").unwrap(),
            "/target\n# Secrets of `rauth init`: never commit them.\n/.env\n"
        );
        assert_eq!(ignore(".env\n", ".env"), None);
        assert_eq!(
            ignore("", ".env").unwrap(),
            "# Secrets of `rauth init`: never commit them.\n/.env\n"
        );
    }
}
