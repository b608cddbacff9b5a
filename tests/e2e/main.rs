//! End-to-end tier: `rauth new` an app per database, build it (one shared target directory,
//! `target/e2e-apps`), run it, and drive it over HTTP like a browser would.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

#[path = "../support/mod.rs"]
mod support;

#[path = "../databases/db.rs"]
mod db;

mod account_links;
mod captcha;
mod cookie_cache;
mod cross_server;
mod custom_session;
mod existing_project;
mod generic_oauth;
mod http;
mod oauth_provider;
mod oauth_proxy;
mod oidc_provider;
mod one_tap;
mod open_api;
mod plugins;
mod pwned_range;
mod quick_start;
mod security;
mod session_cache;
mod siteverify;
mod siwe;
mod social;
mod stub_http;

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use db::TestDb;
use http::{Client, Reply};
use support::Project;

/// A running generated app; killed on drop.
struct App {
    child: Child,
    client: Client,
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn shared_target() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/e2e-apps")
}

/// The apps' flows run one at a time: they share Redis, the npm projects and the machine's two
/// cores. Each app is a test of its own, so one app's failure hides no other's.
static ONE_APP_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// `rauth new` + `cargo build` for `framework` and `dialect`; returns the project and the binary.
fn build_app(framework: &str, dialect: &str) -> (Project, PathBuf) {
    build_app_with(framework, dialect, "1s")
}

/// `rauth new <name>` of `framework` on `dialect`, in `app/` of a new project.
fn new_app(name: &str, framework: &str, dialect: &str) -> Project {
    let project = Project::new("");
    project
        .rauth(&[
            "new",
            name,
            "--framework",
            framework,
            "--database",
            dialect,
            "--path",
            "app",
        ])
        .success();
    project
}

/// The binaries this process built, as `<name>-<update_age>`: the same config builds the same
/// binary, so a second test wanting it (the cross-server tests) does not build it again.
static BUILT: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// The binary of the app [`build_app_with`] builds, built once per test run; the caller holds
/// [`ONE_APP_AT_A_TIME`].
fn app_binary(framework: &str, dialect: &str, update_age: &str) -> PathBuf {
    build_app_with(framework, dialect, update_age).1
}

/// [`build_app`] with the session's `update_age` (the e2e apps' `1s` shows a refresh within a
/// test; the side-by-side trace needs Better Auth's default, so that no refresh depends on
/// timing). Each binary is hard-linked to `<shared target>/apps/update-age-<update_age>/<name>`,
/// where the next build of the same name with another config does not replace it.
fn build_app_with(framework: &str, dialect: &str, update_age: &str) -> (Project, PathBuf) {
    let name = format!("e2e_{}_{dialect}", framework.replace('-', "_"));
    let project = new_app(&name, framework, dialect);
    let dir = project.file("app");
    // A short update_age, so the test sees a session refreshed; email change and deletion by
    // mailed link enabled; and rate-limit counters where `rate_limit_storage` says, so every
    // store runs.
    // Every plugin with generated code is on, so the core flows also prove they do not disturb
    // them.
    let cache = if session_cache(framework, dialect) {
        "cache = \"redis\"\n"
    } else {
        ""
    };
    let config = format!(
        "{}\n[session]\nupdate_age = \"{update_age}\"\n{cache}\n[user]\nchange_email = true\ndelete_user = true\ndelete_user_verification = true\n\n[rate_limit]\nstorage = \"{}\"\n{}\n{}\n{}",
        project.read("app/rauth.toml"),
        rate_limit_storage(framework, dialect),
        if behind_proxy(dialect) {
            "trusted_proxies = [\"127.0.0.0/8\"]\n"
        } else {
            ""
        },
        plugins::config(framework, dialect),
        social::config(framework),
    );
    project.write("app/rauth.toml", &config);
    // What `rauth generate` prints to `cargo add` for the social providers' HTTP calls and
    // their ID-token signatures.
    let manifest = project.read("app/Cargo.toml").replacen(
        "[dependencies]\n",
        "[dependencies]\njsonwebtoken = { version = \"11\", default-features = false, features = [\"rust_crypto\"] }\nreqwest = { version = \"0.12\", default-features = false, features = [\"rustls-tls\"] }\n",
        1,
    );
    project.write("app/Cargo.toml", &manifest);
    if rate_limit_storage(framework, dialect) == "redis" || session_cache(framework, dialect) {
        // What `rauth generate` prints to `cargo add` for Redis, and serde for cached rows.
        let mut manifest = project.read("app/Cargo.toml").replacen(
            "[dependencies]\n",
            "[dependencies]\nredis = { version = \"1\", default-features = false, features = [\"tokio-comp\", \"connection-manager\"] }\nserde = { version = \"1\", features = [\"derive\"] }\n",
            1,
        );
        manifest = manifest.replacen(
            "features = [\"formatting\"",
            "features = [\"serde\", \"formatting\"",
            1,
        );
        project.write("app/Cargo.toml", &manifest);
    }
    // The database store needs the `rateLimit` table: the next migration adds it.
    let regenerated = project.rauth(&["-c", "app/rauth.toml", "generate"]);
    assert_eq!(regenerated.code, 0, "{}", regenerated.stderr);
    // The file keeps the crate's name: the app's log filter (`RUST_LOG`) names it.
    let kept = shared_target()
        .join(format!("apps/update-age-{update_age}"))
        .join(&name);
    let mut built = BUILT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if built.contains(&format!("{name}-{update_age}")) {
        return (project, kept);
    }
    let lockfile =
        support::Lockfile::at(&format!("tests/e2e/lockfiles/{framework}-{dialect}.lock"));
    let out = support::cargo_for_test_crate(&shared_target())
        .arg("build")
        .args(lockfile.install(&dir))
        .current_dir(&dir)
        .output()
        .unwrap();
    let stderr = support::cargo_stderr(&out.stderr);
    assert!(
        out.status.success(),
        "the generated app does not build {}:\n{stderr}",
        lockfile.hint()
    );
    lockfile.record(&dir);
    let warnings = stderr.matches("warning:").count();
    assert_eq!(
        warnings, 0,
        "the generated app builds with warnings:\n{stderr}"
    );
    std::fs::create_dir_all(kept.parent().unwrap()).unwrap();
    let _ = std::fs::remove_file(&kept);
    std::fs::hard_link(shared_target().join("debug").join(&name), &kept).unwrap();
    built.push(format!("{name}-{update_age}"));
    (project, kept)
}

/// A small app for one plugin: `rauth new <name>` of `framework` on `dialect`, `plugins`
/// appended to its `rauth.toml` and `dependencies` (manifest lines) to its `[dependencies]`,
/// generated and built against the committed `tests/e2e/lockfiles/<lockfile>`. Returns the
/// project and its binary, which the next build of an app of the same name replaces.
fn build_small_app(
    name: &str,
    (framework, dialect): (&str, &str),
    plugins: &str,
    dependencies: &str,
    lockfile: &str,
) -> (Project, PathBuf) {
    build_small_app_edited(
        name,
        (framework, dialect),
        plugins,
        dependencies,
        lockfile,
        |_| {},
    )
}

/// [`build_small_app`], with `edit` run on the generated project before it is built (a user's
/// changes to a file of the generated module).
fn build_small_app_edited(
    name: &str,
    (framework, dialect): (&str, &str),
    plugins: &str,
    dependencies: &str,
    lockfile: &str,
    edit: impl FnOnce(&Project),
) -> (Project, PathBuf) {
    let project = new_app(name, framework, dialect);
    let config = format!("{}\n{plugins}", project.read("app/rauth.toml"));
    project.write("app/rauth.toml", &config);
    let manifest = project.read("app/Cargo.toml").replacen(
        "[dependencies]\n",
        &format!("[dependencies]\n{dependencies}"),
        1,
    );
    project.write("app/Cargo.toml", &manifest);
    project
        .rauth(&["-c", "app/rauth.toml", "generate"])
        .success();
    edit(&project);
    build_locked(&project.file("app"), lockfile);
    let binary = shared_target().join("debug").join(name);
    (project, binary)
}

/// `cargo build` of the crate in `dir` in the shared target directory, held to the committed
/// lockfile `tests/e2e/lockfiles/<lockfile>`; the build must succeed without warnings.
fn build_locked(dir: &Path, lockfile: &str) {
    let lockfile = support::Lockfile::at(&format!("tests/e2e/lockfiles/{lockfile}"));
    let out = support::cargo_for_test_crate(&shared_target())
        .arg("build")
        .args(lockfile.install(dir))
        .current_dir(dir)
        .output()
        .unwrap();
    let stderr = support::cargo_stderr(&out.stderr);
    assert!(
        out.status.success(),
        "the app does not build {}:\n{stderr}",
        lockfile.hint()
    );
    lockfile.record(dir);
    assert!(
        !stderr.contains("warning:"),
        "the app builds with warnings:\n{stderr}"
    );
}

/// Where an app keeps its rate-limit counters: in the database for actix-web; for axum in
/// memory, but in Redis on SQLite.
fn rate_limit_storage(framework: &str, dialect: &str) -> &'static str {
    match (framework, dialect) {
        ("axum", "sqlite") => "redis",
        ("axum", _) => "memory",
        _ => "database",
    }
}

/// Whether the app's config trusts loopback as a reverse proxy, so that tests can name clients
/// in `X-Forwarded-For`; on PostgreSQL it trusts no proxy, and such a header is ignored.
fn behind_proxy(dialect: &str) -> bool {
    dialect != "postgres"
}

/// Whether the app caches sessions in Redis: axum on SQLite, whose rate limits are there too.
fn session_cache(framework: &str, dialect: &str) -> bool {
    (framework, dialect) == ("axum", "sqlite")
}

/// Runs SQL on an app's database behind the app's back, as an operator would, then drops the
/// Redis session cache, as such an operator must (in code, `Auth::forget_cached_user` does it
/// for one user); an app without the cache keeps nothing there.
fn write_behind_app(db: &TestDb, sql: &str) {
    db.apply(sql);
    redis_cli(&[
        "EVAL",
        "for _, key in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', key) end return 0",
        "0",
        "rauth:session:*",
    ]);
}

/// What `redis-cli` prints for `args`, against the machine's Redis.
fn redis_cli(args: &[&str]) -> String {
    let out = Command::new("redis-cli")
        .args(["-h", "127.0.0.1"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "redis-cli {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn start(binary: &Path, dir: &Path, database_url: &str) -> App {
    start_with(binary, dir, database_url, &[])
}

/// Everything the server prints, kept in `<app>/server.log` so tests can search it.
fn log_file(dir: &Path) -> std::fs::File {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("server.log"))
        .unwrap()
}

fn start_with(binary: &Path, dir: &Path, database_url: &str, env: &[(&str, &str)]) -> App {
    let mut command = app_command(binary, dir, database_url);
    command.env("ADDR", "127.0.0.1:0").envs(env.iter().copied());
    start_logged(command, dir)
}

/// Spawns `command` (a server that listens on port 0) with its output appended to
/// `<dir>/server.log`, and waits until it logs its port and answers `/api/auth/ok`.
fn start_logged(mut command: Command, dir: &Path) -> App {
    // The app binds port 0 and logs the port it got: no other process can take it in between,
    // and the server that answers is the one started here.
    let log = dir.join("server.log");
    let logged_before = std::fs::metadata(&log).map_or(0, |m| m.len());
    let mut child = command
        .stdout(log_file(dir))
        .stderr(log_file(dir))
        .spawn()
        .unwrap();
    let started = Instant::now();
    let port = loop {
        if let Some(port) = listening_port(&log, logged_before) {
            break port;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!(
                "the app exited with {status}:\n{}",
                log_since(&log, logged_before)
            );
        }
        if started.elapsed() > Duration::from_mins(1) {
            // Not left running behind the failed test.
            let _ = child.kill();
            let _ = child.wait();
            panic!("the app did not start:\n{}", log_since(&log, logged_before));
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    // An `App` first: a failed check below kills the server as the test unwinds.
    let app = App {
        child,
        client: Client::new(port),
    };
    let ok = app.client.get("/api/auth/ok", &[]).unwrap();
    assert_eq!(ok.status, 200, "{}", ok.body);
    app
}

/// What the server logged after `offset` bytes of its log.
fn log_since(log: &Path, offset: u64) -> String {
    let text = std::fs::read(log).unwrap_or_default();
    String::from_utf8_lossy(
        text.get(usize::try_from(offset).unwrap()..)
            .unwrap_or_default(),
    )
    .into_owned()
}

/// The port of the `listening on http://127.0.0.1:<port>` line logged after `offset`.
fn listening_port(log: &Path, offset: u64) -> Option<u16> {
    let text = log_since(log, offset);
    let at = text.find("listening on http://127.0.0.1:")? + "listening on http://127.0.0.1:".len();
    let digits: String = text[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    // A line still being written has no end yet.
    text[at + digits.len()..]
        .starts_with(['\n', '\r', ' ', '\u{1b}'])
        .then(|| digits.parse().ok())?
}

/// The app's command, with the environment every run has: the database, the dev inbox and SMS
/// directory inside `dir`, Redis, the stand-in of Have I Been Pwned's range API.
fn app_command(binary: &Path, dir: &Path, database_url: &str) -> Command {
    let mut command = Command::new(binary);
    command
        .current_dir(dir)
        .env("DATABASE_URL", database_url)
        .env(
            "RUST_LOG",
            format!(
                "warn,{}=info",
                binary.file_name().unwrap().to_string_lossy()
            ),
        )
        .env("AUTH_DEV_INBOX", dir.join("inbox"))
        .env("AUTH_DEV_SMS", dir.join("sms"))
        .env("REDIS_URL", "redis://127.0.0.1:6379")
        .env("HIBP_API_URL", pwned_range::url())
        // Rate limits are on by default; the flows sign in far more often than 3 times in 10 s,
        // so they run without, and the tests of the limits turn them back on.
        .env("AUTH_RATE_LIMIT", "off");
    command
}

fn sign_up(c: &Client, email: &str, password: &str) -> Reply {
    c.post_json(
        "/api/auth/sign-up/email",
        &format!(r#"{{"name":"Ada","email":"{email}","password":"{password}"}}"#),
        &[],
    )
    .unwrap()
}

/// One test per framework and database; `cargo test --test e2e axum_postgres` runs one.
macro_rules! app_tests {
    ($($name:ident: $framework:literal on $dialect:literal;)*) => {
        $(
            #[test]
            fn $name() {
                flows_of_app($framework, $dialect);
            }
        )*
    };
}

app_tests! {
    axum_postgres: "axum" on "postgres";
    axum_mysql: "axum" on "mysql";
    axum_sqlite: "axum" on "sqlite";
    actix_web_postgres: "actix-web" on "postgres";
    actix_web_mysql: "actix-web" on "mysql";
    actix_web_sqlite: "actix-web" on "sqlite";
}

/// Builds the app of `framework` on `dialect` and drives every flow through it.
fn flows_of_app(framework: &'static str, dialect: &'static str) {
    if db::skipped() {
        return;
    }
    // A panic in another app's test poisons the lock; this app's flows are still worth running.
    let _turn = ONE_APP_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let (project, binary) = build_app(framework, dialect);
    let db = TestDb::create(dialect);
    let app = start(&binary, &project.file("app"), &db.url);
    eprintln!("{framework} on {dialect}: app is up");
    let cookie = sign_up_and_sessions(dialect, &app.client);
    refusals_sign_out_and_compatibility(dialect, &app.client, &db, &cookie);
    refresh_and_expiry(dialect, &app.client, &db);
    sessions_and_account(dialect, &app.client);
    account_links::form_sign_up_and_sign_in(dialect, &app.client);
    security::login_csrf_is_refused(dialect, &app.client);
    better_auth_npm_client(dialect, &app.client);
    email_flows(dialect, &app.client, &project.file("app/inbox"));
    plugins::flows(dialect, &app.client, &project.file("app/inbox"), &db);
    security::hostile_requests(dialect, &app.client, &project.file("app"));
    drop(app);
    dev_files_are_private(&project.file("app"));
    dev_senders_refused_in_production(dialect, &binary, &project.file("app"), &db);
    social::flows(framework, dialect, &binary, &project.file("app"), &db);
    secret_rotation(dialect, &project, &binary, &db);
    plugins::jwt::replicas(dialect, &binary, &project.file("app"));

    // Rate limits are on unless turned off: Better Auth's 3 sign-ins per 10 s per client.
    let app = start_with(
        &binary,
        &project.file("app"),
        &db.url,
        &[("AUTH_RATE_LIMIT", "on")],
    );
    if behind_proxy(dialect) {
        let statuses: Vec<u16> = (0..4).map(|_| wrong_password(&app.client).status).collect();
        assert_eq!(statuses, [401, 401, 401, 429], "{dialect}");
    } else {
        security::forged_forwarded_for_is_ignored(dialect, &app);
    }
    let limited = wrong_password(&app.client);
    assert_eq!(
        limited.json()["message"],
        "Too many requests. Please try again later."
    );
    let retry: i64 = limited.header("x-retry-after").unwrap().parse().unwrap();
    assert!(
        (1..=10).contains(&retry),
        "{dialect}: x-retry-after {retry}"
    );
    if behind_proxy(dialect) {
        security::forwarded_for_from_a_trusted_proxy(dialect, &app, &run_tag());
        if rate_limit_storage(framework, dialect) != "memory" {
            let second = start_with(
                &binary,
                &project.file("app"),
                &db.url,
                &[("AUTH_RATE_LIMIT", "on")],
            );
            account_links::shared_rate_limit(dialect, &app, &second);
        }
    }
    drop(app);
    if session_cache(framework, dialect) {
        session_cache::across_replicas(dialect, &binary, &project.file("app"), &db);
    }
}

const ORIGIN: (&str, &str) = ("origin", "http://localhost:3000");

/// A sign-in with a wrong password.
fn wrong_password(c: &Client) -> Reply {
    c.post_json(
        "/api/auth/sign-in/email",
        r#"{"email":"ada@example.com","password":"wrong password"}"#,
        &[],
    )
    .unwrap()
}

/// Two octets of this run only (`"12.34"`), for client addresses whose counters may outlive a
/// server (Redis keeps them).
fn run_tag() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{}.{}", nanos % 250, std::process::id() % 250)
}

/// The dev inbox and SMS directory (created by the app) are the user's only: 0700, and every
/// message in them 0600.
fn dev_files_are_private(app: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    for dir in ["inbox", "sms"] {
        let dir = app.join(dir);
        assert_eq!(mode(&dir), 0o700, "{}", dir.display());
        let files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert!(!files.is_empty(), "{}", dir.display());
        for file in files {
            assert_eq!(mode(&file), 0o600, "{}", file.display());
        }
    }
}

/// With `APP_ENV=production` and the default senders (a strong secret in the app's `.env`), the
/// app refuses to start, and says why and what to do.
fn dev_senders_refused_in_production(dialect: &str, binary: &Path, dir: &Path, db: &TestDb) {
    let mut child = app_command(binary, dir, &db.url)
        .env("ADDR", "127.0.0.1:0")
        .env("APP_ENV", "production")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_mins(1) {
            let _ = child.kill();
            panic!("{dialect}: the app started in production with the dev inbox");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{dialect}: {stderr}");
    assert!(
        stderr.contains(
            "the dev inbox (DevInbox) only writes files on this machine, for development; refusing to run in production (APP_ENV=production): set a real sender with Auth::with_email_sender"
        ),
        "{dialect}: {stderr}"
    );
}

/// `rauth secret rotate` then a restart logs nobody out (the old cookie is verified with the
/// old version and re-signed with the new one); `rauth secret rotate --jwks` gives the jwt plugin
/// a key encrypted with the new version; after `prune`, the old cookie is refused and that key
/// signs. No secret value ever appears in what rauth or the server printed.
fn secret_rotation(dialect: &str, project: &Project, binary: &Path, db: &TestDb) {
    let dir = project.file("app");
    let mut printed = String::new();
    let app = start(binary, &dir, &db.url);
    let body = r#"{"name":"Rot","email":"rot@example.com","password":"rotation password"}"#;
    let old = app
        .client
        .post_json("/api/auth/sign-up/email", body, &[])
        .unwrap()
        .cookie("better-auth.session_token")
        .unwrap();
    drop(app);

    let rotated = project
        .rauth(&["secret", "rotate", "--env-file", "app/.env"])
        .success();
    printed.push_str(&(rotated.stdout + &rotated.stderr));
    // Both versions are in the file now: the scan below looks for each.
    let env = project.read("app/.env");
    let app = start(binary, &dir, &db.url);
    let session = app
        .client
        .get("/api/auth/get-session", &[("cookie", &old)])
        .unwrap();
    assert_eq!(
        session.json()["user"]["email"],
        "rot@example.com",
        "{dialect}: a rotation logs nobody out"
    );
    let resigned = session
        .cookie("better-auth.session_token")
        .expect("the cookie is re-signed");
    assert_ne!(resigned, old, "{dialect}");
    // The jwt plugin's signing key follows the new secret before the old one is pruned.
    let kid = plugins::jwt::rotate_with_cli(dialect, project, &app.client, db, &resigned);
    drop(app);

    let pruned = project
        .rauth(&["secret", "prune", "--keep", "0", "--env-file", "app/.env"])
        .success();
    printed.push_str(&(pruned.stdout + &pruned.stderr));
    let app = start(binary, &dir, &db.url);
    let get = |cookie: &str| {
        app.client
            .get("/api/auth/get-session", &[("cookie", cookie)])
            .unwrap()
    };
    assert_eq!(
        get(&old).body.trim(),
        "null",
        "{dialect}: the pruned version no longer verifies"
    );
    assert_eq!(
        get(&resigned).json()["user"]["email"],
        "rot@example.com",
        "{dialect}"
    );
    assert_eq!(
        plugins::jwt::session_kid(&get(&resigned)),
        Some(kid),
        "{dialect}: the key encrypted with the current secret signs"
    );
    drop(app);

    printed.push_str(&project.read("app/server.log"));
    let secrets = env
        .lines()
        .filter_map(|l| l.strip_prefix("AUTH_SECRETS="))
        .flat_map(|v| {
            v.trim_matches('"')
                .split(',')
                .filter_map(|e| e.split_once(':').map(|(_, s)| s.to_owned()))
                .collect::<Vec<_>>()
        });
    let secrets: Vec<String> = secrets.collect();
    assert_eq!(
        secrets.len(),
        2,
        "{dialect}: the current and the previous version"
    );
    for secret in secrets {
        assert!(
            !printed.contains(&secret),
            "{dialect}: a secret was printed"
        );
    }
}

/// The newest message of `kind` to `to` in the dev inbox: its link, without the base URL.
fn inbox_link(inbox: &Path, kind: &str, to: &str) -> Option<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(inbox)
        .ok()?
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.iter().rev().find_map(|f| {
        let mail: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(f).ok()?).ok()?;
        (mail["kind"] == kind && mail["to"] == to).then(|| {
            mail["url"]
                .as_str()
                .unwrap()
                .trim_start_matches("http://localhost:3000")
                .to_owned()
        })
    })
}

/// Password reset and email verification through the dev inbox.
fn email_flows(dialect: &str, c: &Client, inbox: &Path) {
    let ask = |email: &str| {
        c.post_json(
            "/api/auth/request-password-reset",
            &format!(r#"{{"email":"{email}","redirectTo":"/reset"}}"#),
            &[],
        )
        .unwrap()
    };
    let unknown = ask("nobody@example.com");
    let known = ask("ada@example.com");
    assert_eq!(
        (unknown.status, &unknown.body),
        (known.status, &known.body),
        "{dialect}: the answer does not reveal which emails exist"
    );
    assert!(inbox_link(inbox, "reset-password", "nobody@example.com").is_none());
    let link = inbox_link(inbox, "reset-password", "ada@example.com").expect("a reset mail");
    let redirect = c.get(&link, &[]).unwrap();
    assert_eq!(redirect.status, 302, "{dialect}: {}", redirect.body);
    let location = redirect.header("location").unwrap().to_owned();
    let token = location
        .strip_prefix("/reset?token=")
        .expect("the app's page with the token")
        .to_owned();
    let reset = |password: &str| {
        c.post_json(
            "/api/auth/reset-password",
            &format!(r#"{{"token":"{token}","newPassword":"{password}"}}"#),
            &[],
        )
        .unwrap()
    };
    assert_eq!(
        reset("reset password 1").json()["status"],
        true,
        "{dialect}"
    );
    assert_eq!(
        reset("reset password 2").json()["code"],
        "INVALID_TOKEN",
        "{dialect}: a reset token works once"
    );
    let signed_in = c
        .post_json(
            "/api/auth/sign-in/email",
            r#"{"email":"ada@example.com","password":"reset password 1"}"#,
            &[],
        )
        .unwrap();
    assert_eq!(signed_in.status, 200, "{dialect}");
    assert_eq!(signed_in.json()["user"]["emailVerified"], false);

    let sent = c
        .post_json(
            "/api/auth/send-verification-email",
            r#"{"email":"ada@example.com"}"#,
            &[],
        )
        .unwrap();
    assert_eq!(sent.json()["status"], true, "{dialect}: {}", sent.body);
    let link = inbox_link(inbox, "verify-email", "ada@example.com").expect("a verification mail");
    assert_eq!(c.get(&link, &[]).unwrap().status, 302, "{dialect}");
    let cookie = signed_in.cookie("better-auth.session_token").unwrap();
    let session = c
        .get("/api/auth/get-session", &[("cookie", &cookie)])
        .unwrap();
    assert_eq!(session.json()["user"]["emailVerified"], true, "{dialect}");
    let forged = link.replace("token=", "token=x");
    assert!(
        c.get(&forged, &[])
            .unwrap()
            .header("location")
            .is_some_and(|l| l.contains("error=INVALID_TOKEN")),
        "{dialect}"
    );
    account_links::change_email(dialect, c, inbox, &cookie);
    account_links::delete_by_link(
        dialect,
        c,
        inbox,
        &cookie,
        "ada.new@example.com",
        "reset password 1",
    );
}

/// A session older than `update_age` is extended and its cookie re-set; an expired one is
/// deleted and its cookies cleared.
fn refresh_and_expiry(dialect: &str, c: &Client, db: &TestDb) {
    let body = r#"{"email":"ada@example.com","password":"correct horse battery"}"#;
    let cookie = c
        .post_json("/api/auth/sign-in/email", body, &[])
        .unwrap()
        .cookie("better-auth.session_token")
        .unwrap();
    let before = c
        .get("/api/auth/get-session", &[("cookie", &cookie)])
        .unwrap();
    std::thread::sleep(Duration::from_millis(1200));
    let after = c
        .get("/api/auth/get-session", &[("cookie", &cookie)])
        .unwrap();
    let expiry = |r: &Reply| {
        r.json()["session"]["expiresAt"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    assert!(
        expiry(&after) > expiry(&before),
        "{dialect}: the session was extended"
    );
    assert!(
        after
            .set_cookie("better-auth.session_token")
            .is_some_and(|c| c.contains("Max-Age=604800")),
        "{dialect}: cookie re-set"
    );

    let token = after.json()["session"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let q = plugins::quote(dialect);
    let past = plugins::past(dialect);
    write_behind_app(
        db,
        &format!("UPDATE {q}session{q} SET {q}expiresAt{q} = {past} WHERE {q}token{q} = '{token}'"),
    );
    let expired = c
        .get("/api/auth/get-session", &[("cookie", &cookie)])
        .unwrap();
    assert_eq!(expired.body.trim(), "null", "{dialect}");
    assert!(
        expired
            .headers
            .iter()
            .any(|(k, v)| k == "set-cookie" && v.starts_with("better-auth.session_token=;")),
        "{dialect}: cookie cleared"
    );
    let left = db.query(&format!(
        "SELECT COUNT(*) FROM {q}session{q} WHERE {q}token{q} = '{token}'"
    ));
    assert_eq!(
        left.trim(),
        "0",
        "{dialect}: the expired session row is deleted"
    );
}

/// The npm `better-auth` client (`createAuthClient`), run with node, against the server.
fn better_auth_npm_client(dialect: &str, c: &Client) {
    let got = npm_script("client.mjs", dialect, c);
    let email = got["signUp"].as_str().unwrap_or_default().to_owned();
    assert!(email.starts_with("npm-"), "{dialect}: {got}");
    let expected = serde_json::json!({
        "signUp": email, "getSession": email, "updateUser": true, "listSessions": 1,
        "changePassword": "string", "signOut": true, "afterSignOut": null, "signIn": email,
        "nameAfterSignIn": "Npm Updated", "oldPassword": "401 INVALID_EMAIL_OR_PASSWORD",
    });
    assert_eq!(got, expected, "{dialect}");
}

/// Runs `script` of `tests/e2e/npm-client/` with node against the server (`node <script>
/// <base URL> <origin>`; npm installs the client packages once) and returns the JSON it prints.
fn npm_script(script: &str, dialect: &str, c: &Client) -> serde_json::Value {
    npm_script_with(script, dialect, c, &[])
}

/// [`npm_script`] with more arguments after the origin (a dev inbox directory, …).
fn npm_script_with(script: &str, dialect: &str, c: &Client, args: &[&Path]) -> serde_json::Value {
    npm_project("npm-client");
    let base_url = c.base_url();
    let mut all = vec![base_url.as_str(), ORIGIN.1];
    all.extend(args.iter().map(|a| a.to_str().unwrap()));
    node_script(script, dialect, &all)
}

/// The node project `tests/e2e/<name>/` installed from its lockfile in the shared target
/// ([`support::npm_project`]); returns that directory.
fn npm_project(name: &str) -> PathBuf {
    let dir = shared_target().join(name);
    support::npm_project(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/e2e")
            .join(name),
        &dir,
    );
    dir
}

/// Runs `script` of the npm client directory with `args` (after [`npm_script`] installed the
/// packages and copied the scripts) and returns the JSON it printed.
fn node_script(script: &str, dialect: &str, args: &[&str]) -> serde_json::Value {
    let out = Command::new("node")
        .arg(script)
        .args(args)
        .current_dir(shared_target().join("npm-client"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{dialect}: the npm client ({script}) failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{dialect}: {script} printed no JSON ({e}):\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// Listing, revoking, updating the user, verifying and changing the password.
fn sessions_and_account(dialect: &str, c: &Client) {
    let sign_in = |password: &str| {
        let body = format!(r#"{{"email":"ada@example.com","password":"{password}"}}"#);
        c.post_json("/api/auth/sign-in/email", &body, &[]).unwrap()
    };
    let first = sign_in("correct horse battery")
        .cookie("better-auth.session_token")
        .unwrap();
    let second = sign_in("correct horse battery")
        .cookie("better-auth.session_token")
        .unwrap();

    let listed = c
        .get("/api/auth/list-sessions", &[("cookie", &second)])
        .unwrap();
    assert!(
        listed.json().as_array().is_some_and(|a| a.len() >= 2),
        "{dialect}: {}",
        listed.body
    );
    assert_eq!(c.get("/api/auth/list-sessions", &[]).unwrap().status, 401);

    let renamed = c
        .post_json(
            "/api/auth/update-user",
            r#"{"name":"Ada Lovelace"}"#,
            &[("cookie", &second), ORIGIN],
        )
        .unwrap();
    assert_eq!(
        renamed.json()["status"],
        true,
        "{dialect}: {}",
        renamed.body
    );
    // Better Auth sends the session cookie again, its expiry slid, and its token.
    assert_eq!(
        renamed.cookie("better-auth.session_token").as_deref(),
        Some(second.as_str()),
        "{dialect}"
    );
    assert!(
        renamed
            .set_cookie("better-auth.session_token")
            .is_some_and(|c| c.contains("Max-Age=604800;")),
        "{dialect}"
    );
    assert!(renamed.header("set-auth-token").is_some(), "{dialect}");
    let session = c
        .get("/api/auth/get-session", &[("cookie", &second)])
        .unwrap();
    assert_eq!(session.json()["user"]["name"], "Ada Lovelace", "{dialect}");
    let email = c
        .post_json(
            "/api/auth/update-user",
            r#"{"email":"x@example.com"}"#,
            &[("cookie", &second), ORIGIN],
        )
        .unwrap();
    assert_eq!(
        email.json()["code"],
        "EMAIL_CAN_NOT_BE_UPDATED",
        "{dialect}"
    );

    let wrong = c
        .post_json(
            "/api/auth/verify-password",
            r#"{"password":"nope nope nope"}"#,
            &[("cookie", &second), ORIGIN],
        )
        .unwrap();
    assert_eq!(
        (wrong.status, wrong.json()["code"].as_str()),
        (400, Some("INVALID_PASSWORD")),
        "{dialect}"
    );
    let right = c
        .post_json(
            "/api/auth/verify-password",
            r#"{"password":"correct horse battery"}"#,
            &[("cookie", &second), ORIGIN],
        )
        .unwrap();
    assert_eq!(right.json()["status"], true, "{dialect}");

    revocation_and_password_change(dialect, c, &first, &second);
}

/// Revoking other sessions, changing the password with revocation, revoking one session.
fn revocation_and_password_change(dialect: &str, c: &Client, first: &str, second: &str) {
    let sign_in = |password: &str| ada_signs_in(c, password);
    let alive = |cookie: &str| session_alive(c, cookie);
    let others = c
        .post_json(
            "/api/auth/revoke-other-sessions",
            "{}",
            &[("cookie", second), ORIGIN],
        )
        .unwrap();
    assert_eq!(others.json()["status"], true, "{dialect}");
    assert!(
        !alive(first) && alive(second),
        "{dialect}: only the other sessions are revoked"
    );
    assert!(
        !others.clears_cookie("better-auth.session_token"),
        "{dialect}: the current session's cookie stays"
    );

    let body = r#"{"currentPassword":"correct horse battery","newPassword":"a brand new secret","revokeOtherSessions":true}"#;
    let changed = c
        .post_json(
            "/api/auth/change-password",
            body,
            &[("cookie", second), ORIGIN],
        )
        .unwrap();
    assert_eq!(changed.status, 200, "{dialect}: {}", changed.body);
    let third = changed
        .cookie("better-auth.session_token")
        .expect("a new session");
    assert!(
        !alive(second) && alive(&third),
        "{dialect}: sessions revoked, the new one works"
    );
    assert_eq!(sign_in("correct horse battery").status, 401, "{dialect}");
    assert_eq!(sign_in("a brand new secret").status, 200, "{dialect}");

    let revoked = revoke_session(c, &third, &third);
    assert_eq!(revoked.json()["status"], true, "{dialect}");
    assert!(!alive(&third), "{dialect}");
    // Revoking the current session clears its cookies, as Better Auth does.
    for name in SESSION_COOKIES {
        assert!(revoked.clears_cookie(name), "{dialect}: {name} cleared");
    }
    // A browser that still sends the cookies of a session that is gone has them deleted by
    // /get-session, as Better Auth deletes them.
    let gone = c
        .get("/api/auth/get-session", &[("cookie", &third)])
        .unwrap();
    for name in SESSION_COOKIES {
        assert!(
            gone.clears_cookie(name),
            "{dialect}: {name}: {:?}",
            gone.headers
        );
    }

    revoke_sessions_clears_cookies(dialect, c);
}

/// Revoking another session keeps the current one's cookies; `/revoke-sessions` clears them.
fn revoke_sessions_clears_cookies(dialect: &str, c: &Client) {
    let sign_in = |password: &str| ada_signs_in(c, password);
    let alive = |cookie: &str| session_alive(c, cookie);
    let fourth = sign_in("a brand new secret")
        .cookie("better-auth.session_token")
        .unwrap();
    let fifth = sign_in("a brand new secret")
        .cookie("better-auth.session_token")
        .unwrap();
    let other = revoke_session(c, &fourth, &fifth);
    assert_eq!(other.json()["status"], true, "{dialect}");
    assert!(!alive(&fifth) && alive(&fourth), "{dialect}");
    assert!(
        !other.clears_cookie("better-auth.session_token"),
        "{dialect}: the current session's cookie stays"
    );
    let all = c
        .post_json(
            "/api/auth/revoke-sessions",
            "{}",
            &[("cookie", &fourth), ORIGIN],
        )
        .unwrap();
    assert_eq!(all.json()["status"], true, "{dialect}");
    assert!(!alive(&fourth), "{dialect}");
    for name in SESSION_COOKIES {
        assert!(all.clears_cookie(name), "{dialect}: {name} cleared");
    }
}

/// Signs `ada@example.com` in with `password`.
fn ada_signs_in(c: &Client, password: &str) -> Reply {
    let body = format!(r#"{{"email":"ada@example.com","password":"{password}"}}"#);
    c.post_json("/api/auth/sign-in/email", &body, &[]).unwrap()
}

/// Whether the session of this cookie is alive.
fn session_alive(c: &Client, cookie: &str) -> bool {
    c.get("/api/auth/get-session", &[("cookie", cookie)])
        .unwrap()
        .body
        .trim()
        != "null"
}

/// `/revoke-session` of the session of cookie `target`, signed in with cookie `current`.
fn revoke_session(c: &Client, current: &str, target: &str) -> Reply {
    let token = c
        .get("/api/auth/get-session", &[("cookie", target)])
        .unwrap()
        .json()["session"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    c.post_json(
        "/api/auth/revoke-session",
        &format!(r#"{{"token":"{token}"}}"#),
        &[("cookie", current), ORIGIN],
    )
    .unwrap()
}

/// A sign-up answered as Better Auth answers from SQL: `image` null, and no `dont_remember`
/// deletion.
fn signed_up_as_better_auth(dialect: &str, up: &Reply) {
    assert_eq!(
        up.json()["user"].get("image"),
        Some(&serde_json::Value::Null),
        "{dialect}: {}",
        up.body
    );
    assert!(
        !up.clears_cookie("better-auth.dont_remember"),
        "{dialect}: {:?}",
        up.headers
    );
}

/// The cookies Better Auth clears when the current session ends.
const SESSION_COOKIES: [&str; 3] = [
    "better-auth.session_token",
    "better-auth.session_data",
    "better-auth.dont_remember",
];

/// Sign-up, duplicates, get-session, sign-in; returns the signed-up user's session cookie.
fn sign_up_and_sessions(dialect: &str, c: &Client) -> String {
    // Sign-up signs in: a session cookie signed as Better Auth signs it.
    let up = sign_up(c, "Ada@Example.com", "correct horse battery");
    assert_eq!(up.status, 200, "{dialect}: {}", up.body);
    assert!(
        up.json()["user"]["email"] == "ada@example.com",
        "{dialect}: emails are stored lowercased"
    );
    let cookie = up
        .cookie("better-auth.session_token")
        .expect("session cookie");
    assert!(
        up.set_cookie("better-auth.session_token")
            .unwrap()
            .contains("Max-Age=604800; Path=/; HttpOnly; SameSite=Lax")
    );
    signed_up_as_better_auth(dialect, &up);

    // The same email again: 422 with Better Auth's code.
    let again = sign_up(c, "ada@example.com", "another password");
    assert_eq!(
        (again.status, again.json()["code"].as_str()),
        (422, Some("USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL")),
        "{dialect}"
    );
    let short = sign_up(c, "bob@example.com", "short");
    assert_eq!(short.json()["code"], "PASSWORD_TOO_SHORT", "{dialect}");

    // get-session with the cookie; null without or with a tampered one.
    let session = c
        .get("/api/auth/get-session", &[("cookie", &cookie)])
        .unwrap();
    assert_eq!(
        session.json()["user"]["email"],
        "ada@example.com",
        "{dialect}: {}",
        session.body
    );
    assert_eq!(session.header("cache-control"), Some("no-store"));
    assert_eq!(
        c.get("/api/auth/get-session", &[]).unwrap().body.trim(),
        "null"
    );
    let tampered = cookie.replacen(
        "better-auth.session_token=",
        "better-auth.session_token=x",
        1,
    );
    assert_eq!(
        c.get("/api/auth/get-session", &[("cookie", &tampered)])
            .unwrap()
            .body
            .trim(),
        "null",
        "{dialect}"
    );

    // Sign-in: wrong password 401; rememberMe false gives browser-session cookies.
    let wrong = c
        .post_json(
            "/api/auth/sign-in/email",
            r#"{"email":"ada@example.com","password":"wrong password"}"#,
            &[],
        )
        .unwrap();
    assert_eq!(
        (wrong.status, wrong.json()["code"].as_str()),
        (401, Some("INVALID_EMAIL_OR_PASSWORD")),
        "{dialect}"
    );
    let nobody = c
        .post_json(
            "/api/auth/sign-in/email",
            r#"{"email":"nobody@example.com","password":"whatever123"}"#,
            &[],
        )
        .unwrap();
    assert_eq!(
        nobody.status, 401,
        "{dialect}: unknown users get the same answer"
    );
    let short_lived = c
        .post_json(
            "/api/auth/sign-in/email",
            r#"{"email":"ada@example.com","password":"correct horse battery","rememberMe":false}"#,
            &[],
        )
        .unwrap();
    assert_eq!(short_lived.status, 200, "{dialect}: {}", short_lived.body);
    assert!(
        !short_lived
            .set_cookie("better-auth.session_token")
            .unwrap()
            .contains("Max-Age"),
        "{dialect}"
    );
    assert!(
        short_lived.cookie("better-auth.dont_remember").is_some(),
        "{dialect}"
    );

    // The app's own route takes the `Session` extractor.
    assert_eq!(c.get("/me", &[]).unwrap().status, 401);
    assert_eq!(
        c.get("/me", &[("cookie", &cookie)]).unwrap().json()["email"],
        "ada@example.com"
    );

    cookie
}

/// Origin checks, sign-out, malformed input, and a user written by Better Auth.
fn refusals_sign_out_and_compatibility(dialect: &str, c: &Client, db: &TestDb, cookie: &str) {
    // Redirect targets must be on this site or a trusted origin.
    let evil = c
        .post_json(
            "/api/auth/sign-in/email",
            r#"{"email":"ada@example.com","password":"correct horse battery","callbackURL":"https://evil.example/steal"}"#,
            &[],
        )
        .unwrap();
    assert_eq!(
        (evil.status, evil.json()["code"].as_str()),
        (403, Some("INVALID_CALLBACK_URL")),
        "{dialect}"
    );
    let home = c
        .post_json(
            "/api/auth/sign-in/email",
            r#"{"email":"ada@example.com","password":"correct horse battery","callbackURL":"/dashboard"}"#,
            &[],
        )
        .unwrap();
    assert_eq!(
        (home.json()["redirect"].as_bool(), home.header("location")),
        (Some(true), Some("/dashboard")),
        "{dialect}"
    );

    // Cookie-bearing mutations from a foreign origin are refused.
    let foreign = c
        .post_json(
            "/api/auth/sign-out",
            "{}",
            &[("cookie", cookie), ("origin", "http://evil.example")],
        )
        .unwrap();
    assert_eq!(
        (foreign.status, foreign.json()["code"].as_str()),
        (403, Some("INVALID_ORIGIN")),
        "{dialect}"
    );

    // Sign-out ends the session.
    let out = c
        .post_json(
            "/api/auth/sign-out",
            "{}",
            &[("cookie", cookie), ("origin", "http://localhost:3000")],
        )
        .unwrap();
    assert_eq!(out.json()["success"], true, "{dialect}: {}", out.body);
    assert_eq!(
        c.get("/api/auth/get-session", &[("cookie", cookie)])
            .unwrap()
            .body
            .trim(),
        "null",
        "{dialect}"
    );

    // Malformed input is a 4xx with a code, never a 500; unknown paths 404.
    let garbage = c
        .post_raw("/api/auth/sign-in/email", "application/json", "{not json")
        .unwrap();
    assert_eq!(
        (garbage.status, garbage.json()["code"].as_str()),
        (400, Some("VALIDATION_ERROR")),
        "{dialect}"
    );
    let wrong_type = c
        .post_json(
            "/api/auth/sign-in/email",
            r#"{"email":5,"password":"x"}"#,
            &[],
        )
        .unwrap();
    assert_eq!(wrong_type.status, 400, "{dialect}");
    assert_eq!(
        c.get("/api/auth/no-such-endpoint", &[]).unwrap().status,
        404
    );

    // A user written the way Better Auth writes it signs in here (hash from Better Auth).
    insert_better_auth_user(db, "legacy@example.com");
    let legacy = c
        .post_json(
            "/api/auth/sign-in/email",
            r#"{"email":"legacy@example.com","password":"password1234"}"#,
            &[],
        )
        .unwrap();
    assert_eq!(legacy.status, 200, "{dialect}: {}", legacy.body);
}

/// A user and credential account exactly as Better Auth stores them, with a hash from
/// `vectors.json` (password `password1234`).
fn insert_better_auth_user(db: &TestDb, email: &str) {
    let hash = "45f3e67a9759e140fadb2ba2def7b4af:b91e3e7d71b18d7b095e98bf94a8a1c1783bebfa803891e14c6aaa11f1d96bb56450cc112d6e38e2bd432798ca3a803ba35709ac4903265b8abb8e0c98bb920c";
    let (q, now, no) = match db.dialect {
        "mysql" => ('`', "CURRENT_TIMESTAMP(3)", "0"),
        "postgres" => ('"', "CURRENT_TIMESTAMP", "false"),
        _ => ('"', "'2026-11-26T21:11:52.501Z'", "0"),
    };
    let sql = format!(
        "INSERT INTO {q}user{q} ({q}id{q}, {q}name{q}, {q}email{q}, {q}emailVerified{q}, {q}createdAt{q}, {q}updatedAt{q}) VALUES ('BaUser0000000000000000000000001', 'Legacy', '{email}', {no}, {now}, {now});\n\
         INSERT INTO {q}account{q} ({q}id{q}, {q}accountId{q}, {q}providerId{q}, {q}userId{q}, {q}password{q}, {q}createdAt{q}, {q}updatedAt{q}) VALUES ('BaAcct0000000000000000000000001', 'BaUser0000000000000000000000001', 'credential', 'BaUser0000000000000000000000001', '{hash}', {now}, {now});"
    );
    db.apply(&sql);
}
