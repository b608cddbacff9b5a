//! `rauth generate schema`: files, layouts, idempotence, refusals.

use crate::support::{Project, fixture_config, snapshot_settings};

const DIALECTS: [&str; 3] = ["postgres", "mysql", "sqlite"];

fn snapshot(name: &str, text: &str) {
    snapshot_settings().bind(|| insta::assert_snapshot!(name.to_owned(), text));
}

#[test]
fn sql_per_dialect() {
    for dialect in DIALECTS {
        let project = Project::new(&fixture_config("username-2fa"));
        let run = project
            .rauth(&["generate", "schema", "--stdout", "--dialect", dialect])
            .success();
        assert!(project.files().is_empty(), "--stdout writes nothing");
        snapshot(&format!("sql_username_2fa_{dialect}"), &run.stdout);
    }
}

#[test]
fn sqlx_layout() {
    let project = Project::new(&fixture_config("core"));
    let run = project.rauth(&["generate", "schema"]).success();
    assert_eq!(
        project.files(),
        [
            "migrations/.rauth-schema.json",
            "migrations/20261126223000_rauth_init.sql"
        ]
    );
    assert_eq!(
        run.stderr,
        "     Created migrations/20261126223000_rauth_init.sql (4 tables, 3 indexes)\n"
    );
    assert!(run.stdout.is_empty());
}

#[test]
fn sqlx_reversible_layout() {
    let project = Project::new(&fixture_config("core"));
    project
        .rauth(&[
            "generate",
            "schema",
            "--reversible",
            "--dialect",
            "postgres",
        ])
        .success();
    assert_eq!(
        project.files(),
        [
            "migrations/.rauth-schema.json",
            "migrations/20261126223000_rauth_init.down.sql",
            "migrations/20261126223000_rauth_init.up.sql"
        ]
    );
    snapshot(
        "sqlx_reversible_down_postgres",
        &project.read("migrations/20261126223000_rauth_init.down.sql"),
    );
}

#[test]
fn diesel_layout() {
    let project = Project::new(&fixture_config("core"));
    project
        .rauth(&[
            "generate",
            "schema",
            "--format",
            "diesel",
            "--dialect",
            "mysql",
        ])
        .success();
    assert_eq!(
        project.files(),
        [
            "migrations/.rauth-schema.json",
            "migrations/2026-11-26-223000_rauth_init/down.sql",
            "migrations/2026-11-26-223000_rauth_init/up.sql"
        ]
    );
    snapshot(
        "diesel_up_mysql",
        &project.read("migrations/2026-11-26-223000_rauth_init/up.sql"),
    );
    snapshot(
        "diesel_down_mysql",
        &project.read("migrations/2026-11-26-223000_rauth_init/down.sql"),
    );
}

#[test]
fn plain_sql_layout_in_a_custom_dir() {
    let project = Project::new("[migrations]\nformat = \"sql\"\ndir = \"db/auth\"\n");
    project.rauth(&["generate", "schema"]).success();
    assert_eq!(
        project.files(),
        [
            "db/auth/.rauth-schema.json",
            "db/auth/20261126223000_rauth_init.sql"
        ]
    );
}

#[test]
fn generating_twice_writes_nothing_the_second_time() {
    let project = Project::new(&fixture_config("full"));
    project.rauth(&["generate", "schema"]).success();
    let before = project.files();
    let run = project.rauth(&["generate", "schema"]).success();
    assert_eq!(project.files(), before);
    assert!(run.stderr.contains("up to date"), "{}", run.stderr);
    project.rauth(&["generate", "schema", "--check"]).success();
}

#[test]
fn enabling_plugins_later_generates_only_the_delta() {
    for dialect in DIALECTS {
        let project = Project::new(&format!("[database]\ndialect = \"{dialect}\"\n"));
        project.rauth(&["generate", "schema"]).success();
        project.write("rauth.toml", &format!("[database]\ndialect = \"{dialect}\"\n[plugins.username]\n[plugins.two-factor]\n[plugins.organization]\n"));
        let check = project.rauth(&["generate", "schema", "--check"]).failure();
        assert!(
            check.stderr.contains("is behind rauth.toml"),
            "{}",
            check.stderr
        );
        let run = project
            .rauth(&["generate", "schema", "--name", "add_plugins"])
            .success();
        assert!(
            run.stderr.contains("20261126223001_add_plugins.sql"),
            "versions increase: {}",
            run.stderr
        );
        snapshot(
            &format!("sql_alter_{dialect}"),
            &project.read("migrations/20261126223001_add_plugins.sql"),
        );
    }
}

#[test]
fn unsafe_changes_are_refused_and_nothing_is_written() {
    let project = Project::new("[plugins.username]\n");
    project.rauth(&["generate", "schema"]).success();
    let before = project.read("migrations/.rauth-schema.json");
    project.write(
        "rauth.toml",
        "[plugins.username]\n[user.additional_fields.tenant]\ntype = \"string\"\n",
    );
    let run = project.rauth(&["generate", "schema"]).failure();
    snapshot("refused_required_column", &run.stderr);
    assert_eq!(project.read("migrations/.rauth-schema.json"), before);
    assert_eq!(project.files().len(), 2);
}

#[test]
fn a_removed_plugin_is_kept_with_a_warning() {
    let project = Project::new("[plugins.two-factor]\n");
    project.rauth(&["generate", "schema"]).success();
    project.write("rauth.toml", "");
    let run = project.rauth(&["generate", "schema"]).success();
    assert!(
        run.stderr.contains(
            "warning: table `twoFactor` is no longer in the config; it stays in the database"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(project.files().len(), 2, "no migration for a removal");
}

#[test]
fn accept_manual_records_the_schema_after_a_manual_step() {
    let project = Project::new("");
    project.rauth(&["generate", "schema"]).success();
    project.write("rauth.toml", "[tables.user]\nname = \"users\"\n");
    let refused = project.rauth(&["generate", "schema"]).failure();
    assert!(
        refused.stderr.contains("table `user` is now named `users`"),
        "{}",
        refused.stderr
    );
    project
        .rauth(&["generate", "schema", "--accept-manual"])
        .success();
    project.rauth(&["generate", "schema", "--check"]).success();
}

#[test]
fn one_migrations_dir_per_dialect() {
    let project = Project::new("[database]\ndialect = \"postgres\"\n");
    project.rauth(&["generate", "schema"]).success();
    let run = project
        .rauth(&["generate", "schema", "--dialect", "mysql"])
        .failure();
    assert!(
        run.stderr
            .contains("were generated for postgres, not mysql"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_damaged_state_file_is_an_error_not_a_fresh_start() {
    let project = Project::new("");
    project.write("migrations/.rauth-schema.json", "{ not json");
    let run = project.rauth(&["generate", "schema"]).failure();
    assert!(
        run.stderr
            .contains("cannot read `migrations/.rauth-schema.json`"),
        "{}",
        run.stderr
    );
}

#[test]
fn snake_case_and_renames() {
    let config = "[database]\ndialect = \"postgres\"\nnaming = \"snake_case\"\n[plugins.two-factor]\n[tables.user]\nname = \"users\"\nfields = { emailVerified = \"is_verified\" }\n[user.additional_fields.locale]\ntype = \"string\"\nrequired = false\n";
    let run = Project::new(config)
        .rauth(&["generate", "schema", "--stdout"])
        .success();
    snapshot("sql_snake_case_renames_postgres", &run.stdout);
}

#[test]
fn quiet_success_prints_nothing() {
    let project = Project::new("");
    let run = project.rauth(&["-q", "generate", "schema"]).success();
    assert!(run.stderr.is_empty() && run.stdout.is_empty());
}

#[test]
fn usage_errors_exit_2() {
    let project = Project::new("");
    assert_eq!(
        project
            .rauth(&["generate", "schema", "--dialect", "oracle"])
            .code,
        2
    );
    assert_eq!(
        project
            .rauth(&["generate", "schema", "--stdout", "--check"])
            .code,
        2
    );
    assert_eq!(project.rauth(&["frobnicate"]).code, 2);
}

#[test]
fn generated_files_are_not_private() {
    use std::os::unix::fs::PermissionsExt as _;
    let project = Project::new("");
    project.rauth(&["generate", "schema"]).success();
    let mode = std::fs::metadata(project.file("migrations/20261126223000_rauth_init.sql"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o644);
}
