//! Migration files on disk, in the layout of each tool, read into one shape.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use sha2::{Digest as _, Sha384};

use crate::config::MigrationFormat;

/// One migration as found on disk.
#[derive(Debug, Clone)]
pub struct Migration {
    /// Version as the tool writes it in its ledger (`20261126223000`, diesel without dashes).
    pub version: String,
    /// sqlx's description (`rauth init`) or diesel's name.
    pub description: String,
    pub up_path: PathBuf,
    pub up_sql: String,
    pub down_sql: Option<String>,
    /// SHA-384 of the up file's bytes, as sqlx computes it.
    pub checksum: Vec<u8>,
    /// sqlx's `-- no-transaction` marker (or diesel's `run_in_transaction = false`).
    pub no_transaction: bool,
}

impl Migration {
    /// The version as a number, for sqlx's BIGINT ledger.
    pub fn version_number(&self) -> Option<i64> {
        self.version.parse().ok()
    }
}

/// Every migration in `dir`, in version order. A missing directory has none.
pub fn discover(dir: &Path, format: MigrationFormat) -> anyhow::Result<Vec<Migration>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("cannot list `{}`", dir.display())),
    };
    let mut names: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    names.sort();
    let mut found = Vec::new();
    for path in names {
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        let migration = match format {
            MigrationFormat::Diesel if path.is_dir() => diesel_migration(&path, &name)?,
            MigrationFormat::Sqlx | MigrationFormat::Sql if path.is_file() => {
                sqlx_migration(&path, &name)?
            }
            _ => None,
        };
        found.extend(migration);
    }
    found.sort_by(|a, b| compare_versions(&a.version, &b.version));
    if let Some(pair) = found.windows(2).find(|w| w[0].version == w[1].version) {
        bail!(
            "two migrations have version {}: `{}` and `{}`",
            pair[0].version,
            pair[0].up_path.display(),
            pair[1].up_path.display()
        );
    }
    Ok(found)
}

/// Numeric order when both parse, text order otherwise (diesel compares strings).
pub fn compare_versions(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}

/// `<version>_<description>.sql` or `.up.sql` (with a sibling `.down.sql`), as sqlx reads them.
fn sqlx_migration(path: &Path, name: &str) -> anyhow::Result<Option<Migration>> {
    if name.ends_with(".down.sql") {
        return Ok(None);
    }
    let Some(stem) = name
        .strip_suffix(".up.sql")
        .or_else(|| name.strip_suffix(".sql"))
    else {
        return Ok(None);
    };
    let Some((version, description)) = stem.split_once('_') else {
        return Ok(None);
    };
    // sqlx parses the version as an i64 (`0001` is 1); so does its ledger.
    let Ok(number) = version.parse::<i64>() else {
        return Ok(None);
    };
    if !version.chars().all(|c| c.is_ascii_digit()) {
        return Ok(None);
    }
    let up_sql = read(path)?;
    let down_path = path.with_file_name(format!("{stem}.down.sql"));
    let down_sql = if name.ends_with(".up.sql") && down_path.exists() {
        Some(read(&down_path)?)
    } else {
        None
    };
    Ok(Some(Migration {
        version: number.to_string(),
        description: description.replace('_', " "),
        up_path: path.to_path_buf(),
        checksum: Sha384::digest(up_sql.as_bytes()).to_vec(),
        no_transaction: up_sql.starts_with("-- no-transaction"),
        up_sql,
        down_sql,
    }))
}

/// `<version>_<name>/up.sql` (+ `down.sql`), as diesel reads them; the version loses its dashes.
fn diesel_migration(dir: &Path, name: &str) -> anyhow::Result<Option<Migration>> {
    let Some((version, rest)) = name.split_once('_') else {
        return Ok(None);
    };
    let version: String = version.chars().filter(|c| *c != '-').collect();
    let up_path = dir.join("up.sql");
    if version.is_empty() || !up_path.exists() {
        return Ok(None);
    }
    let up_sql = read(&up_path)?;
    let down_path = dir.join("down.sql");
    let down_sql = if down_path.exists() {
        Some(read(&down_path)?)
    } else {
        None
    };
    let metadata = dir.join("metadata.toml");
    // diesel's metadata.toml: a file that exists but omits the key means false (its serde default).
    let no_transaction = metadata.exists()
        && !read(&metadata)?
            .lines()
            .any(|l| l.replace(' ', "") == "run_in_transaction=true");
    Ok(Some(Migration {
        version,
        description: rest.to_owned(),
        up_path,
        checksum: Sha384::digest(up_sql.as_bytes()).to_vec(),
        no_transaction,
        up_sql,
        down_sql,
    }))
}

fn read(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read `{}`", path.display()))
}
