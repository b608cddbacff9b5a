//! `rauth secret`: a new secret on stdout; `rotate`, `list`, `prune` and `check` of
//! `AUTH_SECRETS` in an env file, and `rotate --jwks` of the jwt plugin's signing keys. Secret values reach stdout only from the bare command: everything
//! else names versions and fingerprints.

mod edit;
mod envfile;
mod jwks;
mod keyring;
mod strength;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs::{File, Metadata, TryLockError};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, anyhow, bail};
use base64::Engine as _;

use crate::config::SecretFile;
use crate::context::Context;
use crate::ui::Ui;

use edit::{Change, FileSecrets};
use envfile::EnvFile;
use keyring::{LEGACY_KEY, SECRETS_KEY, Secret, fingerprint};

/// Mode of a new env file: it holds secrets.
const NEW_FILE_MODE: u32 = 0o600;

/// How a generated secret is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SecretFormat {
    /// 64 hexadecimal digits.
    Hex,
    /// 43 characters of URL-safe base64, unpadded.
    #[value(name = "base64url")]
    Base64Url,
}

/// Which env file holds the secrets: `env_file`, else `[secret] env_file` of rauth.toml, with
/// `environment` as `<file>.<environment>` beside it.
#[derive(Debug, Default)]
pub struct EnvFileChoice {
    pub env_file: Option<PathBuf>,
    pub environment: Option<String>,
}

/// `rauth secret rotate`: a new current secret, keeping `keep` previous versions.
#[derive(Debug)]
pub struct RotateRequest {
    pub file: EnvFileChoice,
    pub keep: usize,
    pub format: SecretFormat,
    /// Rewrite a read-only env file.
    pub force: bool,
}

/// `rauth secret prune`: all but the current secret and the `keep` newest previous versions
/// removed.
#[derive(Debug)]
pub struct PruneRequest {
    pub file: EnvFileChoice,
    pub keep: usize,
    /// Rewrite a read-only env file.
    pub force: bool,
}

/// Runs `rauth secret`: a new secret on stdout, the only place a secret is ever printed.
pub fn print_new(ctx: &Context, format: SecretFormat) -> anyhow::Result<()> {
    Ok(ctx.ui.data(&format!("{}\n", generate(format)?))?)
}

/// Runs `rauth secret rotate --jwks`: a new signing key for the jwt plugin, encrypted with the
/// current secret of the env file, which is read only once the config is known to enable jwt.
pub fn rotate_jwks(
    ctx: &Context,
    file: &EnvFileChoice,
    database_url: Option<&str>,
) -> anyhow::Result<()> {
    jwks::rotate(ctx, database_url, || current_secret(ctx, file))
}

/// The current secret of the env file `rauth secret` works on.
fn current_secret(ctx: &Context, file: &EnvFileChoice) -> anyhow::Result<jwks::CurrentSecret> {
    let path = env_path(ctx, file)?;
    let file = read(&path)?.ok_or_else(|| {
        anyhow!(
            "no env file at `{}`: the new key is encrypted with its current secret",
            path.display()
        )
    })?;
    let found = edit::secrets(&file).map_err(|e| located(&path, &e))?;
    jwks::current_of(&found).ok_or_else(|| {
        anyhow!(
            "no AUTH_SECRETS or AUTH_SECRET in `{}`: `rauth secret rotate` adds one",
            path.display()
        )
    })
}

/// Creates a new env file holding `prelude` and a first `AUTH_SECRETS` version (mode 0600):
/// what `rauth new` writes.
pub(crate) fn create_env_file(ui: &Ui, path: &Path, prelude: &str) -> anyhow::Result<()> {
    let file = EnvFile::parse(prelude.to_owned())?;
    let change =
        edit::rotate(&file, generate(SecretFormat::Hex)?, 2).map_err(|e| refusal(path, &e))?;
    write(ui, path, &change.text, None)
}

/// Writes a new env file (mode 0600) that holds `text` and no secret.
pub(crate) fn create_env_file_without_secret(
    ui: &Ui,
    path: &Path,
    text: &str,
) -> anyhow::Result<()> {
    write(ui, path, text, None)
}

/// 32 bytes from the operating system's CSPRNG.
fn generate(format: SecretFormat) -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| anyhow!("the operating system's random generator failed: {e}"))?;
    Ok(encode(&bytes, format))
}

fn encode(bytes: &[u8], format: SecretFormat) -> String {
    match format {
        SecretFormat::Hex => hex::encode(bytes),
        SecretFormat::Base64Url => base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes),
    }
}

/// Runs `rauth secret rotate`.
pub fn rotate(ctx: &Context, args: &RotateRequest) -> anyhow::Result<()> {
    let ui = &ctx.ui;
    let path = env_path(ctx, &args.file)?;
    // Held until the new file is in place: a concurrent run reads it only after.
    let _lock = EnvLock::acquire(ui, &path)?;
    let existing = writable_target(&path, args.force)?;
    let file = match &existing {
        Some(_) => read_for_writing(&path)?,
        None => EnvFile::parse(String::new())?,
    };
    let change =
        edit::rotate(&file, generate(args.format)?, args.keep).map_err(|e| refusal(&path, &e))?;
    write(ui, &path, &change.text, existing.as_ref())?;

    let shown = path.display();
    if existing.is_none() {
        ui.status("Created", &format!("{shown} (mode 0600)"));
    }
    if change.imported_legacy
        && let Some(v1) = change.keyring.secrets.iter().find(|s| s.version == 1)
    {
        ui.status(
            "Imported",
            &format!(
                "{} as version 1 ({}); its line stays, Better Auth's fallback for older data",
                change.names.legacy,
                v1.fingerprint()
            ),
        );
    }
    let (current, previous) = change
        .keyring
        .secrets
        .split_first()
        .ok_or_else(|| anyhow!("rotation left no secret"))?;
    if previous.is_empty() && change.removed.is_empty() {
        ui.status(
            "Added",
            &format!(
                "{} version {} to {shown}: the first secret",
                change.names.secrets,
                label(current)
            ),
        );
    } else {
        let previous = if previous.is_empty() {
            "none".to_owned()
        } else {
            labels(previous)
        };
        let shared = if change.names == keyring::BETTER_AUTH_NAMES {
            format!(
                " (in {}, which Better Auth reads too)",
                change.names.secrets
            )
        } else {
            String::new()
        };
        ui.status(
            "Rotated",
            &format!(
                "{shown}: version {} is current{shared}; previous: {previous}",
                label(current)
            ),
        );
    }
    report_removed(ui, &change, args.keep);
    ui.info("restart the service to use the new secret; the previous versions still decrypt");
    Ok(())
}

/// Runs `rauth secret list`: versions and fingerprints, never the secrets.
pub fn list(ctx: &Context, args: &EnvFileChoice) -> anyhow::Result<()> {
    let ui = &ctx.ui;
    let path = env_path(ctx, args)?;
    let Some(file) = read(&path)? else {
        bail!(
            "no env file at `{}`: `rauth secret rotate` creates one",
            path.display()
        );
    };
    let found = edit::secrets(&file).map_err(|e| located(&path, &e))?;
    if found.is_empty() {
        bail!(
            "no {SECRETS_KEY} or {LEGACY_KEY} in `{}`: `rauth secret rotate` adds one",
            path.display()
        );
    }
    let legacy = found.legacy.map(|e| e.value.trim());
    Ok(ui.data(&keyring::table(&found.keyring, legacy))?)
}

/// Runs `rauth secret prune`.
pub fn prune(ctx: &Context, args: &PruneRequest) -> anyhow::Result<()> {
    let ui = &ctx.ui;
    let path = env_path(ctx, &args.file)?;
    let _lock = EnvLock::acquire(ui, &path)?;
    let Some(existing) = writable_target(&path, args.force)? else {
        bail!("no env file at `{}`", path.display());
    };
    let file = read_for_writing(&path)?;
    let change = edit::prune(&file, args.keep).map_err(|e| refusal(&path, &e))?;
    if change.removed.is_empty() {
        ui.status(
            "Unchanged",
            &format!(
                "{}: {} versions, none beyond --keep {}",
                path.display(),
                change.keyring.secrets.len(),
                args.keep
            ),
        );
        return Ok(());
    }
    write(ui, &path, &change.text, Some(&existing))?;
    report_removed(ui, &change, args.keep);
    ui.status(
        "Kept",
        &format!("{}: {}", path.display(), versions(&change.keyring.secrets)),
    );
    Ok(())
}

fn report_removed(ui: &Ui, change: &Change, keep: usize) {
    if !change.removed.is_empty() {
        ui.status(
            "Removed",
            &format!(
                "{}, beyond --keep {keep}: what {} encrypted can no longer be decrypted",
                versions(&change.removed),
                if change.removed.len() == 1 {
                    "it"
                } else {
                    "they"
                }
            ),
        );
    }
}

/// `3 (1a2b3c4d)`
fn label(s: &Secret) -> String {
    format!("{} ({})", s.version, s.fingerprint())
}

fn labels(secrets: &[Secret]) -> String {
    secrets.iter().map(label).collect::<Vec<_>>().join(", ")
}

/// `version 3 (1a2b3c4d)`, `versions 3 (…), 2 (…)`
fn versions(secrets: &[Secret]) -> String {
    let plural = if secrets.len() == 1 { "" } else { "s" };
    format!("version{plural} {}", labels(secrets))
}

// ---------------------------------------------------------------------------------------------
// check

/// Runs `rauth secret check`: fails on weak, default, reused, committed or unignored secrets.
pub fn check(ctx: &Context, args: &EnvFileChoice) -> anyhow::Result<()> {
    let ui = &ctx.ui;
    let selected = env_path(ctx, args)?;
    let dir = parent(&selected).to_path_buf();
    let git = Git::detect(ui, &dir);
    let mut problems = Vec::new();
    let mut places: BTreeMap<String, Vec<(PathBuf, String)>> = BTreeMap::new();
    let mut checked = Vec::new();
    for path in family(&selected)? {
        let is_selected = path == selected;
        let file = match read(&path) {
            Ok(Some(file)) => file,
            Ok(None) if is_selected => {
                problems.push(format!("{}: no such file", path.display()));
                continue;
            }
            Ok(None) => continue,
            Err(e) => {
                problems.push(format!("{e:#}"));
                continue;
            }
        };
        let found = match edit::secrets(&file) {
            Ok(found) => found,
            Err(e) => {
                problems.push(located(&path, &e).to_string());
                continue;
            }
        };
        if found.is_empty() {
            if is_selected {
                problems.push(format!(
                    "{}: no {SECRETS_KEY} or {LEGACY_KEY} (`rauth secret rotate` adds one)",
                    path.display()
                ));
            }
            continue;
        }
        for (value, what) in named_secrets(&found) {
            for weakness in strength::weaknesses(&value) {
                problems.push(format!("{}: {what} {weakness}", path.display()));
            }
            places.entry(value).or_default().push((path.clone(), what));
        }
        if let Some(git) = &git {
            problems.extend(git.problems(&path)?);
        }
        warn_if_shared(ui, &path);
        checked.push(path.display().to_string());
    }
    for (value, found_in) in &places {
        let files: Vec<&PathBuf> = found_in.iter().map(|(p, _)| p).collect();
        if files.iter().any(|p| *p != files[0]) {
            let list: Vec<String> = found_in
                .iter()
                .map(|(p, what)| format!("{} ({what})", p.display()))
                .collect();
            problems.push(format!(
                "the same secret ({}) is in {}: each environment needs its own",
                fingerprint(value),
                list.join(" and ")
            ));
        }
    }
    if problems.is_empty() {
        ui.status("Checked", &format!("{}: no problems", checked.join(", ")));
        return Ok(());
    }
    let mut message = format!(
        "{} problem{} with the auth secrets:",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for p in &problems {
        let _ = write!(message, "\n  {p}");
    }
    Err(anyhow!(message))
}

/// Each distinct secret of a file, with what it is: `AUTH_SECRETS version 2`, `AUTH_SECRET`, or
/// both when a legacy secret was imported as a version.
fn named_secrets(found: &FileSecrets<'_>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let all = found
        .keyring
        .secrets
        .iter()
        .map(|s| {
            (
                s.value.clone(),
                format!("{} version {}", found.names.secrets, s.version),
            )
        })
        .chain(
            found
                .legacy
                .map(|e| (e.value.trim().to_owned(), found.names.legacy.to_owned())),
        );
    for (value, what) in all {
        match out.iter_mut().find(|(v, _)| *v == value) {
            Some((_, names)) => {
                let _ = write!(names, " and {what}");
            }
            None => out.push((value, what)),
        }
    }
    out
}

/// The selected file and every `.env`, `.env.*` beside it, except templates
/// (`.env.example`, `.env.sample`, `.env.template`, `.env.dist`), sorted, the selected first.
fn family(selected: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let dir = parent(selected);
    let mut out = vec![selected.to_path_buf()];
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(e).with_context(|| format!("cannot list `{}`", dir.display())),
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot list `{}`", dir.display()))?;
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        let env_like = name == ".env"
            || name.strip_prefix(".env.").is_some_and(|rest| {
                !matches!(rest, "example" | "sample" | "template" | "dist")
                    && !rest.is_empty()
                    && !name.ends_with(LOCK_SUFFIX)
            });
        if env_like && entry.file_type().is_ok_and(|t| !t.is_dir()) {
            names.push(name);
        }
    }
    names.sort();
    for name in names {
        let path = join(selected, &name);
        if path != selected {
            out.push(path);
        }
    }
    Ok(out)
}

fn warn_if_shared(ui: &Ui, path: &Path) {
    #[cfg(unix)]
    if let Ok(meta) = std::fs::metadata(path) {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            ui.warn(&format!(
                "{} is readable by other users (mode {mode:04o}): `chmod 600 {}`",
                path.display(),
                path.display()
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = (ui, path);
}

/// `git` in the env file's directory, when it is in a work tree.
struct Git {
    dir: PathBuf,
}

impl Git {
    fn detect(ui: &Ui, dir: &Path) -> Option<Self> {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let inside = git(dir, &["rev-parse", "--is-inside-work-tree"])
            .is_ok_and(|(code, out)| code == Some(0) && out.trim() == "true");
        if inside {
            Some(Self {
                dir: dir.to_path_buf(),
            })
        } else {
            ui.warn(&format!(
                "`{}` is not in a git repository: skipped the checks that env files are untracked and ignored",
                dir.display()
            ));
            None
        }
    }

    fn problems(&self, path: &Path) -> anyhow::Result<Vec<String>> {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| anyhow!("`{}` has no file name", path.display()))?;
        let mut problems = Vec::new();
        let (tracked, _) = git(&self.dir, &["ls-files", "--error-unmatch", "--", name])?;
        if tracked == Some(0) {
            problems.push(format!(
                "{} is tracked by git: `git rm --cached {name}`, then rotate every secret in it (they are in the history)",
                path.display()
            ));
        }
        match git(&self.dir, &["check-ignore", "-q", "--no-index", "--", name])? {
            (Some(0), _) => {}
            (Some(1), _) => problems.push(format!(
                "{} is not ignored by git: add `{name}` to .gitignore",
                path.display()
            )),
            (code, _) => bail!(
                "`git check-ignore` failed in `{}` (exit {code:?})",
                self.dir.display()
            ),
        }
        Ok(problems)
    }
}

/// Runs git in `dir`: its exit code and stdout. stderr is discarded.
fn git(dir: &Path, args: &[&str]) -> anyhow::Result<(Option<i32>, String)> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .context("cannot run `git`")?;
    Ok((
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    ))
}

// ---------------------------------------------------------------------------------------------
// the lock of an env file

/// `<env file>.lock`, beside the env file.
const LOCK_SUFFIX: &str = ".lock";
/// How long a run waits for another one to finish with the same env file.
const LOCK_TIMEOUT: Duration = Duration::from_secs(30);

/// An exclusive advisory lock (`flock`) on `<env file>.lock`, held for a read-modify-write of
/// the env file. A lock on the env file itself would not do: it is replaced by a rename, and a
/// run waiting on the old file would then read it while another locks the new one. The lock
/// file holds the holder's process id (for the message of a waiting run) and is removed on
/// release; the kernel releases the lock of a killed run, whose file the next run reuses.
#[derive(Debug)]
struct EnvLock {
    path: PathBuf,
    file: File,
}

impl EnvLock {
    /// Waits up to [`LOCK_TIMEOUT`] for the lock of `env`, saying once whom it waits for.
    fn acquire(ui: &Ui, env: &Path) -> anyhow::Result<Self> {
        let path = lock_path(env)?;
        let started = Instant::now();
        let mut told = false;
        loop {
            let file = open_lock_file(&path)?;
            match file.try_lock() {
                Ok(()) => {
                    // A holder removes the file before it unlocks: a lock won on a removed file
                    // is no lock, start again on the file now at the path.
                    if !still_at(&file, &path)? {
                        continue;
                    }
                    let mut lock = Self { path, file };
                    lock.record_holder();
                    return Ok(lock);
                }
                Err(TryLockError::WouldBlock) => {}
                Err(TryLockError::Error(e)) => {
                    return Err(e).with_context(|| format!("cannot lock `{}`", path.display()));
                }
            }
            let holder = holder(&path);
            if started.elapsed() >= LOCK_TIMEOUT {
                bail!(
                    "`{}` is still locked by {holder} after {}s (`{}`): is another `rauth secret` run stuck? Nothing was changed",
                    env.display(),
                    LOCK_TIMEOUT.as_secs(),
                    path.display()
                );
            }
            if !told {
                ui.status(
                    "Waiting",
                    &format!(
                        "for {holder}, which is changing `{}` (lock `{}`)",
                        env.display(),
                        path.display()
                    ),
                );
                told = true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Best effort: the id only helps the message of a waiting run.
    fn record_holder(&mut self) {
        let _ = self
            .file
            .set_len(0)
            .and_then(|()| write!(self.file, "{}", std::process::id()));
    }
}

impl Drop for EnvLock {
    /// Removes the file, then unlocks (closing it): a run that waited on the removed file sees
    /// it is gone and takes the new one. Outside unix the file stays (it cannot be removed
    /// while open, and is reused).
    fn drop(&mut self) {
        #[cfg(unix)]
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

fn lock_path(env: &Path) -> anyhow::Result<PathBuf> {
    let name = env
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| anyhow!("`{}` is not a file name", env.display()))?;
    Ok(join(env, &format!("{name}{LOCK_SUFFIX}")))
}

fn open_lock_file(path: &Path) -> anyhow::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(NEW_FILE_MODE);
    }
    options.open(path).with_context(|| {
        format!(
            "cannot open the lock file `{}` (does the directory exist?)",
            path.display()
        )
    })
}

/// Whether `file` is still the file at `path` (not removed or replaced since it was opened).
#[cfg(unix)]
fn still_at(file: &File, path: &Path) -> anyhow::Result<bool> {
    use std::os::unix::fs::MetadataExt as _;
    let mine = file
        .metadata()
        .with_context(|| format!("cannot read `{}`", path.display()))?;
    Ok(match std::fs::metadata(path) {
        Ok(now) => (now.dev(), now.ino()) == (mine.dev(), mine.ino()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(e).with_context(|| format!("cannot read `{}`", path.display())),
    })
}

#[cfg(not(unix))]
fn still_at(_file: &File, _path: &Path) -> anyhow::Result<bool> {
    Ok(true)
}

/// `process 1234`, from the lock file, or `another process` when it is not (yet) written.
fn holder(path: &Path) -> String {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|text| text.trim().parse::<u32>().ok())
        .map_or_else(
            || "another process".to_owned(),
            |pid| format!("process {pid}"),
        )
}

// ---------------------------------------------------------------------------------------------
// the env file on disk

/// `--env-file`, else `[secret] env_file` from rauth.toml (its default without a rauth.toml),
/// with `--environment NAME` as `<file>.NAME` beside it.
fn env_path(ctx: &Context, args: &EnvFileChoice) -> anyhow::Result<PathBuf> {
    if let Some(path) = &args.env_file {
        return Ok(path.clone());
    }
    let config_path = ctx.config_path();
    let configured = if config_path
        .try_exists()
        .with_context(|| format!("cannot read `{}`", config_path.display()))?
    {
        let loaded = ctx.config()?;
        loaded.base_dir.join(&loaded.config.secret.env_file)
    } else {
        let default = SecretFile::default().env_file;
        ctx.ui.info(&format!(
            "no `{}`: using `{default}` beside it",
            config_path.display()
        ));
        ctx.base_dir().join(default)
    };
    let Some(environment) = &args.environment else {
        return Ok(configured);
    };
    if environment.is_empty()
        || !environment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        bail!("`--environment` takes a name like `production` (letters, digits, `-`, `_`)");
    }
    let name = configured
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| anyhow!("`{}` is not a file name", configured.display()))?;
    Ok(join(&configured, &format!("{name}.{environment}")))
}

/// `name` beside `path`.
fn join(path: &Path, name: &str) -> PathBuf {
    path.parent()
        .map_or_else(|| PathBuf::from(name), |dir| dir.join(name))
}

/// The directory of `path`, `.` for a bare file name.
fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// The file rotate or prune would replace: its metadata, or `None` if it does not exist yet.
/// Refuses links, anything but a regular file, and a read-only file unless `force`: the new
/// file is renamed over the old one, which a read-only mode does not prevent.
fn writable_target(path: &Path, force: bool) -> anyhow::Result<Option<Metadata>> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => bail!(
            "`{}` is a symbolic link: rauth does not write through links; pass the file it points to with `--env-file`",
            path.display()
        ),
        Ok(meta) if !meta.is_file() => bail!("`{}` is not a regular file", path.display()),
        Ok(meta) if meta.permissions().readonly() && !force => bail!(
            "`{}` is read-only: it is left untouched; `--force` rewrites it anyway (keeping its mode)",
            path.display()
        ),
        Ok(meta) => Ok(Some(meta)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read `{}`", path.display())),
    }
}

/// Reads and parses an env file; `None` if it does not exist. Errors name lines, never values.
fn read(path: &Path) -> anyhow::Result<Option<EnvFile>> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("cannot read `{}`", path.display())),
    };
    let text =
        String::from_utf8(bytes).map_err(|_| anyhow!("{}: not UTF-8 text", path.display()))?;
    let file = EnvFile::parse(text).map_err(|e| anyhow!("{}: {e}", path.display()))?;
    Ok(Some(file))
}

/// Reads a file rotate or prune will rewrite; a file it cannot parse is refused.
fn read_for_writing(path: &Path) -> anyhow::Result<EnvFile> {
    match read(path) {
        Ok(Some(file)) => Ok(file),
        Ok(None) => Err(anyhow!("`{}` disappeared while reading it", path.display())),
        Err(e) => Err(e),
    }
    .map_err(|e| e.context(untouched(path)))
}

fn refusal(path: &Path, error: &edit::EditError) -> anyhow::Error {
    located(path, error).context(untouched(path))
}

fn located(path: &Path, error: &edit::EditError) -> anyhow::Error {
    anyhow!("{}: {error}", path.display())
}

fn untouched(path: &Path) -> String {
    format!(
        "refusing to rewrite `{}`: it is left untouched",
        path.display()
    )
}

/// Replaces the file atomically: a temporary file beside it is written, synced and renamed over
/// it, then the directory is synced. A crash at any point leaves the old file or the new one,
/// never a mix. The mode of the old file is kept (0600 for a new one), and its owner when
/// permitted.
fn write(ui: &Ui, path: &Path, text: &str, existing: Option<&Metadata>) -> anyhow::Result<()> {
    let dir = parent(path);
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| anyhow!("`{}` is not a file name", path.display()))?;
    let prefix = temp_prefix(name);
    let cannot = || format!("cannot write `{}`", path.display());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = existing.map_or(NEW_FILE_MODE, |m| m.permissions().mode() & 0o7777);
        builder.permissions(std::fs::Permissions::from_mode(mode));
        mode
    };
    let mut temp = builder.tempfile_in(dir).with_context(|| {
        format!(
            "cannot create a temporary file in `{}` (does the directory exist?)",
            dir.display()
        )
    })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
        // The umask applies at creation: set the mode again.
        temp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .with_context(cannot)?;
        if let Some(meta) = existing
            && let Ok(mine) = temp.as_file().metadata()
            && (mine.uid(), mine.gid()) != (meta.uid(), meta.gid())
            && std::os::unix::fs::fchown(temp.as_file(), Some(meta.uid()), Some(meta.gid()))
                .is_err()
        {
            ui.warn(&format!(
                "{} now belongs to you: rauth could not keep its owner",
                path.display()
            ));
        }
    }
    temp.write_all(text.as_bytes())
        .and_then(|()| temp.as_file().sync_all())
        .with_context(cannot)?;
    temp.persist(path)
        .map_err(|e| e.error)
        .with_context(cannot)?;
    sync_dir(dir).with_context(|| format!("cannot sync `{}`", dir.display()))?;
    remove_stale_temps(ui, dir, &prefix);
    Ok(())
}

/// Temporary files for `name` start with this; hidden, and not matched as an env file by `check`.
fn temp_prefix(name: &str) -> String {
    format!(".rauth-{name}.")
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

/// A run killed between creating its temporary file and renaming it leaves the file behind,
/// with a secret nobody uses; the next successful write removes it.
fn remove_stale_temps(ui: &Ui, dir: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        if name.starts_with(prefix) && std::fs::remove_file(entry.path()).is_ok() {
            ui.info(&format!("removed `{name}`, left by an interrupted run"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_32_bytes_in_either_encoding() {
        let hex = generate(SecretFormat::Hex).unwrap();
        assert_eq!(hex.len(), 64);
        assert!(hex.bytes().all(|b| b.is_ascii_hexdigit()));
        let b64 = generate(SecretFormat::Base64Url).unwrap();
        assert_eq!(b64.len(), 43);
        assert!(
            b64.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_ne!(generate(SecretFormat::Hex).unwrap(), hex);
        assert_eq!(encode(&[0xfb, 0xff], SecretFormat::Base64Url), "-_8");
        assert_eq!(encode(&[0xfb, 0xff], SecretFormat::Hex), "fbff");
    }

    #[test]
    fn generated_secrets_pass_the_strength_check_and_can_be_written() {
        for format in [SecretFormat::Hex, SecretFormat::Base64Url] {
            let s = generate(format).unwrap();
            assert_eq!(strength::weaknesses(&s), [], "{format:?}");
            assert_eq!(keyring::writable(&s), Ok(()));
        }
    }

    #[test]
    fn environments_are_files_beside_the_configured_one() {
        assert_eq!(
            join(Path::new(".env"), ".env.production"),
            Path::new(".env.production")
        );
        assert_eq!(
            join(Path::new("deploy/app.env"), "app.env.staging"),
            Path::new("deploy/app.env.staging")
        );
        assert_eq!(parent(Path::new(".env")), Path::new("."));
    }
}
