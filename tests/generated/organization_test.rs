//! The organization plugin's server-side `Auth::add_member` (Better Auth's server-only
//! `addMember`): a user joins without an invitation, into a team, within the team's limit; and
//! `list-members` filters as Better Auth's `filterField` / `filterOperator` / `filterValue` do;
//! role lists are read in one spelling, whatever their spaces, commas and repeats.

mod common;

use std::sync::atomic::{AtomicU8, Ordering};

use rauth_generated_check::auth_sqlite::Auth;
use rauth_generated_check::auth_sqlite::Request;
use serde_json::{Value, json};

fn request(method: &str, path: &str, body: &str, cookie: Option<&str>) -> Request {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let mut headers = vec![("content-type".to_owned(), "application/json".to_owned())];
    if let Some(cookie) = cookie {
        headers.push(("cookie".to_owned(), cookie.to_owned()));
        headers.push(("origin".to_owned(), "http://localhost:3000".to_owned()));
    }
    Request {
        method: method.into(),
        path: path.into(),
        headers,
        body: body.as_bytes().to_vec(),
        ip: Some("127.0.0.1".into()),
        query: query.into(),
    }
}

/// Signs a user up, each from an address of its own (sign-ups are rate-limited per address);
/// returns their id and session cookie.
async fn sign_up(auth: &Auth, email: &str) -> (String, String) {
    static ADDRESSES: AtomicU8 = AtomicU8::new(1);
    let body =
        format!(r#"{{"name":"{email}","email":"{email}","password":"organization password"}}"#);
    let address = ADDRESSES.fetch_add(1, Ordering::Relaxed);
    let signed_up = auth
        .handle(&Request {
            ip: Some(format!("10.0.0.{address}")),
            ..request("POST", "/sign-up/email", &body, None)
        })
        .await;
    assert_eq!(signed_up.status, 200, "{:?}", signed_up.body);
    let id = signed_up.body.expect("a user")["user"]["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    let cookie = signed_up.set_cookies[0]
        .split(';')
        .next()
        .expect("cookie")
        .to_owned();
    (id, cookie)
}

#[tokio::test]
async fn server_side_members_and_member_filters() {
    let auth = common::sqlite_auth("1:organization-secret-organization-secret").await;
    let (_, owner) = sign_up(&auth, "owner@example.com").await;
    let created = auth
        .handle(&request(
            "POST",
            "/organization/create",
            r#"{"name":"Server","slug":"server"}"#,
            Some(&owner),
        ))
        .await;
    let organization = created.body.expect("an organization")["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    let teams = auth
        .handle(&request(
            "GET",
            "/organization/list-teams",
            "",
            Some(&owner),
        ))
        .await;
    let team = teams.body.expect("teams")[0]["id"]
        .as_str()
        .expect("the default team")
        .to_owned();

    // Added by server code, with roles and into a team; once only.
    let (admin_id, _) = sign_up(&auth, "admin@example.com").await;
    let body = json!({ "userId": admin_id, "role": ["admin", "member"], "organizationId": organization, "teamId": team });
    let added = auth.add_member(&body).await.expect("added");
    assert_eq!(
        (added["role"].as_str(), added["userId"].as_str()),
        (Some("admin,member"), Some(admin_id.as_str()))
    );
    let again = auth.add_member(&body).await.expect_err("already a member");
    assert_eq!(
        (again.status, again.code),
        (400, "USER_IS_ALREADY_A_MEMBER_OF_THIS_ORGANIZATION")
    );
    let nobody = auth
        .add_member(
            &json!({ "userId": "nobody", "role": "member", "organizationId": organization }),
        )
        .await
        .expect_err("no user");
    assert_eq!((nobody.status, nobody.code), (400, "USER_NOT_FOUND"));
    let members = auth
        .handle(&request(
            "GET",
            &format!("/organization/list-team-members?teamId={team}"),
            "",
            Some(&owner),
        ))
        .await;
    assert_eq!(
        members.body.expect("members").as_array().map(Vec::len),
        Some(2)
    );

    // A full team (3 members in the generated tier's config) refuses the whole addition.
    let (last, _) = sign_up(&auth, "third@example.com").await;
    auth.add_member(&json!({ "userId": last, "role": "member", "organizationId": organization, "teamId": team })).await.expect("a seat");
    let (late, _) = sign_up(&auth, "late@example.com").await;
    let full = auth.add_member(&json!({ "userId": late, "role": "member", "organizationId": organization, "teamId": team })).await.expect_err("full");
    assert_eq!((full.status, full.code), (403, "TEAM_MEMBER_LIMIT_REACHED"));
    let listed = auth
        .handle(&request(
            "GET",
            &format!("/organization/list-members?filterField=userId&filterValue={late}"),
            "",
            Some(&owner),
        ))
        .await;
    assert_eq!(
        listed.body.expect("members")["total"],
        0,
        "the refused member was not added"
    );

    // Filters: the total counts the filtered members.
    let count = |query: &str| {
        let auth = &auth;
        let owner = owner.clone();
        let query = query.to_owned();
        async move {
            let listed = auth
                .handle(&request(
                    "GET",
                    &format!("/organization/list-members?{query}"),
                    "",
                    Some(&owner),
                ))
                .await;
            assert_eq!(listed.status, 200, "{query}: {:?}", listed.body);
            let body: Value = listed.body.expect("members");
            (
                body["total"].as_i64().unwrap_or(-1),
                body["members"].as_array().map_or(0, Vec::len),
            )
        }
    };
    assert_eq!(count("").await, (3, 3));
    assert_eq!(count("filterField=role&filterValue=owner").await, (1, 1));
    assert_eq!(
        count("filterField=role&filterOperator=ne&filterValue=member").await,
        (2, 2)
    );
    assert_eq!(
        count("filterField=role&filterOperator=contains&filterValue=admin").await,
        (1, 1)
    );
    assert_eq!(
        count(&format!(
            "filterField=userId&filterOperator=in&filterValue={admin_id}&filterValue={last}"
        ))
        .await,
        (2, 2)
    );
    assert_eq!(
        count("filterField=role&filterValue=member&limit=0").await,
        (1, 1)
    );
    assert_eq!(
        count("filterField=role&filterOperator=in&filterValue=member&filterValue=owner&limit=1")
            .await,
        (2, 1)
    );
    let refused = auth
        .handle(&request(
            "GET",
            "/organization/list-members?filterField=password&filterValue=x",
            "",
            Some(&owner),
        ))
        .await;
    assert_eq!(refused.status, 400);
    let refused = auth
        .handle(&request(
            "GET",
            "/organization/list-members?filterField=role&filterOperator=like&filterValue=x",
            "",
            Some(&owner),
        ))
        .await;
    assert_eq!(refused.status, 400);

    // Roles from server code are parsed as a request's: unknown and empty ones refused, the
    // rest stored canonical.
    let (spaced, _) = sign_up(&auth, "spaced@example.com").await;
    for (role, code) in [
        (json!("boss"), "ROLE_NOT_FOUND"),
        (json!("member, boss"), "ROLE_NOT_FOUND"),
        (json!(" , "), "VALIDATION_ERROR"),
        (json!([]), "VALIDATION_ERROR"),
    ] {
        let refused = auth
            .add_member(&json!({ "userId": spaced, "role": role, "organizationId": organization }))
            .await
            .expect_err("refused");
        assert_eq!((refused.status, refused.code), (400, code), "{role}");
    }
    let added = auth
        .add_member(&json!({ "userId": spaced, "role": [" member ,", "member"], "organizationId": organization }))
        .await
        .expect("added");
    assert_eq!(added["role"], "member");
}
