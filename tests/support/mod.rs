//! Helpers shared by the integration tests: a temporary project with a `rauth.toml`, and the
//! `rauth` binary run inside it.
#![allow(dead_code)] // each test binary uses its own part of this module

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// A temporary project directory.
pub struct Project {
    pub dir: tempfile::TempDir,
}

impl Project {
    pub fn new(config: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("rauth.toml"), config).expect("write rauth.toml");
        Self { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    pub fn write(&self, relative: &str, contents: &str) {
        let path = self.file(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.file(relative))
            .unwrap_or_else(|e| panic!("read {relative}: {e}"))
    }

    /// Runs `rauth <args>` in the project, with a fixed clock and no color.
    pub fn rauth(&self, args: &[&str]) -> Run {
        self.rauth_with_env(args, &[])
    }

    /// `rauth` with more environment variables.
    pub fn rauth_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let output = Command::cargo_bin("rauth")
            .expect("rauth binary")
            .args(args)
            .current_dir(self.path())
            .env("SOURCE_DATE_EPOCH", "1795732200") // 2026-11-26T22:30:00Z
            .env("NO_COLOR", "1")
            .env_remove("RAUTH_CONFIG")
            .envs(env.iter().copied())
            .output()
            .expect("run rauth");
        Run::from(output)
    }

    /// Every file under the project (relative paths, sorted), excluding `rauth.toml`.
    pub fn files(&self) -> Vec<String> {
        fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(root, &path, out);
                } else {
                    out.push(path.strip_prefix(root).unwrap().display().to_string());
                }
            }
        }
        let mut out = Vec::new();
        walk(self.path(), self.path(), &mut out);
        out.retain(|f| f != "rauth.toml");
        out.sort();
        out
    }
}

/// The result of one `rauth` run.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Self {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Run {
    #[track_caller]
    pub fn success(self) -> Self {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn failure(self) -> Self {
        assert_eq!(
            self.code, 1,
            "expected exit 1\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

/// A config from `tests/fixtures/configs/<name>.toml`.
pub fn fixture_config(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/configs")
        .join(format!("{name}.toml"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// insta settings that keep snapshots in the top-level `snapshots/` directory.
pub fn snapshot_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots"));
    s.set_prepend_module_to_snapshot(false);
    s
}

/// `cargo` for a crate that a test builds (a generated app, the generated-code crate), with its
/// artifacts in the shared `target` directory. Such a crate is built once per run and never
/// edited in place, so incremental artifacts only fill the disk (they were 7.4 of the generated
/// crate's 13 GB), and line tables are all the debug info a failing test's backtrace needs.
pub fn cargo_for_test_crate(target: &Path) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO"));
    command
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_PROFILE_DEV_DEBUG", "line-tables-only");
    command
}

/// Cargo's stderr without its progress lines (`Compiling …`), so that a failure's message starts
/// with what went wrong rather than a few hundred crate names.
pub fn cargo_stderr(stderr: &[u8]) -> String {
    const PROGRESS: [&str; 7] = [
        "Compiling ",
        "Checking ",
        "Documenting ",
        "Downloaded ",
        "Downloading ",
        "Locking ",
        "Adding ",
    ];
    let mut kept = String::new();
    for line in String::from_utf8_lossy(stderr).lines() {
        let trimmed = line.trim_start();
        if !PROGRESS
            .iter()
            .any(|progress| trimmed.starts_with(progress))
        {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    kept
}

/// The committed lockfile of a crate that a test builds (a generated app, the generated-code
/// crate), so that its build resolves exactly as when the lockfile was recorded: a new upstream
/// release changes nothing until someone records again.
pub struct Lockfile {
    committed: PathBuf,
}

impl Lockfile {
    /// The lockfile at `relative` from this repository's root (`tests/e2e/lockfiles/…`).
    pub fn at(relative: &str) -> Self {
        Self {
            committed: Path::new(env!("CARGO_MANIFEST_DIR")).join(relative),
        }
    }

    /// Puts the committed lockfile beside the manifest in `dir` and returns the cargo flag that
    /// holds the build to it. A missing one fails the run in CI; outside CI the build resolves
    /// afresh and [`Lockfile::record`] keeps what it chose.
    pub fn install(&self, dir: &Path) -> Option<&'static str> {
        if self.committed.is_file() {
            std::fs::copy(&self.committed, dir.join("Cargo.lock")).expect("copy the lockfile");
            return Some("--locked");
        }
        assert!(
            std::env::var_os("CI").is_none(),
            "{} is missing: run this test once outside CI to record it, and commit it",
            self.committed.display()
        );
        None
    }

    /// Keeps the lockfile of a build of `dir` that ran without one.
    #[allow(clippy::print_stderr)] // tells the person running the test what to commit
    pub fn record(&self, dir: &Path) {
        if !self.committed.is_file() {
            std::fs::create_dir_all(self.committed.parent().expect("a parent")).expect("mkdir");
            std::fs::copy(dir.join("Cargo.lock"), &self.committed).expect("record the lockfile");
            eprintln!("recorded {}: commit it", self.committed.display());
        }
    }

    /// What to tell a person when a locked build fails.
    pub fn hint(&self) -> String {
        if !self.committed.is_file() {
            return format!(
                "(no {} yet: this build resolved afresh)",
                self.committed.display()
            );
        }
        format!(
            "(built with the committed {}; if the crate's manifest changed on purpose, delete it \
             and run the test again outside CI to record a new one)",
            self.committed.display()
        )
    }
}

/// The npm project at `source` (its scripts, `package.json` and committed `package-lock.json`)
/// copied into `dir` and installed with `npm ci`: exactly the lockfile, so an upstream release
/// changes nothing. Installed again only when the lockfile differs from the one last installed
/// (a stamp inside `node_modules`, written after a successful install). One at a time per
/// test binary.
pub fn npm_project(source: &Path, dir: &Path) {
    static INSTALLING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_at_a_time = INSTALLING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    std::fs::create_dir_all(dir).expect("npm project dir");
    for entry in std::fs::read_dir(source).expect("npm project source") {
        let file = entry.expect("entry").path();
        if file.is_file() {
            std::fs::copy(&file, dir.join(file.file_name().expect("a name"))).expect("copy");
        }
    }
    let lock = std::fs::read(source.join("package-lock.json")).expect("a committed lockfile");
    let stamp = dir.join("node_modules/.rauth-installed-package-lock.json");
    if std::fs::read(&stamp).ok().as_ref() == Some(&lock) {
        return;
    }
    let out = std::process::Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(dir)
        .output()
        .expect("npm (Node.js) is needed for this test");
    assert!(
        out.status.success(),
        "npm ci in {} failed:\n{}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(&stamp, lock).expect("write the install stamp");
}
