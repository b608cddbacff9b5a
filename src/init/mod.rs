//! `rauth new`: a runnable axum or actix-web app with Better Auth–compatible auth, migrations
//! and a secret. `rauth init` (in `project`): rauth set up in an existing crate.

mod cargo;
mod detect;
mod project;
mod wizard;

pub use detect::Manifest;
pub use project::init;

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use minijinja::context;

use crate::cli::{CodeArgs, GlobalArgs, NewArgs, NewFramework, SchemaArgs};
use crate::config::{Dialect, Framework};
use crate::generate::templates;
use crate::ui::Ui;

/// Runs `rauth new`.
pub fn new(ui: &Ui, global: &GlobalArgs, args: &NewArgs) -> anyhow::Result<()> {
    check_name(&args.name)?;
    let dir = args
        .path
        .clone()
        .unwrap_or_else(|| PathBuf::from(&args.name));
    if dir.exists() && std::fs::read_dir(&dir).map_or(true, |mut d| d.next().is_some()) {
        bail!(
            "`{}` already exists and is not empty: pick another name or `--path`",
            dir.display()
        );
    }
    let created = !dir.exists();
    let result = scaffold(ui, global, args, &dir);
    if result.is_err() && created {
        // Nothing half-written: remove what this run created.
        let _ = std::fs::remove_dir_all(&dir);
    }
    result?;
    let shown = dir.display();
    ui.status(
        "Created",
        &format!(
            "{shown}: an {} app with Better Auth–compatible auth on {}",
            framework_name(args.framework),
            args.database.name()
        ),
    );
    let steps = match args.database {
        Dialect::Sqlite => format!("cd {shown} && cargo run"),
        _ => format!("create the database named in {shown}/.env, then: cd {shown} && cargo run"),
    };
    ui.status("Next", &steps);
    Ok(())
}

fn scaffold(ui: &Ui, global: &GlobalArgs, args: &NewArgs, dir: &Path) -> anyhow::Result<()> {
    let name = &args.name;
    let crate_name = name.replace('-', "_");
    let env = templates::environment(None);
    let ctx = context! {
        name => name,
        crate_name => crate_name,
        framework => framework_name(args.framework),
        dialect => args.database.name(),
        driver => args.database.name(),
        base_path => "/api/auth",
    };
    let render = |template: &str| -> anyhow::Result<String> {
        Ok(env.get_template(template)?.render(&ctx)?)
    };
    let files = [
        ("Cargo.toml", render("app/Cargo.toml.j2")?),
        ("rauth.toml", render("app/rauth.toml.j2")?),
        (".gitignore", render("app/gitignore.j2")?),
        ("src/lib.rs", render("app/lib.rs.j2")?),
        (
            "src/main.rs",
            crate::generate::format_rust(&render("app/main.rs.j2")?),
        ),
    ];
    let writes: Vec<(PathBuf, String)> = files
        .into_iter()
        .map(|(path, text)| (dir.join(path), text))
        .collect();
    crate::fs::write_all_atomic(&writes)?;

    let quiet = GlobalArgs {
        config: dir.join("rauth.toml"),
        quiet: true,
        verbose: 0,
        color: global.color,
    };
    let schema_args = SchemaArgs {
        stdout: false,
        check: false,
        dialect: None,
        format: None,
        dir: None,
        name: None,
        reversible: false,
        accept_manual: false,
    };
    crate::generate::schema(&Ui::new(true, 0, global.color), &quiet, &schema_args)
        .context("cannot generate the migrations")?;
    crate::generate::code(
        &Ui::new(true, 0, global.color),
        &quiet,
        &CodeArgs::default(),
    )
    .context("cannot generate the auth module")?;

    let database_url = match args.database {
        Dialect::Sqlite => format!("sqlite://{crate_name}.db"),
        Dialect::Postgres => format!("postgres://postgres@127.0.0.1:5432/{crate_name}"),
        Dialect::Mysql => format!("mysql://root@127.0.0.1:3306/{crate_name}"),
    };
    let prelude = format!(
        "# Local settings of {name}; never commit this file.\nDATABASE_URL={database_url}\n"
    );
    crate::secret::create_env_file(&Ui::new(true, 0, global.color), &dir.join(".env"), &prelude)?;
    ui.info("wrote .env with DATABASE_URL and a first AUTH_SECRETS version (mode 0600)");
    Ok(())
}

/// The framework's name in `rauth.toml`.
fn framework_name(framework: NewFramework) -> &'static str {
    crate::generate::framework_name(match framework {
        NewFramework::Axum => Framework::Axum,
        NewFramework::ActixWeb => Framework::ActixWeb,
    })
}

/// A name cargo accepts for a package.
fn check_name(name: &str) -> anyhow::Result<()> {
    let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid {
        bail!(
            "`{name}` is not a usable crate name: start with a letter, then letters, digits, `-` or `_`"
        );
    }
    Ok(())
}

/// A usage problem found after parsing the flags (a missing flag without a terminal, an unknown
/// workspace member): exit code 2, like clap's own errors.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// The user interrupted a prompt (Ctrl-C): nothing was written.
#[derive(Debug, thiserror::Error)]
#[error("cancelled: nothing was written")]
pub struct Cancelled;

/// The process exit code for a command's error: 2 for usage, 130 for Ctrl-C, else 1.
pub fn exit_code(error: &anyhow::Error) -> u8 {
    if error.downcast_ref::<UsageError>().is_some() {
        2
    } else if error.downcast_ref::<Cancelled>().is_some() {
        130
    } else {
        1
    }
}
