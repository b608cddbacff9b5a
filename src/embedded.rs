//! The files of `templates/`, embedded in the binary: the code templates, core's schema
//! (`core/schema.toml`) and each plugin's unit (`plugins/<name>/`: manifest, schema, templates).
//! A leaf module, so that `schema` and `generate` both read it without depending on each other.

use include_dir::{Dir, include_dir};

pub static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// The text of the embedded file at `path` (relative to `templates/`).
pub fn file(path: &str) -> Option<&'static str> {
    TEMPLATES.get_file(path).and_then(|f| f.contents_utf8())
}
