//! Plugin flows, driven over HTTP against the all-plugins app of every framework and database.
//! Each plugin has its own file; `CONFIG` turns on every plugin that has generated code.

use std::path::Path;

use crate::db::TestDb;
use crate::http::Client;

/// The `[plugins.*]` tables appended to each e2e app's `rauth.toml`.
pub const CONFIG: &str = "";

/// Every plugin's flows, in turn.
pub fn flows(_dialect: &str, _c: &Client, _inbox: &Path, _db: &TestDb) {}
