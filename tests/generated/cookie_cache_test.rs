//! The cookie cache (`session_data`) of each strategy, in the module that has it: Better Auth's
//! own cookies (`cookie-cache-vectors.json`, made by Better Auth 1.7.25) are read; rauth's are
//! read back only for their session, in chunks past 4050 bytes; an older secret version of the
//! keyring is accepted and the cookie re-issued with the current one; tampering is refused.
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};

const VECTORS: &str = include_str!("cookie-cache-vectors.json");

macro_rules! strategy {
    ($module:ident, $strategy:literal) => {
        mod $module {
            use crate::$module::Request;
            use crate::$module::Keyring;
            use crate::$module::core::{cookie_cache, cookies, json as shapes};
            use serde_json::{Value, json};

            fn request(cookie: Option<String>) -> Request {
                Request {
                    method: "GET".into(),
                    path: "/get-session".into(),
                    headers: cookie.map(|c| vec![("cookie".into(), c)]).unwrap_or_default(),
                    body: Vec::new(),
                    ip: None,
                    query: String::new(),
                }
            }

            fn keyring(versions: &str) -> Keyring {
                Keyring::parse(Some(versions), None).unwrap()
            }

            /// A session of `token` valid for an hour, and its user named `name`.
            fn session_and_user(token: &str, name: &str) -> (Value, Value) {
                let now = time::OffsetDateTime::now_utc();
                let session = json!({
                    "id": "s1", "token": token, "userId": "u1",
                    "expiresAt": shapes::iso(now + time::Duration::hours(1)),
                    "createdAt": shapes::iso(now), "updatedAt": shapes::iso(now),
                    "ipAddress": "", "userAgent": "",
                });
                let user = json!({ "id": "u1", "name": name, "email": "ada@example.com", "emailVerified": false });
                (session, user)
            }

            /// The `Cookie` header a browser sends back for `Set-Cookie` `lines` (deletions dropped).
            fn sent_back(lines: &[String]) -> String {
                lines
                    .iter()
                    .filter(|l| !l.contains("Max-Age=0"))
                    .map(|l| l.split(';').next().unwrap().to_owned())
                    .collect::<Vec<_>>()
                    .join("; ")
            }

            #[test]
            fn better_auths_cookie_is_read() {
                let vectors: Vec<Value> = serde_json::from_str(super::VECTORS).unwrap();
                let vector = vectors.iter().find(|v| v["strategy"] == $strategy).unwrap();
                let secret = vector["secret"].as_str().unwrap();
                let value = vector["session_data_cookie"].as_str().unwrap();
                let keyring = Keyring::parse(None, Some(secret)).unwrap();
                let decoded = cookie_cache::decode(&keyring, value).expect("Better Auth's cookie");
                let data: Value = serde_json::from_str(&decoded.text).unwrap();
                assert_eq!(data["session"]["token"], vector["token"]);
                assert_eq!(data["user"]["email"], vector["email"]);
                assert_eq!(data["version"], "1");
                assert!(!decoded.old_secret);
                let other = Keyring::parse(None, Some("another-secret-0123456789abcdef0123456789")).unwrap();
                assert!(cookie_cache::decode(&other, value).is_none(), "another secret");
            }

            #[test]
            fn rauths_cookie_is_read_back_for_its_session_only() {
                let keyring = keyring("1:first-secret-0123456789abcdef0123456789");
                let (session, user) = session_and_user("tok", "Ada");
                let lines = cookie_cache::store(&keyring, &request(None), &session, &user, true);
                assert_eq!(lines.len(), 1, "{lines:?}");
                assert!(lines[0].starts_with(&format!("{}=", cookies::name("session_data"))), "{lines:?}");
                assert!(lines[0].contains(&format!("Max-Age={}", cookie_cache::MAX_AGE)), "{lines:?}");
                let req = request(Some(sent_back(&lines)));
                let cached = cookie_cache::cached(&keyring, &req, "tok").expect("read back");
                let answer: Value = serde_json::from_str(&cached.answer).unwrap();
                assert_eq!(answer, json!({ "session": session, "user": user }));
                assert!(cached.old.is_none());
                assert!(cookie_cache::cached(&keyring, &req, "another-token").is_none(), "another session's cookie");

                // Tampered with anywhere: refused.
                let header = sent_back(&lines);
                let (name, value) = header.split_once('=').unwrap();
                for at in [value.len() / 3, value.len() / 2, value.len() - 2] {
                    let mut bytes = value.as_bytes().to_vec();
                    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
                    let tampered = format!("{name}={}", String::from_utf8(bytes).unwrap());
                    assert!(cookie_cache::cached(&keyring, &request(Some(tampered)), "tok").is_none(), "tampered at {at}");
                }

                // Not remembered: a browser-session cookie.
                let lines = cookie_cache::store(&keyring, &request(None), &session, &user, false);
                assert!(!lines[0].contains("Max-Age"), "{lines:?}");
            }

            #[test]
            fn members_are_read_where_they_lie() {
                let text = r#" { "a" : "x\"}" ,"b":{"c":[1,{"d":"}]"}]},"e": -1.5e3 , "f":null,"g":true } "#;
                assert_eq!(
                    cookie_cache::members(text).unwrap(),
                    [("a", r#""x\"}""#), ("b", r#"{"c":[1,{"d":"}]"}]}"#), ("e", "-1.5e3"), ("f", "null"), ("g", "true")]
                );
                assert_eq!(cookie_cache::members("{}").unwrap(), []);
                for malformed in [r#"{"a":}"#, r#"{"a":"x""#, r#"{"a":{"b":1}"#, "[1]", r#"{"a" 1}"#, r#"{"a":1,}"#, ""] {
                    assert!(cookie_cache::members(malformed).is_none(), "{malformed}");
                }
            }

            #[test]
            fn an_expired_session_is_not_served() {
                let keyring = keyring("1:first-secret-0123456789abcdef0123456789");
                let (mut session, user) = session_and_user("tok", "Ada");
                session["expiresAt"] = json!(shapes::iso(time::OffsetDateTime::now_utc() - time::Duration::seconds(1)));
                let lines = cookie_cache::store(&keyring, &request(None), &session, &user, true);
                let sent = sent_back(&lines);
                // The cookie itself is intact: only the session's expiry refuses it.
                assert!(cookie_cache::decode(&keyring, sent.split_once('=').unwrap().1).is_some());
                assert!(cookie_cache::cached(&keyring, &request(Some(sent)), "tok").is_none());
            }

            #[test]
            fn an_older_secret_version_is_accepted_and_reissued() {
                let old = keyring("1:old-secret-0123456789abcdef0123456789ab");
                let rotated = keyring("2:new-secret-0123456789abcdef0123456789ab,1:old-secret-0123456789abcdef0123456789ab");
                let new_only = keyring("2:new-secret-0123456789abcdef0123456789ab");
                let (session, user) = session_and_user("tok", "Ada");
                let lines = cookie_cache::store(&old, &request(None), &session, &user, true);
                let req = request(Some(sent_back(&lines)));
                let cached = cookie_cache::cached(&rotated, &req, "tok").expect("an older version's cookie");
                assert!(cached.old.is_some());
                let value = sent_back(&lines).split_once('=').unwrap().1.to_owned();
                assert!(cookie_cache::decode(&new_only, &value).is_none());
                let reissued = sent_back(&cached.reissued(&rotated, &req, true));
                let decoded = cookie_cache::decode(&new_only, reissued.split_once('=').unwrap().1).expect("re-issued with the current secret");
                assert_eq!(decoded.expires_at_ms / 1000, cached.old.as_ref().unwrap().expires_at_ms / 1000, "trusted no longer than before");
            }

            #[test]
            fn a_large_session_is_chunked_and_stale_chunks_deleted() {
                let keyring = keyring("1:first-secret-0123456789abcdef0123456789");
                let (session, user) = session_and_user("tok", &"x".repeat(9000));
                let plain = cookie_cache::store(&keyring, &request(None), &session, &session_and_user("tok", "Ada").1, true);
                let lines = cookie_cache::store(&keyring, &request(Some(sent_back(&plain))), &session, &user, true);
                let name = cookies::name("session_data");
                assert!(lines.iter().any(|l| l.starts_with(&format!("{name}=;")) && l.contains("Max-Age=0")), "the unchunked cookie is deleted: {lines:?}");
                let chunks: Vec<&String> = lines.iter().filter(|l| l.starts_with(&format!("{name}."))).collect();
                assert!(chunks.len() >= 3, "{lines:?}");
                assert!(chunks.iter().all(|l| l.len() <= 4050), "{lines:?}");
                let cached = cookie_cache::cached(&keyring, &request(Some(sent_back(&lines))), "tok").expect("chunks joined");
                let answer: Value = serde_json::from_str(&cached.answer).unwrap();
                assert_eq!(answer["user"]["name"], user["name"]);
                let smaller = cookie_cache::store(&keyring, &request(Some(sent_back(&lines))), &session, &session_and_user("tok", "Ada").1, true);
                assert_eq!(smaller.iter().filter(|l| l.contains("Max-Age=0")).count(), chunks.len(), "every chunk deleted: {smaller:?}");
            }
        }
    };
}

strategy!(auth_postgres, "compact");
strategy!(auth_mysql, "jwt");
strategy!(auth_sqlite, "jwe");

/// Every strategy has vectors.
#[test]
fn the_vectors_cover_every_strategy() {
    let vectors: Vec<Value> = serde_json::from_str(VECTORS).unwrap();
    let strategies: Vec<&Value> = vectors.iter().map(|v| &v["strategy"]).collect();
    assert_eq!(
        strategies,
        [&json!("compact"), &json!("jwt"), &json!("jwe")]
    );
}
