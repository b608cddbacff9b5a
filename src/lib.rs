//! rauth: Better Auth–compatible authentication for Rust web services, as code you own.
#![cfg_attr(test, allow(clippy::unwrap_used))]
//!
//! `run` is the whole CLI; `main.rs` only calls it. It parses the flags (`cli`), builds the
//! `Context` once, and hands each command its own request: the one place clap meets the
//! commands. Each domain module has its command entries in its `mod.rs` and pure logic in its
//! siblings; commands call each other through those entries, never through clap structs.

mod cargo_toml;
pub mod cli;
pub mod config;
mod context;
pub mod dialect;
mod docs;
mod embedded;
mod error;
mod fs;
pub mod generate;
pub mod init;
pub mod migrate;
#[cfg(test)]
mod module_graph;
pub mod oauth_client;
mod random;
pub mod schema;
pub mod secret;
mod ui;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser as _;

use cli::{
    Cli, Command, ConfigCommand, GenerateCommand, MigrateAction, OauthClientCommand, SecretAction,
    TemplatesCommand,
};
pub use context::Context;
pub use ui::Ui;

/// Runs the CLI: 0 on success, 1 on failure, 2 on a usage error.
pub fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    let ui = Ui::new(cli.global.quiet, cli.global.verbose, cli.global.color);
    let ctx = Context::new(ui, cli.global.config.clone());
    match dispatch(&ctx, &cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            ctx.ui.error(&e);
            ExitCode::from(error::exit_code(&e))
        }
    }
}

/// Runs `command`, its clap arguments turned into the command's own request.
fn dispatch(ctx: &Context, command: &Command) -> anyhow::Result<()> {
    let ui = &ctx.ui;
    match command {
        Command::Generate(args) => match &args.what {
            Some(GenerateCommand::Schema(args)) => generate::schema(ctx, &args.request()),
            Some(GenerateCommand::Code(args)) => generate::code(ctx, &args.request()),
            Some(GenerateCommand::Openapi) => generate::openapi(ctx),
            None => generate::schema_and_code(ctx, &args.request()),
        },
        Command::New(args) => init::new(ctx, &args.request()),
        Command::Init(args) => init::init(ctx, &args.request()),
        Command::Migrate(args) => match &args.action {
            None => migrate::apply(ctx, &args.run.request()),
            Some(MigrateAction::Status(connection)) => migrate::status(ctx, &connection.location()),
            Some(MigrateAction::Revert(args)) => migrate::revert(ctx, &args.request()),
        },
        Command::Config(ConfigCommand::Check) => config_check(ctx),
        Command::Config(ConfigCommand::Schema) => Ok(ui.data(&config::json_schema())?),
        Command::Secret(args) => match &args.action {
            None => secret::print_new(ctx, args.format),
            Some(SecretAction::Rotate(rotate)) if rotate.jwks => {
                secret::rotate_jwks(ctx, &rotate.file.choice(), rotate.database_url.as_deref())
            }
            Some(SecretAction::Rotate(rotate)) => secret::rotate(ctx, &rotate.request()),
            Some(SecretAction::List(file)) => secret::list(ctx, &file.choice()),
            Some(SecretAction::Prune(prune)) => secret::prune(ctx, &prune.request()),
            Some(SecretAction::Check(file)) => secret::check(ctx, &file.choice()),
        },
        Command::OauthClient(OauthClientCommand::Create(args)) => {
            oauth_client::create(ctx, &args.request())
        }
        Command::Templates(TemplatesCommand::List) => generate::templates_list(ctx),
        Command::Templates(TemplatesCommand::Eject { name, force }) => {
            generate::templates_eject(ctx, name.as_deref(), *force)
        }
        Command::Completions(args) => Ok(ui.data(&docs::completions(args.shell))?),
        Command::Man(args) => Ok(ui.data(&docs::man_page(args.subcommand.as_deref())?)?),
    }
}

/// Runs `rauth config check`.
fn config_check(ctx: &Context) -> anyhow::Result<()> {
    let ui = &ctx.ui;
    let loaded = ctx.config()?;
    let schema = ctx.schema()?;
    for warning in loaded.warnings() {
        ui.warn(&warning);
    }
    let plugins = loaded.config.plugins.enabled();
    let plugins = if plugins.is_empty() {
        "no plugins".to_owned()
    } else {
        format!("plugins {}", plugins.join(", "))
    };
    ui.status(
        "Valid",
        &format!(
            "{}: {}, {plugins}, {} tables",
            loaded.source.file,
            loaded.config.database.dialect.name(),
            schema.tables.len()
        ),
    );
    Ok(())
}
