//! Templates of the generated code: embedded in the binary (`templates/`), each overridable by a
//! file of the same path in the project's `.rauth/templates/`.

use std::path::{Path, PathBuf};

use include_dir::Dir;
use minijinja::{Environment, UndefinedBehavior};

use crate::embedded::TEMPLATES as EMBEDDED;

/// Where a project's template overrides live, relative to `rauth.toml`.
pub const OVERRIDE_DIR: &str = ".rauth/templates";

/// A template environment: strict about undefined values, keeping final newlines.
pub fn environment(override_dir: Option<PathBuf>) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_keep_trailing_newline(true);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_loader(move |name| {
        if let Some(dir) = &override_dir {
            match std::fs::read_to_string(dir.join(name)) {
                Ok(text) => return Ok(Some(text)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(minijinja::Error::new(
                        minijinja::ErrorKind::InvalidOperation,
                        format!("cannot read override `{name}`"),
                    )
                    .with_source(e));
                }
            }
        }
        Ok(EMBEDDED
            .get_file(name)
            .and_then(|f| f.contents_utf8())
            .map(str::to_owned))
    });
    env
}

/// Names of the embedded templates under `prefix`, sorted.
pub fn names(prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    collect(&EMBEDDED, prefix, &mut out);
    out.sort();
    out
}

fn collect(dir: &Dir<'_>, prefix: &str, out: &mut Vec<String>) {
    for file in dir.files() {
        let path = file.path();
        if path.starts_with(prefix) && path.extension().is_some_and(|e| e == "j2") {
            out.push(path.to_string_lossy().into_owned());
        }
    }
    for sub in dir.dirs() {
        collect(sub, prefix, out);
    }
}

/// The output file name of a template: `core/crypto.rs.j2` → `crypto.rs`.
pub fn output_name(template: &str) -> &str {
    let file = Path::new(template)
        .file_name()
        .and_then(|f| f.to_str())
        .unwrap_or(template);
    file.strip_suffix(".j2").unwrap_or(file)
}

/// The embedded source of a template.
pub fn embedded(name: &str) -> Option<&'static str> {
    EMBEDDED.get_file(name).and_then(|f| f.contents_utf8())
}

/// The `.j2` files under a project's override directory that match no embedded template (a
/// typo, or an override of a template that moved), relative to it and sorted.
pub fn stray_overrides(dir: &Path) -> Vec<String> {
    let known = names("");
    let mut stray = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "j2") {
                let name = path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                if !known.contains(&name) {
                    stray.push(name);
                }
            }
        }
    }
    stray.sort();
    stray
}

/// The templates `wanted` names: all of them (`None`), a full name (`core/api.rs.j2`), a
/// directory (`core`), or an output file (`api.rs`, `api`). Empty when nothing matches.
pub fn select(wanted: Option<&str>) -> Vec<String> {
    let all = names("");
    let Some(wanted) = wanted.map(|w| w.trim_end_matches('/')) else {
        return all;
    };
    all.into_iter()
        .filter(|name| {
            let output = output_name(name);
            name == wanted
                || name.starts_with(&format!("{wanted}/"))
                || output == wanted
                || output.strip_suffix(".rs") == Some(wanted)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_by_name_directory_or_output_file() {
        assert_eq!(select(Some("core/api.rs.j2")), ["core/api.rs.j2"]);
        assert_eq!(select(Some("api")), ["core/api.rs.j2"]);
        assert_eq!(select(Some("api.rs")), ["core/api.rs.j2"]);
        assert!(select(Some("core")).len() > 10);
        // The core's templates, and its group module (`root/core.rs.j2` writes `core/mod.rs`).
        assert!(
            select(Some("core"))
                .iter()
                .all(|n| n.starts_with("core/") || n == "root/core.rs.j2")
        );
        assert!(select(Some("nope")).is_empty());
        assert_eq!(select(None).len(), names("").len());
    }
}
