//! `rauth generate schema`: the next migration, from the recorded state to the config's schema.

mod code;
mod deps;
mod format;
mod migration;
mod openapi;
mod plan;
mod state;
pub(crate) mod templates;
mod units;
mod wiring;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use time::OffsetDateTime;

use crate::cargo_toml::Manifest;
use crate::config::{self, Dialect, MigrationFormat};
use crate::context::Context;
use crate::schema::Schema;
use crate::schema::diff::{self, Change};
use crate::ui::Ui;
use crate::{dialect, fs};

pub use code::format_rust;
use format::RustStyle;
pub use migration::sql_text;
use state::Recorded;
pub use units::has_unit as has_endpoints;
pub use wiring::framework_name;

/// `rauth generate schema`: the next migration. Each `None` or `false` takes `rauth.toml`'s
/// setting (or the default).
#[derive(Debug, Default)]
pub struct SchemaRequest {
    /// Print the SQL instead of writing files.
    pub stdout: bool,
    /// Fail with the pending SQL if a migration would be generated; write nothing.
    pub check: bool,
    pub dialect: Option<Dialect>,
    pub format: Option<MigrationFormat>,
    pub dir: Option<PathBuf>,
    /// The migration's name (default: `rauth_init`, then `rauth_update`).
    pub name: Option<String>,
    /// sqlx layout: `.up.sql` and `.down.sql` files.
    pub reversible: bool,
    /// Record the schema as generated without writing a migration.
    pub accept_manual: bool,
}

/// `rauth generate code`: the auth module.
#[derive(Debug, Default)]
pub struct CodeRequest {
    /// Print the module as one file; write nothing.
    pub stdout: bool,
    /// Fail with a diff if the files are stale; write nothing.
    pub check: bool,
    /// Print the diff of what would change; write nothing.
    pub dry_run: bool,
    /// Overwrite files edited by hand.
    pub force: bool,
    /// Instead of `[codegen] out_dir`.
    pub out_dir: Option<PathBuf>,
}

/// `rauth generate`: the next migration, then the auth module.
#[derive(Debug, Default)]
pub struct GenerateRequest {
    pub check: bool,
    pub dry_run: bool,
    pub force: bool,
}

/// The `cargo add` commands (one per line) the generated code of `config` still needs in the
/// crate of `manifest` (all of them without one): what `rauth generate code` prints and
/// `rauth init` runs.
pub fn cargo_add_needed(config: &config::Config, manifest: Option<&Manifest>) -> Vec<String> {
    let wanted = code::cargo_add_for(config);
    match manifest {
        Some(manifest) => deps::still_needed(&wanted, manifest),
        None => wanted
            .iter()
            .flat_map(|line| line.split(" && "))
            .map(str::to_owned)
            .collect(),
    }
}

/// Where and how migrations are written, after flags override the config.
struct Target {
    dialect: Dialect,
    format: MigrationFormat,
    reversible: bool,
    dir: PathBuf,
}

impl Target {
    fn new(loaded: &config::Loaded, args: &SchemaRequest) -> anyhow::Result<Self> {
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
pub fn schema(ctx: &Context, args: &SchemaRequest) -> anyhow::Result<()> {
    let ui = &ctx.ui;
    let loaded = ctx.config()?;
    if let Some(warning) = loaded.empty_warning() {
        ui.warn(&warning);
    }
    let file = &loaded.source.file;
    let desired = ctx.schema()?;
    let target = Target::new(loaded, args)?;
    let recorded = target.recorded()?;
    let empty = Schema::default();
    let delta = diff::plan(
        recorded.as_ref().map_or(&empty, |r| &r.schema),
        desired,
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

/// `rauth generate`: the next migration, then the auth module. The code is rendered first, so a
/// config the code generator refuses writes nothing. With `--check` or `--dry-run` both parts
/// report (and nothing is written).
pub fn schema_and_code(ctx: &Context, args: &GenerateRequest) -> anyhow::Result<()> {
    let schema_args = SchemaRequest {
        check: args.check,
        stdout: args.dry_run,
        ..SchemaRequest::default()
    };
    let code_args = CodeRequest {
        check: args.check,
        dry_run: args.dry_run,
        force: args.force,
        ..CodeRequest::default()
    };
    if args.check || args.dry_run {
        let schema_result = schema(ctx, &schema_args);
        let code_result = code(ctx, &code_args);
        return schema_result.and(code_result);
    }
    // Everything the code step would refuse is refused before the migration is written.
    let planned = plan_code(ctx, &code_args)?;
    if !args.force {
        refuse_edited(&ctx.ui, &planned.changes)?;
    }
    schema(ctx, &schema_args)?;
    apply_code_plan(&ctx.ui, &code_args, planned)
}

/// Runs `rauth generate code`: renders the module, then compares it with what is on disk and
/// writes only the changes, never over a file edited by hand (without `--force`).
pub fn code(ctx: &Context, args: &CodeRequest) -> anyhow::Result<()> {
    let ui = &ctx.ui;
    if args.stdout {
        let loaded = ctx.config()?;
        let placement = code::Placement {
            crate_root: None,
            module_path: "crate::auth".to_owned(),
            style: RustStyle::of_crate(&loaded.base_dir),
        };
        let rendered = code::render(loaded, ctx.schema()?, &placement)?;
        report_rendering(ui, &rendered);
        return Ok(ui.data(&code::single_module(&rendered.files, &placement.style))?);
    }
    apply_code_plan(ui, args, plan_code(ctx, args)?)
}

/// Runs `rauth generate openapi`: the document of the endpoints the config serves, on stdout.
pub fn openapi(ctx: &Context) -> anyhow::Result<()> {
    let loaded = ctx.config()?;
    for warning in loaded.warnings() {
        ctx.ui.warn(&warning);
    }
    let document = code::openapi(loaded, ctx.schema()?)?;
    let mut text = serde_json::to_string_pretty(&document)?;
    text.push('\n');
    Ok(ctx.ui.data(&text)?)
}

/// Reports, checks or writes a planned module, as `args` say.
fn apply_code_plan(ui: &Ui, args: &CodeRequest, planned: CodePlan<'_>) -> anyhow::Result<()> {
    let CodePlan {
        loaded,
        out_dir,
        rendered,
        manifest_path,
        manifest,
        generated,
        changes,
    } = planned;
    report_rendering(ui, &rendered);
    if args.check || args.dry_run {
        let diff: String = changes.iter().map(plan::FileChange::diff).collect();
        ui.data(&diff)?;
        if changes.is_empty() {
            ui.status("Fresh", "the generated code is up to date");
        } else if args.check {
            bail!(
                "the generated code is stale: {} would change (the diff is above); run `rauth generate code`",
                plural(changes.len(), "file")
            );
        }
        return Ok(());
    }
    if !args.force {
        refuse_edited(ui, &changes)?;
    }
    apply(
        ui,
        &changes,
        &manifest_path,
        &manifest,
        &plan::manifest_of(&generated),
    )?;
    if changes.is_empty() {
        ui.status("Fresh", &format!("{}: up to date", out_dir.display()));
        return Ok(());
    }
    // Without a readable Cargo.toml next to rauth.toml, every command is printed.
    let project = std::fs::read_to_string(loaded.base_dir.join("Cargo.toml"))
        .ok()
        .and_then(|text| Manifest::parse(&text).ok());
    let commands = cargo_add_needed(&loaded.config, project.as_ref());
    let slow = code::optimized_in_debug(&loaded.config);
    let profiles = match &project {
        Some(manifest) => slow
            .into_iter()
            .filter(|name| !manifest.dev_profile_packages.iter().any(|p| p == name))
            .collect(),
        None => slow,
    };
    if !commands.is_empty() {
        ui.status("Next", "add the dependencies of the generated code:");
        for command in &commands {
            ui.status("", command);
        }
    }
    if !profiles.is_empty() {
        ui.status(
            "Next",
            "add to Cargo.toml, so password hashing and key generation are fast in debug builds too:",
        );
        for name in profiles {
            ui.status("", &format!("[profile.dev.package.{name}] opt-level = 3"));
        }
    }
    // A new module: how to serve it, once (its docs keep the same text).
    if manifest.files.is_empty() {
        ui.status(
            "Next",
            &format!(
                "serve it from your `main` like this (also in the docs of `{}`):",
                out_dir.join("mod.rs").display()
            ),
        );
        ui.block(&rendered.wiring);
    }
    Ok(())
}

/// What `rauth generate code` would do, computed without writing.
struct CodePlan<'a> {
    loaded: &'a config::Loaded,
    out_dir: PathBuf,
    rendered: code::Rendered,
    manifest_path: PathBuf,
    manifest: plan::Manifest,
    generated: Vec<(String, String, plan::IfExists)>,
    changes: Vec<plan::FileChange>,
}

/// Renders the module and compares it with the disk: the config, the templates and the
/// markers are all checked here, before anything is written.
fn plan_code<'a>(ctx: &'a Context, args: &CodeRequest) -> anyhow::Result<CodePlan<'a>> {
    let loaded = ctx.config()?;
    let out_dir = args
        .out_dir
        .clone()
        .unwrap_or_else(|| loaded.base_dir.join(&loaded.config.codegen.out_dir));
    let placement = placement(&loaded.config, &loaded.base_dir, &out_dir)?;
    let rendered = code::render(loaded, ctx.schema()?, &placement)?;
    let manifest_path = out_dir.join(plan::MANIFEST_FILE);
    let manifest = match read_optional(&manifest_path)? {
        Some(text) => plan::Manifest::parse(&text)
            .with_context(|| format!("`{}` is not a rauth manifest", manifest_path.display()))?,
        None => plan::Manifest::default(),
    };
    let generated: Vec<(String, String, plan::IfExists)> = rendered
        .files
        .iter()
        .map(|f| {
            let name = f.path.to_string_lossy().replace('\\', "/");
            (name, f.contents.clone(), f.if_exists)
        })
        .collect();
    let read = |path: &Path| std::fs::read_to_string(path).ok();
    let mut changes = plan::module_changes(&out_dir, &generated, &manifest, &read);
    for injection in &rendered.injections {
        changes.extend(injection_change(&loaded.base_dir, injection)?);
    }
    Ok(CodePlan {
        loaded,
        out_dir,
        rendered,
        manifest_path,
        manifest,
        generated,
        changes,
    })
}

fn report_rendering(ui: &Ui, rendered: &code::Rendered) {
    for warning in &rendered.warnings {
        ui.warn(warning);
    }
    for name in &rendered.overrides {
        ui.status("Override", &format!("{}/{name}", templates::OVERRIDE_DIR));
    }
    if !rendered.formatted {
        ui.warn("rustfmt is not installed (or failed): the generated files are not formatted; run `cargo fmt`");
    }
    for plugin in &rendered.schema_only_plugins {
        ui.warn(&format!(
            "[plugins.{plugin}]: rauth generates its tables but not yet its endpoints"
        ));
    }
}

/// Refuses to overwrite files edited by hand, showing what generation would change in them.
fn refuse_edited(ui: &Ui, changes: &[plan::FileChange]) -> anyhow::Result<()> {
    let edited: Vec<&plan::FileChange> = changes.iter().filter(|c| c.edited).collect();
    if edited.is_empty() {
        return Ok(());
    }
    let diff: String = edited.iter().map(|c| c.diff()).collect();
    ui.data(&diff)?;
    let names: Vec<String> = edited
        .iter()
        .map(|c| format!("`{}`", c.path.display()))
        .collect();
    bail!(
        "{} changed since rauth wrote {}: {} (the diff above is what generation would do); keep such changes in a template override (`rauth templates eject`), or pass `--force` to overwrite",
        plural(edited.len(), "file"),
        if edited.len() == 1 { "it" } else { "them" },
        names.join(", ")
    )
}

/// The change an injection makes to its file, if any; an error when the marker is missing.
fn injection_change(
    base_dir: &Path,
    injection: &code::Injection,
) -> anyhow::Result<Option<plan::FileChange>> {
    let path = base_dir.join(&injection.into);
    let text = read_optional(&path)?.unwrap_or_default();
    match plan::inject(
        &text,
        &injection.anchor,
        &injection.body,
        injection.skip_if.as_deref(),
    ) {
        Ok(None) => Ok(None),
        Ok(Some(after)) => Ok(Some(plan::FileChange {
            path,
            before: Some(text),
            after: Some(after),
            edited: false,
        })),
        Err(plan::MissingAnchor) => bail!(
            "`{}` has no `{}` marker, after which `{}` declares the generated module: add that comment on its own line where the module declarations go (`rauth init` plants it), or set `[codegen] inject = false`",
            path.display(),
            injection.anchor,
            injection.template
        ),
    }
}

/// Writes the changed files and the manifest atomically, then removes what is no longer
/// generated, saying what happened to each.
fn apply(
    ui: &Ui,
    changes: &[plan::FileChange],
    manifest_path: &Path,
    old: &plan::Manifest,
    new: &plan::Manifest,
) -> anyhow::Result<()> {
    let mut writes: Vec<(PathBuf, String)> = changes
        .iter()
        .filter_map(|c| Some((c.path.clone(), c.after.clone()?)))
        .collect();
    if new != old || !manifest_path.exists() {
        writes.push((manifest_path.to_path_buf(), new.to_json()));
    }
    fs::write_all_atomic(&writes)?;
    for change in changes {
        let shown = change.path.display().to_string();
        match (&change.before, &change.after) {
            (None, _) => ui.status("Created", &shown),
            (Some(_), Some(_)) => ui.status("Updated", &shown),
            (Some(_), None) => {
                std::fs::remove_file(&change.path)
                    .with_context(|| format!("cannot remove `{shown}`"))?;
                // A directory module that is gone leaves no empty directory behind
                // (`remove_dir` removes only an empty one; a user's own file keeps it).
                if let Some(dir) = change.path.parent() {
                    let _ = std::fs::remove_dir(dir);
                }
                ui.status("Removed", &format!("{shown} (no longer generated)"));
            }
        }
    }
    Ok(())
}

/// Where the module `config` generates into `out_dir` goes in the crate of `base_dir`.
fn placement(
    config: &config::Config,
    base_dir: &Path,
    out_dir: &Path,
) -> anyhow::Result<code::Placement> {
    let crate_root = crate_root(config, base_dir, out_dir)?;
    let manifest = format::read_manifest(base_dir);
    let package = manifest
        .as_ref()
        .and_then(|m| m.get("package")?.get("name")?.as_str());
    Ok(code::Placement {
        module_path: wiring::module_path(
            crate_root.as_ref().map(|root| root.file.as_str()),
            package,
            &module_name(out_dir),
        ),
        crate_root,
        style: RustStyle::of_manifest(base_dir, manifest.as_ref()),
    })
}

/// The `main` serving the module that `rauth generate code` will write for `config` into the
/// crate of `base_dir`: the text it prints then (for `rauth init`'s next steps).
pub fn wiring_for(config: &config::Config, base_dir: &Path) -> anyhow::Result<String> {
    let out_dir = base_dir.join(&config.codegen.out_dir);
    let placement = placement(config, base_dir, &out_dir)?;
    wiring::snippet(config, &placement.module_path, &placement.style)
}

/// Where the module gets declared: `src/lib.rs`, else `src/main.rs`, when the module directory
/// sits next to it and `[codegen] inject` is on.
fn crate_root(
    config: &config::Config,
    base_dir: &Path,
    out_dir: &Path,
) -> anyhow::Result<Option<code::CrateRoot>> {
    if !config.codegen.inject {
        return Ok(None);
    }
    let Some(file) = ["src/lib.rs", "src/main.rs"]
        .into_iter()
        .find(|f| base_dir.join(f).is_file())
    else {
        return Ok(None);
    };
    if out_dir.parent() != Some(base_dir.join("src").as_path()) {
        return Ok(None);
    }
    let Some(module) = rust_module_name(out_dir) else {
        bail!(
            "`{}` cannot be a Rust module: name `[codegen] out_dir` with letters, digits and `_`",
            out_dir.display()
        );
    };
    Ok(Some(code::CrateRoot {
        file: file.to_owned(),
        module,
    }))
}

/// The module name of the directory `out_dir`, if it is a Rust identifier.
fn rust_module_name(out_dir: &Path) -> Option<String> {
    let name = out_dir.file_name()?.to_str()?;
    let valid = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    valid.then(|| name.to_owned())
}

/// The module's name in the wiring snippet: its directory's, or `auth`.
fn module_name(out_dir: &Path) -> String {
    rust_module_name(out_dir).unwrap_or_else(|| "auth".to_owned())
}

fn read_optional(path: &Path) -> anyhow::Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read `{}`", path.display())),
    }
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Runs `rauth templates list`: every embedded template, marking the project's overrides.
pub fn templates_list(ctx: &Context) -> anyhow::Result<()> {
    let override_dir = ctx.base_dir().join(templates::OVERRIDE_DIR);
    let mut table = String::new();
    for name in templates::names("") {
        let mark = if override_dir.join(&name).is_file() {
            "  (overridden)"
        } else {
            ""
        };
        let _ = writeln!(table, "{name}{mark}");
    }
    Ok(ctx.ui.data(&table)?)
}

/// Runs `rauth templates eject`: copies the templates `name` selects (all without it) into the
/// override directory; an existing override only with `force`.
pub fn templates_eject(ctx: &Context, name: Option<&str>, force: bool) -> anyhow::Result<()> {
    let ui = &ctx.ui;
    let override_dir = ctx.base_dir().join(templates::OVERRIDE_DIR);
    let selected = templates::select(name);
    if selected.is_empty() {
        bail!(
            "no template matches `{}`: see `rauth templates list`",
            name.unwrap_or_default()
        );
    }
    let existing: Vec<String> = selected
        .iter()
        .filter(|n| override_dir.join(n).exists())
        .map(|n| format!("`{}`", override_dir.join(n).display()))
        .collect();
    if !existing.is_empty() && !force {
        bail!(
            "{} already overridden: {} (pass `--force` to replace with the embedded version)",
            plural(existing.len(), "template"),
            existing.join(", ")
        );
    }
    let writes: Vec<(PathBuf, String)> = selected
        .iter()
        .filter_map(|n| Some((override_dir.join(n), templates::embedded(n)?.to_owned())))
        .collect();
    fs::write_all_atomic(&writes)?;
    for (path, _) in &writes {
        ui.status("Ejected", &path.display().to_string());
    }
    ui.status(
        "Next",
        "edit them; `rauth generate code` uses each override instead of the embedded template",
    );
    Ok(())
}
