//! `AUTH_SECRETS="3:new,2:old"`: versioned secrets, the format of Better Auth's
//! `BETTER_AUTH_SECRETS`. The first entry is the current secret; the others only decrypt.

use std::collections::HashSet;
use std::fmt::{self, Write as _};

use sha2::{Digest as _, Sha256};

/// The variable holding the versioned secrets.
pub const SECRETS_KEY: &str = "AUTH_SECRETS";
/// The variable of a single, unversioned secret (Better Auth's legacy fallback).
pub const LEGACY_KEY: &str = "AUTH_SECRET";

/// The two variables a keyring lives in: rauth's, or Better Auth's for a project that has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Names {
    /// The versioned list, `<version>:<secret>,…`.
    pub secrets: &'static str,
    /// The single unversioned secret.
    pub legacy: &'static str,
}

/// `AUTH_SECRETS` and `AUTH_SECRET`.
pub const RAUTH_NAMES: Names = Names {
    secrets: SECRETS_KEY,
    legacy: LEGACY_KEY,
};

/// `BETTER_AUTH_SECRETS` and `BETTER_AUTH_SECRET`: same format; the generated keyring reads
/// them when rauth's are unset, and so does Better Auth, so both servers share one keyring.
pub const BETTER_AUTH_NAMES: Names = Names {
    secrets: "BETTER_AUTH_SECRETS",
    legacy: "BETTER_AUTH_SECRET",
};

/// One version of the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret {
    pub version: u64,
    pub value: String,
}

impl Secret {
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.value)
    }
}

/// Never prints the value, so a stray `{:?}` cannot leak it.
impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Secret")
            .field("version", &self.version)
            .field("fingerprint", &self.fingerprint())
            .finish_non_exhaustive()
    }
}

/// The versions in `AUTH_SECRETS`, current first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keyring {
    pub secrets: Vec<Secret>,
}

/// Why an `AUTH_SECRETS` value is not valid. Never contains a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyringError {
    #[error("entry {0} is not `<version>:<secret>`")]
    NoVersion(usize),
    #[error("entry {0} has a version that is not a non-negative integer")]
    BadVersion(usize),
    #[error("version {0} has an empty secret")]
    Empty(u64),
    #[error("version {0} appears twice")]
    Repeated(u64),
}

/// A secret rauth cannot write into `AUTH_SECRETS="…"` and read back the same.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "it contains a comma, blank, quote, backslash, `$` or control character, which `AUTH_SECRETS=\"…\"` cannot hold unchanged"
)]
pub struct Unwritable;

impl Keyring {
    /// Parses an `AUTH_SECRETS` value the way Better Auth does: entries split on commas, each
    /// trimmed, `version:secret` split at the first colon. An empty value is an empty keyring.
    pub fn parse(text: &str) -> Result<Self, KeyringError> {
        if text.trim().is_empty() {
            return Ok(Self::default());
        }
        let mut seen = HashSet::new();
        let mut secrets = Vec::new();
        for (i, entry) in text.split(',').enumerate() {
            let n = i + 1;
            let (version, value) = entry
                .trim()
                .split_once(':')
                .ok_or(KeyringError::NoVersion(n))?;
            if version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit()) {
                return Err(KeyringError::BadVersion(n));
            }
            let version: u64 = version.parse().map_err(|_| KeyringError::BadVersion(n))?;
            let value = value.trim();
            if value.is_empty() {
                return Err(KeyringError::Empty(version));
            }
            if !seen.insert(version) {
                return Err(KeyringError::Repeated(version));
            }
            secrets.push(Secret {
                version,
                value: value.to_owned(),
            });
        }
        Ok(Self { secrets })
    }

    /// `3:new,2:old`, current first.
    pub fn format(&self) -> String {
        self.secrets
            .iter()
            .map(|s| format!("{}:{}", s.version, s.value))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The value as written in the env file: `"3:new,2:old"`. Fails, naming no secret, if a
    /// version cannot be written back unchanged.
    pub fn quoted(&self) -> Result<String, (u64, Unwritable)> {
        for s in &self.secrets {
            writable(&s.value).map_err(|e| (s.version, e))?;
        }
        Ok(format!("\"{}\"", self.format()))
    }

    /// One more than the highest version; 1 for an empty keyring, 2 when a legacy `AUTH_SECRET`
    /// becomes version 1.
    pub fn next_version(&self) -> u64 {
        self.secrets
            .iter()
            .map(|s| s.version)
            .max()
            .map_or(1, |v| v.saturating_add(1))
    }

    /// Makes `value` the current secret, as the next version, and keeps at most `keep` previous
    /// versions. Returns what was removed.
    pub fn rotate(&mut self, value: String, keep: usize) -> Vec<Secret> {
        let version = self.next_version();
        self.secrets.insert(0, Secret { version, value });
        self.prune(keep)
    }

    /// Keeps the current secret and the `keep` newest of the others (by version), in their order.
    /// Returns what was removed.
    pub fn prune(&mut self, keep: usize) -> Vec<Secret> {
        let Some((current, previous)) = self.secrets.split_first() else {
            return Vec::new();
        };
        let mut newest: Vec<u64> = previous.iter().map(|s| s.version).collect();
        newest.sort_unstable_by(|a, b| b.cmp(a));
        newest.truncate(keep);
        let current = current.version;
        let (kept, removed) = std::mem::take(&mut self.secrets)
            .into_iter()
            .partition(|s| s.version == current || newest.contains(&s.version));
        self.secrets = kept;
        removed
    }
}

/// `rauth secret list`: VERSION, FINGERPRINT, CURRENT, with a `legacy` row for `AUTH_SECRET`
/// (current when there is no keyring, as Better Auth then uses it).
pub fn table(keyring: &Keyring, legacy: Option<&str>) -> String {
    let mut rows: Vec<[String; 3]> = vec![["VERSION", "FINGERPRINT", "CURRENT"].map(String::from)];
    for (i, s) in keyring.secrets.iter().enumerate() {
        let current = if i == 0 { "yes" } else { "-" };
        rows.push([s.version.to_string(), s.fingerprint(), current.to_owned()]);
    }
    if let Some(value) = legacy {
        let current = if keyring.secrets.is_empty() {
            "yes"
        } else {
            "-"
        };
        rows.push(["legacy".to_owned(), fingerprint(value), current.to_owned()]);
    }
    let width = |col: usize| rows.iter().map(|r| r[col].len()).max().unwrap_or(0);
    let (w0, w1) = (width(0), width(1));
    let mut out = String::new();
    for [a, b, c] in &rows {
        let _ = writeln!(out, "{a:<w0$}  {b:<w1$}  {c}");
    }
    out
}

/// Checks that `value` survives `AUTH_SECRETS="…,<version>:<value>"` unchanged in every dotenv
/// reader: no separator, no surrounding blank to trim, nothing a reader would unescape or expand.
pub fn writable(value: &str) -> Result<(), Unwritable> {
    let bad = |c: char| {
        c.is_whitespace() || c.is_control() || matches!(c, ',' | '"' | '\'' | '\\' | '$' | '`')
    };
    if value.is_empty() || value.contains(bad) {
        Err(Unwritable)
    } else {
        Ok(())
    }
}

/// The first 8 hex digits of the SHA-256 of a secret: enough to tell versions apart, useless to
/// recover one.
pub fn fingerprint(value: &str) -> String {
    let digest = Sha256::digest(value.as_bytes());
    hex::encode(&digest[..4])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(text: &str) -> Keyring {
        Keyring::parse(text).unwrap()
    }

    fn versions(k: &Keyring) -> Vec<u64> {
        k.secrets.iter().map(|s| s.version).collect()
    }

    #[test]
    fn parses_like_better_auth() {
        let k = ring(" 3:c , 2:b:with:colons,0:a ");
        assert_eq!(versions(&k), [3, 2, 0]);
        assert_eq!(k.secrets[1].value, "b:with:colons");
        assert_eq!(k.secrets[0].value, "c");
        assert_eq!(k.format(), "3:c,2:b:with:colons,0:a");
        assert_eq!(ring(""), Keyring::default());
    }

    #[test]
    fn rejects_what_better_auth_rejects_without_naming_secrets() {
        for (text, err) in [
            ("3:zq9,zq9", KeyringError::NoVersion(2)),
            ("x:zq9", KeyringError::BadVersion(1)),
            ("-1:zq9", KeyringError::BadVersion(1)),
            (":zq9", KeyringError::BadVersion(1)),
            ("2: ", KeyringError::Empty(2)),
            ("2:zq9,2:zq9", KeyringError::Repeated(2)),
        ] {
            assert_eq!(Keyring::parse(text).unwrap_err(), err, "{text}");
            assert!(!err.to_string().contains("zq9"));
        }
    }

    #[test]
    fn rotation_adds_the_next_version_first_and_keeps_n_previous() {
        let mut k = ring("2:b,1:a");
        assert!(k.rotate("c".into(), 2).is_empty());
        assert_eq!(k.format(), "3:c,2:b,1:a");
        let removed = k.rotate("d".into(), 2);
        assert_eq!(k.format(), "4:d,3:c,2:b");
        assert_eq!(versions(&Keyring { secrets: removed }), [1]);
        k.rotate("e".into(), 0);
        assert_eq!(k.format(), "5:e");
        let mut empty = Keyring::default();
        empty.rotate("x".into(), 2);
        assert_eq!(empty.format(), "1:x");
    }

    #[test]
    fn the_next_version_is_above_every_version() {
        assert_eq!(ring("2:b,7:a").next_version(), 8);
        assert_eq!(Keyring::default().next_version(), 1);
    }

    #[test]
    fn pruning_keeps_the_current_and_the_newest_previous_in_order() {
        let mut k = ring("5:e,1:a,4:d,2:b");
        let removed = k.prune(2);
        assert_eq!(k.format(), "5:e,4:d,2:b");
        assert_eq!(versions(&Keyring { secrets: removed }), [1]);
        assert!(k.prune(5).is_empty());
        let mut old_current = ring("1:a,9:z");
        old_current.prune(0);
        assert_eq!(old_current.format(), "1:a");
    }

    #[test]
    fn only_plain_values_are_written_back() {
        assert_eq!(
            ring("2:ab_-+/=.~,1:x").quoted().unwrap(),
            "\"2:ab_-+/=.~,1:x\""
        );
        for bad in ["a b", "a\"b", "a'b", "a\\b", "$HOME", "a`b", "a\tb"] {
            assert_eq!(writable(bad), Err(Unwritable), "{bad}");
        }
        let k = Keyring {
            secrets: vec![Secret {
                version: 4,
                value: "has space".into(),
            }],
        };
        assert_eq!(k.quoted().unwrap_err().0, 4);
    }

    #[test]
    fn the_table_marks_the_current_version_and_the_legacy_secret() {
        assert_eq!(
            table(&ring("12:b,3:a"), Some("a")),
            format!(
                "VERSION  FINGERPRINT  CURRENT\n12       {}     yes\n3        {}     -\nlegacy   {}     -\n",
                fingerprint("b"),
                fingerprint("a"),
                fingerprint("a")
            )
        );
        assert_eq!(
            table(&Keyring::default(), Some("a")),
            format!(
                "VERSION  FINGERPRINT  CURRENT\nlegacy   {}     yes\n",
                fingerprint("a")
            )
        );
    }

    #[test]
    fn fingerprints_are_8_hex_of_sha256_and_debug_hides_the_value() {
        // sha256("abc") = ba7816bf…
        assert_eq!(fingerprint("abc"), "ba7816bf");
        let s = Secret {
            version: 1,
            value: "s3cr3t-value".into(),
        };
        let debug = format!("{s:?}");
        assert!(!debug.contains("s3cr3t"), "{debug}");
        assert!(debug.contains(&fingerprint("s3cr3t-value")), "{debug}");
    }
}
