//! Plugin flows, driven over HTTP against the all-plugins app of every framework and database.
//! Each plugin has its own file; `CONFIG` turns on every plugin that has generated code.

use std::path::Path;

use crate::db::TestDb;
use crate::http::Client;

mod admin;

/// The `[plugins.*]` tables appended to each e2e app's `rauth.toml`.
pub const CONFIG: &str = "[plugins.admin]\nimpersonation_session_duration = \"30m\"\n";

/// Every plugin's flows, in turn.
pub fn flows(dialect: &str, c: &Client, _inbox: &Path, db: &TestDb) {
    admin::flows(dialect, c, db);
}
