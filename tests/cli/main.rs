//! Fast tier: the `rauth` binary end to end, without databases.
#![allow(clippy::unwrap_used)]

#[path = "../support/mod.rs"]
mod support;

mod config_errors;
mod config_fuzz;
mod docs;
mod fixtures;
mod generate_code;
mod generate_plan;
mod generate_schema;
mod generated_snapshots;
mod init;
mod migrate_errors;
mod oauth_client;
mod secret;
mod social;
