//! The cookie cache (`[session.cookie_cache]`, Better Auth's `session.cookieCache`) across
//! servers: a `rauth new` app and Better Auth's own server (core only, the same strategy and
//! `max_age`) on one database with one secret. For each server, the `session_data` cookie it sets
//! is read by the other: with the session's row deleted, the other still answers `/get-session`
//! from the cookie; `disableCookieCache=true` reads the database (no session); once `max_age` has
//! passed, so does a plain `/get-session`. One strategy per database: compact on PostgreSQL, jwt
//! on MariaDB, jwe on SQLite (actix-web).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::db::{self, TestDb};
use crate::http::{Client, Reply};
use crate::{ONE_APP_AT_A_TIME, ORIGIN, build_locked, cross_server, new_app, shared_target};

/// Seconds both servers trust a cache cookie: short, so the test sees one go stale.
const MAX_AGE: u64 = 5;

const TOKEN: &str = "better-auth.session_token";
const DATA: &str = "better-auth.session_data";

#[test]
fn cookie_cache_postgres_compact() {
    interop("axum", "postgres", "compact");
}

#[test]
fn cookie_cache_mysql_jwt() {
    interop("axum", "mysql", "jwt");
}

#[test]
fn cookie_cache_sqlite_jwe() {
    interop("actix-web", "sqlite", "jwe");
}

/// A `rauth new` app of `framework` on `dialect` with the cookie cache on, built once.
fn app(framework: &str, dialect: &str, strategy: &str) -> PathBuf {
    let name = format!("cookie_cache_{dialect}");
    let project = new_app(&name, framework, dialect);
    let config = format!(
        "{}\n[session.cookie_cache]\nenabled = true\nstrategy = \"{strategy}\"\nmax_age = \"{MAX_AGE}s\"\n",
        project.read("app/rauth.toml")
    );
    project.write("app/rauth.toml", &config);
    let generated = project
        .rauth(&["-c", "app/rauth.toml", "generate"])
        .success();
    if strategy == "jwe" {
        // What `rauth generate` asks to `cargo add` for the encrypted cache.
        assert!(
            generated
                .stderr
                .contains("cargo add aes@0.8 cbc@0.1 hkdf@0.12"),
            "{}",
            generated.stderr
        );
        let manifest = project.read("app/Cargo.toml").replacen(
            "[dependencies]\n",
            "[dependencies]\naes = \"0.8\"\ncbc = { version = \"0.1\", features = [\"alloc\"] }\nhkdf = \"0.12\"\n",
            1,
        );
        project.write("app/Cargo.toml", &manifest);
    }
    build_locked(
        &project.file("app"),
        &format!("cookie-cache-{dialect}.lock"),
    );
    shared_target().join("debug").join(name)
}

fn interop(framework: &str, dialect: &'static str, strategy: &str) {
    if db::skipped() {
        return;
    }
    let _turn = ONE_APP_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let binary = app(framework, dialect, strategy);
    let db = TestDb::create(dialect);
    let dir = cross_server::workdir();
    let secret = cross_server::secret();
    let max_age = MAX_AGE.to_string();
    let node = cross_server::better_auth_with(
        framework,
        &dir.path().join("better-auth"),
        &db,
        &secret,
        "86400",
        &[
            ("PLUGINS", "none"),
            ("COOKIE_CACHE", strategy),
            ("COOKIE_CACHE_MAX_AGE", &max_age),
        ],
    );
    let rauth = cross_server::generated(&binary, &dir.path().join("rauth"), &db, &secret);
    let servers = [("rauth", &rauth.client), ("better-auth", &node.client)];
    for (i, &(name, here)) in servers.iter().enumerate() {
        let (other, there) = servers[1 - i];
        let what = format!("{dialect}, {strategy}: cached by {name}, read by {other}");
        let email = format!("cc-{name}@example.com");
        let (cookies, cached_at) = cached_session(here, &email, &what);
        // `<token>.<signature>`: encodeURIComponent leaves the dot as it is.
        let token = cookies
            .strip_prefix(&format!("{TOKEN}="))
            .and_then(|v| v.split('.').next())
            .unwrap();
        db.apply(&format!("DELETE FROM session WHERE token = '{token}'"));

        let from_cookie = get_session(there, &cookies, "");
        assert_eq!(
            from_cookie.json()["user"]["email"],
            email,
            "{what}: the row is gone, the cookie still holds the session: {}",
            from_cookie.body
        );
        let bypassed = get_session(there, &cookies, "?disableCookieCache=true");
        assert_eq!(
            bypassed.json(),
            Value::Null,
            "{what}: disableCookieCache reads the database: {}",
            bypassed.body
        );
        let deadline = cached_at + Duration::from_secs(MAX_AGE + 1);
        std::thread::sleep(deadline.saturating_duration_since(Instant::now()));
        let stale = get_session(there, &cookies, "");
        assert_eq!(
            stale.json(),
            Value::Null,
            "{what}: past max_age the database is read: {}",
            stale.body
        );
    }

    // Signing out drops the cache with the session.
    let (cookies, _) = cached_session(&rauth.client, "cc-out@example.com", "sign-out");
    let out = rauth
        .client
        .post_json("/api/auth/sign-out", "{}", &[("cookie", &cookies), ORIGIN])
        .unwrap();
    assert_eq!(out.status, 200, "{}", out.body);
    assert!(out.clears_cookie(DATA), "{:?}", out.headers);
}

/// Signs `email` up on `server`, then reads its session once (the database read that fills the
/// cache): the `Cookie` header with both cookies, and when the cache was set.
fn cached_session(server: &Client, email: &str, what: &str) -> (String, Instant) {
    let body =
        format!(r#"{{"name":"Cache","email":"{email}","password":"correct horse battery"}}"#);
    let up = server
        .post_json("/api/auth/sign-up/email", &body, &[ORIGIN])
        .unwrap();
    assert_eq!(up.status, 200, "{what}: {}", up.body);
    let token = up
        .cookie(TOKEN)
        .unwrap_or_else(|| panic!("{what}: {:?}", up.headers));
    let cached_at = Instant::now();
    let read = get_session(server, &token, "");
    assert_eq!(read.json()["user"]["email"], email, "{what}: {}", read.body);
    let data = read.cookie(DATA).unwrap_or_else(|| {
        panic!(
            "{what}: get-session sets no cache cookie: {:?}",
            read.headers
        )
    });
    (format!("{token}; {data}"), cached_at)
}

fn get_session(server: &Client, cookies: &str, query: &str) -> Reply {
    let reply = server
        .get(
            &format!("/api/auth/get-session{query}"),
            &[("cookie", cookies)],
        )
        .unwrap();
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply
}
