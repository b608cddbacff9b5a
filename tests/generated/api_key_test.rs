//! The api-key plugin's server-side API: keys with server-only use counts and rate limits, set
//! at creation or later, verified as a request would use them, and expired keys deleted at once.

mod common;

use rauth_generated_check::auth_sqlite::api::Request;
use serde_json::json;

#[tokio::test]
async fn server_side_api_keys() {
    let auth = common::sqlite_auth("1:api-key-secret-api-key-secret-api-key").await;
    let signed_up = auth
        .handle(&Request {
            method: "POST".into(),
            path: "/sign-up/email".into(),
            headers: vec![("content-type".into(), "application/json".into())],
            body: br#"{"name":"Key","email":"key@example.com","password":"server key password"}"#
                .to_vec(),
            ..Request::default()
        })
        .await;
    let user_id = signed_up.body.expect("a user")["user"]["id"]
        .as_str()
        .expect("an id")
        .to_owned();

    // Server code may set what clients may not: a use count and permissions.
    let options =
        json!({ "remaining": 2, "rateLimitEnabled": false, "permissions": { "files": ["read"] } });
    let created = auth
        .create_api_key(&user_id, &options)
        .await
        .expect("created");
    assert_eq!(created["remaining"], 2);
    assert_eq!(created["permissions"], json!({ "files": ["read"] }));
    assert_eq!(created["referenceId"], user_id.as_str());
    let key = created["key"].as_str().expect("the key").to_owned();
    for left in [1, 0] {
        let verified = auth.verify_api_key(&key).await.expect("verified");
        assert_eq!(verified["remaining"], left);
        assert!(verified.get("key").is_none());
    }
    let exhausted = auth.verify_api_key(&key).await.expect_err("no uses left");
    assert_eq!((exhausted.status, exhausted.code), (429, "USAGE_EXCEEDED"));
    let refill_alone = json!({ "refillAmount": 5 });
    let refused = auth
        .create_api_key(&user_id, &refill_alone)
        .await
        .expect_err("refused");
    assert_eq!(refused.code, "REFILL_AMOUNT_AND_INTERVAL_REQUIRED");

    // Server code changes what clients cannot: the use count and the rate limit.
    let limited = auth
        .create_api_key(&user_id, &json!({ "name": "limited" }))
        .await
        .expect("created");
    let changes = json!({ "keyId": limited["id"], "remaining": 3, "rateLimitMax": 1 });
    let updated = auth
        .update_api_key(&user_id, &changes)
        .await
        .expect("updated");
    assert_eq!(
        (&updated["remaining"], &updated["rateLimitMax"]),
        (&json!(3), &json!(1))
    );
    let limited_key = limited["key"].as_str().expect("the key");
    let verified = auth.verify_api_key(limited_key).await.expect("verified");
    assert_eq!(verified["remaining"], 2);
    let over = auth
        .verify_api_key(limited_key)
        .await
        .expect_err("over the limit");
    assert_eq!((over.status, over.code), (429, "RATE_LIMITED"));
    let changes = json!({ "keyId": limited["id"], "refillInterval": 1000 });
    let refused = auth
        .update_api_key(&user_id, &changes)
        .await
        .expect_err("refused");
    assert_eq!(refused.code, "REFILL_INTERVAL_AND_AMOUNT_REQUIRED");

    let expiring = auth
        .create_api_key(&user_id, &json!({ "expiresIn": 86_400 }))
        .await
        .expect("created");
    auth.create_api_key(&user_id, &json!({ "name": "kept" }))
        .await
        .expect("created");
    sqlx::query("UPDATE apikey SET expiresAt = '2000-01-01T00:00:00.000Z' WHERE id = ?")
        .bind(expiring["id"].as_str())
        .execute(auth.pool())
        .await
        .expect("expired");
    assert_eq!(
        auth.delete_all_expired_api_keys().await.expect("deleted"),
        1
    );
    let names: Vec<Option<String>> = sqlx::query_scalar("SELECT name FROM apikey ORDER BY name")
        .fetch_all(auth.pool())
        .await
        .expect("names");
    assert_eq!(names, [Some("kept".to_owned()), Some("limited".to_owned())]);
}
