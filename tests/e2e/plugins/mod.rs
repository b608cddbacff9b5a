//! Plugin flows, driven over HTTP against the all-plugins app of every framework and database.
//! Each plugin has its own file; `CONFIG` turns on every plugin that has generated code.

mod admin;
mod anonymous;
mod bearer;
mod multi_session;
mod username;

use std::path::Path;

use crate::db::TestDb;
use crate::http::Client;

/// The `[plugins.*]` tables appended to each e2e app's `rauth.toml`.
pub const CONFIG: &str = "[plugins.username]
[plugins.admin]
impersonation_session_duration = \"30m\"
[plugins.anonymous]
[plugins.multi-session]
maximum_sessions = 3
[plugins.bearer]
";

/// Every plugin's flows, in turn.
pub fn flows(dialect: &str, c: &Client, _inbox: &Path, db: &TestDb) {
    username::flows(dialect, c);
    bearer::flows(dialect, c);
    anonymous::flows(dialect, c, db);
    multi_session::flows(dialect, c);
    admin::flows(dialect, c, db);
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
