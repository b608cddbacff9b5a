//! Better Auth's own server (`tests/e2e/better-auth-server/server.mjs`: better-auth 1.7.25's
//! `auth.handler` on node:http, configured as the e2e apps are) beside a generated app.
//!
//! - **One database, one secret, both servers** (PostgreSQL, MariaDB, SQLite): a user signed up on
//!   either signs in on the other; a cookie of either is accepted by the other; a session revoked
//!   on one is gone on the other; a TOTP, a passkey and an API key made on one work on the other.
//!   The generated app runs with Better Auth's `BETTER_AUTH_SECRET` alone. The schema is made by
//!   Better Auth's own migrator; the generated app adopts it on start.
//! - **The same client session, traced on each**: `npm-client/trace.mjs` drives Better Auth's own client
//!   plugins against Better Auth's server and against a generated one, each on a fresh database,
//!   and the normalized traces must be equal.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::db::{self, TestDb};
use crate::http::{Client, Reply};
use crate::{App, ORIGIN, plugins};

const SESSION: &str = "better-auth.session_token";

#[test]
fn xserver_postgres() {
    both_servers("axum", "postgres");
}

#[test]
fn xserver_mysql() {
    both_servers("axum", "mysql");
}

/// actix-web: the axum app on SQLite caches sessions in Redis, where a revocation by another
/// server is not seen until the entry expires.
#[test]
fn xserver_sqlite() {
    both_servers("actix-web", "sqlite");
}

/// A secret of this run: the generated app and Better Auth sign and encrypt with it.
pub(crate) fn secret() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("xs{:030}{nanos:032x}", std::process::id())
}

/// A directory of this test under the system's temporary directory (`xs-…`), with one
/// subdirectory per server for its log and dev inbox.
pub(crate) fn workdir() -> tempfile::TempDir {
    let dir = tempfile::Builder::new().prefix("xs-").tempdir().unwrap();
    for server in ["rauth", "better-auth"] {
        std::fs::create_dir_all(dir.path().join(server)).unwrap();
    }
    dir
}

/// The generated app in `dir` (no `.env` there or above it), with Better Auth's name for the
/// secret, `BETTER_AUTH_SECRET`, and none of rauth's.
pub(crate) fn generated(binary: &Path, dir: &Path, db: &TestDb, secret: &str) -> App {
    let mut command = crate::app_command(binary, dir, &db.url);
    command
        .env("ADDR", "127.0.0.1:0")
        .env("BETTER_AUTH_SECRET", secret);
    for name in ["AUTH_SECRET", "AUTH_SECRETS", "BETTER_AUTH_SECRETS"] {
        command.env_remove(name);
    }
    crate::start_logged(command, dir)
}

/// Better Auth's node server on `db`, configured as the generated app of `framework` is; its
/// log and dev inbox in `dir`. `update_age` in seconds.
fn better_auth(framework: &str, dir: &Path, db: &TestDb, secret: &str, update_age: &str) -> App {
    better_auth_with(framework, dir, db, secret, update_age, &[])
}

/// [`better_auth`] with more of `server.mjs`'s settings in `env` (`PLUGINS`, `COOKIE_CACHE`, …).
pub(crate) fn better_auth_with(
    framework: &str,
    dir: &Path,
    db: &TestDb,
    secret: &str,
    update_age: &str,
    env: &[(&str, &str)],
) -> App {
    let project = crate::npm_project("better-auth-server");
    let mut command = Command::new("node");
    command
        .arg("server.mjs")
        .current_dir(&project)
        .env("DATABASE_URL", &db.url)
        .env("BETTER_AUTH_SECRET", secret)
        .env("AUTH_DEV_INBOX", dir.join("inbox"))
        .env("FRAMEWORK", framework)
        .env("JWT_ALG", plugins::jwt::alg(framework, db.dialect))
        .env("SESSION_UPDATE_AGE", update_age)
        .env("MIGRATE", "1")
        .env_remove("BETTER_AUTH_SECRETS")
        .env_remove("BETTER_AUTH_URL")
        .envs(env.iter().copied());
    crate::start_logged(command, dir)
}

/// Both servers on one database with one secret; every account artefact made on one is used
/// on the other, in both directions.
fn both_servers(framework: &'static str, dialect: &'static str) {
    if db::skipped() {
        return;
    }
    let _turn = crate::ONE_APP_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let binary = crate::app_binary(framework, dialect, "1s");
    let started = std::time::Instant::now();
    let db = TestDb::create(dialect);
    let dir = workdir();
    let secret = secret();
    // Better Auth first: its own migrator makes the schema, and the generated app adopts it on
    // start (its migration recorded as applied, nothing run), as when moving a live deployment.
    let node = better_auth(
        framework,
        &dir.path().join("better-auth"),
        &db,
        &secret,
        "1",
    );
    let rauth = generated(&binary, &dir.path().join("rauth"), &db, &secret);
    let log = std::fs::read_to_string(dir.path().join("rauth/server.log")).unwrap();
    assert!(
        log.contains("migration adopted: schema already present"),
        "{dialect}: the generated app did not adopt Better Auth's schema:\n{log}"
    );
    eprintln!("{dialect}: the generated app and Better Auth are up on one database");
    let servers = [("rauth", &rauth.client), ("better-auth", &node.client)];
    for (i, &(name, here)) in servers.iter().enumerate() {
        let (other, there) = servers[1 - i];
        let t = Pair {
            what: format!("{dialect}, made on {name}, used on {other}"),
            here,
            there,
            email: format!("xs-{name}@example.com"),
        };
        t.accounts_and_cookies();
        t.revocation();
        t.passkey(&db);
        t.api_key();
        t.two_factor();
    }
    eprintln!(
        "{dialect}: both servers took {:?} (the app's build aside)",
        started.elapsed()
    );
}

/// Two servers on one database: something made on `here` is used on `there`.
struct Pair<'a> {
    what: String,
    here: &'a Client,
    there: &'a Client,
    email: String,
}

const PASSWORD: &str = "cross server password";

impl Pair<'_> {
    fn sign_in(&self, c: &Client) -> Reply {
        let body = format!(r#"{{"email":"{}","password":"{PASSWORD}"}}"#, self.email);
        c.post_json("/api/auth/sign-in/email", &body, &[ORIGIN])
            .unwrap()
    }

    fn session_of(&self, reply: &Reply) -> String {
        reply
            .cookie(SESSION)
            .unwrap_or_else(|| panic!("{}: no session cookie: {reply:?}", self.what))
    }

    /// The email of the session `cookie` names on `c`, or null.
    fn who(c: &Client, cookie: &str) -> Value {
        c.get("/api/auth/get-session", &[("cookie", cookie)])
            .unwrap()
            .json()["user"]["email"]
            .clone()
    }

    fn post(c: &Client, path: &str, body: &str, cookie: &str) -> Reply {
        c.post_json(path, body, &[("cookie", cookie), ORIGIN])
            .unwrap()
    }

    /// Signed up here, the user signs in there; each server accepts the other's cookie.
    fn accounts_and_cookies(&self) {
        let w = &self.what;
        let up = crate::sign_up(self.here, &self.email, PASSWORD);
        assert_eq!(up.status, 200, "{w}: {}", up.body);
        let here_cookie = self.session_of(&up);
        let wrong = self.there.post_json(
            "/api/auth/sign-in/email",
            &format!(
                r#"{{"email":"{}","password":"not the password"}}"#,
                self.email
            ),
            &[],
        );
        assert_eq!(wrong.unwrap().status, 401, "{w}");
        let signed_in = self.sign_in(self.there);
        assert_eq!(signed_in.status, 200, "{w}: {}", signed_in.body);
        let there_cookie = self.session_of(&signed_in);
        assert_eq!(
            Self::who(self.there, &here_cookie),
            self.email,
            "{w}: cookie"
        );
        assert_eq!(
            Self::who(self.here, &there_cookie),
            self.email,
            "{w}: cookie"
        );
        let tampered = here_cookie.replacen('=', "=x", 1);
        assert_eq!(Self::who(self.there, &tampered), Value::Null, "{w}");
    }

    /// A session of here revoked there, and one signed out there, are gone here.
    fn revocation(&self) {
        let w = &self.what;
        let first = self.session_of(&self.sign_in(self.here));
        let second = self.session_of(&self.sign_in(self.here));
        let token = self
            .here
            .get("/api/auth/get-session", &[("cookie", &first)])
            .unwrap()
            .json()["session"]["token"]
            .as_str()
            .unwrap()
            .to_owned();
        let revoked = Self::post(
            self.there,
            "/api/auth/revoke-session",
            &format!(r#"{{"token":"{token}"}}"#),
            &second,
        );
        assert_eq!(revoked.json()["status"], true, "{w}: {}", revoked.body);
        assert_eq!(Self::who(self.here, &first), Value::Null, "{w}: revoked");
        assert_eq!(Self::who(self.here, &second), self.email, "{w}");
        let out = Self::post(self.there, "/api/auth/sign-out", "{}", &second);
        assert_eq!(out.json()["success"], true, "{w}: {}", out.body);
        assert_eq!(
            Self::who(self.here, &second),
            Value::Null,
            "{w}: signed out"
        );
    }

    /// A passkey registered here signs in there.
    fn passkey(&self, db: &TestDb) {
        let w = &self.what;
        let session = self.session_of(&self.sign_in(self.here));
        let reply = plugins::passkey::register_here_sign_in_there(
            db.dialect, db, self.here, &session, self.there,
        );
        assert_eq!(reply.status, 200, "{w}: {}", reply.body);
        let cookie = self.session_of(&reply);
        assert_eq!(Self::who(self.there, &cookie), self.email, "{w}: passkey");
    }

    /// An API key created here is a session there.
    fn api_key(&self) {
        let w = &self.what;
        let session = self.session_of(&self.sign_in(self.here));
        let created = Self::post(
            self.here,
            "/api/auth/api-key/create",
            r#"{"name":"cross server"}"#,
            &session,
        );
        assert_eq!(created.status, 200, "{w}: {}", created.body);
        let key = created.json()["key"].as_str().unwrap().to_owned();
        let by_key = self
            .there
            .get("/api/auth/get-session", &[("x-api-key", &key)])
            .unwrap();
        assert_eq!(
            by_key.json()["user"]["email"],
            self.email,
            "{w}: api key: {}",
            by_key.body
        );
    }

    /// A TOTP enrolled here verifies the sign-in there (last: the user now needs it).
    fn two_factor(&self) {
        let w = &self.what;
        let session = self.session_of(&self.sign_in(self.here));
        let password = format!(r#"{{"password":"{PASSWORD}"}}"#);
        let enabled = Self::post(
            self.here,
            "/api/auth/two-factor/enable",
            &password,
            &session,
        );
        assert_eq!(enabled.status, 200, "{w}: {}", enabled.body);
        let uri = enabled.json()["totpURI"].as_str().unwrap().to_owned();
        let code = |c: &Client, cookie: &str| {
            let body = format!(r#"{{"code":"{}"}}"#, plugins::two_factor::totp(&uri));
            Self::post(c, "/api/auth/two-factor/verify-totp", &body, cookie)
        };
        let enrolled = code(self.here, &session);
        assert_eq!(enrolled.status, 200, "{w}: {}", enrolled.body);
        let challenged = self.sign_in(self.there);
        assert_eq!(
            challenged.json()["twoFactorRedirect"],
            true,
            "{w}: {}",
            challenged.body
        );
        let pending = challenged
            .cookie("better-auth.two_factor")
            .unwrap_or_else(|| panic!("{w}: no two-factor cookie: {challenged:?}"));
        let verified = code(self.there, &pending);
        assert_eq!(verified.status, 200, "{w}: totp: {}", verified.body);
        let cookie = self.session_of(&verified);
        assert_eq!(Self::who(self.there, &cookie), self.email, "{w}: totp");
    }
}

/// The same client session against Better Auth's server and a generated one (axum on
/// PostgreSQL; `update_age` Better Auth's default day, so that no refresh depends on timing),
/// each on a fresh database; the normalized traces must be equal.
#[test]
fn xserver_trace() {
    if db::skipped() {
        return;
    }
    let _turn = crate::ONE_APP_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let (framework, dialect) = ("axum", "postgres");
    let binary = crate::app_binary(framework, dialect, "1d");
    let started = std::time::Instant::now();
    let dir = workdir();
    let secret = secret();
    let trace = |name: &str, start: &dyn Fn(&Path, &TestDb) -> App| -> PathBuf {
        let db = TestDb::create(dialect);
        let server_dir = dir.path().join(name);
        let server = start(&server_dir, &db);
        // The session's admin, written as an operator would (and as Better Auth writes users).
        crate::insert_better_auth_user(&db, "legacy@example.com");
        let q = plugins::quote(dialect);
        // Its plugins' booleans set as Better Auth sets them for its own users: a NULL there is
        // answered `false` by the generated server and `null` by Better Auth (README,
        // "Differences from Better Auth").
        db.apply(&format!(
            "UPDATE {q}user{q} SET {q}role{q} = 'admin', {q}banned{q} = false, {q}twoFactorEnabled{q} = false, \
             {q}isAnonymous{q} = false WHERE {q}email{q} = 'legacy@example.com'"
        ));
        let out = Command::new("node")
            .arg("trace.mjs")
            .args([&server.client.base_url(), ORIGIN.1])
            .arg(server_dir.join("inbox"))
            .current_dir(crate::npm_project("npm-client"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "the trace against {name} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // Kept where a person can read both after a failure.
        let file = crate::shared_target().join(format!("trace/{name}.trace"));
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, normalize(&String::from_utf8_lossy(&out.stdout))).unwrap();
        file
    };
    let better_auth_trace = trace("better-auth", &|d, db| {
        better_auth(framework, d, db, &secret, &(24 * 60 * 60).to_string())
    });
    let rauth_trace = trace("rauth", &|d, db| generated(&binary, d, db, &secret));
    let diff = Command::new("diff")
        .args(["-u", "--label", "better-auth", "--label", "rauth"])
        .arg(&better_auth_trace)
        .arg(&rauth_trace)
        .output()
        .expect("diff (GNU diffutils) is needed for this test");
    let diff = String::from_utf8_lossy(&diff.stdout);
    eprintln!(
        "trace: both sessions took {:?} (the app's build aside)",
        started.elapsed()
    );
    assert!(
        diff.is_empty(),
        "the generated server answers Better Auth's client differently from Better Auth \
         (the traces: {} and {}):\n{diff}",
        better_auth_trace.display(),
        rauth_trace.display()
    );
}

/// Differences of a trace that are deliberate, each named in the README's "Differences from
/// Better Auth" section, normalized away.
fn normalize(trace: &str) -> String {
    // A session from an API key expires with the key's session lifetime (`expires_in`, 7 days)
    // on rauth; Better Auth computes ~10 minutes by a unit bug. See "Differences from Better
    // Auth" in the README.
    let mut out = String::new();
    let mut api_key_step = false;
    for line in trace.lines() {
        if let Some(step) = line.strip_prefix("## ") {
            api_key_step = step == "api key";
        }
        if api_key_step {
            out.push_str(&line.replace("expiresAt: <date:+10m>", "expiresAt: <date:+7d>"));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}
