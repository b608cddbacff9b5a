//! What every command works with, built once from the global flags: the output, the config's
//! path, and the config and its schema, each read on first use and then kept — so a command that
//! runs others (`rauth generate`: schema, then code) reads and checks `rauth.toml` once.

use std::cell::OnceCell;
use std::path::{Path, PathBuf};

use crate::config::{self, Loaded};
use crate::schema::{self, Schema};
use crate::ui::Ui;

#[derive(Debug)]
pub struct Context {
    pub ui: Ui,
    config_path: PathBuf,
    loaded: OnceCell<Loaded>,
    schema: OnceCell<Schema>,
}

impl Context {
    pub fn new(ui: Ui, config_path: PathBuf) -> Self {
        Self {
            ui,
            config_path,
            loaded: OnceCell::new(),
            schema: OnceCell::new(),
        }
    }

    /// The config file, as given (it may not exist).
    pub fn config_path(&self) -> &Path {
        &self.config_path
    }

    /// The directory the config's relative paths start from, whether or not it exists: empty
    /// for `rauth.toml`, so paths print as `migrations/…`.
    pub fn base_dir(&self) -> PathBuf {
        self.config_path
            .parent()
            .map_or_else(PathBuf::new, Path::to_path_buf)
    }

    /// The config, read and checked on the first call.
    pub fn config(&self) -> anyhow::Result<&Loaded> {
        if let Some(loaded) = self.loaded.get() {
            return Ok(loaded);
        }
        let loaded = config::load(&self.config_path)?;
        Ok(self.loaded.get_or_init(|| loaded))
    }

    /// The schema the config declares, built on the first call; its problems point into the
    /// config file.
    pub fn schema(&self) -> anyhow::Result<&Schema> {
        if let Some(schema) = self.schema.get() {
            return Ok(schema);
        }
        let loaded = self.config()?;
        let schema = schema::build(&loaded.config).map_err(|issues| loaded.source.error(issues))?;
        Ok(self.schema.get_or_init(|| schema))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_config_and_the_schema_are_read_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rauth.toml");
        std::fs::write(&path, "[plugins.two-factor]\n").unwrap();
        let ctx = Context::new(Ui::quiet(), path.clone());
        let first = ctx.schema().unwrap();
        // Gone from disk: a second read would fail, so what comes back is what was kept.
        std::fs::remove_file(&path).unwrap();
        assert!(std::ptr::eq(first, ctx.schema().unwrap()));
        assert!(ctx.config().unwrap().config.plugins.two_factor.is_some());
        assert_eq!(ctx.base_dir(), dir.path());
    }

    #[test]
    fn a_missing_config_is_an_error_each_time_it_is_asked_for() {
        let dir = tempfile::tempdir().unwrap();
        let ctx = Context::new(Ui::quiet(), dir.path().join("rauth.toml"));
        assert!(ctx.config().is_err());
        assert!(ctx.schema().is_err());
    }
}
