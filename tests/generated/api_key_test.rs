//! The api-key plugin's server-side API: keys with server-only use counts and rate limits, set
//! at creation or later, verified as a request would use them, and expired keys deleted at once.

mod common;

use rauth_generated_check::auth_sqlite::Request;
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

/// Keys of the `public` configuration (`[plugins.api-key.configs.public]`) get its prefix, key
/// length, rate limit, lifetime and required name; an absent or unknown `configId` is the
/// default configuration, as Better Auth's `resolveConfiguration`; a key is found and verified
/// only in its own configuration.
#[tokio::test]
async fn each_configuration_has_its_own_defaults() {
    let auth = common::sqlite_auth("1:api-key-config-secret-api-key-config").await;
    let user_id = sign_up(&auth, "configs@example.com").await;

    let public = auth
        .create_api_key(&user_id, &json!({ "configId": "public", "name": "web" }))
        .await
        .expect("created");
    let public_key = public["key"].as_str().expect("the key").to_owned();
    assert_eq!(public["configId"], "public");
    assert_eq!(public["prefix"], "pub_");
    assert!(
        public_key.starts_with("pub_") && public_key.len() == 4 + 32,
        "{public_key}"
    );
    assert_eq!(public["rateLimitMax"], 100);
    let expires_at = public["expiresAt"].as_str().expect("the default lifetime");
    let expires_at =
        time::OffsetDateTime::parse(expires_at, &time::format_description::well_known::Rfc3339)
            .expect("a date");
    let lifetime = expires_at - time::OffsetDateTime::now_utc();
    assert!((6..=7).contains(&lifetime.whole_days()), "{lifetime}");
    let unnamed = auth
        .create_api_key(&user_id, &json!({ "configId": "public" }))
        .await
        .expect_err("a name is required");
    assert_eq!((unnamed.status, unnamed.code), (400, "NAME_REQUIRED"));

    let plain = auth
        .create_api_key(&user_id, &json!({}))
        .await
        .expect("created");
    assert_eq!(plain["configId"], "default");
    assert_eq!(plain["rateLimitMax"], 10);
    assert!(plain["expiresAt"].is_null());
    assert_eq!(plain["key"].as_str().expect("the key").len(), 64);
    let unknown = auth
        .create_api_key(&user_id, &json!({ "configId": "no-such-config" }))
        .await
        .expect("the default configuration");
    assert_eq!(unknown["configId"], "default");

    let verified = auth
        .verify_api_key_of("public", &public_key)
        .await
        .expect("its own configuration");
    assert_eq!(verified["requestCount"], 1);
    let plain_key = plain["key"].as_str().expect("the key");
    for (config, key) in [
        ("public", plain_key),
        ("default", public_key.as_str()),
        ("no-such-config", plain_key),
    ] {
        let refused = auth
            .verify_api_key_of(config, key)
            .await
            .expect_err("another configuration's key");
        assert_eq!(
            (refused.status, refused.code),
            (401, "INVALID_API_KEY"),
            "{config}"
        );
    }
    auth.verify_api_key(&public_key)
        .await
        .expect("any configuration");

    // The key is looked up in the configuration the request names, the default one without.
    let rename = json!({ "keyId": public["id"], "name": "renamed" });
    let not_found = auth
        .update_api_key(&user_id, &rename)
        .await
        .expect_err("not a default key");
    assert_eq!((not_found.status, not_found.code), (404, "KEY_NOT_FOUND"));
    let rename = json!({ "keyId": public["id"], "configId": "public", "name": "renamed" });
    let renamed = auth
        .update_api_key(&user_id, &rename)
        .await
        .expect("updated");
    assert_eq!(renamed["name"], "renamed");
}

/// Keys of the `team` configuration belong to an organization: `organizationId` is required,
/// the user must be a member, and the creator's role may create them; the configuration's own
/// options (no rate limit, no custom expiry) apply.
#[tokio::test]
async fn organizations_own_the_keys_of_their_configuration() {
    let auth = common::sqlite_auth("1:api-key-team-secret-api-key-team-sec").await;
    let owner = sign_up(&auth, "team-owner@example.com").await;
    sqlx::query("INSERT INTO organization (id, name, slug, createdAt) VALUES ('org-1', 'Team', 'team', '2026-01-01T00:00:00.000Z')")
        .execute(auth.pool())
        .await
        .expect("organization");
    sqlx::query("INSERT INTO member (id, organizationId, userId, role, createdAt) VALUES ('m-1', 'org-1', ?, 'owner', '2026-01-01T00:00:00.000Z')")
        .bind(&owner)
        .execute(auth.pool())
        .await
        .expect("member");

    let missing = auth
        .create_api_key(&owner, &json!({ "configId": "team" }))
        .await
        .expect_err("no organization");
    assert_eq!(
        (missing.status, missing.code),
        (400, "ORGANIZATION_ID_REQUIRED")
    );
    let outsider = sign_up(&auth, "outsider@example.com").await;
    let refused = auth
        .create_api_key(
            &outsider,
            &json!({ "configId": "team", "organizationId": "org-1" }),
        )
        .await
        .expect_err("not a member");
    assert_eq!(
        (refused.status, refused.code),
        (403, "USER_NOT_MEMBER_OF_ORGANIZATION")
    );
    let custom_expiry =
        json!({ "configId": "team", "organizationId": "org-1", "expiresIn": 86_400 });
    let refused = auth
        .create_api_key(&owner, &custom_expiry)
        .await
        .expect_err("no custom expiry");
    assert_eq!(
        (refused.status, refused.code),
        (400, "KEY_DISABLED_EXPIRATION")
    );

    let created = auth
        .create_api_key(
            &owner,
            &json!({ "configId": "team", "organizationId": "org-1" }),
        )
        .await
        .expect("created");
    assert_eq!(created["referenceId"], "org-1");
    assert_eq!(created["configId"], "team");
    assert_eq!(created["rateLimitEnabled"], false);
    let key = created["key"].as_str().expect("the key");
    for _ in 0..12 {
        auth.verify_api_key_of("team", key)
            .await
            .expect("never rate limited");
    }
    let update = json!({ "keyId": created["id"], "configId": "team", "enabled": false });
    let refused = auth
        .update_api_key(&outsider, &update)
        .await
        .expect_err("not a member");
    assert_eq!(refused.code, "USER_NOT_MEMBER_OF_ORGANIZATION");
    let disabled = auth.update_api_key(&owner, &update).await.expect("updated");
    assert_eq!(disabled["enabled"], false);
}

/// Signs a user up; returns their id.
async fn sign_up(auth: &rauth_generated_check::auth_sqlite::Auth, email: &str) -> String {
    let body = format!(r#"{{"name":"Key","email":"{email}","password":"server key password"}}"#);
    let signed_up = auth
        .handle(&Request {
            method: "POST".into(),
            path: "/sign-up/email".into(),
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.into_bytes(),
            ip: Some(format!("10.1.0.{}", email.len())),
            ..Request::default()
        })
        .await;
    assert_eq!(signed_up.status, 200, "{:?}", signed_up.body);
    signed_up.body.expect("a user")["user"]["id"]
        .as_str()
        .expect("an id")
        .to_owned()
}
