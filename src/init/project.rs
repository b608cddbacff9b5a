//! `rauth init`: reads the project, asks what detection left open, then writes everything at
//! once. The decisions are in `detect` and `wizard`; this file reads, prompts and writes.

use std::io::{self, IsTerminal as _};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use anyhow::{Context as _, bail};
use minijinja::context;
#[cfg(unix)]
use signal_hook::{consts::SIGINT, iterator::Signals};

use crate::cargo_toml::Manifest;
use crate::config::{self, Dialect, Framework, MigrationFormat};
use crate::context::Context;
use crate::error::{Cancelled, UsageError};
use crate::generate::templates;
use crate::secret::{EnvFileChoice, RotateRequest, SecretFormat};
use crate::ui::{ColorChoice, Ui};

use super::cargo;
use super::detect::{self, Entry, Layout};
use super::wizard::{Asker, Dialoguer, Mode, Prompter, Question};

const CONFIG_FILE: &str = "rauth.toml";
const OUT_DIR: &str = "src/auth";

/// What `rauth init` is told; each `None` is detected or asked.
#[derive(Debug, Default)]
pub struct InitRequest {
    /// The crate or workspace root, instead of the current directory.
    pub path: Option<PathBuf>,
    /// In a workspace root: the member to set up (package name or directory).
    pub package: Option<String>,
    pub framework: Option<Framework>,
    pub database: Option<Dialect>,
    /// Plugin names; `none` (or empty) for none.
    pub plugins: Option<Vec<String>>,
    pub migrations: Option<MigrationFormat>,
    /// Run (`true`) or print (`false`) the `cargo add` commands.
    pub cargo_add: Option<bool>,
    /// Take what was detected or the default for every open question.
    pub yes: bool,
    /// Replace an existing rauth.toml.
    pub force: bool,
}

/// Runs `rauth init`.
pub fn init(ctx: &Context, args: &InitRequest) -> anyhow::Result<()> {
    let ui = &ctx.ui;
    let mode = if args.yes {
        Mode::Yes
    } else if io::stdin().is_terminal() && io::stderr().is_terminal() {
        Mode::Interactive
    } else {
        Mode::Batch
    };
    let ctrl_c = CtrlC::install(mode == Mode::Interactive)?;
    let mut asker = Asker::new(mode, Dialoguer::default());
    let result = run(ui, args, &mut asker, &ctrl_c);
    if mode == Mode::Interactive {
        let _ = console::Term::stderr().show_cursor();
    }
    result
}

/// Ctrl-C before the writes: the cursor (hidden by dialoguer) is shown again and the process
/// exits 130 with nothing written. Once the writes have begun it is held off until they end, so
/// no file is left half-written.
///
/// A Ctrl-C reaches rauth two ways: as SIGINT (the terminal in cooked mode, or `kill -INT`),
/// handled by a thread here, or, while dialoguer reads a key in raw mode, as a prompt failing with
/// `Interrupted`. Whichever comes first handles it; the state's lock keeps the writes and a
/// cancellation from overlapping.
struct CtrlC {
    state: Arc<Mutex<Phase>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Asking,
    Cancelled,
    Writing,
}

impl CtrlC {
    fn install(show_cursor: bool) -> anyhow::Result<Self> {
        let state = Arc::new(Mutex::new(Phase::Asking));
        #[cfg(unix)]
        Self::watch(Arc::clone(&state), show_cursor)?;
        #[cfg(not(unix))]
        let _ = show_cursor;
        Ok(Self { state })
    }

    /// A thread that turns SIGINT before the writes into a cancellation.
    #[cfg(unix)]
    fn watch(shared: Arc<Mutex<Phase>>, show_cursor: bool) -> anyhow::Result<()> {
        let mut signals = Signals::new([SIGINT]).context("cannot handle Ctrl-C")?;
        std::thread::spawn(move || {
            for _ in signals.forever() {
                let mut phase = shared
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                if *phase != Phase::Asking {
                    continue;
                }
                *phase = Phase::Cancelled;
                if show_cursor {
                    let _ = console::Term::stderr().show_cursor();
                }
                Ui::new(false, 0, ColorChoice::Never).error(&Cancelled.into());
                // Exits holding the lock: the writes cannot begin.
                std::process::exit(130);
            }
        });
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Phase> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A prompt's result; an interrupted prompt is the cancellation.
    fn answered<T>(&self, result: io::Result<T>) -> anyhow::Result<T> {
        match result {
            Ok(value) => Ok(value),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {
                let mut phase = self.lock();
                if *phase == Phase::Cancelled {
                    // The signal thread is exiting the process.
                    drop(phase);
                    loop {
                        std::thread::park();
                    }
                }
                *phase = Phase::Cancelled;
                Err(Cancelled.into())
            }
            Err(e) => Err(anyhow::Error::new(e).context("cannot prompt on the terminal")),
        }
    }

    /// From here on, Ctrl-C waits for the writes.
    fn start_writing(&self) {
        let mut phase = self.lock();
        if *phase == Phase::Cancelled {
            drop(phase);
            loop {
                std::thread::park();
            }
        }
        *phase = Phase::Writing;
    }
}

/// The crate being set up.
struct Target {
    dir: PathBuf,
    manifest: Manifest,
    /// The workspace root's manifest, when the crate is a member.
    workspace: Option<Manifest>,
}

/// Everything decided before writing.
struct Plan {
    /// rauth.toml's new text, or `None` to keep the existing file.
    config_text: Option<String>,
    /// The config (new or kept): what the generated code, hence `cargo add`, depends on.
    config: config::Config,
    dialect: Dialect,
    env_file: String,
    out_dir: String,
    migrations_dir: String,
    cargo_add: bool,
}

#[allow(clippy::too_many_lines)] // one linear story: detect, ask, write
fn run<P: Prompter>(
    ui: &Ui,
    args: &InitRequest,
    asker: &mut Asker<P>,
    ctrl_c: &CtrlC,
) -> anyhow::Result<()> {
    let root = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    let target = target(&root, args, asker, ctrl_c)?;
    let dir = &target.dir;

    // Detection.
    let detected_framework = detect::framework(&target.manifest);
    let features = detect::dialects_of_features(&target.manifest, target.workspace.as_ref());
    let url = [dir.join(".env"), root.join(".env")]
        .iter()
        .find_map(|p| read_optional(p).ok().flatten())
        .and_then(|text| detect::env_value(&text, "DATABASE_URL"));
    let detected_dialect = detect::dialect(&features, url.as_deref());
    let diesel_dir = read_optional(&dir.join("diesel.toml"))?
        .as_deref()
        .and_then(detect::diesel_migrations_dir);
    let migrations_dir = diesel_dir.unwrap_or_else(|| "migrations".to_owned());
    let uses_sqlx = target.manifest.depends_on("sqlx");
    let layout = detect::layout(&entries(&dir.join(&migrations_dir))?, uses_sqlx);
    report_detected(
        ui,
        &target
            .manifest
            .package
            .clone()
            .unwrap_or_else(|| shown(dir)),
        detected_framework,
        detected_dialect,
        layout,
        &migrations_dir,
    );

    // An existing rauth.toml is kept unless `--force`.
    let config_path = dir.join(CONFIG_FILE);
    let keep = config_path.exists()
        && !args.force
        && ctrl_c.answered(
            asker.confirm(
                "--yes (keep rauth.toml) or --force (replace it)",
                "rauth.toml exists: keep it and set up only what is missing (secret, marker, dependencies)?",
                None,
                true,
            ),
        )?;
    if config_path.exists() && !args.force && !keep && asker.mode() == Mode::Interactive {
        ui.status(
            "Stopped",
            "nothing was written; `rauth init --force` replaces rauth.toml",
        );
        return Ok(());
    }

    let plan = if keep {
        let ignored: Vec<&str> = [
            (args.framework.is_some(), "--framework"),
            (args.database.is_some(), "--database"),
            (args.plugins.is_some(), "--plugins"),
            (args.migrations.is_some(), "--migrations"),
        ]
        .into_iter()
        .filter_map(|(given, flag)| given.then_some(flag))
        .collect();
        if !ignored.is_empty() {
            ui.warn(&format!(
                "rauth.toml exists and is kept, so {} changed nothing: edit it, or `--force` to replace it",
                ignored.join(", ")
            ));
        }
        let loaded = config::load(&config_path)
            .context("the existing rauth.toml is kept: fix it first, or `--force` to replace it")?;
        let c = loaded.config;
        Plan {
            config_text: None,
            dialect: c.database.dialect,
            env_file: c.secret.env_file.clone(),
            out_dir: c.codegen.out_dir.clone(),
            migrations_dir: c.migrations.dir.clone(),
            config: c,
            cargo_add: false,
        }
    } else {
        let framework = ctrl_c.answered(asker.choose(&Question {
            flag: "--framework <axum|actix-web>",
            prompt: "Web framework",
            options: &[
                (Framework::Axum, "axum"),
                (Framework::ActixWeb, "actix-web"),
            ],
            given: args.framework,
            detected: detected_framework,
            default: Framework::Axum,
        }))?;
        let dialect = ctrl_c.answered(asker.choose(&Question {
            flag: "--database <postgres|mysql|sqlite>",
            prompt: "Database",
            options: &[
                (Dialect::Postgres, "PostgreSQL"),
                (Dialect::Mysql, "MySQL / MariaDB"),
                (Dialect::Sqlite, "SQLite"),
            ],
            given: args.database,
            detected: detected_dialect,
            default: features.first().copied().unwrap_or(Dialect::Sqlite),
        }))?;
        let default_format = if target.manifest.depends_on("diesel") {
            MigrationFormat::Diesel
        } else {
            // The generated code uses sqlx; sqlx's layout also suits its `migrate!()`.
            MigrationFormat::Sqlx
        };
        let format = ctrl_c.answered(asker.choose(&Question {
            flag: "--migrations <sqlx|diesel|sql>",
            prompt: "Migration files for",
            options: &[
                (
                    MigrationFormat::Sqlx,
                    "sqlx (<version>_<name>.sql, sqlx::migrate!)",
                ),
                (MigrationFormat::Diesel, "diesel (<version>_<name>/up.sql)"),
                (MigrationFormat::Sql, "plain SQL files"),
            ],
            given: args.migrations,
            detected: layout.map(|l| l.format),
            default: default_format,
        }))?;
        let catalog = plugin_catalog();
        // Plugins without generated endpoints add their tables only: say so before they are picked.
        let labels: Vec<String> = catalog
            .iter()
            .map(|(name, label)| {
                if crate::generate::has_endpoints(name) {
                    label.clone()
                } else {
                    format!("{label} [schema only: its tables, no endpoints yet]")
                }
            })
            .collect();
        let options: Vec<(&str, &str)> = catalog
            .iter()
            .zip(&labels)
            .map(|((name, _), label)| (name.as_str(), label.as_str()))
            .collect();
        let plugins = ctrl_c.answered(asker.choose_many(
            "--plugins <NAMES|none>",
            "Plugins (space to toggle, enter to confirm)",
            &options,
            args.plugins.clone(),
        ))?;
        let name = target
            .manifest
            .package
            .clone()
            .unwrap_or_else(|| "app".to_owned());
        let reversible = format == MigrationFormat::Sqlx
            && layout.is_some_and(|l| l.format == MigrationFormat::Sqlx && l.reversible);
        let (text, config) = config_text(
            &name,
            framework,
            dialect,
            format,
            reversible,
            &migrations_dir,
            &plugins,
        )?;
        Plan {
            config_text: Some(text),
            config,
            dialect,
            env_file: config::SecretFile::default().env_file,
            out_dir: OUT_DIR.to_owned(),
            migrations_dir,
            cargo_add: false,
        }
    };
    // The commands `rauth generate code` would print: after these, it asks for nothing more.
    let commands = crate::generate::cargo_add_needed(&plan.config, Some(&target.manifest));
    let lacking = cargo::crates_in(&commands);
    let given = args.cargo_add;
    let cargo_add = !lacking.is_empty()
        && ctrl_c.answered(asker.confirm(
            "--cargo-add or --no-cargo-add",
            &format!(
                "Run `cargo add` for the {} crates the generated code needs?",
                lacking.len()
            ),
            given,
            false,
        ))?;
    let plan = Plan { cargo_add, ..plan };

    if !asker.missing().is_empty() {
        let flags: Vec<String> = asker.missing().iter().map(|f| format!("  {f}")).collect();
        // `--yes` answers everything: named once, as the last way out.
        let listed = flags.iter().any(|f| f.contains("--yes"));
        return Err(UsageError(format!(
            "rauth init cannot ask without a terminal; pass:\n{}{}",
            flags.join("\n"),
            if listed {
                ""
            } else {
                "\nor `--yes` to take what was detected and the defaults"
            }
        ))
        .into());
    }
    if plan.config_text.is_none() {
        ui.status(
            "Kept",
            &format!("{}: only what is missing is added", shown(&config_path)),
        );
    }

    // Everything is decided: compute the files, then write.
    let mut writes: Vec<(PathBuf, String)> = Vec::new();
    if let Some(text) = &plan.config_text {
        writes.push((config_path.clone(), text.clone()));
    }
    let crate_root = ["src/lib.rs", "src/main.rs"]
        .iter()
        .map(|p| dir.join(p))
        .find(|p| p.is_file());
    let marked = match &crate_root {
        Some(path) => {
            let source = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read `{}`", path.display()))?;
            detect::plant_marker(&source).map(|text| (path.clone(), text))
        }
        None => None,
    };
    if let Some(write) = &marked {
        writes.push(write.clone());
    }
    let gitignore_path = dir.join(".gitignore");
    let gitignore = read_optional(&gitignore_path)?.unwrap_or_default();
    let ignore_entry = plan.env_file.trim_start_matches("./").to_owned();
    let ignoring =
        detect::ignore(&gitignore, &ignore_entry).filter(|_| !ignored_by_git(dir, &ignore_entry));
    if let Some(text) = &ignoring {
        writes.push((gitignore_path.clone(), text.clone()));
    }
    let env_path = dir.join(&plan.env_file);
    let env_text = read_optional(&env_path)?;
    let in_file = |name: &str| {
        env_text
            .as_deref()
            .and_then(|t| detect::env_value(t, name))
            .is_some_and(|v| !v.is_empty())
    };
    let has_secret = in_file("AUTH_SECRETS") || in_file("AUTH_SECRET");
    // A project moving from Better Auth keeps its secret: the generated keyring reads Better
    // Auth's names when rauth's are unset, so cookies and encrypted data stay valid both ways.
    // A new AUTH_SECRETS would win over it and sign every user out.
    let better_auth_secret = ["BETTER_AUTH_SECRETS", "BETTER_AUTH_SECRET"]
        .into_iter()
        .find_map(|name| {
            if in_file(name) {
                Some(format!("{name} in {}", shown(&env_path)))
            } else if std::env::var(name).is_ok_and(|v| !v.is_empty()) {
                Some(format!("{name} from the environment"))
            } else {
                None
            }
        })
        .filter(|_| !has_secret);

    ctrl_c.start_writing();
    crate::fs::write_all_atomic(&writes)?;
    if plan.config_text.is_some() {
        ui.status("Wrote", &shown(&config_path));
    }
    match (&crate_root, &marked) {
        (Some(path), Some(_)) => ui.status(
            "Marked",
            &format!(
                "{}: `{}` is where `rauth generate` declares the auth module",
                shown(path),
                detect::MODULES_MARKER
            ),
        ),
        (Some(_), None) => {}
        (None, _) => ui.warn(&format!(
            "no src/lib.rs or src/main.rs in `{}`: put `{}` in your crate root, where `rauth generate` declares the auth module",
            dir.display(),
            detect::MODULES_MARKER
        )),
    }
    if ignoring.is_some() {
        ui.status(
            "Ignored",
            &format!("{ignore_entry} in {}", shown(&gitignore_path)),
        );
    }

    let crate_name = target
        .manifest
        .package
        .as_deref()
        .unwrap_or("app")
        .replace('-', "_");
    // A URL is guessed only for an env file this run creates.
    let guessed =
        (url.is_none() && env_text.is_none()).then(|| default_url(plan.dialect, &crate_name));
    let prelude = match &guessed {
        None => "# Local settings; never commit this file.\n".to_owned(),
        Some(guess) => {
            format!("# Local settings; never commit this file.\nDATABASE_URL={guess}\n")
        }
    };
    let env_shown = shown(&env_path);
    let wrote_env = |secret: &str| {
        let mut keys: Vec<String> = guessed
            .iter()
            .map(|g| format!("DATABASE_URL={g} (a guess: edit it if your database is elsewhere)"))
            .collect();
        keys.extend((!secret.is_empty()).then(|| secret.to_owned()));
        let keys = if keys.is_empty() {
            String::new()
        } else {
            format!(": {}", keys.join(", "))
        };
        ui.status("Wrote", &format!("{env_shown} (mode 0600){keys}"));
    };
    // The secret: Better Auth's kept, a new env file, or a first version added to an existing one.
    if let Some(kept) = &better_auth_secret {
        if env_text.is_none() {
            crate::secret::create_env_file_without_secret(&Ui::quiet(), &env_path, &prelude)?;
            wrote_env("");
        }
        ui.status(
            "Secret",
            &format!(
                "keeping Better Auth's {kept}: the generated keyring reads it, so users signed in on Better Auth stay signed in (`rauth secret rotate` rotates it in place)"
            ),
        );
    } else if !has_secret {
        if env_text.is_none() {
            crate::secret::create_env_file(&Ui::quiet(), &env_path, &prelude)?;
            wrote_env("AUTH_SECRETS (a first secret version)");
        } else {
            add_secret(&env_path)?;
            ui.status(
                "Added",
                &format!("AUTH_SECRETS to {env_shown}: a first secret version"),
            );
        }
    }

    // Dependencies of the generated code.
    if plan.cargo_add {
        for command in &commands {
            cargo::add(ui, dir, command)?;
        }
    } else if !lacking.is_empty() {
        let place = shown(dir);
        let place = if place == "." {
            String::new()
        } else {
            format!(" (in {place})")
        };
        ui.status(
            "Add",
            &format!(
                "the generated code's dependencies{place}: {}",
                lacking.join(", ")
            ),
        );
        for line in &commands {
            ui.status("", line);
        }
    }
    let database = url
        .or(guessed)
        .filter(|_| plan.dialect != Dialect::Sqlite)
        .and_then(|u| detect::database_name(&u));
    next_steps(ui, &plan, dir, database.as_deref());
    Ok(())
}

/// The crate to set up: the directory itself, or a workspace member.
fn target<P: Prompter>(
    root: &Path,
    args: &InitRequest,
    asker: &mut Asker<P>,
    ctrl_c: &CtrlC,
) -> anyhow::Result<Target> {
    let manifest_path = root.join("Cargo.toml");
    let manifest = read_manifest(&manifest_path)?.ok_or_else(|| {
        UsageError(format!(
            "no Cargo.toml in `{}`: run `rauth init` in your crate (or `--path DIR`), or `rauth new NAME` for a new app",
            root.display()
        ))
    })?;
    let workspace_selection = manifest.is_virtual()
        || (args.package.is_some()
            && !manifest.members.is_empty()
            && args.package != manifest.package);
    if !workspace_selection {
        if let Some(package) = &args.package
            && manifest.package.as_ref() != Some(package)
        {
            return Err(UsageError(format!(
                "`--package {package}`: `{}` is the package `{}`, not a workspace",
                manifest_path.display(),
                manifest.package.as_deref().unwrap_or("?")
            ))
            .into());
        }
        return Ok(Target {
            dir: root.to_path_buf(),
            manifest,
            workspace: None,
        });
    }
    let members = members(root, &manifest)?;
    if members.is_empty() {
        bail!(
            "the workspace in `{}` has no member with a Cargo.toml: run `rauth init` in a member's directory",
            manifest_path.display()
        );
    }
    let index = if let Some(wanted) = &args.package {
        let wanted_dir = wanted.trim_end_matches('/');
        members
            .iter()
            .position(|(name, rel, _)| name == wanted || rel == wanted_dir)
            .ok_or_else(|| {
                UsageError(format!(
                    "no workspace member `{wanted}`: pick one of {}",
                    members
                        .iter()
                        .map(|(name, _, _)| format!("`{name}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?
    } else if members.len() == 1 {
        0
    } else {
        let labels: Vec<String> = members
            .iter()
            .map(|(name, rel, _)| format!("{name} ({rel})"))
            .collect();
        let options: Vec<(usize, &str)> = labels.iter().map(String::as_str).enumerate().collect();
        ctrl_c.answered(asker.choose(&Question {
            flag: "--package <NAME>",
            prompt: "Workspace member to set up",
            options: &options,
            given: None,
            detected: None,
            default: 0,
        }))?
    };
    let (_, rel, member) = members
        .into_iter()
        .nth(index)
        .ok_or_else(|| anyhow::anyhow!("no workspace member"))?;
    Ok(Target {
        dir: root.join(rel),
        manifest: member,
        workspace: Some(manifest),
    })
}

/// The workspace's members with a Cargo.toml: (package name, directory relative to the root,
/// manifest). Patterns may end with `/*`.
fn members(root: &Path, manifest: &Manifest) -> anyhow::Result<Vec<(String, String, Manifest)>> {
    let mut dirs = Vec::new();
    for pattern in &manifest.members {
        let pattern = pattern.trim_end_matches('/');
        if let Some(parent) = pattern.strip_suffix("/*") {
            let Ok(read) = std::fs::read_dir(root.join(parent)) else {
                continue;
            };
            let mut found: Vec<String> = read
                .filter_map(Result::ok)
                .filter(|e| e.path().join("Cargo.toml").is_file())
                .map(|e| format!("{parent}/{}", e.file_name().to_string_lossy()))
                .collect();
            found.sort();
            dirs.extend(found);
        } else {
            dirs.push(pattern.to_owned());
        }
    }
    let mut out = Vec::new();
    for rel in dirs {
        if manifest
            .exclude
            .iter()
            .any(|e| e.trim_end_matches('/') == rel)
        {
            continue;
        }
        let Some(member) = read_manifest(&root.join(&rel).join("Cargo.toml"))? else {
            continue;
        };
        let name = member.package.clone().unwrap_or_else(|| rel.clone());
        out.push((name, rel, member));
    }
    Ok(out)
}

fn read_manifest(path: &Path) -> anyhow::Result<Option<Manifest>> {
    let Some(text) = read_optional(path)? else {
        return Ok(None);
    };
    Manifest::parse(&text)
        .map(Some)
        .map_err(|e| anyhow::anyhow!("cannot parse `{}`: {e}", path.display()))
}

/// A file's text, `None` when it does not exist.
fn read_optional(path: &Path) -> anyhow::Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(anyhow::Error::new(e).context(format!("cannot read `{}`", path.display()))),
    }
}

/// The entries of a migrations directory (none when it does not exist).
fn entries(dir: &Path) -> anyhow::Result<Vec<Entry>> {
    let read = match std::fs::read_dir(dir) {
        Ok(read) => read,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(anyhow::Error::new(e).context(format!("cannot read `{}`", dir.display())));
        }
    };
    Ok(read
        .filter_map(Result::ok)
        .map(|e| {
            let path = e.path();
            Entry {
                name: e.file_name().to_string_lossy().into_owned(),
                is_dir: path.is_dir(),
                has_up_sql: path.join("up.sql").is_file(),
            }
        })
        .collect())
}

fn report_detected(
    ui: &Ui,
    name: &str,
    framework: Option<Framework>,
    dialect: Option<Dialect>,
    layout: Option<Layout>,
    migrations_dir: &str,
) {
    let mut found = Vec::new();
    if let Some(f) = framework {
        found.push(crate::generate::framework_name(f).to_owned());
    }
    if let Some(d) = dialect {
        found.push(d.name().to_owned());
    }
    if let Some(l) = layout {
        found.push(format!(
            "{} migrations in {migrations_dir}/",
            format_name(l.format)
        ));
    }
    if !found.is_empty() {
        ui.status("Detected", &format!("{name}: {}", found.join(", ")));
    }
}

fn format_name(format: MigrationFormat) -> &'static str {
    match format {
        MigrationFormat::Sqlx => "sqlx",
        MigrationFormat::Diesel => "diesel",
        MigrationFormat::Sql => "sql",
    }
}

/// The plugins, in canonical order, with their descriptions from the config's JSON Schema.
fn plugin_catalog() -> Vec<(String, String)> {
    let schema: serde_json::Value =
        serde_json::from_str(&config::json_schema()).unwrap_or_default();
    let properties = &schema["$defs"]["Plugins"]["properties"];
    config::Plugins::all()
        .enabled()
        .into_iter()
        .map(|name| {
            let about = properties[name]["description"]
                .as_str()
                .unwrap_or_default()
                .trim_end_matches('.');
            let label = if about.is_empty() {
                name.to_owned()
            } else {
                format!("{name}: {about}")
            };
            (name.to_owned(), label)
        })
        .collect()
}

/// The new rauth.toml, checked the way `rauth config check` checks it.
fn config_text(
    name: &str,
    framework: Framework,
    dialect: Dialect,
    format: MigrationFormat,
    reversible: bool,
    migrations_dir: &str,
    plugins: &[String],
) -> anyhow::Result<(String, config::Config)> {
    let catalog = plugin_catalog();
    let plugins: Vec<serde_json::Value> = catalog
        .iter()
        .filter(|(n, _)| plugins.iter().any(|p| p == n))
        .map(|(n, label)| {
            let about = label.split_once(": ").map_or("", |(_, a)| a);
            serde_json::json!({ "name": n, "about": format!("{about}.") })
        })
        .collect();
    let env = templates::environment(None);
    let ctx = context! {
        name => toml_str(name),
        dialect => dialect.name(),
        format => format_name(format),
        reversible => reversible,
        migrations_dir => toml_str(migrations_dir),
        framework => crate::generate::framework_name(framework),
        out_dir => OUT_DIR,
        env_file => config::SecretFile::default().env_file,
        plugins => minijinja::Value::from_serialize(&plugins),
    };
    let text = env.get_template("init/rauth.toml.j2")?.render(ctx)?;
    let checked = config::parse(CONFIG_FILE, &text).and_then(|parsed| {
        crate::schema::build(&parsed)
            .map(|_| parsed)
            .map_err(|issues| {
                config::Source {
                    file: CONFIG_FILE.to_owned(),
                    text: text.clone(),
                }
                .error(issues)
            })
    });
    // Only the flags or answers can make it invalid (say, a plugin without the one it needs).
    let config = checked.map_err(|e| {
        UsageError(format!(
            "these choices make an invalid rauth.toml, so nothing was written:\n{e}"
        ))
    })?;
    Ok((text, config))
}

/// Text escaped to sit inside a TOML basic string.
fn toml_str(text: &str) -> String {
    let quoted = toml::Value::String(text.to_owned()).to_string();
    quoted
        .strip_prefix('"')
        .and_then(|q| q.strip_suffix('"'))
        .map_or_else(|| text.escape_default().to_string(), str::to_owned)
}

fn default_url(dialect: Dialect, crate_name: &str) -> String {
    match dialect {
        Dialect::Sqlite => format!("sqlite://{crate_name}.db"),
        Dialect::Postgres => format!("postgres://postgres@127.0.0.1:5432/{crate_name}"),
        Dialect::Mysql => format!("mysql://root@127.0.0.1:3306/{crate_name}"),
    }
}

/// Adds a first AUTH_SECRETS version to an existing env file, keeping every other line.
fn add_secret(path: &Path) -> anyhow::Result<()> {
    let request = RotateRequest {
        file: EnvFileChoice {
            env_file: Some(path.to_path_buf()),
            environment: None,
        },
        keep: 2,
        format: SecretFormat::Hex,
        force: false,
    };
    let quiet = Context::new(Ui::quiet(), path.with_file_name(CONFIG_FILE));
    crate::secret::rotate(&quiet, &request)
}

/// Whether git already ignores `path` in `dir` (say, by a workspace root's `.gitignore`); false
/// outside a repository or without git.
fn ignored_by_git(dir: &Path, path: &str) -> bool {
    Command::new("git")
        .args(["check-ignore", "-q", "--no-index", "--", path])
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn next_steps(ui: &Ui, plan: &Plan, dir: &Path, database: Option<&str>) {
    let mut steps: Vec<String> = database
        .map(|db| {
            format!(
                "create the database `{db}` that DATABASE_URL in {} names, if it does not exist yet",
                plan.env_file
            )
        })
        .into_iter()
        .collect();
    steps.push(format!(
        "rauth generate   # the first migration into {}/ and the auth module into {}/",
        plan.migrations_dir, plan.out_dir
    ));
    steps.push(format!(
        "rauth migrate    # apply it to the database of {}",
        plan.env_file
    ));
    for (i, step) in steps.iter().enumerate() {
        ui.status(if i == 0 { "Next" } else { "" }, step);
    }
    ui.status(
        "",
        "and in Cargo.toml, so password hashing is fast in debug builds: [profile.dev.package.scrypt] opt-level = 3",
    );
    // The same text `rauth generate` prints after writing the module, and its docs hold.
    if let Ok(wiring) = crate::generate::wiring_for(&plan.config, dir) {
        ui.status("", "then serve it from your `main` like this:");
        ui.block(&wiring);
    }
}

fn shown(path: &Path) -> String {
    let text = path.display().to_string();
    text.strip_prefix("./").map_or(text.clone(), str::to_owned)
}
