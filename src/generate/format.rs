//! Formatting generated Rust as the user's crate formats it: rustfmt with the crate's edition
//! (whose style orders imports differently in 2024) and the `rustfmt.toml` found from its
//! directory, so `cargo fmt` leaves the generated files as rauth wrote them and rauth never
//! mistakes a formatting run for a hand edit.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The edition rauth's own templates (`rauth new` apps) are written in.
const DEFAULT_EDITION: &str = "2024";

/// How one crate formats Rust.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RustStyle {
    edition: String,
    /// Where rustfmt looks for its config; `None`: rustfmt's defaults.
    dir: Option<PathBuf>,
}

impl Default for RustStyle {
    fn default() -> Self {
        Self {
            edition: DEFAULT_EDITION.to_owned(),
            dir: None,
        }
    }
}

impl RustStyle {
    /// The style of the crate whose `Cargo.toml` is in `dir` (an inherited edition is read from
    /// the workspace root above it); without a `Cargo.toml`, edition 2024.
    pub fn of_crate(dir: &Path) -> Self {
        Self::of_manifest(dir, read_manifest(dir).as_ref())
    }

    /// [`Self::of_crate`] with the crate's `Cargo.toml` already read (`None`: there is none).
    pub fn of_manifest(dir: &Path, manifest: Option<&toml::Table>) -> Self {
        let edition = manifest.map_or_else(
            || DEFAULT_EDITION.to_owned(),
            |manifest| package_edition(manifest, dir),
        );
        Self {
            edition,
            dir: Some(dir.to_path_buf()),
        }
    }

    /// The crate's edition, as `Cargo.toml` says (`2015` when it says nothing, as cargo reads it).
    pub fn edition(&self) -> &str {
        &self.edition
    }

    /// `text` formatted, or `None` when rustfmt is not installed or refuses it.
    pub fn format(&self, text: &str) -> Option<String> {
        let mut command = Command::new("rustfmt");
        command
            .args(["--edition", &self.edition, "--emit", "stdout", "--quiet"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        // Reading stdin, rustfmt takes its config from the working directory up.
        if let Some(dir) = self.dir.as_ref().filter(|d| d.is_dir()) {
            command.current_dir(dir);
        }
        let mut child = command.spawn().ok()?;
        child.stdin.take()?.write_all(text.as_bytes()).ok()?;
        let out = child.wait_with_output().ok()?;
        out.status
            .success()
            .then(|| String::from_utf8(out.stdout).ok())
            .flatten()
    }
}

/// The `Cargo.toml` in `dir`, parsed, if there is a readable one.
pub fn read_manifest(dir: &Path) -> Option<toml::Table> {
    std::fs::read_to_string(dir.join("Cargo.toml"))
        .ok()?
        .parse()
        .ok()
}

/// `[package] edition` of `manifest` (in `dir`), following `edition.workspace = true` to the
/// nearest workspace root above.
fn package_edition(manifest: &toml::Table, dir: &Path) -> String {
    let edition = manifest.get("package").and_then(|p| p.get("edition"));
    match edition {
        Some(toml::Value::String(edition)) => edition.clone(),
        Some(toml::Value::Table(inherited)) if inherited.get("workspace").is_some() => {
            workspace_edition(dir).unwrap_or_else(|| DEFAULT_EDITION.to_owned())
        }
        _ => "2015".to_owned(),
    }
}

/// `[workspace.package] edition` of the nearest `Cargo.toml` above `dir` with a `[workspace]`.
fn workspace_edition(dir: &Path) -> Option<String> {
    dir.ancestors().skip(1).find_map(|parent| {
        let text = std::fs::read_to_string(parent.join("Cargo.toml")).ok()?;
        let manifest: toml::Table = text.parse().ok()?;
        let workspace = manifest.get("workspace")?;
        Some(
            workspace
                .get("package")
                .and_then(|p| p.get("edition"))
                .and_then(toml::Value::as_str)
                .unwrap_or(DEFAULT_EDITION)
                .to_owned(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crate_with(manifest: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Cargo.toml"), manifest).unwrap();
        dir
    }

    #[test]
    fn the_edition_is_the_crates() {
        let dir = crate_with("[package]\nname = \"a\"\nedition = \"2021\"\n");
        assert_eq!(RustStyle::of_crate(dir.path()).edition(), "2021");
        let dir = crate_with("[package]\nname = \"a\"\n");
        assert_eq!(RustStyle::of_crate(dir.path()).edition(), "2015");
        let none = tempfile::tempdir().unwrap();
        assert_eq!(RustStyle::of_crate(none.path()).edition(), "2024");
    }

    #[test]
    fn an_inherited_edition_comes_from_the_workspace_root() {
        let root = crate_with(
            "[workspace]\nmembers = [\"api\"]\n[workspace.package]\nedition = \"2021\"\n",
        );
        let member = root.path().join("api");
        std::fs::create_dir(&member).unwrap();
        std::fs::write(
            member.join("Cargo.toml"),
            "[package]\nname = \"api\"\nedition.workspace = true\n",
        )
        .unwrap();
        assert_eq!(RustStyle::of_crate(&member).edition(), "2021");
    }

    #[test]
    fn imports_are_ordered_as_the_editions_style_orders_them() {
        let text = "use serde_json::{json, Value};\n";
        let dir = crate_with("[package]\nname = \"a\"\nedition = \"2024\"\n");
        let formatted = RustStyle::of_crate(dir.path())
            .format(text)
            .expect("rustfmt, which `cargo fmt` needs too");
        assert_eq!(formatted, "use serde_json::{Value, json};\n");
        let dir = crate_with("[package]\nname = \"a\"\nedition = \"2021\"\n");
        let formatted = RustStyle::of_crate(dir.path()).format(text).unwrap();
        assert_eq!(formatted, "use serde_json::{json, Value};\n");
    }
}
