//! `[session] cache = "redis"`: two replicas share the cache, a lookup is served from it, and a
//! change either replica makes is seen by the other at once.

use std::path::Path;

use sha2::{Digest as _, Sha256};

use crate::db::TestDb;
use crate::{ORIGIN, start_with};

pub fn across_replicas(dialect: &str, binary: &Path, dir: &Path, db: &TestDb) {
    let first = start_with(binary, dir, &db.url, &[]);
    let second = start_with(binary, dir, &db.url, &[]);
    let email = "cached@example.com";
    let signed_up = first
        .client
        .post_json(
            "/api/auth/sign-up/email",
            &format!(r#"{{"name":"Cached","email":"{email}","password":"cache password 1"}}"#),
            &[],
        )
        .unwrap();
    assert_eq!(signed_up.status, 200, "{dialect}: {}", signed_up.body);
    let cookie = signed_up.cookie("better-auth.session_token").unwrap();
    let session = |app: &crate::App| {
        app.client
            .get("/api/auth/get-session", &[("cookie", &cookie)])
            .unwrap()
            .json()
    };
    let token = session(&first)["session"]["token"]
        .as_str()
        .unwrap()
        .to_owned();

    // The lookup filled the cache under a hash of the token: Redis holds no usable token.
    let keys = cached_keys();
    let hashed = hex::encode(Sha256::digest(token.as_bytes()));
    assert!(
        keys.iter().any(|k| k.ends_with(&format!(":{hashed}"))),
        "{dialect}: no entry for the session in {keys:?}"
    );
    assert!(
        !keys.iter().any(|k| k.contains(&token)),
        "{dialect}: a raw token in {keys:?}"
    );

    // A write the app is not told of goes unseen: the other replica answers from the cache.
    let q = crate::plugins::quote(dialect);
    db.apply(&format!(
        "UPDATE {q}user{q} SET {q}name{q} = 'Renamed by SQL' WHERE {q}email{q} = '{email}'"
    ));
    assert_eq!(
        session(&second)["user"]["name"],
        "Cached",
        "{dialect}: the second replica read the database, not the cache"
    );

    // A change made through one replica is seen by the other at once.
    let updated = second
        .client
        .post_json(
            "/api/auth/update-user",
            r#"{"name":"Renamed on the second"}"#,
            &[("cookie", &cookie), ORIGIN],
        )
        .unwrap();
    assert_eq!(updated.status, 200, "{dialect}: {}", updated.body);
    assert_eq!(
        session(&first)["user"]["name"],
        "Renamed on the second",
        "{dialect}"
    );
    let signed_out = second
        .client
        .post_json("/api/auth/sign-out", "{}", &[("cookie", &cookie), ORIGIN])
        .unwrap();
    assert_eq!(signed_out.status, 200, "{dialect}: {}", signed_out.body);
    assert!(
        session(&first).is_null(),
        "{dialect}: signed out on the second replica, still signed in on the first"
    );
    drop((first, second));

    // Redis unreachable: lookups read the database.
    let without = start_with(
        binary,
        dir,
        &db.url,
        &[("REDIS_URL", "redis://127.0.0.1:9")],
    );
    let signed_in = without
        .client
        .post_json(
            "/api/auth/sign-in/email",
            &format!(r#"{{"email":"{email}","password":"cache password 1"}}"#),
            &[],
        )
        .unwrap();
    assert_eq!(signed_in.status, 200, "{dialect}: {}", signed_in.body);
    let cookie = signed_in.cookie("better-auth.session_token").unwrap();
    let found = without
        .client
        .get("/api/auth/get-session", &[("cookie", &cookie)])
        .unwrap();
    assert_eq!(
        found.json()["user"]["email"],
        email,
        "{dialect}: {}",
        found.body
    );
    let log = std::fs::read_to_string(dir.join("server.log")).unwrap();
    assert!(
        log.contains("session cache unreachable"),
        "{dialect}: the fallback is not logged"
    );
}

/// Every session-cache key in Redis.
fn cached_keys() -> Vec<String> {
    crate::redis_cli(&["--scan", "--pattern", "rauth:session:*"])
        .lines()
        .map(str::to_owned)
        .collect()
}
