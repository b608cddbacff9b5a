//! `rauth generate code`: the auth module, rendered from the templates into `[codegen] out_dir`.

use std::path::PathBuf;

use minijinja::context;

use crate::config::Loaded;

use super::templates;

/// One generated file, relative to the output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub path: PathBuf,
    pub contents: String,
}

/// Renders every file of the auth module for `loaded`'s config.
pub fn render(loaded: &Loaded) -> anyhow::Result<Vec<Generated>> {
    let env = templates::environment(Some(loaded.base_dir.join(templates::OVERRIDE_DIR)));
    let ctx = context! {
        app_name => loaded.config.app.name.clone(),
        rauth_version => env!("CARGO_PKG_VERSION"),
    };
    templates::names("core/")
        .iter()
        .map(|name| {
            let contents = env.get_template(name)?.render(&ctx)?;
            Ok(Generated {
                path: templates::output_name(name).into(),
                contents,
            })
        })
        .collect()
}

/// The `cargo add` lines for the generated module's dependencies.
pub const CARGO_ADD: [&str; 2] = [
    "cargo add base64@0.22 chacha20poly1305@0.10 hex@0.4 hmac@0.12 rand@0.9 sha2@0.10 subtle@2 unicode-normalization@0.1",
    "cargo add scrypt@0.12 --no-default-features",
];
