//! `[plugins.organization]`: an owner creates an organization and invites a member by mail; the
//! invitee accepts; the default roles hold (a member may not invite, update the organization or
//! remove others, an admin may invite but not delete it); a removed member is refused; and
//! Better Auth's own `organizationClient` runs the main flow.

use std::path::Path;

use serde_json::Value;

use super::{mails, past, quote};
use crate::db::TestDb;
use crate::http::{Client, Reply};
use crate::{ORIGIN, sign_up};

pub fn flows(dialect: &str, c: &Client, inbox: &Path, db: &TestDb) {
    let owner = User::new(dialect, c, "org-owner@example.com");
    let org = create_and_list(&owner);
    let member = User::new(dialect, c, "org-member@example.com");
    invite_and_accept(&owner, &member, inbox, &org);
    member_is_refused(&member, &org);
    let (admin_member_id, third) = admin_invites(&owner, &member, inbox, &org);
    invitation_answers(&owner, &third, inbox, db, &org);
    update_and_members(&owner, &org);
    removal(&owner, &member, &admin_member_id, &org);
    deletion(&owner, &org);
    npm_organization_client(dialect, c, inbox);
}

/// A signed-up user and their session cookie.
struct User<'a> {
    dialect: &'a str,
    c: &'a Client,
    email: String,
    cookie: String,
}

impl<'a> User<'a> {
    fn new(dialect: &'a str, c: &'a Client, email: &str) -> Self {
        let up = sign_up(c, email, "organization password");
        assert_eq!(up.status, 200, "{dialect}: {}", up.body);
        let cookie = up.cookie("better-auth.session_token").unwrap();
        Self {
            dialect,
            c,
            email: email.to_owned(),
            cookie,
        }
    }

    fn post(&self, path: &str, body: &str) -> Reply {
        self.c
            .post_json(
                &format!("/api/auth/organization/{path}"),
                body,
                &[("cookie", &self.cookie), ORIGIN],
            )
            .unwrap()
    }

    /// Accepts, rejects or cancels the invitation `id`.
    fn answer(&self, action: &str, id: &str) -> Reply {
        self.post(
            &format!("{action}-invitation"),
            &format!(r#"{{"invitationId":"{id}"}}"#),
        )
    }

    fn get(&self, path: &str) -> Reply {
        self.c
            .get(
                &format!("/api/auth/organization/{path}"),
                &[("cookie", &self.cookie)],
            )
            .unwrap()
    }

    /// The reply's JSON, after checking it is a 200.
    fn ok(&self, reply: &Reply) -> Value {
        assert_eq!(reply.status, 200, "{}: {}", self.dialect, reply.body);
        reply.json()
    }

    /// Checks a refusal's status and code.
    fn refused(&self, reply: &Reply, status: u16, code: &str) {
        super::refused(self.dialect, reply, status, code);
    }

    fn active_organization(&self) -> Value {
        let got = self
            .c
            .get("/api/auth/get-session", &[("cookie", &self.cookie)])
            .unwrap();
        got.json()["session"]["activeOrganizationId"].clone()
    }
}

/// The id of the newest invitation mailed to `to`, from the link `<base>/accept-invitation/<id>`.
fn mailed_invitation(inbox: &Path, to: &str) -> String {
    let mail = mails(inbox, "organization-invitation", to)
        .pop()
        .expect("an invitation mail");
    let url = mail["url"].as_str().unwrap();
    assert!(
        url.starts_with("http://localhost:3000/accept-invitation/"),
        "{url}"
    );
    url.rsplit('/').next().unwrap().to_owned()
}

/// Creates `acme`, its creator the owner and the session's active organization; slugs are unique.
fn create_and_list(owner: &User) -> String {
    let anonymous = owner
        .c
        .post_json(
            "/api/auth/organization/create",
            r#"{"name":"Acme","slug":"acme"}"#,
            &[],
        )
        .unwrap();
    assert_eq!(anonymous.status, 401, "{}", owner.dialect);
    owner.refused(
        &owner.post("create", r#"{"name":"","slug":"acme"}"#),
        400,
        "VALIDATION_ERROR",
    );
    let created = owner.ok(&owner.post(
        "create",
        r#"{"name":"Acme","slug":"acme","metadata":{"plan":"pro"}}"#,
    ));
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["slug"], "acme", "{}", owner.dialect);
    assert_eq!(created["metadata"]["plan"], "pro", "{}", owner.dialect);
    assert_eq!(created["members"][0]["role"], "owner", "{}", owner.dialect);
    assert_eq!(
        owner.active_organization(),
        Value::from(id.clone()),
        "{}",
        owner.dialect
    );
    owner.refused(
        &owner.post("create", r#"{"name":"Other","slug":"acme"}"#),
        400,
        "ORGANIZATION_ALREADY_EXISTS",
    );
    owner.refused(
        &owner.post("check-slug", r#"{"slug":"acme"}"#),
        400,
        "ORGANIZATION_SLUG_ALREADY_TAKEN",
    );
    assert_eq!(
        owner.ok(&owner.post("check-slug", r#"{"slug":"free-slug"}"#))["status"],
        true
    );
    // A second organization, created without changing the active one.
    let second = owner.ok(&owner.post(
        "create",
        r#"{"name":"Side","slug":"side","keepCurrentActiveOrganization":true}"#,
    ));
    assert_eq!(
        owner.active_organization(),
        Value::from(id.clone()),
        "{}",
        owner.dialect
    );
    let listed = owner.ok(&owner.get("list"));
    let slugs: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o["slug"].as_str())
        .collect();
    assert_eq!(slugs, ["acme", "side"], "{}", owner.dialect);
    let set = owner.ok(&owner.post(
        "set-active",
        &format!(
            r#"{{"organizationId":"{}"}}"#,
            second["id"].as_str().unwrap()
        ),
    ));
    assert_eq!(set["slug"], "side", "{}", owner.dialect);
    let set = owner.ok(&owner.post("set-active", r#"{"organizationSlug":"acme"}"#));
    assert_eq!(set["id"], Value::from(id.clone()), "{}", owner.dialect);
    id
}

/// The owner invites a member by mail; the invitation is for that address only, and only once.
fn invite_and_accept(owner: &User, member: &User, inbox: &Path, org: &str) {
    let invite = format!(
        r#"{{"email":"{}","role":"member"}}"#,
        member.email.to_uppercase()
    );
    let invitation = owner.ok(&owner.post("invite-member", &invite));
    assert_eq!(
        (
            invitation["email"].as_str(),
            invitation["status"].as_str(),
            invitation["role"].as_str()
        ),
        (Some(member.email.as_str()), Some("pending"), Some("member")),
        "{}",
        owner.dialect
    );
    owner.refused(
        &owner.post("invite-member", &invite),
        400,
        "USER_IS_ALREADY_INVITED_TO_THIS_ORGANIZATION",
    );
    let unknown_role = owner.post(
        "invite-member",
        r#"{"email":"x@example.com","role":"boss"}"#,
    );
    assert_eq!(
        (unknown_role.status, unknown_role.json()["message"].as_str()),
        (400, Some("ROLE_NOT_FOUND: boss")),
        "{}",
        owner.dialect
    );
    let id = mailed_invitation(inbox, &member.email);
    assert_eq!(
        invitation["id"].as_str(),
        Some(id.as_str()),
        "{}",
        owner.dialect
    );

    // Someone else cannot read or accept it.
    owner.refused(
        &owner.get(&format!("get-invitation?id={id}")),
        403,
        "YOU_ARE_NOT_THE_RECIPIENT_OF_THE_INVITATION",
    );
    owner.refused(
        &owner.answer("accept", &id),
        403,
        "YOU_ARE_NOT_THE_RECIPIENT_OF_THE_INVITATION",
    );
    let got = member.ok(&member.get(&format!("get-invitation?id={id}")));
    assert_eq!(
        (
            got["organizationName"].as_str(),
            got["organizationSlug"].as_str(),
            got["inviterEmail"].as_str()
        ),
        (Some("Acme"), Some("acme"), Some(owner.email.as_str())),
        "{}",
        member.dialect
    );
    let accepted = member.ok(&member.answer("accept", &id));
    assert_eq!(
        accepted["invitation"]["status"], "accepted",
        "{}",
        member.dialect
    );
    assert_eq!(accepted["member"]["role"], "member", "{}", member.dialect);
    assert_eq!(
        accepted["member"]["organizationId"],
        Value::from(org),
        "{}",
        member.dialect
    );
    assert_eq!(
        member.active_organization(),
        Value::from(org),
        "{}",
        member.dialect
    );
    member.refused(&member.answer("accept", &id), 400, "INVITATION_NOT_FOUND");
    let active = member.ok(&member.get("get-active-member"));
    assert_eq!(
        (active["role"].as_str(), active["user"]["email"].as_str()),
        (Some("member"), Some(member.email.as_str())),
        "{}",
        member.dialect
    );
}

/// A plain member may read the organization but not invite, update it or remove anyone.
fn member_is_refused(member: &User, org: &str) {
    let full = member.ok(&member.get("get-full-organization"));
    assert_eq!(full["id"], Value::from(org), "{}", member.dialect);
    assert_eq!(
        full["members"].as_array().unwrap().len(),
        2,
        "{}",
        member.dialect
    );
    member.refused(
        &member.post(
            "invite-member",
            r#"{"email":"someone@example.com","role":"member"}"#,
        ),
        403,
        "YOU_ARE_NOT_ALLOWED_TO_INVITE_USERS_TO_THIS_ORGANIZATION",
    );
    member.refused(
        &member.post("update", r#"{"data":{"name":"Taken over"}}"#),
        403,
        "YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_ORGANIZATION",
    );
    member.refused(
        &member.post(
            "remove-member",
            r#"{"memberIdOrEmail":"org-owner@example.com"}"#,
        ),
        400,
        "YOU_CANNOT_LEAVE_THE_ORGANIZATION_AS_THE_ONLY_OWNER",
    );
    member.refused(
        &member.post("delete", &format!(r#"{{"organizationId":"{org}"}}"#)),
        403,
        "YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_ORGANIZATION",
    );
    let permission = member.ok(&member.post(
        "has-permission",
        r#"{"permissions":{"invitation":["create"]}}"#,
    ));
    assert_eq!(permission["success"], false, "{}", member.dialect);
    let permission =
        member.ok(&member.post("has-permission", r#"{"permissions":{"ac":["read"]}}"#));
    assert_eq!(permission["success"], true, "{}", member.dialect);
}

/// The owner makes the member an admin, who may then invite (but not as owner) and remove plain
/// members, and still not delete the organization. Returns the admin's member id and a third
/// user invited by the admin.
fn admin_invites<'a>(
    owner: &User<'a>,
    member: &User<'a>,
    inbox: &Path,
    org: &str,
) -> (String, User<'a>) {
    let full = owner.ok(&owner.get(&format!("get-full-organization?organizationId={org}")));
    let member_id = full["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["user"]["email"] == member.email.as_str())
        .and_then(|m| m["id"].as_str())
        .unwrap()
        .to_owned();
    let owner_id = full["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["role"] == "owner")
        .and_then(|m| m["id"].as_str())
        .unwrap()
        .to_owned();
    // A member may not re-role anyone; the last owner may not step down.
    member.refused(
        &member.post(
            "update-member-role",
            &format!(r#"{{"memberId":"{member_id}","role":"admin"}}"#),
        ),
        403,
        "YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_MEMBER",
    );
    owner.refused(
        &owner.post(
            "update-member-role",
            &format!(r#"{{"memberId":"{owner_id}","role":"admin"}}"#),
        ),
        400,
        "YOU_CANNOT_LEAVE_THE_ORGANIZATION_WITHOUT_AN_OWNER",
    );
    let updated = owner.ok(&owner.post(
        "update-member-role",
        &format!(r#"{{"memberId":"{member_id}","role":["admin"]}}"#),
    ));
    assert_eq!(updated["role"], "admin", "{}", owner.dialect);
    assert_eq!(
        member.ok(&member.post(
            "has-permission",
            r#"{"permissions":{"invitation":["create"]}}"#
        ))["success"],
        true
    );
    assert_eq!(
        member.ok(&member.post(
            "has-permission",
            r#"{"permissions":{"organization":["delete"]}}"#
        ))["success"],
        false
    );
    member.refused(
        &member.post(
            "invite-member",
            r#"{"email":"org-third@example.com","role":"owner"}"#,
        ),
        403,
        "YOU_ARE_NOT_ALLOWED_TO_INVITE_USER_WITH_THIS_ROLE",
    );
    member.ok(&member.post(
        "invite-member",
        r#"{"email":"org-third@example.com","role":"member"}"#,
    ));
    assert!(!mailed_invitation(inbox, "org-third@example.com").is_empty());
    member.refused(
        &member.post("delete", &format!(r#"{{"organizationId":"{org}"}}"#)),
        403,
        "YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_ORGANIZATION",
    );
    (
        member_id,
        User::new(owner.dialect, owner.c, "org-third@example.com"),
    )
}

/// Rejecting, cancelling and expiry: none of them makes a member.
fn invitation_answers(owner: &User, third: &User, inbox: &Path, db: &TestDb, org: &str) {
    let id = mailed_invitation(inbox, &third.email);
    let rejected = third.ok(&third.answer("reject", &id));
    assert_eq!(
        (
            rejected["invitation"]["status"].as_str(),
            rejected["member"].is_null()
        ),
        (Some("rejected"), true),
        "{}",
        third.dialect
    );
    third.refused(&third.answer("accept", &id), 400, "INVITATION_NOT_FOUND");
    // Invited again, then cancelled by the owner.
    owner.ok(&owner.post(
        "invite-member",
        r#"{"email":"org-third@example.com","role":"member"}"#,
    ));
    let id = mailed_invitation(inbox, &third.email);
    third.refused(&third.answer("cancel", &id), 400, "MEMBER_NOT_FOUND");
    let canceled = owner.ok(&owner.answer("cancel", &id));
    assert_eq!(canceled["status"], "canceled", "{}", owner.dialect);
    third.refused(&third.answer("accept", &id), 400, "INVITATION_NOT_FOUND");
    // Invited once more; the invitation expires before it is accepted.
    let invited = owner.ok(&owner.post(
        "invite-member",
        r#"{"email":"org-third@example.com","role":"member"}"#,
    ));
    let (created, expires) = (
        day_and_time(&invited["createdAt"]),
        day_and_time(&invited["expiresAt"]),
    );
    assert_eq!(
        (expires.0 - created.0, expires.1),
        (time::Duration::days(2), created.1),
        "{}: Better Auth's default lifetime is 48 hours",
        owner.dialect
    );
    let id = invited["id"].as_str().unwrap();
    let q = quote(third.dialect);
    crate::write_behind_app(
        db,
        &format!(
            "UPDATE {q}invitation{q} SET {q}expiresAt{q} = {} WHERE {q}id{q} = '{id}'",
            past(third.dialect)
        ),
    );
    third.refused(&third.answer("accept", id), 400, "INVITATION_NOT_FOUND");
    let listed = owner.ok(&owner.get(&format!("list-invitations?organizationId={org}")));
    let mut statuses: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["email"] == third.email.as_str())
        .filter_map(|i| i["status"].as_str())
        .collect();
    statuses.sort_unstable();
    assert_eq!(
        statuses,
        ["canceled", "pending", "rejected"],
        "{}",
        owner.dialect
    );
    third.refused(&third.get("list-members"), 400, "NO_ACTIVE_ORGANIZATION");
    third.refused(
        &third.get(&format!("list-members?organizationId={org}")),
        403,
        "YOU_ARE_NOT_A_MEMBER_OF_THIS_ORGANIZATION",
    );
}

/// An ISO date's day and its time of day.
fn day_and_time(value: &Value) -> (time::Date, String) {
    let text = value.as_str().unwrap();
    let number = |range: std::ops::Range<usize>| text[range].parse::<u16>().unwrap();
    let month = time::Month::try_from(u8::try_from(number(5..7)).unwrap()).unwrap();
    let day = time::Date::from_calendar_date(
        i32::from(number(0..4)),
        month,
        u8::try_from(number(8..10)).unwrap(),
    )
    .unwrap();
    (day, text[10..].to_owned())
}

/// The owner renames the organization; the members listing pages.
fn update_and_members(owner: &User, org: &str) {
    owner.refused(
        &owner.post("update", r#"{"data":{"slug":"side"}}"#),
        400,
        "ORGANIZATION_SLUG_ALREADY_TAKEN",
    );
    let updated = owner.ok(&owner.post(
        "update",
        r#"{"data":{"name":"Acme Inc","metadata":{"plan":"team"}}}"#,
    ));
    assert_eq!(
        (
            updated["name"].as_str(),
            updated["slug"].as_str(),
            updated["metadata"]["plan"].as_str()
        ),
        (Some("Acme Inc"), Some("acme"), Some("team")),
        "{}",
        owner.dialect
    );
    let listed = owner.ok(&owner.get(&format!(
        "list-members?organizationId={org}&limit=1&sortBy=createdAt&sortDirection=desc"
    )));
    assert_eq!(listed["total"], 2, "{}", owner.dialect);
    let members = listed["members"].as_array().unwrap();
    assert_eq!(members.len(), 1, "{}", owner.dialect);
    assert_eq!(
        members[0]["user"]["email"], "org-member@example.com",
        "{}",
        owner.dialect
    );
}

/// The owner removes the admin, who is then refused everywhere in the organization.
fn removal(owner: &User, removed: &User, member_id: &str, org: &str) {
    owner.refused(
        &owner.post("leave", &format!(r#"{{"organizationId":"{org}"}}"#)),
        400,
        "YOU_CANNOT_LEAVE_THE_ORGANIZATION_AS_THE_ONLY_OWNER",
    );
    let gone = owner.ok(&owner.post(
        "remove-member",
        &format!(r#"{{"memberIdOrEmail":"{}"}}"#, removed.email),
    ));
    assert_eq!(
        gone["member"]["id"],
        Value::from(member_id),
        "{}",
        owner.dialect
    );
    removed.refused(
        &removed.get(&format!("get-full-organization?organizationId={org}")),
        403,
        "USER_IS_NOT_A_MEMBER_OF_THE_ORGANIZATION",
    );
    // Refused once, the stale active organization is unset.
    assert!(
        removed.active_organization().is_null(),
        "{}",
        removed.dialect
    );
    removed.refused(
        &removed.post(
            "invite-member",
            &format!(r#"{{"email":"x@example.com","role":"member","organizationId":"{org}"}}"#),
        ),
        400,
        "MEMBER_NOT_FOUND",
    );
    removed.refused(
        &removed.post(
            "update",
            &format!(r#"{{"organizationId":"{org}","data":{{"name":"Mine"}}}}"#),
        ),
        400,
        "USER_IS_NOT_A_MEMBER_OF_THE_ORGANIZATION",
    );
    removed.refused(
        &removed.post("set-active", &format!(r#"{{"organizationId":"{org}"}}"#)),
        403,
        "USER_IS_NOT_A_MEMBER_OF_THE_ORGANIZATION",
    );
    assert_eq!(
        removed.ok(&removed.get("list")),
        Value::Array(Vec::new()),
        "{}",
        removed.dialect
    );
}

/// Only the owner deletes; the organization is gone from every listing.
fn deletion(owner: &User, org: &str) {
    let deleted = owner.ok(&owner.post("delete", &format!(r#"{{"organizationId":"{org}"}}"#)));
    assert_eq!(deleted["slug"], "acme", "{}", owner.dialect);
    assert!(owner.active_organization().is_null(), "{}", owner.dialect);
    let slugs: Vec<Value> = owner
        .ok(&owner.get("list"))
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["slug"].clone())
        .collect();
    assert_eq!(slugs, [Value::from("side")], "{}", owner.dialect);
    assert_eq!(
        owner.ok(&owner.post("check-slug", r#"{"slug":"acme"}"#))["status"],
        true
    );
}

/// Better Auth's `organizationClient` runs the main flow against the server.
fn npm_organization_client(dialect: &str, c: &Client, inbox: &Path) {
    let got = crate::npm_script_with("organization.mjs", dialect, c, &[inbox]);
    let expected = serde_json::json!({
        "create": "npm-org", "ownerRole": "owner", "checkSlug": "400 ORGANIZATION_SLUG_ALREADY_TAKEN",
        "list": ["npm-org"], "invite": "pending", "getInvitation": "Npm Org", "accept": "admin",
        "activeOrganization": true, "fullMembers": 2, "activeMember": "admin", "canInvite": true,
        "canDelete": false, "listMembers": 2, "updateRole": "member", "remove": true,
        "listAfterRemoval": [], "delete": "npm-org",
    });
    assert_eq!(got, expected, "{dialect}");
}
