//! rauth: Better Auth–compatible authentication for Rust web services, as code you own.

pub mod config;
pub mod dialect;
pub mod schema;
