//! `rauth new`: a runnable axum or actix-web app with Better Auth–compatible auth, migrations
//! and a secret. `rauth init` (in `project`): rauth set up in an existing crate.

mod cargo;
mod detect;
mod project;
mod wizard;

pub use project::{InitRequest, init};

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use minijinja::context;

use crate::config::{Dialect, Framework};
use crate::context::Context;
use crate::generate::{self, CodeRequest, SchemaRequest, framework_name, templates};
use crate::ui::Ui;

/// What `rauth new` creates: the package `name` in `path` (else `./<name>`).
#[derive(Debug)]
pub struct NewRequest {
    pub name: String,
    pub framework: Framework,
    pub database: Dialect,
    pub path: Option<PathBuf>,
}

/// Runs `rauth new`.
pub fn new(ctx: &Context, args: &NewRequest) -> anyhow::Result<()> {
    let ui = &ctx.ui;
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
    let result = scaffold(ui, args, &dir);
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

fn scaffold(ui: &Ui, args: &NewRequest, dir: &Path) -> anyhow::Result<()> {
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
            generate::format_rust(&render("app/main.rs.j2")?),
        ),
    ];
    let writes: Vec<(PathBuf, String)> = files
        .into_iter()
        .map(|(path, text)| (dir.join(path), text))
        .collect();
    crate::fs::write_all_atomic(&writes)?;

    // The new app's own config, read once for both steps; their output is this command's.
    let app = Context::new(Ui::quiet(), dir.join("rauth.toml"));
    generate::schema(&app, &SchemaRequest::default()).context("cannot generate the migrations")?;
    generate::code(&app, &CodeRequest::default()).context("cannot generate the auth module")?;

    let database_url = match args.database {
        Dialect::Sqlite => format!("sqlite://{crate_name}.db"),
        Dialect::Postgres => format!("postgres://postgres@127.0.0.1:5432/{crate_name}"),
        Dialect::Mysql => format!("mysql://root@127.0.0.1:3306/{crate_name}"),
    };
    let prelude = format!(
        "# Local settings of {name}; never commit this file.\nDATABASE_URL={database_url}\n"
    );
    crate::secret::create_env_file(&Ui::quiet(), &dir.join(".env"), &prelude)?;
    ui.info("wrote .env with DATABASE_URL and a first AUTH_SECRETS version (mode 0600)");
    Ok(())
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
