//! What generating code would change, computed in memory before anything is written: new and
//! updated module files, stale ones to remove, injections at marker comments, and the files a
//! person edited since rauth wrote them (never overwritten without `--force`). Pure: the caller
//! reads the current files and writes the result.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

/// The manifest's file name, inside the module directory.
pub const MANIFEST_FILE: &str = ".rauth-manifest.json";

/// What rauth last wrote into a module directory: each file's SHA-256, so a file edited by
/// hand is recognized.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Hex SHA-256 by path relative to the module directory (`/`-separated).
    pub files: BTreeMap<String, String>,
}

impl Manifest {
    pub fn parse(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }

    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// The front matter of a rendered template: TOML between two `---` lines at the very top.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// Output path relative to the module directory (default: the template's name).
    pub to: Option<String>,
    /// What to do when the output file already exists.
    #[serde(default)]
    pub if_exists: IfExists,
    /// Instead of writing a file: insert the body into this file (relative to the project),
    /// after the line holding `anchor`.
    pub into: Option<String>,
    /// The marker comment the injection goes after.
    pub anchor: Option<String>,
    /// Leave the file alone when it already contains this text (keeps re-runs idempotent).
    pub skip_if: Option<String>,
}

/// Policy for an output file that exists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IfExists {
    /// Replace it, unless a person edited it since rauth wrote it.
    #[default]
    Overwrite,
    /// Keep it as it is (files meant to be edited).
    Skip,
}

/// Splits `---\n<toml>\n---\n<body>` into the front matter and the body; text without front
/// matter is all body.
pub fn split_front_matter(rendered: &str) -> Result<(FrontMatter, &str), String> {
    let Some(rest) = rendered.strip_prefix("---\n") else {
        return Ok((FrontMatter::default(), rendered));
    };
    let Some(end) = rest.find("\n---\n") else {
        return Err("front matter has no closing `---` line".into());
    };
    let matter = toml::from_str(&rest[..end]).map_err(|e| format!("bad front matter: {e}"))?;
    Ok((matter, &rest[end + "\n---\n".len()..]))
}

/// `text` has no line with the anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MissingAnchor;

/// Inserts `body` after the line of `text` that holds `anchor`, with that line's indentation.
/// `Ok(None)`: nothing to do, because `text` already holds `skip_if`.
pub fn inject(
    text: &str,
    anchor: &str,
    body: &str,
    skip_if: Option<&str>,
) -> Result<Option<String>, MissingAnchor> {
    if skip_if.is_some_and(|s| text.contains(s)) {
        return Ok(None);
    }
    let mut out = String::with_capacity(text.len() + body.len());
    let mut done = false;
    for line in text.split_inclusive('\n') {
        out.push_str(line);
        if !done && line.contains(anchor) {
            if !line.ends_with('\n') {
                out.push('\n');
            }
            let indent: String = line
                .chars()
                .take_while(|c| c.is_whitespace() && *c != '\n')
                .collect();
            for body_line in body.lines() {
                out.push_str(&indent);
                out.push_str(body_line);
                out.push('\n');
            }
            done = true;
        }
    }
    if done {
        Ok(Some(out))
    } else {
        Err(MissingAnchor)
    }
}

/// One file that generation changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    pub path: PathBuf,
    /// The current contents; `None` for a new file.
    pub before: Option<String>,
    /// The new contents; `None` to remove the file.
    pub after: Option<String>,
    /// A person changed the file since rauth wrote it (or rauth never wrote it).
    pub edited: bool,
}

impl FileChange {
    /// A unified diff, `a/<path>` → `b/<path>`.
    pub fn diff(&self) -> String {
        let before = self.before.as_deref().unwrap_or_default();
        let after = self.after.as_deref().unwrap_or_default();
        let path = self.path.display().to_string();
        similar::TextDiff::from_lines(before, after)
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{path}"), &format!("b/{path}"))
            .to_string()
    }
}

/// The changes that bring a module directory to `generated` (paths relative to `dir`):
/// updated and new files, and the removal of files rauth wrote before that are no longer
/// generated. `current` reads a file (`None` when absent).
pub fn module_changes(
    dir: &Path,
    generated: &[(String, String, IfExists)],
    manifest: &Manifest,
    current: &dyn Fn(&Path) -> Option<String>,
) -> Vec<FileChange> {
    let mut changes = Vec::new();
    for (name, contents, if_exists) in generated {
        let path = dir.join(name);
        let before = current(&path);
        match &before {
            Some(text) if text == contents => continue,
            Some(_) if *if_exists == IfExists::Skip => continue,
            _ => {}
        }
        let edited = before
            .as_ref()
            .is_some_and(|text| manifest.files.get(name) != Some(&sha256_hex(text)));
        changes.push(FileChange {
            path,
            before,
            after: Some(contents.clone()),
            edited,
        });
    }
    for (name, hash) in &manifest.files {
        if generated.iter().any(|(n, _, _)| n == name) {
            continue;
        }
        let path = dir.join(name);
        if let Some(text) = current(&path) {
            let edited = &sha256_hex(&text) != hash;
            changes.push(FileChange {
                path,
                before: Some(text),
                after: None,
                edited,
            });
        }
    }
    changes
}

/// The manifest after the generated files are written.
pub fn manifest_of(generated: &[(String, String, IfExists)]) -> Manifest {
    Manifest {
        files: generated
            .iter()
            .map(|(name, contents, _)| (name.clone(), sha256_hex(contents)))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_optional_and_toml() {
        assert_eq!(
            split_front_matter("fn a() {}\n").unwrap(),
            (FrontMatter::default(), "fn a() {}\n")
        );
        let (matter, body) =
            split_front_matter("---\ninto = \"src/main.rs\"\nanchor = \"// x\"\n---\nmod auth;\n")
                .unwrap();
        assert_eq!(matter.into.as_deref(), Some("src/main.rs"));
        assert_eq!(body, "mod auth;\n");
        assert!(
            split_front_matter("---\nnope = 1\n---\n")
                .unwrap_err()
                .contains("nope")
        );
        assert!(split_front_matter("---\ninto = \"x\"\n").is_err());
    }

    #[test]
    fn injection_goes_after_the_anchor_once() {
        let text = "//! App.\n\n    // rauth:modules\nfn main() {}\n";
        let once = inject(text, "// rauth:modules", "mod auth;", Some("mod auth;"))
            .unwrap()
            .unwrap();
        assert_eq!(
            once,
            "//! App.\n\n    // rauth:modules\n    mod auth;\nfn main() {}\n"
        );
        assert_eq!(
            inject(&once, "// rauth:modules", "mod auth;", Some("mod auth;")),
            Ok(None)
        );
        assert_eq!(
            inject("fn main() {}\n", "// rauth:modules", "mod auth;", None),
            Err(MissingAnchor)
        );
        assert_eq!(
            inject("// rauth:modules", "// rauth:modules", "mod auth;", None)
                .unwrap()
                .unwrap(),
            "// rauth:modules\nmod auth;\n"
        );
    }

    #[test]
    fn edited_files_are_flagged_and_stale_ones_removed() {
        let dir = Path::new("src/auth");
        let old = vec![
            ("a.rs".to_owned(), "a1".to_owned(), IfExists::Overwrite),
            ("b.rs".to_owned(), "b1".to_owned(), IfExists::Overwrite),
            ("gone.rs".to_owned(), "g1".to_owned(), IfExists::Overwrite),
        ];
        let manifest = manifest_of(&old);
        let on_disk = |p: &Path| match p.file_name()?.to_str()? {
            "a.rs" => Some("a1".to_owned()),
            "b.rs" => Some("b1 edited".to_owned()),
            "gone.rs" => Some("g1".to_owned()),
            _ => None,
        };
        let new = vec![
            ("a.rs".to_owned(), "a2".to_owned(), IfExists::Overwrite),
            ("b.rs".to_owned(), "b2".to_owned(), IfExists::Overwrite),
            ("c.rs".to_owned(), "c1".to_owned(), IfExists::Overwrite),
        ];
        let changes = module_changes(dir, &new, &manifest, &on_disk);
        let summary: Vec<(String, bool, bool)> = changes
            .iter()
            .map(|c| (c.path.display().to_string(), c.edited, c.after.is_some()))
            .collect();
        assert_eq!(
            summary,
            [
                ("src/auth/a.rs".to_owned(), false, true),
                ("src/auth/b.rs".to_owned(), true, true),
                ("src/auth/c.rs".to_owned(), false, true),
                ("src/auth/gone.rs".to_owned(), false, false),
            ]
        );
        assert!(
            changes[0].diff().contains("-a1") && changes[0].diff().contains("+a2"),
            "{}",
            changes[0].diff()
        );
        let same = module_changes(dir, &old, &manifest, &|p| {
            old.iter()
                .find(|(n, _, _)| dir.join(n) == p)
                .map(|f| f.1.clone())
        });
        assert!(same.is_empty());
    }
}
