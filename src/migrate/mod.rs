//! `rauth migrate`: apply migration files under a lock, in the ledger the user's tool reads.

mod adopt;
mod apply;
pub(crate) mod catalog;
pub(crate) mod connection;
mod introspect;
mod ledger;
pub mod lock;
mod source;
mod statements;

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context as _, bail};
use sqlx::{AnyConnection, Connection as _};

use crate::config::{self, Dialect, MigrationFormat};
use crate::context::Context;
use crate::schema::diff;
use crate::ui::Ui;

use apply::{Direction, Options};
use ledger::{Applied, Ledger};
use lock::LockMode;
use source::Migration;

/// Where the database and the migrations are; each `None` takes `rauth.toml`'s setting.
#[derive(Debug, Default)]
pub struct Location {
    /// Instead of the variable `[database] url_env` names.
    pub database_url: Option<String>,
    /// Instead of `[migrations] dir`.
    pub dir: Option<PathBuf>,
}

/// `rauth migrate`: apply the pending migrations.
#[derive(Debug)]
pub struct ApplyRequest {
    pub location: Location,
    /// Print the SQL that would run; run nothing.
    pub dry_run: bool,
    /// Apply up to and including this version.
    pub target: Option<String>,
    /// How long to wait for another run's lock.
    pub lock_timeout: Duration,
    pub lock_mode: LockMode,
    /// Only record the migrations whose tables already exist as they would create them.
    pub adopt: bool,
}

/// `rauth migrate revert`: undo the last migration, or every one after `target`.
#[derive(Debug)]
pub struct RevertRequest {
    pub location: Location,
    pub target: Option<String>,
    /// How long to wait for another run's lock.
    pub lock_timeout: Duration,
}

/// Runs `rauth migrate`.
pub fn apply(ctx: &Context, request: &ApplyRequest) -> anyhow::Result<()> {
    block_on(up(ctx, request))
}

/// Runs `rauth migrate status`.
pub fn status(ctx: &Context, location: &Location) -> anyhow::Result<()> {
    block_on(show_status(ctx, location))
}

/// Runs `rauth migrate revert`.
pub fn revert(ctx: &Context, request: &RevertRequest) -> anyhow::Result<()> {
    block_on(revert_under_lock(ctx, request))
}

/// Runs a command's work on a runtime of its own: the CLI is synchronous everywhere else.
fn block_on(work: impl Future<Output = anyhow::Result<()>>) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(work)
}

/// What every migrate command needs: the config, the files and a connection.
struct Setup<'a> {
    dialect: Dialect,
    format: MigrationFormat,
    dir: std::path::PathBuf,
    migrations: Vec<Migration>,
    url: String,
    conn: AnyConnection,
    target: lock::Target,
    ctx: &'a Context,
    loaded: &'a config::Loaded,
}

impl<'a> Setup<'a> {
    async fn new(ctx: &'a Context, conn_args: &Location) -> anyhow::Result<Self> {
        let ui = &ctx.ui;
        let loaded = ctx.config()?;
        let cfg = &loaded.config;
        let dialect = cfg.database.dialect;
        let format = cfg.migrations.format;
        let dir = conn_args
            .dir
            .clone()
            .unwrap_or_else(|| loaded.base_dir.join(&cfg.migrations.dir));
        let migrations = source::discover(&dir, format)?;
        let url = connection::url(loaded, conn_args.database_url.as_deref())?;
        let (conn, target) = connection::open(ui, dialect, &url).await?;
        Ok(Self {
            dialect,
            format,
            dir,
            migrations,
            url,
            conn,
            target,
            ctx,
            loaded,
        })
    }

    /// Takes the migration lock, showing who holds it while waiting.
    async fn lock(
        &mut self,
        ui: &Ui,
        mode: LockMode,
        timeout: Duration,
    ) -> anyhow::Result<lock::Held> {
        let spinner = ui.spinner();
        let held = lock::acquire(&mut self.conn, &self.target, mode, timeout, |m| {
            spinner.set_message(m.to_owned());
        })
        .await;
        spinner.finish_and_clear();
        held
    }

    /// Releases the lock and closes the connection, whatever `result` is; its error wins.
    async fn finish(mut self, held: lock::Held, result: anyhow::Result<()>) -> anyhow::Result<()> {
        let released = held.release(&mut self.conn).await;
        let _ = self.conn.close().await;
        result.and(released)
    }

    fn ledger(&self) -> Ledger {
        Ledger {
            dialect: self.dialect,
            format: self.format,
        }
    }
}

async fn up(ctx: &Context, args: &ApplyRequest) -> anyhow::Result<()> {
    let ui = &ctx.ui;
    let mut setup = Setup::new(ctx, &args.location).await?;
    let transaction = args.lock_mode == LockMode::Transaction;
    if transaction {
        sqlx::raw_sql("BEGIN").execute(&mut setup.conn).await?;
    }
    let held = setup.lock(ui, args.lock_mode, args.lock_timeout).await?;
    ui.info("holding the migration lock");
    let result = if setup.migrations.is_empty() {
        from_config(ui, &mut setup, args, transaction).await
    } else {
        apply_files(ui, &mut setup, args, transaction).await
    };
    let result = if transaction {
        let ended = apply::end_transaction(&mut setup.conn, result.is_ok()).await;
        result.and(ended)
    } else {
        result
    };
    setup.finish(held, result).await
}

/// Applies the pending files, in version order.
async fn apply_files(
    ui: &Ui,
    setup: &mut Setup<'_>,
    args: &ApplyRequest,
    transaction: bool,
) -> anyhow::Result<()> {
    let ledger = setup.ledger();
    ledger.ensure(&mut setup.conn).await?;
    let applied = ledger.applied(&mut setup.conn).await?;
    check_unchanged(&setup.migrations, &applied)?;
    for a in applied
        .iter()
        .filter(|a| a.finished && !setup.migrations.iter().any(|m| m.version == a.version))
    {
        ui.warn(&format!(
            "version {} is applied but has no file in `{}`",
            a.version,
            setup.dir.display()
        ));
    }
    let pending: Vec<&Migration> = setup
        .migrations
        .iter()
        .filter(|m| !applied.iter().any(|a| a.version == m.version && a.finished))
        .filter(|m| {
            args.target
                .as_deref()
                .is_none_or(|t| source::compare_versions(&m.version, t).is_le())
        })
        .collect();
    let scratch = Scratch {
        dialect: setup.dialect,
        url: &setup.url,
        migrations: &setup.migrations,
    };
    let adoptable = adoptable(ui, scratch, &mut setup.conn, &applied, &pending, args.adopt).await?;
    let (to_adopt, pending) = pending.split_at(adoptable);
    if args.dry_run {
        return print_plan(ui, to_adopt, pending);
    }
    if args.adopt && !to_adopt.is_empty() && !confirm_adoption(to_adopt)? {
        bail!("nothing was recorded");
    }
    for m in to_adopt {
        // -1, as sqlx's own `skip` records a migration it did not run.
        ledger.record(&mut setup.conn, m, -1).await?;
        ui.status(
            "Adopted",
            &format!("{} {}: schema already present", m.version, m.description),
        );
    }
    if args.adopt {
        if to_adopt.is_empty() {
            ui.status(
                "Fresh",
                "nothing to adopt: no pending migration's schema is present",
            );
        }
        return Ok(());
    }
    if pending.is_empty() && !to_adopt.is_empty() {
        return Ok(());
    }
    if pending.is_empty() {
        ui.status(
            "Fresh",
            &format!(
                "nothing to apply: {} migration(s) already applied",
                applied.iter().filter(|a| a.finished).count()
            ),
        );
        return Ok(());
    }
    apply_pending(ui, &mut setup.conn, ledger, &applied, pending, transaction).await
}

/// Runs `pending` in order, with a progress bar.
async fn apply_pending(
    ui: &Ui,
    conn: &mut AnyConnection,
    ledger: Ledger,
    applied: &[Applied],
    pending: &[&Migration],
    transaction: bool,
) -> anyhow::Result<()> {
    let progress = ui.progress(pending.len());
    for &m in pending {
        let resume = applied
            .iter()
            .any(|a| a.version == m.version && !a.finished);
        if resume {
            ui.warn(&format!(
                "{} {} started earlier and did not finish: resuming it",
                m.version, m.description
            ));
        }
        progress.set_message(format!("{} {}", m.version, m.description));
        let took = apply::run(
            conn,
            ledger,
            m,
            Direction::Up,
            Options {
                in_outer_transaction: transaction,
                resume,
                record: true,
            },
        )
        .await?;
        progress.inc(1);
        progress.suspend(|| {
            ui.status(
                "Applied",
                &format!("{} {} ({} ms)", m.version, m.description, took.as_millis()),
            );
        });
    }
    progress.finish_and_clear();
    Ok(())
}

/// `--dry-run`: what would be adopted, and the SQL that would run.
fn print_plan(ui: &Ui, to_adopt: &[&Migration], pending: &[&Migration]) -> anyhow::Result<()> {
    for m in to_adopt {
        ui.data(&format!(
            "-- {} {}: adopt (its schema is already present)\n",
            m.version, m.description
        ))?;
    }
    for m in pending {
        ui.data(&format!(
            "-- {} {}\n{}\n",
            m.version, m.description, m.up_sql
        ))?;
    }
    Ok(())
}

/// What the scratch schema is built from: every migration file, on the same server.
#[derive(Clone, Copy)]
struct Scratch<'a> {
    dialect: Dialect,
    url: &'a str,
    migrations: &'a [Migration],
}

/// How many of `pending`, from the first, already have their schema in the database: a database
/// Better Auth's `migrate` built has the tables and no ledger. A partly present or different
/// schema stops the run.
async fn adoptable(
    ui: &Ui,
    scratch: Scratch<'_>,
    conn: &mut AnyConnection,
    applied: &[Applied],
    pending: &[&Migration],
    explicit: bool,
) -> anyhow::Result<usize> {
    let Some(last) = pending.last() else {
        return Ok(0);
    };
    if pending
        .iter()
        .any(|m| applied.iter().any(|a| a.version == m.version))
    {
        // A MySQL migration that started and did not finish is resumed, never adopted.
        return Ok(0);
    }
    // The scratch schema starts empty, so every file up to the last pending one runs there.
    let upto: Vec<&Migration> = scratch
        .migrations
        .iter()
        .filter(|m| source::compare_versions(&m.version, &last.version).is_le())
        .collect();
    let live = catalog::read(conn, scratch.dialect).await?;
    let pending_sql: String = pending.iter().map(|m| m.up_sql.as_str()).collect();
    if !adopt::names_a_live_table(&pending_sql, &live.tables()) {
        return Ok(0);
    }
    let catalogs = match adopt::scratch_catalogs(scratch.dialect, scratch.url, &upto).await {
        Ok(catalogs) => catalogs,
        Err(e) if !explicit => {
            ui.warn(&format!(
                "cannot check whether the schema of the pending migrations is already present ({e:#}): applying them"
            ));
            return Ok(0);
        }
        Err(e) => return Err(e.context("cannot check which migrations' schema is present")),
    };
    let position = |m: &Migration| upto.iter().position(|u| u.version == m.version);
    let Some(first) = pending.first().and_then(|m| position(m)) else {
        return Ok(0);
    };
    // The catalog before the first pending migration, then after each pending one.
    let mut steps = vec![catalogs[first].clone()];
    for m in pending {
        let Some(i) = position(m) else {
            return Ok(0);
        };
        steps.push(catalogs[i + 1].clone());
    }
    match adopt::plan(&live, &steps) {
        adopt::Plan::Adopt { count, defaults } => {
            if !defaults.is_empty() {
                ui.warn(&format!(
                    "the database's column defaults differ from the migrations' on {} (the generated code writes every column itself, so no default applies to its rows)",
                    defaults.join(", ")
                ));
            }
            Ok(count)
        }
        adopt::Plan::Differs(difference) => bail!(
            "the database already has tables the pending migrations create, but not exactly as they would create them; nothing ran:\n{}  to do: if the database came from Better Auth, make rauth.toml's plugins and options match it, generate again, and put what it lacks in a later migration; otherwise change the tables or the migrations until they match",
            difference.lines(20)
        ),
    }
}

/// `--adopt` on a terminal asks before recording; elsewhere the flag is the answer.
fn confirm_adoption(to_adopt: &[&Migration]) -> anyhow::Result<bool> {
    use std::io::IsTerminal as _;
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Ok(true);
    }
    let list: Vec<String> = to_adopt
        .iter()
        .map(|m| format!("  {} {}", m.version, m.description))
        .collect();
    let prompt = format!(
        "The schema of these migrations is already in the database:\n{}\nRecord them as applied?",
        list.join("\n")
    );
    Ok(dialoguer::Confirm::new()
        .with_prompt(prompt)
        .default(false)
        .interact()?)
}

/// No migration files: plan from the config against what the database has (Better Auth's way).
async fn from_config(
    ui: &Ui,
    setup: &mut Setup<'_>,
    args: &ApplyRequest,
    transaction: bool,
) -> anyhow::Result<()> {
    let ctx = setup.ctx;
    let wanted = ctx.schema()?;
    let have = introspect::existing(&mut setup.conn, setup.dialect, wanted).await?;
    let delta = diff::plan(&have, wanted, setup.dialect);
    if !delta.blockers.is_empty() {
        let mut message =
            "the database needs changes rauth does not make by itself; nothing ran".to_owned();
        for b in &delta.blockers {
            let _ = write!(message, "\n  - {}\n    to do: {}", b.message, b.manual_step);
        }
        bail!(message);
    }
    if delta.changes.is_empty() {
        ui.status(
            "Fresh",
            &format!(
                "no migration files in `{}`, and the database already has the schema of {}",
                setup.dir.display(),
                setup.loaded.source.file
            ),
        );
        return Ok(());
    }
    let sql = crate::generate::sql_text(
        "rauth_from_config",
        setup.dialect,
        &crate::dialect::up(setup.dialect, &delta.changes),
    );
    if args.dry_run {
        return Ok(ui.data(&sql)?);
    }
    let m = Migration {
        version: "0".into(),
        description: "schema from rauth.toml".into(),
        up_path: setup.loaded.source.file.clone().into(),
        up_sql: sql,
        down_sql: None,
        checksum: Vec::new(),
        no_transaction: false,
    };
    let ledger = Ledger {
        dialect: setup.dialect,
        format: MigrationFormat::Sql,
    };
    let took = apply::run(
        &mut setup.conn,
        ledger,
        &m,
        Direction::Up,
        Options {
            in_outer_transaction: transaction,
            resume: false,
            record: false,
        },
    )
    .await?;
    ui.status(
        "Applied",
        &format!(
            "the schema of {} ({} changes, {} ms)",
            setup.loaded.source.file,
            delta.changes.len(),
            took.as_millis()
        ),
    );
    Ok(())
}

/// An applied file whose content changed is refused, naming both checksums.
fn check_unchanged(migrations: &[Migration], applied: &[Applied]) -> anyhow::Result<()> {
    for a in applied.iter().filter(|a| a.finished) {
        let (Some(m), Some(recorded)) = (
            migrations.iter().find(|m| m.version == a.version),
            &a.checksum,
        ) else {
            continue;
        };
        if *recorded != m.checksum {
            bail!(
                "`{}` was changed after it was applied (applied checksum {}, file checksum {}): restore the file, and put new changes in a new migration",
                m.up_path.display(),
                hex::encode(recorded),
                hex::encode(&m.checksum)
            );
        }
    }
    Ok(())
}

async fn show_status(ctx: &Context, conn_args: &Location) -> anyhow::Result<()> {
    let ui = &ctx.ui;
    let mut setup = Setup::new(ctx, conn_args).await?;
    let ledger = setup.ledger();
    ledger.ensure(&mut setup.conn).await?;
    let applied = ledger.applied(&mut setup.conn).await?;
    let _ = setup.conn.close().await;
    let mut rows = vec![[
        "VERSION".to_owned(),
        "NAME".into(),
        "APPLIED AT".into(),
        "CHECKSUM".into(),
        "STATE".into(),
    ]];
    for m in &setup.migrations {
        let row = match applied.iter().find(|a| a.version == m.version) {
            Some(a) => {
                let checksum = match &a.checksum {
                    Some(c) if *c == m.checksum => "ok",
                    Some(_) => "changed",
                    None => "-",
                };
                [
                    m.version.clone(),
                    m.description.clone(),
                    a.at.clone(),
                    checksum.into(),
                    if a.finished { "applied" } else { "unfinished" }.into(),
                ]
            }
            None => [
                m.version.clone(),
                m.description.clone(),
                "-".into(),
                "-".into(),
                "pending".into(),
            ],
        };
        rows.push(row);
    }
    for a in applied
        .iter()
        .filter(|a| !setup.migrations.iter().any(|m| m.version == a.version))
    {
        rows.push([
            a.version.clone(),
            "?".into(),
            a.at.clone(),
            "-".into(),
            "missing file".into(),
        ]);
    }
    ui.data(&table(&rows))?;
    Ok(())
}

async fn revert_under_lock(ctx: &Context, args: &RevertRequest) -> anyhow::Result<()> {
    let ui = &ctx.ui;
    let mut setup = Setup::new(ctx, &args.location).await?;
    let held = setup.lock(ui, LockMode::Session, args.lock_timeout).await?;
    let result = revert_locked(ui, &mut setup, args).await;
    setup.finish(held, result).await
}

async fn revert_locked(ui: &Ui, setup: &mut Setup<'_>, args: &RevertRequest) -> anyhow::Result<()> {
    let ledger = setup.ledger();
    ledger.ensure(&mut setup.conn).await?;
    let applied = ledger.applied(&mut setup.conn).await?;
    check_unchanged(&setup.migrations, &applied)?;
    let mut to_revert: Vec<&Migration> = setup
        .migrations
        .iter()
        .filter(|m| applied.iter().any(|a| a.version == m.version && a.finished))
        .filter(|m| {
            args.target
                .as_deref()
                .is_none_or(|t| source::compare_versions(&m.version, t).is_gt())
        })
        .collect();
    to_revert.reverse();
    if args.target.is_none() {
        to_revert.truncate(1);
    }
    if to_revert.is_empty() {
        ui.status("Fresh", "nothing to revert");
        return Ok(());
    }
    for m in to_revert {
        if m.down_sql.is_none() {
            bail!(
                "`{}` has no down migration: rauth writes them with `--reversible` (sqlx) or the diesel layout",
                m.up_path.display()
            );
        }
        let took = apply::run(
            &mut setup.conn,
            ledger,
            m,
            Direction::Down,
            Options {
                in_outer_transaction: false,
                resume: false,
                record: true,
            },
        )
        .await?;
        ui.status(
            "Reverted",
            &format!("{} {} ({} ms)", m.version, m.description, took.as_millis()),
        );
    }
    Ok(())
}

/// Left-aligned columns separated by two spaces.
fn table(rows: &[[String; 5]]) -> String {
    let widths: Vec<usize> = (0..5)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in rows {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}
