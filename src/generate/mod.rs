//! `rauth generate schema`: the next migration, from the recorded state to the config's schema.

mod code;
mod migration;
mod state;
pub(crate) mod templates;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use time::OffsetDateTime;

use crate::cli::{CodeArgs, GlobalArgs, SchemaArgs};
use crate::config::{self, Dialect, MigrationFormat};
use crate::schema::diff::{self, Change};
use crate::schema::{self, Schema};
use crate::ui::Ui;
use crate::{dialect, fs};

pub use code::{format_rust, framework_name};
pub use migration::sql_text;
use state::Recorded;

/// Where and how migrations are written, after flags override the config.
struct Target {
    dialect: Dialect,
    format: MigrationFormat,
    reversible: bool,
    dir: PathBuf,
}

impl Target {
    fn new(loaded: &config::Loaded, args: &SchemaArgs) -> anyhow::Result<Self> {
        let cfg = &loaded.config;
        let format = args.format.unwrap_or(cfg.migrations.format);
        let reversible = args.reversible || cfg.migrations.reversible;
        if reversible && format != MigrationFormat::Sqlx {
            bail!(
                "`reversible` is for the sqlx layout; diesel migrations always have a down.sql, plain SQL ones never do"
            );
        }
        let dir = args
            .dir
            .clone()
            .unwrap_or_else(|| loaded.base_dir.join(&cfg.migrations.dir));
        Ok(Self {
            dialect: args.dialect.unwrap_or(cfg.database.dialect),
            format,
            reversible,
            dir,
        })
    }

    fn state_path(&self) -> PathBuf {
        self.dir.join(state::FILE_NAME)
    }

    /// The schema already generated into this directory, if any, for this dialect.
    fn recorded(&self) -> anyhow::Result<Option<Recorded>> {
        let recorded = read_state(&self.state_path())?;
        if let Some(r) = &recorded
            && r.dialect != self.dialect
        {
            bail!(
                "the migrations in `{}` were generated for {}, not {}: keep one migrations directory per dialect (`--dir`)",
                self.dir.display(),
                r.dialect.name(),
                self.dialect.name()
            );
        }
        Ok(recorded)
    }
}

/// Runs `rauth generate schema`.
pub fn schema(ui: &Ui, global: &GlobalArgs, args: &SchemaArgs) -> anyhow::Result<()> {
    let loaded = config::load(&global.config)?;
    let file = &loaded.source.file;
    let desired = schema::build(&loaded.config).map_err(|issues| loaded.source.error(issues))?;
    let target = Target::new(&loaded, args)?;
    let recorded = target.recorded()?;
    let empty = Schema::default();
    let delta = diff::plan(
        recorded.as_ref().map_or(&empty, |r| &r.schema),
        &desired,
        target.dialect,
    );
    for kept in &delta.kept {
        ui.warn(kept);
    }
    let state = (
        target.state_path(),
        Recorded::new(target.dialect, desired.clone()).to_json(),
    );

    if args.accept_manual {
        fs::write_all_atomic(&[state])?;
        ui.status(
            "Recorded",
            &format!("the schema of {file} as generated; no migration written"),
        );
        return Ok(());
    }
    if !delta.blockers.is_empty() {
        let mut message =
            format!("{file} needs changes rauth does not make by itself; nothing was written");
        for b in &delta.blockers {
            let _ = write!(message, "\n  - {}\n    to do: {}", b.message, b.manual_step);
        }
        bail!(message);
    }
    if delta.changes.is_empty() {
        ui.status(
            "Fresh",
            &format!(
                "`{}` is up to date with {file}: nothing to generate",
                target.dir.display()
            ),
        );
        return Ok(());
    }

    let default_name = if recorded.is_none() {
        "rauth_init"
    } else {
        "rauth_update"
    };
    let name = args.name.as_deref().unwrap_or(default_name);
    check_name(name)?;
    let up = dialect::up(target.dialect, &delta.changes);
    if args.stdout || args.check {
        ui.data(&sql_text(name, target.dialect, &up))?;
        if args.check {
            bail!(
                "`{}` is behind {file}: run `rauth generate schema` (the missing SQL is above)",
                target.dir.display()
            );
        }
        return Ok(());
    }
    let down = dialect::down(target.dialect, &delta.changes);
    let m = migration::Migration {
        version: &migration::next_version(target.format, now(), &existing_versions(&target.dir)?),
        name,
        dialect: target.dialect,
        up: &up,
        down: &down,
    };
    let files = migration::files(target.format, target.reversible, &m);
    let mut writes: Vec<(PathBuf, String)> = files
        .iter()
        .map(|f| (target.dir.join(&f.path), f.contents.clone()))
        .collect();
    writes.push(state);
    fs::write_all_atomic(&writes)?;
    let summary = summarize(&delta.changes);
    for f in &files {
        ui.status(
            "Created",
            &format!("{} ({summary})", target.dir.join(&f.path).display()),
        );
    }
    ui.info(&format!(
        "recorded the generated schema in {}",
        target.state_path().display()
    ));
    Ok(())
}

fn read_state(path: &Path) -> anyhow::Result<Option<Recorded>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Recorded::from_json(&text)
            .map(Some)
            .map_err(|why| anyhow::anyhow!("cannot read `{}`: {why}; restore it from version control (it records what the migrations beside it create)", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read `{}`", path.display())),
    }
}

fn existing_versions(dir: &Path) -> anyhow::Result<Vec<String>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("cannot list `{}`", dir.display())),
    };
    let mut versions = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot list `{}`", dir.display()))?;
        if let Some(v) = entry.file_name().to_str().and_then(migration::version_of) {
            versions.push(v);
        }
    }
    Ok(versions)
}

/// Now, or `SOURCE_DATE_EPOCH` when set (reproducible output).
fn now() -> OffsetDateTime {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
        .and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
        .unwrap_or_else(OffsetDateTime::now_utc)
}

fn check_name(name: &str) -> anyhow::Result<()> {
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        bail!("migration name `{name}` must be letters, digits and `_`");
    }
    Ok(())
}

fn summarize(changes: &[Change<'_>]) -> String {
    let count = |f: fn(&Change<'_>) -> bool| changes.iter().filter(|c| f(c)).count();
    let parts = [
        (count(|c| matches!(c, Change::CreateTable(_))), "table"),
        (
            count(|c| matches!(c, Change::AddColumn { .. })),
            "new column",
        ),
        (count(|c| matches!(c, Change::CreateIndex { .. })), "index"),
    ];
    parts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| match (*n, *what) {
            (1, w) => format!("1 {w}"),
            (n, "index") => format!("{n} indexes"),
            (n, w) => format!("{n} {w}s"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Runs `rauth generate code`.
/// `rauth generate`: the next migration, then the auth module. The code is rendered first, so a
/// config the code generator refuses writes nothing.
pub fn schema_and_code(ui: &Ui, global: &GlobalArgs) -> anyhow::Result<()> {
    code::render(&config::load(&global.config)?)?;
    schema(ui, global, &SchemaArgs::default())?;
    code(ui, global, &CodeArgs::default())
}

pub fn code(ui: &Ui, global: &GlobalArgs, args: &CodeArgs) -> anyhow::Result<()> {
    let loaded = config::load(&global.config)?;
    let (files, formatted) = code::render(&loaded)?;
    if !formatted {
        ui.warn("rustfmt is not installed (or failed): the generated files are not formatted; run `cargo fmt`");
    }
    if args.stdout {
        let mut text = String::new();
        for f in &files {
            let _ = write!(text, "// ---- {}\n{}", f.path.display(), f.contents);
        }
        return Ok(ui.data(&text)?);
    }
    let out_dir = args
        .out_dir
        .clone()
        .unwrap_or_else(|| loaded.base_dir.join(&loaded.config.codegen.out_dir));
    let writes: Vec<(PathBuf, String)> = files
        .iter()
        .map(|f| (out_dir.join(&f.path), f.contents.clone()))
        .collect();
    fs::write_all_atomic(&writes)?;
    for f in &files {
        ui.status("Wrote", &out_dir.join(&f.path).display().to_string());
    }
    ui.status("Next", "add the dependencies of the generated code:");
    for line in code::cargo_add(
        loaded.config.codegen.framework,
        loaded.config.database.dialect,
    ) {
        ui.status("", &line);
    }
    ui.status(
        "",
        "and to Cargo.toml, so password hashing is fast in debug builds too:",
    );
    ui.status("", "[profile.dev.package.scrypt] opt-level = 3");
    Ok(())
}
