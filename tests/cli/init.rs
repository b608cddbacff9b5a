//! `rauth init`: detection, flags and `--yes`, exit 2 naming the missing flags without a terminal,
//! re-runs that never clobber, and the interactive wizard driven through a pseudo-terminal.
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt as _;

use crate::support::{Project, Run, snapshot_settings};

const AXUM_MANIFEST: &str = r#"[package]
name = "shop-api"
version = "0.1.0"
edition = "2024"

[dependencies]
axum = "0.8"
sqlx = { version = "0.9", features = ["runtime-tokio", "postgres"] }
tokio = { version = "1", features = ["full"] }
"#;

const AXUM_MAIN: &str = "//! The shop's API.\n#![forbid(unsafe_code)]\n\nuse axum::Router;\n\n#[tokio::main]\nasync fn main() {\n    let _app: Router = Router::new();\n}\n";

/// A project without rauth.toml.
fn bare() -> Project {
    let project = Project::new("");
    std::fs::remove_file(project.file("rauth.toml")).unwrap();
    project
}

/// A small axum service on PostgreSQL (sqlx), without rauth.
fn axum_service() -> Project {
    let project = bare();
    project.write("Cargo.toml", AXUM_MANIFEST);
    project.write("src/main.rs", AXUM_MAIN);
    project
}

fn init(project: &Project, args: &[&str]) -> Run {
    let mut all = vec!["init"];
    all.extend_from_slice(args);
    project.rauth(&all)
}

#[track_caller]
fn exit_2(run: Run) -> Run {
    assert_eq!(
        run.code, 2,
        "expected exit 2\nstdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    run
}

fn marker_count(text: &str) -> usize {
    text.lines()
        .filter(|l| l.trim() == "// rauth:modules")
        .count()
}

#[test]
fn yes_sets_up_an_axum_service() {
    let project = axum_service();
    let run = init(&project, &["--yes", "--plugins", "username,two-factor"]).success();
    assert_eq!(run.stdout, "", "stdout carries data only");
    assert!(
        run.stderr.contains("Detected shop-api: axum, postgres"),
        "{}",
        run.stderr
    );

    let config = project.read("rauth.toml");
    for line in [
        "name = \"shop-api\"",
        "dialect = \"postgres\"",
        "format = \"sqlx\"",
        "dir = \"migrations\"",
        "framework = \"axum\"",
        "out_dir = \"src/auth\"",
        "env_file = \".env\"",
        "[plugins.username]",
        "[plugins.two-factor]",
    ] {
        assert!(config.contains(line), "missing {line:?} in\n{config}");
    }
    assert!(
        config.lines().filter(|l| l.starts_with('#')).count() > 15,
        "commented"
    );
    snapshot_settings().bind(|| insta::assert_snapshot!("init_rauth_toml_axum_postgres", config));
    let check = project.rauth(&["config", "check"]).success();
    assert!(
        check.stderr.contains("plugins username, two-factor"),
        "{}",
        check.stderr
    );

    let main = project.read("src/main.rs");
    assert_eq!(
        main,
        AXUM_MAIN.replace(
            "#![forbid(unsafe_code)]\n\n",
            "#![forbid(unsafe_code)]\n\n// rauth:modules\n\n"
        )
    );

    let env = project.read(".env");
    assert!(env.contains("DATABASE_URL=postgres://"), "{env}");
    let secrets = env
        .lines()
        .find_map(|l| l.strip_prefix("AUTH_SECRETS="))
        .unwrap();
    assert_eq!(secrets.trim_matches('"').len(), "1:".len() + 64);
    let mode = std::fs::metadata(project.file(".env"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    assert!(!run.stderr.contains(secrets.trim_matches('"')));
    assert!(project.read(".gitignore").lines().any(|l| l == "/.env"));

    // Every file and key written is named, the guessed URL with it.
    for said in [
        "Wrote rauth.toml",
        "Marked src/main.rs",
        "Ignored .env in .gitignore",
        "Wrote .env (mode 0600): DATABASE_URL=postgres://postgres@127.0.0.1:5432/shop_api (a guess",
        "AUTH_SECRETS (a first secret version)",
    ] {
        assert!(run.stderr.contains(said), "{said:?} in {}", run.stderr);
    }

    // Without consent, the cargo add commands are printed, not run: only what Cargo.toml lacks.
    assert!(
        run.stderr.contains("cargo add base64@0.22"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("cargo add axum@"), "{}", run.stderr);
    // The next commands, in order: the database to create first.
    let next = &run.stderr[run.stderr.find("Next").unwrap()..];
    let create = next
        .find("create the database `shop_api` that DATABASE_URL in .env names")
        .unwrap_or_else(|| panic!("{next}"));
    let generate = next.find("rauth generate").unwrap();
    let migrate = next.find("rauth migrate").unwrap();
    assert!(create < generate && generate < migrate, "{next}");
    // Last, the `main` that serves the module: the text `rauth generate` prints once it wrote it.
    let wiring = crate::generate_code::wiring_in;
    let from_init = wiring(&run.stderr).unwrap_or_else(|| panic!("{}", run.stderr));
    assert!(
        from_init.contains("sqlx::PgPool::connect(&url)"),
        "{from_init}"
    );
    assert!(from_init.contains(".merge(auth.router())"), "{from_init}");
    let generated = project.rauth(&["generate"]).success();
    assert_eq!(wiring(&generated.stderr), Some(from_init));
}

/// `rauth init` asks for the dependencies `rauth generate` computes (two-factor's `sha1`
/// included), so `generate` asks for nothing more.
#[test]
fn init_asks_for_every_dependency_generate_needs() {
    let project = axum_service();
    let run = init(
        &project,
        &["--yes", "--plugins", "two-factor,jwt", "--no-cargo-add"],
    )
    .success();
    let commands = |stderr: &str| -> Vec<String> {
        stderr
            .lines()
            .filter_map(|l| l.trim().strip_prefix("cargo add "))
            .map(str::to_owned)
            .collect()
    };
    let from_init = commands(&run.stderr);
    assert!(from_init.iter().any(|c| c == "sha1@0.10"), "{from_init:?}");
    let generated = project.rauth(&["generate"]).success();
    let from_generate = commands(&generated.stderr);
    assert!(!from_generate.is_empty(), "{}", generated.stderr);
    assert_eq!(from_generate, from_init);
}

/// One Tap signs in with Google: choosing it brings the `[social.google]` table it needs, and
/// the result generates.
#[test]
fn one_tap_comes_with_google() {
    let project = axum_service();
    init(
        &project,
        &["--yes", "--plugins", "one-tap", "--no-cargo-add"],
    )
    .success();
    let config = project.read("rauth.toml");
    for line in [
        "[plugins.one-tap]",
        "[social.google]",
        "client_id_env = \"GOOGLE_CLIENT_ID\"",
    ] {
        assert!(config.contains(line), "missing {line:?} in\n{config}");
    }
    project.rauth(&["generate"]).success();
    assert!(project.file("src/auth/plugins/one_tap.rs").is_file());
}

#[test]
fn without_a_terminal_names_the_missing_flags_and_writes_nothing() {
    let project = axum_service();
    let run = exit_2(init(&project, &[]));
    for flag in ["--migrations", "--plugins", "--cargo-add", "--yes"] {
        assert!(run.stderr.contains(flag), "{flag} in {}", run.stderr);
    }
    // Detected: not asked.
    assert!(!run.stderr.contains("--framework"), "{}", run.stderr);
    assert!(!run.stderr.contains("--database"), "{}", run.stderr);
    assert_eq!(project.files(), ["Cargo.toml", "src/main.rs"]);
    assert!(!project.file("rauth.toml").exists());
    assert_eq!(project.read("src/main.rs"), AXUM_MAIN);

    // With a rauth.toml already there, `--yes` (keep it) is one of the flags: named once.
    project.write("rauth.toml", "");
    let run = exit_2(init(&project, &[]));
    assert_eq!(run.stderr.matches("--yes").count(), 1, "{}", run.stderr);
    assert!(
        !run.stderr.contains("Kept"),
        "nothing was kept: {}",
        run.stderr
    );
    std::fs::remove_file(project.file("rauth.toml")).unwrap();

    // Nothing to detect: everything is missing.
    let empty = bare();
    empty.write(
        "Cargo.toml",
        "[package]\nname = \"x\"\nversion = \"0.1.0\"\n",
    );
    let run = exit_2(init(&empty, &[]));
    for flag in [
        "--framework <axum|actix-web>",
        "--database <postgres|mysql|sqlite>",
        "--migrations",
        "--plugins",
    ] {
        assert!(run.stderr.contains(flag), "{flag} in {}", run.stderr);
    }

    // Every flag given: no terminal needed.
    init(
        &empty,
        &[
            "--framework",
            "actix-web",
            "--database",
            "sqlite",
            "--plugins",
            "none",
            "--migrations",
            "diesel",
            "--no-cargo-add",
        ],
    )
    .success();
    let config = empty.read("rauth.toml");
    assert!(config.contains("framework = \"actix-web\""), "{config}");
    assert!(config.contains("format = \"diesel\""), "{config}");
    assert!(!config.contains("\n[plugins."), "{config}");
    empty.rauth(&["config", "check"]).success();
}

#[test]
fn unknown_plugins_are_refused_with_a_suggestion() {
    let project = axum_service();
    let run = exit_2(init(
        &project,
        &["--yes", "--plugins", "username,two-factr"],
    ));
    assert!(
        run.stderr
            .contains("unknown plugin `two-factr`: did you mean `two-factor`?"),
        "{}",
        run.stderr
    );
    let run = exit_2(init(&project, &["--yes", "--plugins", "oauth"]));
    assert!(
        run.stderr.contains("known: username, two-factor"),
        "{}",
        run.stderr
    );
    // Known, but needing another plugin.
    let run = exit_2(init(&project, &["--yes", "--plugins", "oauth-provider"]));
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert!(run.stderr.contains("needs plugin `jwt`"), "{}", run.stderr);
    assert_eq!(project.files(), ["Cargo.toml", "src/main.rs"]);
    assert!(!project.file("rauth.toml").exists());
}

#[test]
fn a_rerun_keeps_rauth_toml_and_fills_only_what_is_missing() {
    let project = axum_service();
    init(&project, &["--yes"]).success();
    let edited = project
        .read("rauth.toml")
        .replace("name = \"shop-api\"", "name = \"Shop\"");
    project.write("rauth.toml", &edited);
    let env = project.read(".env");
    let gitignore = project.read(".gitignore");

    // No terminal, no --yes: the question about rauth.toml is a missing flag.
    let run = exit_2(init(&project, &["--no-cargo-add"]));
    assert!(run.stderr.contains("--force"), "{}", run.stderr);

    let run = init(&project, &["--yes", "--framework", "actix-web"]).success();
    assert!(run.stderr.contains("Kept rauth.toml"), "{}", run.stderr);
    assert!(
        run.stderr.contains("--framework changed nothing"),
        "{}",
        run.stderr
    );
    assert_eq!(project.read("rauth.toml"), edited);
    assert_eq!(project.read(".env"), env, "the secret stays");
    assert_eq!(project.read(".gitignore"), gitignore);
    assert_eq!(marker_count(&project.read("src/main.rs")), 1);

    // A lost secret and marker come back; the rest stays.
    project.write(".env", "DATABASE_URL=postgres://localhost/shop\n");
    project.write("src/main.rs", AXUM_MAIN);
    init(&project, &["--yes"]).success();
    assert_eq!(project.read("rauth.toml"), edited);
    let env = project.read(".env");
    assert!(
        env.starts_with("DATABASE_URL=postgres://localhost/shop\n"),
        "{env}"
    );
    assert!(env.contains("AUTH_SECRETS=\"1:"), "{env}");
    assert_eq!(marker_count(&project.read("src/main.rs")), 1);

    // Only --force replaces it.
    init(&project, &["--yes", "--force", "--framework", "actix-web"]).success();
    let replaced = project.read("rauth.toml");
    assert!(replaced.contains("framework = \"actix-web\""), "{replaced}");
    assert!(replaced.contains("name = \"shop-api\""), "{replaced}");
    assert_eq!(project.read(".env"), env, "the secret stays");
}

#[test]
fn detects_mysql_from_dotenv_and_diesel_migrations_from_diesel_toml() {
    let project = bare();
    project.write(
        "Cargo.toml",
        "[package]\nname = \"svc\"\nversion = \"0.1.0\"\n\n[dependencies]\nactix-web = \"4\"\ndiesel = { version = \"2\" }\n",
    );
    project.write("src/lib.rs", "//! Service.\n\npub mod routes;\n");
    project.write("src/main.rs", "fn main() {}\n");
    project.write(
        ".env",
        "export DATABASE_URL=\"mysql://root@localhost/svc\"\n",
    );
    project.write(
        "diesel.toml",
        "[print_schema]\nfile = \"src/schema.rs\"\n\n[migrations_directory]\ndir = \"db/migrations\"\n",
    );
    project.write(
        "db/migrations/2024-01-02-030405_users/up.sql",
        "CREATE TABLE users (id INT);\n",
    );
    project.write(
        "db/migrations/2024-01-02-030405_users/down.sql",
        "DROP TABLE users;\n",
    );

    let run = init(&project, &["--plugins", "none", "--no-cargo-add"]).success();
    assert!(
        run.stderr
            .contains("Detected svc: actix-web, mysql, diesel migrations in db/migrations/"),
        "{}",
        run.stderr
    );
    let config = project.read("rauth.toml");
    assert!(config.contains("dialect = \"mysql\""), "{config}");
    assert!(config.contains("format = \"diesel\""), "{config}");
    assert!(config.contains("dir = \"db/migrations\""), "{config}");
    // src/lib.rs is the crate root when there is one.
    assert_eq!(
        project.read("src/lib.rs"),
        "//! Service.\n\n// rauth:modules\n\npub mod routes;\n"
    );
    assert_eq!(project.read("src/main.rs"), "fn main() {}\n");
    // The existing .env keeps its line and gets a secret.
    let env = project.read(".env");
    assert!(
        env.starts_with("export DATABASE_URL=\"mysql://root@localhost/svc\"\n"),
        "{env}"
    );
    assert!(env.contains("AUTH_SECRETS="), "{env}");
    project.rauth(&["config", "check"]).success();
}

#[test]
fn existing_reversible_sqlx_migrations_are_kept_in_their_layout() {
    let project = axum_service();
    project.write(
        "migrations/20240101000000_items.up.sql",
        "CREATE TABLE items (id INT);\n",
    );
    project.write(
        "migrations/20240101000000_items.down.sql",
        "DROP TABLE items;\n",
    );
    let run = init(&project, &["--yes"]).success();
    assert!(
        run.stderr.contains("sqlx migrations in migrations/"),
        "{}",
        run.stderr
    );
    let config = project.read("rauth.toml");
    assert!(config.contains("reversible = true"), "{config}");
    project.rauth(&["config", "check"]).success();
}

#[test]
fn a_workspace_member_is_picked_by_package() {
    let project = bare();
    project.write(
        "Cargo.toml",
        "[workspace]\nmembers = [\"crates/*\"]\nresolver = \"3\"\n\n[workspace.dependencies]\nsqlx = { version = \"0.9\", features = [\"sqlite\"] }\n",
    );
    project.write(
        "crates/api/Cargo.toml",
        "[package]\nname = \"api\"\nversion = \"0.1.0\"\n\n[dependencies]\naxum = \"0.8\"\nsqlx = { workspace = true }\n",
    );
    project.write("crates/api/src/main.rs", "fn main() {}\n");
    project.write(
        "crates/worker/Cargo.toml",
        "[package]\nname = \"worker\"\nversion = \"0.1.0\"\n",
    );
    project.write("crates/worker/src/main.rs", "fn main() {}\n");

    let run = exit_2(init(&project, &["--plugins", "none", "--no-cargo-add"]));
    assert!(run.stderr.contains("--package <NAME>"), "{}", run.stderr);

    let run = exit_2(init(&project, &["--yes", "--package", "apj"]));
    assert!(
        run.stderr.contains("no workspace member `apj`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("`api`, `worker`"), "{}", run.stderr);

    let run = init(&project, &["--yes", "--package", "api"]).success();
    assert!(
        run.stderr.contains("Detected api: axum, sqlite"),
        "{}",
        run.stderr
    );
    let config = project.read("crates/api/rauth.toml");
    assert!(config.contains("dialect = \"sqlite\""), "{config}");
    assert_eq!(
        project.read("crates/api/src/main.rs"),
        "// rauth:modules\n\nfn main() {}\n"
    );
    assert!(project.file("crates/api/.env").is_file());
    assert!(project.read("crates/api/.gitignore").contains("/.env"));

    // In a git repository whose root already ignores `.env`, the member's .gitignore is left alone.
    let status = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(project.path())
        .envs([
            ("GIT_CONFIG_GLOBAL", "/dev/null"),
            ("GIT_CONFIG_NOSYSTEM", "1"),
        ])
        .status()
        .unwrap();
    assert!(status.success());
    project.write(".gitignore", "/target\n.env\n");
    project.write(
        "crates/worker/Cargo.toml",
        "[package]\nname = \"worker\"\nversion = \"0.1.0\"\n[dependencies]\naxum = \"0.8\"\n",
    );
    init(&project, &["--yes", "--package", "crates/worker"]).success();
    assert!(project.file("crates/worker/.env").is_file());
    assert!(!project.file("crates/worker/.gitignore").exists());
    assert!(!project.file("rauth.toml").exists());
}

#[test]
fn outside_a_crate_it_says_what_to_do() {
    let project = bare();
    let run = exit_2(init(&project, &["--yes"]));
    assert!(run.stderr.contains("no Cargo.toml"), "{}", run.stderr);
    assert!(run.stderr.contains("rauth new"), "{}", run.stderr);
    assert!(project.files().is_empty());
    assert!(!project.file("rauth.toml").exists());

    // `--path` points at the crate.
    project.write("svc/Cargo.toml", AXUM_MANIFEST);
    project.write("svc/src/main.rs", AXUM_MAIN);
    let run = init(&project, &["--yes", "--path", "svc"]).success();
    assert!(
        run.stderr.contains("Wrote svc/rauth.toml"),
        "{}",
        run.stderr
    );
    assert!(project.file("svc/.env").is_file());
    assert_eq!(marker_count(&project.read("svc/src/main.rs")), 1);
    assert!(!project.file("rauth.toml").exists());
}

/// A stand-in for cargo in `project/fake-bin`: logs its arguments, prints what `cargo add`
/// prints (a feature list included) and exits with `code`. The PATH that finds it first.
fn fake_cargo(project: &Project, code: i32) -> String {
    let bin = project.file("fake-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = project.file("cargo.log");
    let script = bin.join("cargo");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\necho \"$@\" >> '{}'\nname=${{2%%@*}}\necho \"      Adding $name v9.9.9 to dependencies\" >&2\necho '             Features:' >&2\necho '             + feature-list-line' >&2\nexit {code}\n",
            log.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// With consent, the missing crates are added; cargo's output is one line per crate (all of it
/// with `-v`, or when it fails).
#[test]
fn cargo_add_runs_with_consent() {
    let project = axum_service();
    let path = fake_cargo(&project, 0);
    let run = project
        .rauth_with_env(&["init", "--yes", "--cargo-add"], &[("PATH", &path)])
        .success();
    let calls = std::fs::read_to_string(project.file("cargo.log")).unwrap();
    let calls: Vec<&str> = calls.lines().collect();
    // axum and tokio (with `full`) are there already; sqlx lacks features.
    assert_eq!(calls.len(), 4, "{calls:?}");
    assert!(calls[0].starts_with("add base64@0.22 "), "{calls:?}");
    assert!(
        calls[1]
            .starts_with("add sqlx@0.9 --no-default-features --features runtime-tokio,postgres"),
        "{calls:?}"
    );
    assert_eq!(calls[3], "add scrypt@0.12 --no-default-features");
    assert!(
        run.stderr.contains("Added base64 v9.9.9\n"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("Added hex@0.4\n"), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "Added sqlx v9.9.9 (features runtime-tokio, postgres, time, migrate, macros)"
        ),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("Features:"), "{}", run.stderr);

    let verbose = axum_service();
    let path = fake_cargo(&verbose, 0);
    let run = verbose
        .rauth_with_env(&["init", "--yes", "--cargo-add", "-v"], &[("PATH", &path)])
        .success();
    assert_eq!(run.stderr.matches("Features:").count(), 4, "{}", run.stderr);

    let failing = axum_service();
    let path = fake_cargo(&failing, 101);
    let run = failing
        .rauth_with_env(&["init", "--yes", "--cargo-add"], &[("PATH", &path)])
        .failure();
    assert!(
        run.stderr.contains("`cargo add base64@0.22"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("+ feature-list-line"), "{}", run.stderr);
}

#[test]
fn help_teaches_with_examples() {
    let run = bare().rauth(&["init", "--help"]).success();
    for text in [
        "Examples:",
        "rauth init --yes",
        "--plugins",
        "--cargo-add",
        "exit 2",
    ] {
        assert!(run.stdout.contains(text), "{text} in {}", run.stdout);
    }
}

/// The wizard on a real pseudo-terminal: keys in, files out.
mod pty {
    use std::process::Command;
    use std::time::Duration;

    use expectrl::process::unix::WaitStatus;
    use expectrl::{Eof, Expect as _, Session};

    use super::{AXUM_MAIN, bare};
    use crate::support::Project;

    const DOWN: &str = "\x1b[B";
    const UP: &str = "\x1b[A";

    /// A crate that says nothing about its framework or database.
    fn undecided() -> Project {
        let project = bare();
        project.write(
            "Cargo.toml",
            "[package]\nname = \"blank\"\nversion = \"0.1.0\"\nedition = \"2024\"\n",
        );
        project.write("src/main.rs", AXUM_MAIN);
        project
    }

    fn spawn(project: &Project) -> expectrl::session::OsSession {
        let mut command = Command::new(assert_cmd::cargo::cargo_bin("rauth"));
        command
            .arg("init")
            .current_dir(project.path())
            .env("NO_COLOR", "1")
            .env("TERM", "xterm")
            .env_remove("RAUTH_CONFIG");
        let mut session = Session::spawn(command).expect("spawn rauth in a pty");
        // Tall enough for the whole plugin checklist (a shorter one pages it).
        session
            .get_process_mut()
            .set_window_size(100, 60)
            .expect("size the pty");
        session.set_expect_timeout(Some(Duration::from_secs(30)));
        session
    }

    fn exit_code(session: &expectrl::session::OsSession) -> i32 {
        match session.get_process().wait().expect("wait") {
            WaitStatus::Exited(_, code) => code,
            other => panic!("rauth did not exit: {other:?}"),
        }
    }

    /// rauth exited 130 with the cursor shown again and nothing written.
    #[track_caller]
    fn assert_cancelled(s: &mut expectrl::session::OsSession, project: &Project) {
        let rest = s.expect(Eof).unwrap();
        let shown = String::from_utf8_lossy(rest.as_bytes()).into_owned();
        assert!(
            shown.contains("\x1b[?25h"),
            "the cursor is shown again: {shown:?}"
        );
        assert!(shown.contains("nothing was written"), "{shown:?}");
        assert_eq!(exit_code(s), 130);
        assert_eq!(project.files(), ["Cargo.toml", "src/main.rs"]);
        assert!(!project.file("rauth.toml").exists());
        assert_eq!(project.read("src/main.rs"), AXUM_MAIN);
    }

    #[test]
    fn keys_in_files_out() {
        let project = undecided();
        let mut s = spawn(&project);
        s.expect("Web framework").unwrap();
        s.send(DOWN).unwrap(); // axum → actix-web
        s.send("\r").unwrap();
        s.expect("Database").unwrap();
        s.send(UP).unwrap(); // sqlite (default) → mysql
        s.send("\r").unwrap();
        s.expect("Migration files for").unwrap();
        s.send(DOWN).unwrap(); // sqlx (default) → diesel
        s.send("\r").unwrap();
        s.expect("Plugins").unwrap();
        // Plugins without endpoints say so in the checklist; the others do not.
        for (plugin, schema_only) in [("sso", true), ("oauth-provider", false)] {
            s.expect(format!("{plugin}: ").as_str()).unwrap();
            let line = s.expect("\n").unwrap();
            let line = String::from_utf8_lossy(line.before()).into_owned();
            assert_eq!(
                line.contains("[schema only"),
                schema_only,
                "{plugin}: {line:?}"
            );
        }
        s.send(" ").unwrap(); // username
        s.send(DOWN).unwrap();
        s.send(" ").unwrap(); // two-factor
        s.send("\r").unwrap();
        s.expect("Run `cargo add`").unwrap();
        s.send("n").unwrap();
        s.expect("Next").unwrap();
        s.expect(Eof).unwrap();
        assert_eq!(exit_code(&s), 0);

        let config = project.read("rauth.toml");
        for line in [
            "framework = \"actix-web\"",
            "dialect = \"mysql\"",
            "format = \"diesel\"",
            "[plugins.username]",
            "[plugins.two-factor]",
        ] {
            assert!(config.contains(line), "missing {line:?} in\n{config}");
        }
        assert!(!config.contains("[plugins.magic-link]"), "{config}");
        assert!(project.read(".env").contains("DATABASE_URL=mysql://"));
        assert_eq!(super::marker_count(&project.read("src/main.rs")), 1);
        project.rauth(&["config", "check"]).success();
    }

    #[test]
    fn ctrl_c_restores_the_cursor_and_writes_nothing() {
        let project = undecided();
        let mut s = spawn(&project);
        s.expect("Web framework").unwrap();
        s.send(DOWN).unwrap();
        s.send("\r").unwrap();
        s.expect("Database").unwrap();
        s.send("\x03").unwrap();
        assert_cancelled(&mut s, &project);
    }

    #[test]
    fn sigint_at_a_prompt_also_writes_nothing() {
        // SIGINT from outside (or a Ctrl-C while the terminal is not in raw mode) reaches the
        // signal thread instead of the prompt.
        let project = undecided();
        let mut s = spawn(&project);
        s.expect("Web framework").unwrap();
        s.get_process_mut()
            .signal(expectrl::process::unix::Signal::SIGINT)
            .unwrap();
        assert_cancelled(&mut s, &project);
    }

    #[test]
    fn a_rerun_asks_before_touching_rauth_toml() {
        let project = undecided();
        project.write("rauth.toml", "[codegen]\nframework = \"axum\"\n");
        let mut s = spawn(&project);
        s.expect("rauth.toml exists").unwrap();
        s.send("n").unwrap();
        s.expect("nothing was written").unwrap();
        s.expect(Eof).unwrap();
        assert_eq!(exit_code(&s), 0);
        assert_eq!(
            project.read("rauth.toml"),
            "[codegen]\nframework = \"axum\"\n"
        );
        assert_eq!(project.read("src/main.rs"), AXUM_MAIN);
        assert!(!project.file(".env").exists());
    }
}

#[test]
fn better_auths_secret_is_kept_so_its_users_stay_signed_in() {
    let secret = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    let project = axum_service();
    let env = format!("DATABASE_URL=postgres://localhost/shop\nBETTER_AUTH_SECRET={secret}\n");
    project.write(".env", &env);
    let run = init(&project, &["--yes"]).success();
    assert!(
        run.stderr
            .contains("keeping Better Auth's BETTER_AUTH_SECRET in .env"),
        "{}",
        run.stderr
    );
    assert_eq!(project.read(".env"), env, "no AUTH_SECRETS to win over it");

    // From the environment, without an env file: the new one holds no secret of its own.
    let project = axum_service();
    let run = project
        .rauth_with_env(
            &["init", "--yes"],
            &[("BETTER_AUTH_SECRETS", &format!("1:{secret}"))],
        )
        .success();
    assert!(
        run.stderr
            .contains("keeping Better Auth's BETTER_AUTH_SECRETS from the environment"),
        "{}",
        run.stderr
    );
    let env = project.read(".env");
    assert!(
        env.contains("DATABASE_URL=") && !env.contains("SECRET"),
        "{env}"
    );
}
