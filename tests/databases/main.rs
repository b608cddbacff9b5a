//! Slow tier: generated migrations against the real PostgreSQL, MariaDB and SQLite.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

#[path = "../support/mod.rs"]
mod support;

mod adopt;
mod better_auth_crypto;
mod db;
mod jwks;
mod migrate;
mod migration_tools;
mod parity;
