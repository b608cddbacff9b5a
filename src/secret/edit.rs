//! The secrets of an env file, and the new text of the file after a rotation or a pruning.

use super::envfile::{Duplicate, Entry, EnvFile};
use super::keyring::{
    BETTER_AUTH_NAMES, Keyring, KeyringError, Names, RAUTH_NAMES, Secret, Unwritable, writable,
};

/// What an env file holds: `AUTH_SECRETS` and a legacy `AUTH_SECRET`, each if set (or Better
/// Auth's `BETTER_AUTH_SECRETS` and `BETTER_AUTH_SECRET` in a file that has only those).
#[derive(Debug)]
pub struct FileSecrets<'a> {
    /// The variables the secrets are in.
    pub names: Names,
    pub keyring: Keyring,
    pub entry: Option<&'a Entry>,
    /// A non-empty `AUTH_SECRET`.
    pub legacy: Option<&'a Entry>,
}

impl FileSecrets<'_> {
    pub fn is_empty(&self) -> bool {
        self.keyring.secrets.is_empty() && self.legacy.is_none()
    }
}

/// A file whose secrets rauth will not touch. Names lines and versions, never a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error(transparent)]
    Duplicate(#[from] Duplicate),
    #[error("line {line}: {}: {error}", names.secrets)]
    Keyring {
        names: Names,
        line: usize,
        error: KeyringError,
    },
    #[error("line {line}: {} version {version}: {error}", names.secrets)]
    Unwritable {
        names: Names,
        line: usize,
        version: u64,
        error: Unwritable,
    },
    #[error(
        "line {line}: {} cannot become version 1: {error}; add {} by hand",
        names.legacy,
        names.secrets
    )]
    LegacyUnwritable {
        names: Names,
        line: usize,
        error: Unwritable,
    },
    #[error("there is no {} to prune", names.secrets)]
    NoKeyring { names: Names },
}

/// The new text of a file, and what changed in its keyring.
#[derive(Debug)]
pub struct Change {
    pub text: String,
    /// The keyring as written, current first.
    pub keyring: Keyring,
    /// The variables written.
    pub names: Names,
    /// The legacy `AUTH_SECRET` became version 1.
    pub imported_legacy: bool,
    pub removed: Vec<Secret>,
}

/// Reads `AUTH_SECRETS` and `AUTH_SECRET` from a parsed file — or, when it has neither, Better
/// Auth's names, so a project moving from Better Auth keeps (and rotates) the secret both
/// servers read.
pub fn secrets(file: &EnvFile) -> Result<FileSecrets<'_>, EditError> {
    let rauth = in_names(file, RAUTH_NAMES)?;
    if rauth.entry.is_some() || rauth.legacy.is_some() {
        return Ok(rauth);
    }
    let better_auth = in_names(file, BETTER_AUTH_NAMES)?;
    if better_auth.entry.is_some() || better_auth.legacy.is_some() {
        return Ok(better_auth);
    }
    Ok(rauth)
}

fn in_names(file: &EnvFile, names: Names) -> Result<FileSecrets<'_>, EditError> {
    let entry = file.get(names.secrets)?;
    let keyring = match entry {
        Some(e) => Keyring::parse(&e.value).map_err(|error| EditError::Keyring {
            names,
            line: e.line,
            error,
        })?,
        None => Keyring::default(),
    };
    let legacy = file
        .get(names.legacy)?
        .filter(|e| !e.value.trim().is_empty());
    Ok(FileSecrets {
        names,
        keyring,
        entry,
        legacy,
    })
}

/// Makes `new` the current secret as the next version, keeping at most `keep` previous ones.
///
/// A legacy `AUTH_SECRET` alone becomes version 1 (its line stays: Better Auth falls back on it
/// for data encrypted before versioned secrets). The `AUTH_SECRETS` value is replaced in place;
/// a new `AUTH_SECRETS` line goes right after `AUTH_SECRET`, or at the end of the file.
pub fn rotate(file: &EnvFile, new: String, keep: usize) -> Result<Change, EditError> {
    let found = secrets(file)?;
    let mut keyring = found.keyring;
    let mut imported_legacy = false;
    if keyring.secrets.is_empty()
        && let Some(legacy) = found.legacy
    {
        writable(legacy.value.trim()).map_err(|error| EditError::LegacyUnwritable {
            names: found.names,
            line: legacy.line,
            error,
        })?;
        keyring.secrets.push(Secret {
            version: 1,
            value: legacy.value.trim().to_owned(),
        });
        imported_legacy = true;
    }
    let removed = keyring.rotate(new, keep);
    let names = found.names;
    let quoted = quoted(&keyring, names, found.entry)?;
    let text = match (found.entry, found.legacy) {
        (Some(entry), _) => file.with_value(entry, &quoted),
        (None, Some(legacy)) => {
            let export = if legacy.export { "export " } else { "" };
            file.with_line_after(legacy, &format!("{export}{}={quoted}", names.secrets))
        }
        (None, None) => file.with_line_appended(&format!("{}={quoted}", names.secrets)),
    };
    Ok(Change {
        text,
        keyring,
        names,
        imported_legacy,
        removed,
    })
}

/// Keeps the current secret and the `keep` newest previous versions. The text is unchanged when
/// nothing is removed.
pub fn prune(file: &EnvFile, keep: usize) -> Result<Change, EditError> {
    let found = secrets(file)?;
    let names = found.names;
    let Some(entry) = found.entry.filter(|_| !found.keyring.secrets.is_empty()) else {
        return Err(EditError::NoKeyring { names });
    };
    let mut keyring = found.keyring;
    let removed = keyring.prune(keep);
    let text = if removed.is_empty() {
        file.text().to_owned()
    } else {
        file.with_value(entry, &quoted(&keyring, names, Some(entry))?)
    };
    Ok(Change {
        text,
        keyring,
        names,
        imported_legacy: false,
        removed,
    })
}

fn quoted(keyring: &Keyring, names: Names, entry: Option<&Entry>) -> Result<String, EditError> {
    keyring
        .quoted()
        .map_err(|(version, error)| EditError::Unwritable {
            names,
            line: entry.map_or(0, |e| e.line),
            version,
            error,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> EnvFile {
        EnvFile::parse(text.to_owned()).unwrap()
    }

    #[test]
    fn rotating_replaces_only_the_value() {
        let f = file("# app\nA=1\nexport AUTH_SECRETS='2:b,1:a' # keyring\nB=2\n");
        let change = rotate(&f, "c".into(), 1).unwrap();
        assert_eq!(
            change.text,
            "# app\nA=1\nexport AUTH_SECRETS=\"3:c,2:b\" # keyring\nB=2\n"
        );
        assert_eq!(change.removed.len(), 1);
        assert_eq!(change.removed[0].version, 1);
        assert!(!change.imported_legacy);
    }

    #[test]
    fn a_legacy_secret_becomes_version_1_and_its_line_stays() {
        let f = file("A=1\nexport AUTH_SECRET=\"old\"\nB=2");
        let change = rotate(&f, "new".into(), 2).unwrap();
        assert_eq!(
            change.text,
            "A=1\nexport AUTH_SECRET=\"old\"\nexport AUTH_SECRETS=\"2:new,1:old\"\nB=2"
        );
        assert!(change.imported_legacy);
        // Once AUTH_SECRETS exists, AUTH_SECRET is left alone.
        let again = rotate(&file(&change.text), "newer".into(), 2).unwrap();
        assert!(!again.imported_legacy);
        assert!(again.text.contains("AUTH_SECRETS=\"3:newer,2:new,1:old\""));
        assert!(again.text.contains("export AUTH_SECRET=\"old\"\n"));
    }

    #[test]
    fn a_file_without_secrets_gets_version_1_at_the_end() {
        let change = rotate(&file("A=1\n"), "x".into(), 2).unwrap();
        assert_eq!(change.text, "A=1\nAUTH_SECRETS=\"1:x\"\n");
        let change = rotate(&file(""), "x".into(), 2).unwrap();
        assert_eq!(change.text, "AUTH_SECRETS=\"1:x\"\n");
        // An empty AUTH_SECRET is no secret; an empty AUTH_SECRETS is filled in place.
        let change = rotate(&file("AUTH_SECRETS=\nAUTH_SECRET=\n"), "x".into(), 2).unwrap();
        assert_eq!(change.text, "AUTH_SECRETS=\"1:x\"\nAUTH_SECRET=\n");
    }

    #[test]
    fn refuses_what_it_cannot_write_back() {
        let f = file("AUTH_SECRETS=\"1:a,1:b\"\n");
        assert!(matches!(
            rotate(&f, "x".into(), 2),
            Err(EditError::Keyring { line: 1, .. })
        ));
        let f = file("AUTH_SECRET='pa$$word'\n");
        assert!(matches!(
            rotate(&f, "x".into(), 2),
            Err(EditError::LegacyUnwritable { line: 1, .. })
        ));
        let f = file("AUTH_SECRETS='2:a b'\n");
        assert!(matches!(
            rotate(&f, "x".into(), 2),
            Err(EditError::Unwritable {
                line: 1,
                version: 2,
                ..
            })
        ));
        let f = file("AUTH_SECRETS=1:a\nAUTH_SECRETS=2:b\n");
        assert!(matches!(
            rotate(&f, "x".into(), 2),
            Err(EditError::Duplicate(_))
        ));
    }

    #[test]
    fn pruning_keeps_n_previous_and_leaves_the_rest_of_the_file() {
        let f = file("X=1\nAUTH_SECRETS=\"4:d,3:c,2:b,1:a\"\nAUTH_SECRET=a\n");
        let change = prune(&f, 1).unwrap();
        assert_eq!(
            change.text,
            "X=1\nAUTH_SECRETS=\"4:d,3:c\"\nAUTH_SECRET=a\n"
        );
        assert_eq!(change.removed.len(), 2);
        let same = prune(&file(&change.text), 1).unwrap();
        assert!(same.removed.is_empty());
        assert_eq!(same.text, change.text);
        assert_eq!(
            prune(&file("AUTH_SECRET=a\n"), 1).unwrap_err(),
            EditError::NoKeyring { names: RAUTH_NAMES }
        );
    }
}
