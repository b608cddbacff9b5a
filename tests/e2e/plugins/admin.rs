//! The admin plugin: access control, user management, bans, impersonation, the sessions of
//! other users, and Better Auth's own `adminClient` against the server.

use crate::db::TestDb;
use crate::http::{Client, Reply};
use crate::{ORIGIN, npm_script, sign_up};

/// The admin `tests/e2e/npm-client/admin.mjs` signs in as (made an admin here first).
const NPM_ADMIN: (&str, &str) = ("npm-admin@example.com", "npm admin password");

pub fn flows(dialect: &str, c: &Client, db: &TestDb) {
    let admin = Admin::new(dialect, c, db, "root@example.com", "root password 1");
    refusals(&admin);
    let created = create_users(&admin);
    list_and_get(&admin, &created);
    set_role(&admin, &created);
    bans(&admin, &created);
    impersonation(&admin, &created);
    sessions_of_others(&admin, &created);
    passwords_and_removal(&admin, &created);
    has_permission(&admin);
    npm_admin_client(dialect, c, db);
}

/// A signed-in admin, and the means to check the database behind it.
struct Admin<'a> {
    dialect: &'a str,
    c: &'a Client,
    db: &'a TestDb,
    id: String,
    cookie: String,
}

impl<'a> Admin<'a> {
    /// Signs up `email`, then gives it the `admin` role in the database, as an operator would.
    fn new(dialect: &'a str, c: &'a Client, db: &'a TestDb, email: &str, password: &str) -> Self {
        let signed_up = sign_up(c, email, password);
        assert_eq!(signed_up.status, 200, "{dialect}: {}", signed_up.body);
        assert_eq!(
            signed_up.json()["user"]["role"],
            "user",
            "{dialect}: new users get the default role"
        );
        let admin = Self {
            dialect,
            c,
            db,
            id: signed_up.json()["user"]["id"].as_str().unwrap().to_owned(),
            cookie: signed_up.cookie("better-auth.session_token").unwrap(),
        };
        crate::write_behind_app(
            admin.db,
            &format!(
                "UPDATE {} SET {} = 'admin' WHERE {} = '{email}'",
                admin.ident("user"),
                admin.ident("role"),
                admin.ident("email")
            ),
        );
        admin
    }

    /// A quoted identifier of this dialect.
    fn ident(&self, name: &str) -> String {
        if self.dialect == "mysql" {
            format!("`{name}`")
        } else {
            format!("\"{name}\"")
        }
    }

    fn sql(&self, sql: &str) -> String {
        self.db.query(sql).trim().to_owned()
    }

    /// A column of the user with this email, as the database returns it.
    fn user_column(&self, email: &str, column: &str) -> String {
        self.sql(&format!(
            "SELECT {} FROM {} WHERE {} = '{email}'",
            self.ident(column),
            self.ident("user"),
            self.ident("email")
        ))
    }

    fn session_count(&self, user_id: &str) -> usize {
        let count = self.sql(&format!(
            "SELECT COUNT(*) FROM {} WHERE {} = '{user_id}'",
            self.ident("session"),
            self.ident("userId")
        ));
        count.parse().unwrap()
    }

    fn post(&self, path: &str, body: &str) -> Reply {
        post_as(self.c, &self.cookie, path, body)
    }

    fn get(&self, path: &str) -> Reply {
        self.c.get(path, &[("cookie", &self.cookie)]).unwrap()
    }

    /// `status` and `code` of a reply, for error assertions.
    fn expect(&self, reply: &Reply, status: u16, code: &str) {
        super::refused(self.dialect, reply, status, code);
    }
}

fn post_as(c: &Client, cookie: &str, path: &str, body: &str) -> Reply {
    c.post_json(path, body, &[("cookie", cookie), ORIGIN])
        .unwrap()
}

fn sign_in(c: &Client, email: &str, password: &str) -> Reply {
    c.post_json(
        "/api/auth/sign-in/email",
        &format!(r#"{{"email":"{email}","password":"{password}"}}"#),
        &[],
    )
    .unwrap()
}

/// A user without the permission is refused with Better Auth's code; no session is a bare 401.
fn refusals(a: &Admin) {
    let user = sign_up(a.c, "mallory@example.com", "mallory password");
    let cookie = user.cookie("better-auth.session_token").unwrap();
    let listed =
        a.c.get("/api/auth/admin/list-users", &[("cookie", &cookie)])
            .unwrap();
    a.expect(&listed, 403, "YOU_ARE_NOT_ALLOWED_TO_LIST_USERS");
    assert_eq!(
        listed.json()["message"],
        "You are not allowed to list users",
        "{}",
        a.dialect
    );
    let created = post_as(
        a.c,
        &cookie,
        "/api/auth/admin/create-user",
        r#"{"email":"x@example.com","name":"X"}"#,
    );
    a.expect(&created, 403, "YOU_ARE_NOT_ALLOWED_TO_CREATE_USERS");
    let banned = post_as(
        a.c,
        &cookie,
        "/api/auth/admin/ban-user",
        &format!(r#"{{"userId":"{}"}}"#, a.id),
    );
    a.expect(&banned, 403, "YOU_ARE_NOT_ALLOWED_TO_BAN_USERS");

    let anonymous = a.c.get("/api/auth/admin/list-users", &[]).unwrap();
    assert_eq!(
        (anonymous.status, anonymous.body.as_str()),
        (401, ""),
        "{}",
        a.dialect
    );
    let foreign =
        a.c.post_json(
            "/api/auth/admin/remove-user",
            r#"{"userId":"x"}"#,
            &[("cookie", &a.cookie), ("origin", "https://evil.example")],
        )
        .unwrap();
    a.expect(&foreign, 403, "INVALID_ORIGIN");
}

/// The ids of the users `create_users` made.
struct Created {
    ann: String,
    ben: String,
    cat: String,
    dan: String,
}

/// `/admin/create-user`, with and without a password, with a role or data.
fn create_users(a: &Admin) -> Created {
    let create = |body: &str| {
        let reply = a.post("/api/auth/admin/create-user", body);
        assert_eq!(reply.status, 200, "{}: {}", a.dialect, reply.body);
        reply.json()["user"].clone()
    };
    let ann = create(r#"{"email":"Ann@Corp.example","name":"Ann","password":"ann password 1"}"#);
    assert_eq!(
        (&ann["email"], &ann["role"], &ann["banned"]),
        (&"ann@corp.example".into(), &"user".into(), &false.into()),
        "{}: {ann}",
        a.dialect
    );
    let ben = create(
        r#"{"email":"ben@corp.example","name":"Ben","password":"ben password 1","role":["user","admin"]}"#,
    );
    assert_eq!(ben["role"], "user,admin", "{}", a.dialect);
    let cat = create(
        r#"{"email":"cat@corp.example","name":"Cat","password":"cat password 1","data":{"emailVerified":true}}"#,
    );
    assert_eq!(cat["emailVerified"], true, "{}", a.dialect);
    let dan = create(r#"{"email":"dan@other.example","name":"Dan_1"}"#);
    assert_eq!(
        a.sql(&format!(
            "SELECT COUNT(*) FROM {} WHERE {} = '{}'",
            a.ident("account"),
            a.ident("userId"),
            dan["id"].as_str().unwrap()
        )),
        "0",
        "{}: a user created without a password has no credential account",
        a.dialect
    );
    assert_eq!(
        sign_in(a.c, "ann@corp.example", "ann password 1").status,
        200,
        "{}: a created user signs in with their password",
        a.dialect
    );
    let again = a.post(
        "/api/auth/admin/create-user",
        r#"{"email":"ann@corp.example","name":"Ann"}"#,
    );
    a.expect(&again, 400, "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL");
    let invalid = a.post(
        "/api/auth/admin/create-user",
        r#"{"email":"not an email","name":"X"}"#,
    );
    a.expect(&invalid, 400, "INVALID_EMAIL");

    let id = |u: &serde_json::Value| u["id"].as_str().unwrap().to_owned();
    Created {
        ann: id(&ann),
        ben: id(&ben),
        cat: id(&cat),
        dan: id(&dan),
    }
}

/// `/admin/list-users` searching, filtering, sorting and paging, and `/admin/get-user`.
fn list_and_get(a: &Admin, u: &Created) {
    let list = |query: &str| {
        let reply = a.get(&format!("/api/auth/admin/list-users?{query}"));
        assert_eq!(reply.status, 200, "{}: {}", a.dialect, reply.body);
        let json = reply.json();
        let emails: Vec<String> = json["users"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["email"].as_str().unwrap().to_owned())
            .collect();
        (emails, json)
    };
    let (page, json) = list(
        "searchValue=corp.example&searchField=email&searchOperator=ends_with&sortBy=email&sortDirection=asc&limit=2&offset=1",
    );
    assert_eq!(
        page,
        ["ben@corp.example", "cat@corp.example"],
        "{}",
        a.dialect
    );
    assert_eq!(
        (&json["total"], &json["limit"], &json["offset"]),
        (&3.into(), &2.into(), &1.into()),
        "{}: {json}",
        a.dialect
    );
    let (all, json) = list("searchValue=corp.example&sortBy=email&sortDirection=desc");
    assert_eq!(
        all,
        ["cat@corp.example", "ben@corp.example", "ann@corp.example"],
        "{}",
        a.dialect
    );
    assert!(
        json.get("limit").is_none() && json.get("offset").is_none(),
        "{}: {json}",
        a.dialect
    );
    let (by_name, _) = list(
        "searchValue=Da&searchField=name&searchOperator=starts_with&filterField=email&filterOperator=ends_with&filterValue=.example",
    );
    assert_eq!(by_name, ["dan@other.example"], "{}", a.dialect);
    // LIKE wildcards in the search are plain characters: `_` matches only an underscore.
    let (underscore, _) = list("searchValue=n_&searchField=name");
    assert_eq!(underscore, ["dan@other.example"], "{}", a.dialect);
    let (percent, json) = list("searchValue=%25");
    assert_eq!(
        (percent.len(), &json["total"]),
        (0, &0.into()),
        "{}",
        a.dialect
    );
    let (admins, _) = list("filterField=role&filterValue=admin");
    assert_eq!(admins, ["root@example.com"], "{}", a.dialect);
    let (verified, _) = list("searchValue=corp.example&filterField=emailVerified&filterValue=true");
    assert_eq!(verified, ["cat@corp.example"], "{}", a.dialect);
    let (either, json) = list(
        "filterField=role&filterOperator=in&filterValue=admin&filterValue=user,admin&sortBy=email",
    );
    assert_eq!(
        either,
        ["ben@corp.example", "root@example.com"],
        "{}: {json}",
        a.dialect
    );
    let (unknown, json) = list("sortBy=nope");
    assert_eq!(
        (unknown.len(), &json["total"]),
        (0, &0.into()),
        "{}",
        a.dialect
    );
    let bad = a.get("/api/auth/admin/list-users?searchField=phone");
    a.expect(&bad, 400, "VALIDATION_ERROR");

    let got = a.get(&format!("/api/auth/admin/get-user?id={}", u.ann));
    assert_eq!(
        got.json()["email"],
        "ann@corp.example",
        "{}: {}",
        a.dialect,
        got.body
    );
    a.expect(
        &a.get("/api/auth/admin/get-user?id=nope"),
        404,
        "USER_NOT_FOUND",
    );
}

/// `/admin/set-role` and `/admin/update-user`.
fn set_role(a: &Admin, u: &Created) {
    let set = a.post(
        "/api/auth/admin/set-role",
        &format!(r#"{{"userId":"{}","role":"admin"}}"#, u.ben),
    );
    assert_eq!(
        set.json()["user"]["role"],
        "admin",
        "{}: {}",
        a.dialect,
        set.body
    );
    assert_eq!(
        a.user_column("ben@corp.example", "role"),
        "admin",
        "{}",
        a.dialect
    );
    let ben = sign_in(a.c, "ben@corp.example", "ben password 1")
        .cookie("better-auth.session_token")
        .unwrap();
    let listed =
        a.c.get("/api/auth/admin/list-users", &[("cookie", &ben)])
            .unwrap();
    assert_eq!(
        listed.status, 200,
        "{}: the new admin lists users",
        a.dialect
    );
    let missing = a.post(
        "/api/auth/admin/set-role",
        r#"{"userId":"nope","role":"user"}"#,
    );
    a.expect(&missing, 404, "USER_NOT_FOUND");

    let updated = a.post(
        "/api/auth/admin/update-user",
        &format!(r#"{{"userId":"{}","data":{{"name":"Ann Updated","image":"https://img.example/a.png"}}}}"#, u.ann),
    );
    assert_eq!(
        (&updated.json()["name"], &updated.json()["image"]),
        (&"Ann Updated".into(), &"https://img.example/a.png".into()),
        "{}: {}",
        a.dialect,
        updated.body
    );
    let empty = a.post(
        "/api/auth/admin/update-user",
        &format!(r#"{{"userId":"{}","data":{{}}}}"#, u.ann),
    );
    a.expect(&empty, 400, "NO_DATA_TO_UPDATE");
    let password = a.post(
        "/api/auth/admin/update-user",
        &format!(r#"{{"userId":"{}","data":{{"password":"x"}}}}"#, u.ann),
    );
    a.expect(&password, 400, "PASSWORD_CANNOT_BE_UPDATED_VIA_UPDATE_USER");
}

/// A ban revokes the user's sessions and refuses their sign-in; an expired ban is lifted at the
/// next sign-in; an unban lets them in.
fn bans(a: &Admin, u: &Created) {
    let cat = sign_in(a.c, "cat@corp.example", "cat password 1")
        .cookie("better-auth.session_token")
        .unwrap();
    a.expect(
        &a.post(
            "/api/auth/admin/ban-user",
            &format!(r#"{{"userId":"{}"}}"#, a.id),
        ),
        400,
        "YOU_CANNOT_BAN_YOURSELF",
    );
    let banned = a.post(
        "/api/auth/admin/ban-user",
        &format!(r#"{{"userId":"{}","banReason":"spam"}}"#, u.cat),
    );
    let user = &banned.json()["user"];
    assert_eq!(
        (&user["banned"], &user["banReason"], &user["banExpires"]),
        (&true.into(), &"spam".into(), &serde_json::Value::Null),
        "{}: {}",
        a.dialect,
        banned.body
    );
    assert_eq!(
        a.session_count(&u.cat),
        0,
        "{}: the ban revokes every session",
        a.dialect
    );
    let session =
        a.c.get("/api/auth/get-session", &[("cookie", &cat)])
            .unwrap();
    assert_eq!(session.body, "null", "{}", a.dialect);
    let refused = sign_in(a.c, "cat@corp.example", "cat password 1");
    a.expect(&refused, 403, "BANNED_USER");
    assert_eq!(
        refused.json()["message"],
        "You have been banned from this application. Please contact support if you believe this is an error.",
        "{}",
        a.dialect
    );

    let unbanned = a.post(
        "/api/auth/admin/unban-user",
        &format!(r#"{{"userId":"{}"}}"#, u.cat),
    );
    assert_eq!(
        unbanned.json()["user"]["banned"],
        false,
        "{}: {}",
        a.dialect,
        unbanned.body
    );
    assert_eq!(
        sign_in(a.c, "cat@corp.example", "cat password 1").status,
        200,
        "{}",
        a.dialect
    );

    // A ban that has already run out is lifted at the next sign-in, in the database too.
    let expired = a.post(
        "/api/auth/admin/ban-user",
        &format!(
            r#"{{"userId":"{}","banReason":"brief","banExpiresIn":-60}}"#,
            u.cat
        ),
    );
    assert!(
        expired.json()["user"]["banExpires"].is_string(),
        "{}: {}",
        a.dialect,
        expired.body
    );
    assert_eq!(
        sign_in(a.c, "cat@corp.example", "cat password 1").status,
        200,
        "{}",
        a.dialect
    );
    let banned = a.user_column("cat@corp.example", "banned");
    assert!(
        ["f", "0", "false"].contains(&banned.as_str()),
        "{}: banned = {banned}",
        a.dialect
    );
    assert_eq!(
        a.user_column("cat@corp.example", "banReason"),
        if a.dialect == "mysql" { "NULL" } else { "" },
        "{}",
        a.dialect
    );
}

/// `/admin/impersonate-user`: a session of the user marked `impersonatedBy`, hidden from the
/// user's own `/list-sessions`; `/admin/stop-impersonating` restores the admin's session.
fn impersonation(a: &Admin, u: &Created) {
    a.expect(
        &a.post(
            "/api/auth/admin/impersonate-user",
            &format!(r#"{{"userId":"{}"}}"#, u.ben),
        ),
        403,
        "YOU_CANNOT_IMPERSONATE_ADMINS",
    );
    let started = a.post(
        "/api/auth/admin/impersonate-user",
        &format!(r#"{{"userId":"{}"}}"#, u.cat),
    );
    assert_eq!(started.status, 200, "{}: {}", a.dialect, started.body);
    let session = &started.json()["session"];
    assert_eq!(session["impersonatedBy"], a.id.as_str(), "{}", a.dialect);
    // `[plugins.admin] impersonation_session_duration = "30m"`.
    let lifetime = iso_ms(&session["expiresAt"]) - iso_ms(&session["createdAt"]);
    assert_eq!(lifetime, 30 * 60 * 1000, "{}: {session}", a.dialect);
    let admin_session = started.set_cookie("better-auth.admin_session").unwrap();
    assert!(
        admin_session.contains("Max-Age=604800"),
        "{}: {admin_session}",
        a.dialect
    );
    let token = started.set_cookie("better-auth.session_token").unwrap();
    assert!(
        !token.contains("Max-Age"),
        "{}: a browser-session cookie: {token}",
        a.dialect
    );
    let cookies = [
        started.cookie("better-auth.session_token").unwrap(),
        started.cookie("better-auth.dont_remember").unwrap(),
        started.cookie("better-auth.admin_session").unwrap(),
    ]
    .join("; ");

    let current =
        a.c.get("/api/auth/get-session", &[("cookie", &cookies)])
            .unwrap();
    assert_eq!(
        (
            &current.json()["user"]["email"],
            &current.json()["session"]["impersonatedBy"]
        ),
        (&"cat@corp.example".into(), &a.id.as_str().into()),
        "{}: {}",
        a.dialect,
        current.body
    );
    let cat = sign_in(a.c, "cat@corp.example", "cat password 1")
        .cookie("better-auth.session_token")
        .unwrap();
    let own =
        a.c.get("/api/auth/list-sessions", &[("cookie", &cat)])
            .unwrap();
    assert!(
        own.json()
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["impersonatedBy"].is_null()),
        "{}: the user's own list leaves out the impersonation: {}",
        a.dialect,
        own.body
    );
    let all = a.post(
        "/api/auth/admin/list-user-sessions",
        &format!(r#"{{"userId":"{}"}}"#, u.cat),
    );
    let sessions = all.json()["sessions"].as_array().unwrap().clone();
    assert!(
        sessions
            .iter()
            .any(|s| s["impersonatedBy"] == a.id.as_str()),
        "{}: {}",
        a.dialect,
        all.body
    );

    stop_impersonating(a, session, &cookies, &cat);
}

/// `/admin/stop-impersonating`: refused outside an impersonation; ends one, restoring the admin.
fn stop_impersonating(a: &Admin, session: &serde_json::Value, cookies: &str, cat: &str) {
    let not_impersonating = post_as(a.c, cat, "/api/auth/admin/stop-impersonating", "");
    assert_eq!(
        (
            not_impersonating.status,
            not_impersonating.json()["message"].as_str()
        ),
        (400, Some("You are not impersonating anyone")),
        "{}",
        a.dialect
    );
    let stopped = post_as(a.c, cookies, "/api/auth/admin/stop-impersonating", "");
    assert_eq!(
        stopped.json()["user"]["id"],
        a.id.as_str(),
        "{}: {}",
        a.dialect,
        stopped.body
    );
    assert!(
        stopped.clears_cookie("better-auth.admin_session"),
        "{}",
        a.dialect
    );
    // The admin's session was remembered: the impersonation's marker the browser sends goes,
    // as Better Auth 1.7.25's setSessionCookie clears it.
    assert!(
        stopped.clears_cookie("better-auth.dont_remember"),
        "{}",
        a.dialect
    );
    let restored = stopped.cookie("better-auth.session_token").unwrap();
    assert_eq!(
        restored, a.cookie,
        "{}: the admin's own session is back",
        a.dialect
    );
    let impersonated_token = session["token"].as_str().unwrap();
    assert_eq!(
        a.sql(&format!(
            "SELECT COUNT(*) FROM {} WHERE {} = '{impersonated_token}'",
            a.ident("session"),
            a.ident("token")
        )),
        "0",
        "{}: the impersonation session is gone",
        a.dialect
    );
}

/// Milliseconds since an epoch of an ISO date as Better Auth writes them
/// (`2026-01-01T00:00:00.000Z`).
fn iso_ms(value: &serde_json::Value) -> i64 {
    let text = value.as_str().unwrap();
    let n = |range: std::ops::Range<usize>| text[range].parse::<i64>().unwrap();
    let month = time::Month::try_from(u8::try_from(n(5..7)).unwrap()).unwrap();
    let date = time::Date::from_calendar_date(
        i32::try_from(n(0..4)).unwrap(),
        month,
        u8::try_from(n(8..10)).unwrap(),
    )
    .unwrap();
    let minutes = (i64::from(date.to_julian_day()) * 24 + n(11..13)) * 60 + n(14..16);
    minutes * 60_000 + n(17..19) * 1000 + n(20..23)
}

/// `/admin/list-user-sessions`, `/admin/revoke-user-session` and `/admin/revoke-user-sessions`.
fn sessions_of_others(a: &Admin, u: &Created) {
    let first = sign_in(a.c, "ann@corp.example", "ann password 1");
    let second = sign_in(a.c, "ann@corp.example", "ann password 1");
    let listed = a.post(
        "/api/auth/admin/list-user-sessions",
        &format!(r#"{{"userId":"{}"}}"#, u.ann),
    );
    let count = listed.json()["sessions"].as_array().map(Vec::len);
    // One more from the sign-in of `create_users`.
    assert_eq!(count, Some(3), "{}: {}", a.dialect, listed.body);

    let token = first.json()["token"].as_str().unwrap().to_owned();
    let revoked = a.post(
        "/api/auth/admin/revoke-user-session",
        &format!(r#"{{"sessionToken":"{token}"}}"#),
    );
    assert_eq!(
        revoked.json()["success"],
        true,
        "{}: {}",
        a.dialect,
        revoked.body
    );
    assert_eq!(a.session_count(&u.ann), 2, "{}", a.dialect);
    let revoked = a.post(
        "/api/auth/admin/revoke-user-sessions",
        &format!(r#"{{"userId":"{}"}}"#, u.ann),
    );
    assert_eq!(
        revoked.json()["success"],
        true,
        "{}: {}",
        a.dialect,
        revoked.body
    );
    assert_eq!(a.session_count(&u.ann), 0, "{}", a.dialect);
    let cookie = second.cookie("better-auth.session_token").unwrap();
    let session =
        a.c.get("/api/auth/get-session", &[("cookie", &cookie)])
            .unwrap();
    assert_eq!(session.body, "null", "{}", a.dialect);
}

/// `/admin/set-user-password` (a new credential account, or a new password) and
/// `/admin/remove-user`.
fn passwords_and_removal(a: &Admin, u: &Created) {
    let set = |id: &str, password: &str| {
        a.post(
            "/api/auth/admin/set-user-password",
            &format!(r#"{{"userId":"{id}","newPassword":"{password}"}}"#),
        )
    };
    a.expect(&set(&u.dan, "short"), 400, "PASSWORD_TOO_SHORT");
    a.expect(&set("nope", "long enough 1"), 404, "USER_NOT_FOUND");
    assert_eq!(
        set(&u.dan, "dan password 1").json()["status"],
        true,
        "{}",
        a.dialect
    );
    assert_eq!(
        sign_in(a.c, "dan@other.example", "dan password 1").status,
        200,
        "{}",
        a.dialect
    );
    assert_eq!(
        set(&u.ann, "ann password 2").json()["status"],
        true,
        "{}",
        a.dialect
    );
    assert_eq!(
        sign_in(a.c, "ann@corp.example", "ann password 1").status,
        401,
        "{}",
        a.dialect
    );
    assert_eq!(
        sign_in(a.c, "ann@corp.example", "ann password 2").status,
        200,
        "{}",
        a.dialect
    );

    a.expect(
        &a.post(
            "/api/auth/admin/remove-user",
            &format!(r#"{{"userId":"{}"}}"#, a.id),
        ),
        400,
        "YOU_CANNOT_REMOVE_YOURSELF",
    );
    let removed = a.post(
        "/api/auth/admin/remove-user",
        &format!(r#"{{"userId":"{}"}}"#, u.dan),
    );
    assert_eq!(
        removed.json()["success"],
        true,
        "{}: {}",
        a.dialect,
        removed.body
    );
    a.expect(
        &a.get(&format!("/api/auth/admin/get-user?id={}", u.dan)),
        404,
        "USER_NOT_FOUND",
    );
    assert_eq!(
        sign_in(a.c, "dan@other.example", "dan password 1").status,
        401,
        "{}",
        a.dialect
    );
    assert_eq!(a.session_count(&u.dan), 0, "{}", a.dialect);
}

/// `/admin/has-permission` for the signed-in user's role.
fn has_permission(a: &Admin) {
    let ask =
        |cookie: &str, body: &str| post_as(a.c, cookie, "/api/auth/admin/has-permission", body);
    let granted = ask(
        &a.cookie,
        r#"{"permissions":{"user":["list","ban"],"session":["revoke"]}}"#,
    );
    assert_eq!(
        granted.json(),
        serde_json::json!({"error": null, "success": true}),
        "{}",
        a.dialect
    );
    let withheld = ask(
        &a.cookie,
        r#"{"permissions":{"user":["impersonate-admins"]}}"#,
    );
    assert_eq!(withheld.json()["success"], false, "{}", a.dialect);
    let mallory = sign_in(a.c, "mallory@example.com", "mallory password")
        .cookie("better-auth.session_token")
        .unwrap();
    let user = ask(&mallory, r#"{"permissions":{"user":["list"]}}"#);
    assert_eq!(
        user.json()["success"],
        false,
        "{}: {}",
        a.dialect,
        user.body
    );
    let none = ask(&a.cookie, r#"{"permission":{"user":["list"]}}"#);
    assert_eq!(
        (none.status, none.json()["message"].as_str()),
        (
            400,
            Some("invalid permission check. no permission(s) were passed.")
        ),
        "{}",
        a.dialect
    );
}

/// Better Auth's `adminClient` (listUsers, setRole, banUser, unbanUser, impersonateUser,
/// stopImpersonating) against the server, signed in as an admin made here.
fn npm_admin_client(dialect: &str, c: &Client, db: &TestDb) {
    let admin = Admin::new(dialect, c, db, NPM_ADMIN.0, NPM_ADMIN.1);
    let got = npm_script("admin.mjs", dialect, c);
    let expected = serde_json::json!({
        "signIn": NPM_ADMIN.0,
        "createUser": "npm-target@example.com",
        "listUsers": { "total": 1, "emails": ["npm-target@example.com"] },
        "setRole": "moderator",
        "banUser": true,
        "signInBanned": "403 BANNED_USER",
        "unbanUser": false,
        "impersonateUser": "npm-target@example.com",
        "impersonatedSession": { "email": "npm-target@example.com", "impersonatedBy": admin.id },
        "stopImpersonating": NPM_ADMIN.0,
        "afterStop": NPM_ADMIN.0,
    });
    assert_eq!(got, expected, "{dialect}");
}
