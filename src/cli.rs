//! Command-line arguments (clap only: no logic here).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::{Dialect, MigrationFormat};

/// Better Auth–compatible authentication for Rust web services, as code you own.
///
/// rauth reads `rauth.toml` (the auth config and its plugins) and generates SQL migrations for
/// PostgreSQL, MySQL/MariaDB or SQLite that match Better Auth's schema, so a database and its
/// users can move between Better Auth and a Rust service.
#[derive(Debug, Parser)]
#[command(
    name = "rauth",
    version,
    propagate_version = true,
    max_term_width = 100
)]
#[command(
    after_help = "Start with `rauth generate schema --stdout` to see the SQL for your rauth.toml."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// The auth config; relative paths inside it are resolved from its directory.
    #[arg(
        short,
        long,
        global = true,
        env = "RAUTH_CONFIG",
        default_value = "rauth.toml",
        value_name = "FILE"
    )]
    pub config: PathBuf,
    /// Print only errors and requested data.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Say more about what happens (repeat for more).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// When to color stderr; `auto` colors a terminal unless NO_COLOR is set.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, env = "RAUTH_COLOR", value_name = "WHEN")]
    pub color: ColorChoice,
}

/// `--color`
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate migrations from rauth.toml.
    #[command(subcommand)]
    Generate(GenerateCommand),
    /// Validate rauth.toml, or print its JSON Schema.
    #[command(subcommand)]
    Config(ConfigCommand),
}

#[derive(Debug, Subcommand)]
pub enum GenerateCommand {
    /// Write the next SQL migration: the tables, columns and indexes rauth.toml needs that the
    /// migrations directory does not have yet.
    ///
    /// What was already generated is recorded in `<dir>/.rauth-schema.json`, so no database is
    /// needed. Removals and changes to existing columns are never generated: they are reported
    /// with the manual step. Running it twice writes nothing the second time.
    #[command(
        after_help = "Examples:\n  rauth generate schema\n  rauth generate schema --stdout | psql \"$DATABASE_URL\"\n  rauth generate schema --dialect mysql --format diesel\n  rauth generate schema --check    # in CI: fails if migrations are behind rauth.toml"
    )]
    Schema(SchemaArgs),
}

/// `rauth generate schema`
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Print the SQL on stdout instead of writing files.
    #[arg(long, conflicts_with_all = ["check", "accept_manual"])]
    pub stdout: bool,
    /// Exit 1 (and print the pending SQL) if a migration would be generated; write nothing.
    #[arg(long, conflicts_with = "accept_manual")]
    pub check: bool,
    /// Target dialect, instead of `[database] dialect`.
    #[arg(long, value_enum)]
    pub dialect: Option<Dialect>,
    /// File layout, instead of `[migrations] format`.
    #[arg(long, value_enum)]
    pub format: Option<MigrationFormat>,
    /// Migrations directory, instead of `[migrations] dir`.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Migration name (default: `rauth_init`, then `rauth_update`).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// sqlx layout: write `.up.sql` and `.down.sql` files.
    #[arg(long)]
    pub reversible: bool,
    /// Record the schema as generated without writing a migration (after doing a reported
    /// manual step by hand).
    #[arg(long)]
    pub accept_manual: bool,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Check rauth.toml: syntax, values, contradictions, plugin dependencies, renames. Exits 1 on
    /// any problem, pointing at file:line:col.
    Check,
    /// Print the JSON Schema of rauth.toml, for editor completion (taplo, Even Better TOML).
    #[command(
        after_help = "Use it from rauth.toml's first line:\n  #:schema ./rauth.schema.json\nafter `rauth config schema > rauth.schema.json`."
    )]
    Schema,
}
