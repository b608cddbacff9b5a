//! `rauth generate schema`: the next migration, from the recorded state to the config's schema.

mod migration;
mod state;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use time::OffsetDateTime;

use crate::cli::{GlobalArgs, SchemaArgs};
use crate::config::{self, MigrationFormat};
use crate::schema::diff::{self, Change};
use crate::schema::{self, Schema};
use crate::ui::Ui;
use crate::{dialect, fs};

pub use migration::sql_text;
use state::Recorded;

/// Runs `rauth generate schema`.
pub fn schema(ui: &Ui, global: &GlobalArgs, args: &SchemaArgs) -> anyhow::Result<()> {
    let loaded = config::load(&global.config)?;
    let cfg = &loaded.config;
    let desired = schema::build(cfg).map_err(|issues| loaded.source.error(issues))?;
    let dialect = args.dialect.unwrap_or(cfg.database.dialect);
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
    let state_path = dir.join(state::FILE_NAME);
    let recorded = read_state(&state_path)?;
    if let Some(r) = &recorded
        && r.dialect != dialect
    {
        bail!(
            "the migrations in `{}` were generated for {}, not {}: keep one migrations directory per dialect (`--dir`)",
            dir.display(),
            r.dialect.name(),
            dialect.name()
        );
    }
    let empty = Schema::default();
    let from = recorded.as_ref().map_or(&empty, |r| &r.schema);
    let delta = diff::plan(from, &desired, dialect);
    for kept in &delta.kept {
        ui.warn(kept);
    }

    let state_file = || {
        (
            state_path.clone(),
            Recorded::new(dialect, desired.clone()).to_json(),
        )
    };
    if args.accept_manual {
        fs::write_all_atomic(&[state_file()])?;
        ui.status(
            "Recorded",
            &format!(
                "the schema of {} as generated; no migration written",
                loaded.source.file
            ),
        );
        return Ok(());
    }
    if !delta.blockers.is_empty() {
        let mut message = format!(
            "{} needs changes rauth does not make by itself; nothing was written",
            loaded.source.file
        );
        for b in &delta.blockers {
            let _ = write!(message, "\n  - {}\n    to do: {}", b.message, b.manual_step);
        }
        bail!(message);
    }
    if delta.changes.is_empty() {
        ui.status(
            "Fresh",
            &format!(
                "`{}` is up to date with {}: nothing to generate",
                dir.display(),
                loaded.source.file
            ),
        );
        return Ok(());
    }

    let name = args.name.clone().unwrap_or_else(|| {
        if recorded.is_none() {
            "rauth_init".into()
        } else {
            "rauth_update".into()
        }
    });
    check_name(&name)?;
    let up = dialect::up(dialect, &delta.changes);
    if args.stdout || args.check {
        ui.data(&sql_text(&name, dialect, &up))?;
        if args.check {
            bail!(
                "`{}` is behind {}: run `rauth generate schema` (the missing SQL is above)",
                dir.display(),
                loaded.source.file
            );
        }
        return Ok(());
    }

    let down = dialect::down(dialect, &delta.changes);
    let version = migration::next_version(format, now(), &existing_versions(&dir)?);
    let m = migration::Migration {
        version: &version,
        name: &name,
        dialect,
        up: &up,
        down: &down,
    };
    let files = migration::files(format, reversible, &m);
    let mut writes: Vec<(PathBuf, String)> = files
        .iter()
        .map(|f| (dir.join(&f.path), f.contents.clone()))
        .collect();
    writes.push(state_file());
    fs::write_all_atomic(&writes)?;
    let summary = summarize(&delta.changes);
    for f in &files {
        ui.status(
            "Created",
            &format!("{} ({summary})", dir.join(&f.path).display()),
        );
    }
    ui.info(&format!(
        "recorded the generated schema in {}",
        state_path.display()
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
