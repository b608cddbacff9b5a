//! Finding the database URL and opening the one dedicated connection a run uses.

use std::path::PathBuf;

use anyhow::{Context as _, bail};
use sqlx::{AnyConnection, Connection as _};

use crate::config::{Dialect, Loaded};
use crate::ui::Ui;

use super::lock::Target;

/// `--database-url`, else the configured variable from the environment, else from the env file.
pub fn url(loaded: &Loaded, flag: Option<&str>) -> anyhow::Result<String> {
    if let Some(url) = flag {
        return Ok(url.to_owned());
    }
    let var = &loaded.config.database.url_env;
    if let Ok(url) = std::env::var(var) {
        return Ok(url);
    }
    let env_file = loaded.base_dir.join(".env");
    if let Ok(entries) = dotenvy::from_path_iter(&env_file) {
        for entry in entries {
            let (key, value) =
                entry.with_context(|| format!("cannot read `{}`", env_file.display()))?;
            if key == *var {
                return Ok(value);
            }
        }
    }
    bail!(
        "no database URL: set `{var}` (in the environment or `{}`), or pass `--database-url`",
        env_file.display()
    )
}

/// The URL with its password replaced, for messages.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or_default();
            let hidden = if userinfo.contains(':') {
                format!("{user}:***")
            } else {
                user.to_owned()
            };
            format!("{scheme}://{hidden}@{host}{tail}")
        }
        None => url.to_owned(),
    }
}

/// Connects (one connection, not a pool: the lock belongs to it).
pub async fn open(ui: &Ui, dialect: Dialect, url: &str) -> anyhow::Result<(AnyConnection, Target)> {
    let Some(of_url) = Dialect::of_url(url) else {
        bail!(
            "`{}` is not a database URL; rauth reads these forms:\n  {}",
            redact(url),
            Dialect::URL_FORMS.replace('\n', "\n  ")
        );
    };
    if of_url != dialect {
        bail!(
            "rauth.toml says `dialect = \"{}\"`, but the database URL is `{}`",
            dialect.name(),
            redact(url)
        );
    }
    sqlx::any::install_default_drivers();
    let target = match dialect {
        Dialect::Sqlite => Target::SqliteFile(sqlite_path(url)?),
        other => Target::Server(other),
    };
    let url = if let (Target::SqliteFile(_), false) = (&target, url.contains("mode=")) {
        // Create the database file if it does not exist, as `sqlx database create` would.
        format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
    } else {
        url.to_owned()
    };
    if let Target::SqliteFile(path) = &target
        && let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create `{}`", parent.display()))?;
    }
    ui.info(&format!("connecting to {}", redact(&url)));
    let mut conn = AnyConnection::connect(&url)
        .await
        .with_context(|| format!("cannot connect to {}", redact(&url)))?;
    if dialect == Dialect::Postgres {
        // If rauth dies mid-statement, make its backend notice within a second and roll back,
        // releasing the lock, instead of finishing a long statement first (PostgreSQL 14+;
        // older servers reject the setting, and then keep their default behaviour).
        let _ = sqlx::raw_sql("SET client_connection_check_interval = 1000")
            .execute(&mut conn)
            .await;
    }
    Ok((conn, target))
}

fn sqlite_path(url: &str) -> anyhow::Result<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        bail!("`rauth migrate` needs a SQLite file, not an in-memory database");
    }
    Ok(PathBuf::from(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_show() {
        assert_eq!(
            redact("postgres://app:s3cret@db:5432/app"),
            "postgres://app:***@db:5432/app"
        );
        assert_eq!(
            redact("mysql://root@127.0.0.1/test"),
            "mysql://root@127.0.0.1/test"
        );
        assert_eq!(
            redact("postgres://u:p@ss@host/db"),
            "postgres://u:***@host/db"
        );
        assert_eq!(redact("sqlite://app.db"), "sqlite://app.db");
    }

    #[test]
    fn sqlite_paths() {
        assert_eq!(
            sqlite_path("sqlite://data/app.db?mode=rwc").unwrap(),
            PathBuf::from("data/app.db")
        );
        assert_eq!(
            sqlite_path("sqlite:app.db").unwrap(),
            PathBuf::from("app.db")
        );
        assert!(sqlite_path("sqlite::memory:").is_err());
    }
}
