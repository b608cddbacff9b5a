//! rauth: Better Auth–compatible authentication for Rust web services, as code you own.
#![cfg_attr(test, allow(clippy::unwrap_used))]
//!
//! `run` is the whole CLI; `main.rs` only calls it. Each domain module has a command entry in its
//! `mod.rs` and pure logic in its siblings.

pub mod cli;
pub mod config;
pub mod dialect;
mod docs;
mod error;
mod fs;
pub mod generate;
pub mod init;
pub mod migrate;
pub mod schema;
pub mod secret;
mod ui;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser as _;

use cli::{Cli, Command, ConfigCommand, GenerateCommand};
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
    match dispatch(&ui, &cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            ui.error(&e);
            ExitCode::from(init::exit_code(&e))
        }
    }
}

fn dispatch(ui: &Ui, cli: &Cli) -> anyhow::Result<()> {
    match &cli.command {
        Command::Generate(args) => match &args.what {
            Some(GenerateCommand::Schema(args)) => generate::schema(ui, &cli.global, args),
            Some(GenerateCommand::Code(args)) => generate::code(ui, &cli.global, args),
            None => generate::schema_and_code(ui, &cli.global, args),
        },
        Command::New(args) => init::new(ui, &cli.global, args),
        Command::Init(args) => init::init(ui, &cli.global, args),
        Command::Migrate(args) => migrate::run(ui, &cli.global, args),
        Command::Config(ConfigCommand::Check) => config_check(ui, cli),
        Command::Config(ConfigCommand::Schema) => Ok(ui.data(&config::json_schema())?),
        Command::Secret(args) => secret::run(ui, &cli.global, args),
        Command::Templates(command) => generate::templates_command(ui, &cli.global, command),
        Command::Completions(args) => Ok(ui.data(&docs::completions(args.shell))?),
        Command::Man(args) => Ok(ui.data(&docs::man_page(args.subcommand.as_deref())?)?),
    }
}

fn config_check(ui: &Ui, cli: &Cli) -> anyhow::Result<()> {
    let loaded = config::load(&cli.global.config)?;
    let schema = schema::build(&loaded.config).map_err(|issues| loaded.source.error(issues))?;
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
