//! `[plugins.organization]`: an owner creates an organization and invites a member by mail; the
//! invitee accepts; the default roles hold (a member may not invite, update the organization or
//! remove others, an admin may invite but not delete it); a removed member is refused; teams
//! are created, joined, made active and removed within their limits; roles defined at runtime
//! are honoured; and Better Auth's own
//! `organizationClient` runs the main flow.

use std::path::Path;

use serde_json::Value;

use super::{inbox_code, mails, past, quote};
use crate::db::TestDb;
use crate::http::{Client, Reply};
use crate::{ORIGIN, sign_up};

pub fn flows(dialect: &str, c: &Client, inbox: &Path, db: &TestDb) {
    let owner = User::new(dialect, c, "org-owner@example.com");
    let org = create_and_list(&owner);
    let member = User::verified(dialect, c, inbox, "org-member@example.com");
    invite_and_accept(&owner, &member, inbox, &org);
    unverified_cannot_answer(&owner, inbox);
    member_is_refused(&owner, &member, &org);
    let (admin_member_id, third) = admin_invites(&owner, &member, inbox, &org);
    invitation_answers(&owner, &third, inbox, db, &org);
    update_and_members(&owner, &org);
    removal(&owner, &member, &admin_member_id, &org);
    deletion(&owner, &org);
    owner_stays_owner(dialect, c, inbox, db);
    teams(dialect, c, inbox, db);
    dynamic_roles(dialect, c, inbox, db);
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

    /// A signed-up user whose address is verified, by the code `send_verification_on_sign_up`
    /// mails (the apps run with `[plugins.email-otp]`).
    fn verified(dialect: &'a str, c: &'a Client, inbox: &Path, email: &str) -> Self {
        let user = Self::new(dialect, c, email);
        user.verify(inbox);
        user
    }

    /// Verifies the user's address with the code mailed at sign-up.
    fn verify(&self, inbox: &Path) {
        let code =
            inbox_code(inbox, "email-verification-otp", &self.email).expect("a verification code");
        let verified = self
            .c
            .post_json(
                "/api/auth/email-otp/verify-email",
                &format!(r#"{{"email":"{}","otp":"{code}"}}"#, self.email),
                &[ORIGIN],
            )
            .unwrap();
        assert_eq!(verified.status, 200, "{}: {}", self.dialect, verified.body);
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

    /// Checks that the user, not an owner, can neither remove the only owner (`owner_email`)
    /// nor delete the organization.
    fn cannot_take_over(&self, owner_email: &str, org: &str) {
        self.refused(
            &self.post(
                "remove-member",
                &format!(r#"{{"memberIdOrEmail":"{owner_email}"}}"#),
            ),
            400,
            "YOU_CANNOT_LEAVE_THE_ORGANIZATION_AS_THE_ONLY_OWNER",
        );
        self.refused(
            &self.post("delete", &format!(r#"{{"organizationId":"{org}"}}"#)),
            403,
            "YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_ORGANIZATION",
        );
    }

    fn active_organization(&self) -> Value {
        self.session()["activeOrganizationId"].clone()
    }

    /// The `session` of `/get-session`.
    fn session(&self) -> Value {
        let got = self
            .c
            .get("/api/auth/get-session", &[("cookie", &self.cookie)])
            .unwrap();
        got.json()["session"].clone()
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

/// With `require_email_verification_on_invitation` (on in the e2e apps), an invitee whose
/// address is not verified can neither read, accept nor reject the invitation; verified, they
/// can.
fn unverified_cannot_answer(owner: &User, inbox: &Path) {
    let invitation = owner.ok(&owner.post(
        "invite-member",
        r#"{"email":"org-unverified@example.com","role":"member"}"#,
    ));
    let id = invitation["id"].as_str().unwrap();
    let invitee = User::new(owner.dialect, owner.c, "org-unverified@example.com");
    invitee.refused(
        &invitee.get(&format!("get-invitation?id={id}")),
        403,
        "EMAIL_VERIFICATION_REQUIRED_FOR_INVITATION",
    );
    for action in ["accept", "reject"] {
        invitee.refused(
            &invitee.answer(action, id),
            403,
            "EMAIL_VERIFICATION_REQUIRED_BEFORE_ACCEPTING_OR_REJECTING_INVITATION",
        );
    }
    invitee.refused(&invitee.get("list-members"), 400, "NO_ACTIVE_ORGANIZATION");
    invitee.verify(inbox);
    let got = invitee.ok(&invitee.get(&format!("get-invitation?id={id}")));
    assert_eq!(got["status"], "pending", "{}", owner.dialect);
    let rejected = invitee.ok(&invitee.answer("reject", id));
    assert_eq!(
        rejected["invitation"]["status"], "rejected",
        "{}",
        owner.dialect
    );
}

/// A plain member may read the organization but not invite, update it or remove anyone, and
/// sees no invitation addressed to someone else (their ids are all it takes to accept one).
fn member_is_refused(owner: &User, member: &User, org: &str) {
    let pending = owner.ok(&owner.post(
        "invite-member",
        &format!(
            r#"{{"email":"org-pending@example.com","role":"admin","organizationId":"{org}"}}"#
        ),
    ));
    let pending = pending["id"].as_str().unwrap();
    let full = member.ok(&member.get("get-full-organization"));
    assert_eq!(full["id"], Value::from(org), "{}", member.dialect);
    let listed = member.ok(&member.get("list-invitations"));
    for invitations in [&listed, &full["invitations"]] {
        let emails: Vec<&str> = invitations
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|i| i["email"].as_str())
            .collect();
        assert_eq!(
            emails,
            [member.email.as_str()],
            "{}: {invitations}",
            member.dialect
        );
    }
    assert!(
        !listed.to_string().contains(pending) && !full.to_string().contains(pending),
        "{}",
        member.dialect
    );
    let seen = owner.ok(&owner.get(&format!("list-invitations?organizationId={org}")));
    assert!(seen.to_string().contains(pending), "{}", owner.dialect);
    assert!(
        owner
            .ok(&owner.get(&format!("get-full-organization?organizationId={org}")))
            .to_string()
            .contains(pending),
        "{}",
        owner.dialect
    );
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
    member.cannot_take_over("org-owner@example.com", org);
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
    // An admin may manage invitations, so sees everyone's.
    let listed = member.ok(&member.get("list-invitations"));
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["email"] == "org-pending@example.com"),
        "{}: {listed}",
        member.dialect
    );
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
        User::verified(owner.dialect, owner.c, inbox, "org-third@example.com"),
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
        "list": ["npm-org"], "defaultTeam": ["Npm Org"], "createTeam": "Npm Team",
        "addTeamMember": true, "setActiveTeam": "Npm Team", "activeTeam": true,
        "createRole": "npm-role", "listRoles": ["npm-role"], "invite": "pending", "getInvitation": "Npm Org", "accept": "admin",
        "activeOrganization": true, "fullMembers": 2, "activeMember": "admin", "canInvite": true,
        "canDelete": false, "listMembers": 2, "updateRole": "member", "remove": true,
        "listAfterRemoval": [], "delete": "npm-org",
    });
    assert_eq!(got, expected, "{dialect}");
}

/// Teams (the apps run with `teams = true`, `maximum_teams = 3`, `maximum_members_per_team =
/// 2`): a new organization gets a team of its name with its creator in it, active in the
/// session; teams are created up to the limit, renamed, joined by invitation and directly, left
/// and removed; `memberCount` and `membershipKey` are kept as Better Auth 1.7 keeps them.
fn teams(dialect: &str, c: &Client, inbox: &Path, db: &TestDb) {
    let t = teams_created(dialect, c, db);
    let invitee = teams_joined(&t, c, inbox);
    let add = teams_added(&t, &invitee);
    teams_left(&t, &invitee, &add);
}

/// An organization with teams: its owner, its id and its teams' ids.
struct Teams<'a> {
    owner: User<'a>,
    db: &'a TestDb,
    org: String,
    default_team: String,
    backend: String,
    ops: String,
}

/// A value read from the app's database; identifiers in backticks are quoted for the dialect.
fn stored(db: &TestDb, dialect: &str, sql: &str) -> String {
    db.query(&sql.replace('`', &quote(dialect).to_string()))
        .trim()
        .to_owned()
}

/// A team's `memberCount` column.
fn member_count(db: &TestDb, dialect: &str, team: &str) -> String {
    stored(
        db,
        dialect,
        &format!("SELECT `memberCount` FROM `team` WHERE `id` = '{team}'"),
    )
}

/// A new organization gets a team of its name with its creator in it (Better Auth 1.7's
/// `membershipKey`), active in the session; teams are created up to the limit and renamed.
fn teams_created<'a>(dialect: &'a str, c: &'a Client, db: &'a TestDb) -> Teams<'a> {
    let owner = User::new(dialect, c, "team-owner@example.com");
    let created = owner.ok(&owner.post("create", r#"{"name":"Teams Co","slug":"teams-co"}"#));
    let org = created["id"].as_str().unwrap().to_owned();
    let listed = owner.ok(&owner.get("list-teams"));
    let default_team = listed[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        (listed.as_array().unwrap().len(), listed[0]["name"].as_str()),
        (1, Some("Teams Co")),
        "{dialect}: {listed}"
    );
    assert!(
        listed[0].get("memberCount").is_none(),
        "{dialect}: {listed}"
    );
    assert_eq!(
        owner.session()["activeTeamId"],
        Value::from(default_team.clone()),
        "{dialect}"
    );
    let stored = |sql: &str| stored(db, dialect, sql);
    assert_eq!(member_count(db, dialect, &default_team), "1", "{dialect}");
    // Better Auth 1.7's key: unpadded base64url of SHA-256 over `["<teamId>","<userId>"]`.
    let owner_id = owner.session()["userId"].as_str().unwrap().to_owned();
    let key = {
        use base64::Engine as _;
        use sha2::Digest as _;
        let digest = sha2::Sha256::digest(format!(r#"["{default_team}","{owner_id}"]"#));
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
    };
    assert_eq!(
        stored(&format!(
            "SELECT `membershipKey` FROM `teamMember` WHERE `teamId` = '{default_team}'"
        )),
        key,
        "{dialect}"
    );

    // Created up to `maximum_teams`, renamed.
    let backend = owner.ok(&owner.post("create-team", r#"{"name":"Backend"}"#));
    let created_team = backend.clone();
    assert_eq!(
        (
            backend["name"].as_str(),
            backend["organizationId"].as_str(),
            backend["updatedAt"].is_string()
        ),
        (Some("Backend"), Some(org.as_str()), true),
        "{dialect}: {backend}"
    );
    let backend = backend["id"].as_str().unwrap().to_owned();
    let ops = owner.ok(&owner.post("create-team", r#"{"name":"Ops"}"#))["id"]
        .as_str()
        .unwrap()
        .to_owned();
    owner.refused(
        &owner.post("create-team", r#"{"name":"One too many"}"#),
        400,
        "YOU_HAVE_REACHED_THE_MAXIMUM_NUMBER_OF_TEAMS",
    );
    let renamed = owner.ok(&owner.post(
        "update-team",
        &format!(r#"{{"teamId":"{backend}","data":{{"name":"Platform"}}}}"#),
    ));
    assert_eq!(renamed["name"], "Platform", "{dialect}: {renamed}");
    let full = owner.ok(&owner.get("get-full-organization"));
    assert_eq!(
        full["teams"].as_array().map(Vec::len),
        Some(3),
        "{dialect}: {full}"
    );
    // Only the full organization answers the teams' `memberCount` column, as Better Auth does.
    for team in full["teams"].as_array().unwrap() {
        let id = team["id"].as_str().unwrap();
        let count = member_count(db, dialect, id);
        assert_eq!(team["memberCount"].to_string(), count, "{dialect}: {full}");
    }
    assert_eq!(
        full["teams"][0]["memberCount"], 1,
        "{dialect}: the default team has its creator"
    );
    for answer in [&created_team, &renamed] {
        assert!(answer.get("memberCount").is_none(), "{dialect}: {answer}");
    }
    Teams {
        owner,
        db,
        org,
        default_team,
        backend,
        ops,
    }
}

/// Joining a team by invitation; returns the invitee.
fn teams_joined<'a>(t: &Teams<'a>, c: &'a Client, inbox: &Path) -> User<'a> {
    let Teams {
        owner,
        org,
        backend,
        ops,
        ..
    } = t;
    let dialect = owner.dialect;
    // Invited to a team: accepting joins it and makes it the active team.
    let invitee = User::verified(dialect, c, inbox, "team-invitee@example.com");
    let invitation = owner.ok(&owner.post(
        "invite-member",
        &format!(
            r#"{{"email":"{}","role":"member","teamId":"{backend}"}}"#,
            invitee.email
        ),
    ));
    assert_eq!(
        invitation["teamId"],
        Value::from(backend.clone()),
        "{dialect}: {invitation}"
    );
    owner.refused(
        &owner.post(
            "invite-member",
            r#"{"email":"team-x@example.com","role":"member","teamId":"a,b"}"#,
        ),
        400,
        "INVALID_TEAM_ID",
    );
    owner.refused(
        &owner.post(
            "invite-member",
            r#"{"email":"team-x@example.com","role":"member","teamId":"no-such-team"}"#,
        ),
        400,
        "TEAM_NOT_FOUND",
    );
    let accepted = invitee.ok(&invitee.answer("accept", &mailed_invitation(inbox, &invitee.email)));
    assert_eq!(
        accepted["member"]["organizationId"],
        Value::from(org.clone()),
        "{dialect}"
    );
    assert_eq!(
        invitee.session()["activeTeamId"],
        Value::from(backend.clone()),
        "{dialect}"
    );
    let members = invitee.ok(&invitee.get("list-team-members"));
    assert_eq!(
        members.as_array().map(Vec::len),
        Some(1),
        "{dialect}: {members}"
    );
    assert!(
        members[0].get("membershipKey").is_none(),
        "{dialect}: {members}"
    );
    let mine = invitee.ok(&invitee.get("list-user-teams"));
    assert_eq!(mine[0]["name"], "Platform", "{dialect}: {mine}");
    invitee.refused(
        &invitee.post("create-team", r#"{"name":"Mine"}"#),
        403,
        "YOU_ARE_NOT_ALLOWED_TO_CREATE_TEAMS_IN_THIS_ORGANIZATION",
    );
    invitee.refused(
        &invitee.get(&format!("list-team-members?teamId={ops}")),
        400,
        "USER_IS_NOT_A_MEMBER_OF_THE_TEAM",
    );

    invitee
}

/// Adding a member to a team directly, once however often, up to `maximum_members_per_team`,
/// and taking them out; returns the body adding the invitee to the default team.
fn teams_added(t: &Teams, invitee: &User) -> String {
    let Teams {
        owner,
        db,
        default_team,
        ops,
        ..
    } = t;
    let dialect = owner.dialect;
    let member_count = |team: &str| member_count(db, dialect, team);
    // Added directly, once however often; the team is then full (2 members).
    let invitee_id = invitee.session()["userId"].as_str().unwrap().to_owned();
    let add = format!(r#"{{"teamId":"{default_team}","userId":"{invitee_id}"}}"#);
    let added = owner.ok(&owner.post("add-team-member", &add));
    assert_eq!(
        owner.ok(&owner.post("add-team-member", &add))["id"],
        added["id"],
        "{dialect}"
    );
    assert_eq!(member_count(default_team), "2", "{dialect}");
    invitee.refused(
        &invitee.post("add-team-member", &add),
        403,
        "YOU_ARE_NOT_ALLOWED_TO_CREATE_A_NEW_TEAM_MEMBER",
    );
    owner.refused(
        &owner.post("invite-member", &format!(r#"{{"email":"team-x@example.com","role":"member","teamId":["{ops}","{default_team}"]}}"#)),
        403,
        "TEAM_MEMBER_LIMIT_REACHED",
    );
    let theirs = owner.ok(&owner.get(&format!("list-user-teams?userId={invitee_id}")));
    assert_eq!(
        theirs.as_array().map(Vec::len),
        Some(2),
        "{dialect}: {theirs}"
    );
    let removed = owner.ok(&owner.post("remove-team-member", &add));
    assert_eq!(
        removed["message"], "Team member removed successfully.",
        "{dialect}"
    );
    assert_eq!(member_count(default_team), "1", "{dialect}");
    owner.refused(
        &owner.post("remove-team-member", &add),
        400,
        "USER_IS_NOT_A_MEMBER_OF_THE_TEAM",
    );
    add
}

/// The active team, team removal and leaving the organization.
fn teams_left(t: &Teams, invitee: &User, add: &str) {
    let Teams {
        owner,
        db,
        default_team,
        backend,
        ops,
        ..
    } = t;
    let dialect = owner.dialect;
    let member_count = |team: &str| member_count(db, dialect, team);
    let org = &t.org;
    let invitee_id = invitee.session()["userId"].as_str().unwrap().to_owned();
    let owner_id = owner.session()["userId"].as_str().unwrap().to_owned();
    // The active team: only a team the user is in; unset with null.
    owner.refused(
        &owner.post("set-active-team", &format!(r#"{{"teamId":"{backend}"}}"#)),
        403,
        "USER_IS_NOT_A_MEMBER_OF_THE_TEAM",
    );
    owner.ok(&owner.post(
        "add-team-member",
        &format!(r#"{{"teamId":"{backend}","userId":"{owner_id}"}}"#),
    ));
    let active = owner.ok(&owner.post("set-active-team", &format!(r#"{{"teamId":"{backend}"}}"#)));
    assert_eq!(active["id"], Value::from(backend.clone()), "{dialect}");
    assert_eq!(
        owner.session()["activeTeamId"],
        Value::from(backend.clone()),
        "{dialect}"
    );
    owner.refused(
        &owner.post("remove-team", &format!(r#"{{"teamId":"{backend}"}}"#)),
        403,
        "YOU_ARE_NOT_ALLOWED_TO_DELETE_THIS_TEAM",
    );
    assert!(
        owner
            .ok(&owner.post("set-active-team", r#"{"teamId":null}"#))
            .is_null(),
        "{dialect}"
    );
    assert!(owner.session()["activeTeamId"].is_null(), "{dialect}");

    // A removed team leaves pending invitations to the organization alone; the last team stays.
    let pending = owner.ok(&owner.post(
        "invite-member",
        &format!(r#"{{"email":"team-x@example.com","role":"member","teamId":"{ops}"}}"#),
    ));
    invitee.refused(
        &invitee.post("remove-team", &format!(r#"{{"teamId":"{ops}"}}"#)),
        403,
        "YOU_ARE_NOT_ALLOWED_TO_DELETE_TEAMS_IN_THIS_ORGANIZATION",
    );
    let gone = owner.ok(&owner.post("remove-team", &format!(r#"{{"teamId":"{ops}"}}"#)));
    assert_eq!(gone["message"], "Team removed successfully.", "{dialect}");
    let invitations = owner.ok(&owner.get("list-invitations"));
    let pending = invitations
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == pending["id"])
        .unwrap();
    assert!(pending["teamId"].is_null(), "{dialect}: {pending}");
    owner.ok(&owner.post("remove-team", &format!(r#"{{"teamId":"{backend}"}}"#)));
    owner.refused(
        &owner.post("remove-team", &format!(r#"{{"teamId":"{default_team}"}}"#)),
        400,
        "UNABLE_TO_REMOVE_LAST_TEAM",
    );

    // A member who leaves the organization leaves its teams.
    owner.ok(&owner.post("add-team-member", add));
    owner.ok(&owner.post(
        "remove-member",
        &format!(r#"{{"memberIdOrEmail":"{}"}}"#, invitee.email),
    ));
    assert_eq!(member_count(default_team), "1", "{dialect}");
    assert_eq!(
        stored(
            db,
            dialect,
            &format!("SELECT COUNT(*) FROM `teamMember` WHERE `userId` = '{invitee_id}'")
        ),
        "0",
        "{dialect}"
    );
    owner.ok(&owner.post("delete", &format!(r#"{{"organizationId":"{org}"}}"#)));
    assert_eq!(
        stored(
            db,
            dialect,
            &format!("SELECT COUNT(*) FROM `team` WHERE `organizationId` = '{org}'")
        ),
        "0",
        "{dialect}"
    );
}

/// Roles defined at runtime (the apps run with `dynamic_access_control = true`): the owner
/// defines a role within their own permissions, gives it to a member, whose permission checks
/// and endpoints then honour it; a role held by a member cannot be deleted.
fn dynamic_roles(dialect: &str, c: &Client, inbox: &Path, db: &TestDb) {
    let (owner, member, org) = roles_defined(dialect, c, inbox, db);
    roles_honoured(&owner, &member, &org);
}

/// A role defined within the owner's permissions, over Better Auth's statements only, stored as
/// Better Auth stores it; returns the owner, a plain member and the organization.
fn roles_defined<'a>(
    dialect: &'a str,
    c: &'a Client,
    inbox: &Path,
    db: &TestDb,
) -> (User<'a>, User<'a>, String) {
    let owner = User::new(dialect, c, "role-owner@example.com");
    let org = owner.ok(&owner.post("create", r#"{"name":"Roles Co","slug":"roles-co"}"#))["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let member = User::verified(dialect, c, inbox, "role-member@example.com");
    owner.ok(&owner.post(
        "invite-member",
        &format!(r#"{{"email":"{}","role":"member"}}"#, member.email),
    ));
    member.ok(&member.answer("accept", &mailed_invitation(inbox, &member.email)));
    let support =
        r#"{"role":"Support","permission":{"invitation":["create"],"member":["update"]}}"#;
    member.refused(
        &member.post("create-role", support),
        403,
        "YOU_ARE_NOT_ALLOWED_TO_CREATE_A_ROLE",
    );
    assert_eq!(
        member.ok(&member.get("list-roles")),
        Value::Array(Vec::new()),
        "{dialect}"
    );
    owner.refused(
        &owner.post(
            "create-role",
            r#"{"role":"Admin","permission":{"member":["update"]}}"#,
        ),
        400,
        "ROLE_NAME_IS_ALREADY_TAKEN",
    );
    owner.refused(
        &owner.post(
            "create-role",
            r#"{"role":"billing","permission":{"billing":["read"]}}"#,
        ),
        400,
        "INVALID_RESOURCE",
    );
    let created = owner.ok(&owner.post("create-role", support));
    assert_eq!(
        (
            created["success"].as_bool(),
            created["roleData"]["role"].as_str(),
            created["roleData"]["organizationId"].as_str()
        ),
        (Some(true), Some("support"), Some(org.as_str())),
        "{dialect}: {created}"
    );
    assert_eq!(
        created["statements"]["invitation"],
        serde_json::json!(["create"]),
        "{dialect}: {created}"
    );
    owner.refused(
        &owner.post("create-role", support),
        400,
        "ROLE_NAME_IS_ALREADY_TAKEN",
    );
    // Stored as Better Auth stores it: the JSON text of the record.
    let q = quote(dialect);
    let stored = db.query(&format!(
        "SELECT {q}permission{q} FROM {q}organizationRole{q} WHERE {q}role{q} = 'support'"
    ));
    let stored: Value = serde_json::from_str(stored.trim()).unwrap();
    assert_eq!(
        stored,
        serde_json::json!({"invitation": ["create"], "member": ["update"]}),
        "{dialect}"
    );
    let got = owner.ok(&owner.get("get-role?roleName=support"));
    assert_eq!(got["id"], created["roleData"]["id"], "{dialect}: {got}");
    (owner, member, org)
}

/// The role given to the member: checks and endpoints honour it, it changes, and it is deleted
/// once no member holds it.
fn roles_honoured(owner: &User, member: &User, org: &str) {
    let dialect = owner.dialect;
    // Given to the member, the role's permissions hold in checks and endpoints.
    let listed = owner.ok(&owner.get(&format!("list-members?organizationId={org}")));
    let member_id = listed["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["user"]["email"] == member.email.as_str())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let re_role = |role: &str| {
        owner.ok(&owner.post(
            "update-member-role",
            &format!(r#"{{"memberId":"{member_id}","role":"{role}"}}"#),
        ))
    };
    assert_eq!(re_role("support")["role"], "support", "{dialect}");
    let can = |permissions: &str| {
        member.ok(&member.post(
            "has-permission",
            &format!(r#"{{"permissions":{permissions}}}"#),
        ))["success"]
            .clone()
    };
    assert_eq!(can(r#"{"invitation":["create"]}"#), true, "{dialect}");
    assert_eq!(can(r#"{"organization":["update"]}"#), false, "{dialect}");
    let invited = member.ok(&member.post(
        "invite-member",
        r#"{"email":"role-invitee@example.com","role":"member"}"#,
    ));
    assert_eq!(invited["status"], "pending", "{dialect}");
    member.refused(
        &member.post(
            "cancel-invitation",
            &format!(
                r#"{{"invitationId":"{}"}}"#,
                invited["id"].as_str().unwrap()
            ),
        ),
        403,
        "YOU_ARE_NOT_ALLOWED_TO_CANCEL_THIS_INVITATION",
    );
    let updated = owner.ok(&owner.post(
        "update-role",
        r#"{"roleName":"support","data":{"permission":{"invitation":["create","cancel"]}}}"#,
    ));
    assert_eq!(
        updated["roleData"]["permission"]["invitation"],
        serde_json::json!(["create", "cancel"]),
        "{dialect}: {updated}"
    );
    assert_eq!(can(r#"{"invitation":["cancel"]}"#), true, "{dialect}");
    assert_eq!(can(r#"{"member":["update"]}"#), false, "{dialect}");

    // Deleting: not while held, never a built-in role.
    owner.refused(
        &owner.post("delete-role", r#"{"roleName":"support"}"#),
        400,
        "ROLE_IS_ASSIGNED_TO_MEMBERS",
    );
    owner.refused(
        &owner.post("delete-role", r#"{"roleName":"owner"}"#),
        400,
        "CANNOT_DELETE_A_PRE_DEFINED_ROLE",
    );
    re_role("member");
    assert_eq!(
        owner.ok(&owner.post("delete-role", r#"{"roleName":"support"}"#))["success"],
        true,
        "{dialect}"
    );
    assert_eq!(can(r#"{"invitation":["create"]}"#), false, "{dialect}");
    owner.refused(
        &owner.get("get-role?roleName=support"),
        400,
        "ROLE_NOT_FOUND",
    );
    owner.ok(&owner.post("delete", &format!(r#"{{"organizationId":"{org}"}}"#)));
}

/// The member ids and roles of an organization, as its owner lists them.
fn roles_of(owner: &User, org: &str) -> Vec<(String, String)> {
    let listed = owner.ok(&owner.get(&format!("list-members?organizationId={org}")));
    listed["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["user"]["email"].as_str().unwrap().to_owned(),
                m["role"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// An admin cannot make anyone an owner, themselves included, by spelling the role with spaces
/// or in a list: `"admin, owner"` once split into `" owner"`, which the owner-grant check did
/// not take for `owner` while the creator check trimmed it and did. Every step of that attack
/// (invite as `"admin, owner"`, accept, invite an owner, remove the owner or delete the
/// organization) is refused, and the owner stays the only owner.
fn owner_stays_owner(dialect: &str, c: &Client, inbox: &Path, db: &TestDb) {
    let owner = User::verified(dialect, c, inbox, "keep-owner@example.com");
    let org = owner.ok(&owner.post("create", r#"{"name":"Keep","slug":"keep"}"#))["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let admin = User::verified(dialect, c, inbox, "keep-admin@example.com");
    owner.ok(&owner.post(
        "invite-member",
        r#"{"email":"keep-admin@example.com","role":"admin"}"#,
    ));
    admin.ok(&admin.answer("accept", &mailed_invitation(inbox, &admin.email)));

    // Step 1: the admin invites a2 as "admin, owner" (and its other spellings).
    for role in [
        r#""admin, owner""#,
        r#"" owner""#,
        r#""owner ""#,
        r#"["admin"," owner"]"#,
        r#"["admin","owner"]"#,
    ] {
        admin.refused(
            &admin.post(
                "invite-member",
                &format!(r#"{{"email":"keep-a2@example.com","role":{role}}}"#),
            ),
            403,
            "YOU_ARE_NOT_ALLOWED_TO_INVITE_USER_WITH_THIS_ROLE",
        );
    }
    // a2 joins as what the admin may grant: an admin.
    admin.ok(&admin.post(
        "invite-member",
        r#"{"email":"keep-a2@example.com","role":"admin"}"#,
    ));
    let a2 = User::verified(dialect, c, inbox, "keep-a2@example.com");
    let accepted = a2.ok(&a2.answer("accept", &mailed_invitation(inbox, &a2.email)));
    assert_eq!(accepted["member"]["role"], "admin", "{dialect}");
    let a2_member = accepted["member"]["id"].as_str().unwrap().to_owned();

    // Step 3: a2 invites a3 as an owner, however spelled.
    for role in [
        r#"" owner""#,
        r#""owner""#,
        r#"["admin"," owner"]"#,
        r#""member,owner""#,
    ] {
        a2.refused(
            &a2.post(
                "invite-member",
                &format!(r#"{{"email":"keep-a3@example.com","role":{role}}}"#),
            ),
            403,
            "YOU_ARE_NOT_ALLOWED_TO_INVITE_USER_WITH_THIS_ROLE",
        );
    }
    // a2 makes itself an owner.
    for role in [r#""admin, owner""#, r#"" owner""#, r#"["admin"," owner"]"#] {
        a2.refused(
            &a2.post(
                "update-member-role",
                &format!(r#"{{"memberId":"{a2_member}","role":{role}}}"#),
            ),
            403,
            "YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_MEMBER",
        );
    }
    // An invitation the admin wrote before the fix, still pending: it grants nothing, as its
    // inviter does not hold the owner's role.
    admin.ok(&admin.post(
        "invite-member",
        r#"{"email":"keep-a5@example.com","role":"admin"}"#,
    ));
    db.apply("UPDATE invitation SET role = 'admin, owner' WHERE email = 'keep-a5@example.com'");
    let a5 = User::verified(dialect, c, inbox, "keep-a5@example.com");
    a5.refused(
        &a5.answer("accept", &mailed_invitation(inbox, &a5.email)),
        403,
        "YOU_ARE_NOT_ALLOWED_TO_INVITE_USER_WITH_THIS_ROLE",
    );
    // Step 4: a2 removes the owner or deletes the organization.
    a2.cannot_take_over(&owner.email, &org);
    let mut roles = roles_of(&owner, &org);
    roles.sort();
    assert_eq!(
        roles,
        [
            ("keep-a2@example.com".to_owned(), "admin".to_owned()),
            ("keep-admin@example.com".to_owned(), "admin".to_owned()),
            ("keep-owner@example.com".to_owned(), "owner".to_owned()),
        ],
        "{dialect}: the owner is still the only owner"
    );
    // Roles are stored in one spelling: trimmed, without empties or repeats.
    let invited = owner.ok(&owner.post(
        "invite-member",
        r#"{"email":"keep-a3@example.com","role":[" member , admin,","admin"]}"#,
    ));
    assert_eq!(invited["role"], "member,admin", "{dialect}: {invited}");
    owner.refused(
        &owner.post(
            "invite-member",
            r#"{"email":"keep-a4@example.com","role":" , "}"#,
        ),
        400,
        "VALIDATION_ERROR",
    );
    owner.ok(&owner.post("delete", &format!(r#"{{"organizationId":"{org}"}}"#)));
}
