//! Plugin flows, driven over HTTP against the all-plugins app of every framework and database.
//! Each plugin has its own file; `CONFIG` turns on every plugin that has generated code.

mod anonymous;
mod bearer;
mod multi_session;
mod username;

use std::path::Path;

use crate::db::TestDb;
use crate::http::Client;

/// The `[plugins.*]` tables appended to each e2e app's `rauth.toml`.
pub const CONFIG: &str = "[plugins.username]
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
}
