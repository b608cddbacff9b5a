//! Plugin flows, driven over HTTP against the all-plugins app of every framework and database.
//! Each plugin has its own file; `CONFIG` turns on every plugin that has generated code.

mod admin;
mod anonymous;
mod api_key;
mod bearer;
mod device_authorization;
mod email_otp;
mod have_i_been_pwned;
pub mod jwt;
mod last_login_method;
mod magic_link;
mod multi_session;
mod one_time_token;
mod organization;
pub mod passkey;
mod phone_number;
pub mod two_factor;
mod username;

use std::path::Path;

use crate::db::TestDb;
use crate::http::{Client, Reply};

/// The `[plugins.*]` tables appended to each e2e app's `rauth.toml`.
pub const CONFIG: &str = "[plugins.username]
[plugins.two-factor]
issuer = \"Rauth E2E\"
[plugins.admin]
impersonation_session_duration = \"30m\"
[plugins.anonymous]
[plugins.multi-session]
maximum_sessions = 3
[plugins.bearer]
[plugins.api-key]
enable_session_for_api_keys = true
default_prefix = \"rk_\"
enable_metadata = true
[plugins.api-key.configs.ci]
default_prefix = \"ci_\"
default_key_length = 40
rate_limit_max = 3
[plugins.api-key.configs.team]
references = \"organization\"
enable_session_for_api_keys = true
headers = [\"x-team-key\"]
[plugins.organization]
teams = true
maximum_teams = 3
maximum_members_per_team = 2
dynamic_access_control = true
require_email_verification_on_invitation = true
[plugins.passkey]
";

/// [`CONFIG`] with the tables whose options differ by framework: sign-up through a magic link
/// is refused on actix-web and through an email code on axum, so each app runs one refusal and
/// the other creation; an email change by code needs a code of the current address, and a
/// password sign-in by phone a verified number, on axum only. JWTs are signed with the
/// algorithm [`jwt::alg`] picks for the app. On axum, one-time tokens are stored hashed and
/// handed out on every new session, the last login method is kept in the user's column, and a
/// breached-password check that cannot run lets the password through, and device codes are
/// only for the clients listed. The flows read the
/// options back from the app's `rauth.toml`.
pub fn config(framework: &str, dialect: &str) -> String {
    let axum = framework == "axum";
    let alg = jwt::alg(framework, dialect);
    format!(
        "{CONFIG}\n[plugins.jwt]\nalg = \"{alg}\"\n\n[plugins.one-time-token]\nstore_token = \"{}\"\nset_ott_header_on_new_session = {axum}\n\n[plugins.last-login-method]\nstore_in_database = {axum}\n\n[plugins.have-i-been-pwned]\napi_url_env = \"HIBP_API_URL\"\nfail_open = {axum}\n\n[plugins.device-authorization]\ninterval = \"1s\"\n{}\n[plugins.magic-link]\ndisable_sign_up = {}\n\n[plugins.email-otp]\ndisable_sign_up = {axum}\nsend_verification_on_sign_up = true\nchange_email = true\nverify_current_email = {axum}\n\n[plugins.phone-number]\nrequire_verification = {axum}\n",
        if axum { "hashed" } else { "plain" },
        if axum {
            "client_ids = [\"rauth-cli\"]\n"
        } else {
            ""
        },
        !axum
    )
}

/// Every plugin's flows, in turn.
pub fn flows(dialect: &str, c: &Client, inbox: &Path, db: &TestDb) {
    username::flows(dialect, c);
    bearer::flows(dialect, c);
    anonymous::flows(dialect, c, db);
    multi_session::flows(dialect, c);
    admin::flows(dialect, c, db);
    magic_link::flows(dialect, c, inbox, db);
    email_otp::flows(dialect, c, inbox, db);
    phone_number::flows(dialect, c, inbox, db);
    two_factor::flows(dialect, c, inbox, db);
    jwt::flows(dialect, c, inbox, db);
    api_key::flows(dialect, c, db);
    organization::flows(dialect, c, inbox, db);
    passkey::flows(dialect, c, db);
    one_time_token::flows(dialect, c, inbox, db);
    last_login_method::flows(dialect, c, inbox, db);
    have_i_been_pwned::flows(dialect, c, inbox);
    device_authorization::flows(dialect, c, inbox, db);
    npm_clients(dialect, c);
}

/// Better Auth's npm plugin clients (`usernameClient`, `anonymousClient`, `multiSessionClient`)
/// drive their plugins' main flows.
fn npm_clients(dialect: &str, c: &Client) {
    let got = crate::npm_script("account-plugins.mjs", dialect, c);
    let second = got["secondUser"].as_str().unwrap_or_default().to_owned();
    assert!(second.starts_with("npm-second-"), "{dialect}: {got}");
    let first = second.replace("npm-second-", "npm-user-");
    let username = format!(
        "npm_{}",
        second
            .trim_start_matches("npm-second-")
            .trim_end_matches("@example.com")
    );
    let expected = serde_json::json!({
        "anonymous": true, "available": true, "signUp": true, "signInUsername": true,
        "secondUser": second, "deviceSessions": [second, first], "setActive": first,
        "active": username, "revoke": true, "afterRevoke": second,
    });
    assert_eq!(got, expected, "{dialect}");
}

/// Whether `[plugins.<plugin>] <key> = true` in the app's `rauth.toml` (next to its inbox).
fn option_on(inbox: &Path, plugin: &str, key: &str) -> bool {
    option(inbox, plugin, key).as_deref() == Some("true")
}

/// The value of `[plugins.<plugin>] <key>` in the app's `rauth.toml` (next to its inbox), its
/// quotes removed.
fn option(inbox: &Path, plugin: &str, key: &str) -> Option<String> {
    let config = std::fs::read_to_string(inbox.with_file_name("rauth.toml")).unwrap();
    let header = format!("[plugins.{plugin}]");
    let table = config
        .split_once(&header)?
        .1
        .split("\n[")
        .next()
        .unwrap_or_default();
    table.lines().find_map(|line| {
        let (name, value) = line.split_once('=')?;
        (name.trim() == key).then(|| value.trim().trim_matches('"').to_owned())
    })
}

/// The messages of `kind` to `to` in the dev inbox, oldest first.
fn mails(inbox: &Path, kind: &str, to: &str) -> Vec<serde_json::Value> {
    let Ok(entries) = std::fs::read_dir(inbox) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
    files.sort();
    files
        .iter()
        .filter_map(|f| {
            serde_json::from_str::<serde_json::Value>(&std::fs::read_to_string(f).ok()?).ok()
        })
        .filter(|mail| mail["kind"] == kind && mail["to"] == to)
        .collect()
}

/// The code of the newest message of `kind` to `to` in the dev inbox.
fn inbox_code(inbox: &Path, kind: &str, to: &str) -> Option<String> {
    mails(inbox, kind, to)
        .last()
        .and_then(|mail| mail["code"].as_str().map(str::to_owned))
}

/// Asserts a refusal's status and Better Auth error code.
pub(crate) fn refused(dialect: &str, reply: &Reply, status: u16, code: &str) {
    assert_eq!(
        (reply.status, reply.json()["code"].as_str()),
        (status, Some(code)),
        "{dialect}: {}",
        reply.body
    );
}

/// The dialect's identifier quote.
pub(crate) fn quote(dialect: &str) -> char {
    if dialect == "mysql" { '`' } else { '"' }
}

/// A date in the past, as the dialect stores it.
pub(crate) fn past(dialect: &str) -> &'static str {
    if dialect == "sqlite" {
        "'2000-01-01T00:00:00.000Z'"
    } else {
        "'2000-01-01 00:00:00'"
    }
}
