//! Plugin flows, driven over HTTP against the all-plugins app of every framework and database.
//! Each plugin has its own file; `CONFIG` turns on every plugin that has generated code.

mod two_factor;

use std::path::Path;

use crate::db::TestDb;
use crate::http::Client;

/// The `[plugins.*]` tables appended to each e2e app's `rauth.toml`.
pub const CONFIG: &str = "[plugins.two-factor]\nissuer = \"Rauth E2E\"\n";

/// Every plugin's flows, in turn.
pub fn flows(dialect: &str, c: &Client, inbox: &Path, db: &TestDb) {
    two_factor::flows(dialect, c, inbox, db);
}
