//! The wiring snippet: a `main` that serves the generated module — the pool, the migrations,
//! the keyring, `Auth`, the framework's router or scope, and serving with the client's address.
//! One text, printed by `rauth generate` and `rauth init`, in the module's docs and in the
//! README; the generated tier compiles it in a binary crate, so none of them can drift.

use std::path::Path;

use minijinja::context;

use super::format::RustStyle;
use super::templates;
use crate::config::{Config, Framework, MigrationFormat};

/// The snippet for `config`, naming the module by `module_path` (see [`module_path`]).
/// Formatted in `style`, as the crate it goes into.
pub fn snippet(config: &Config, module_path: &str, style: &RustStyle) -> anyhow::Result<String> {
    let framework = framework_name(config.codegen.framework);
    let migrations = &config.migrations;
    let sqlx_migrations = migrations.format == MigrationFormat::Sqlx;
    // `sqlx::migrate!()` reads `migrations/` beside Cargo.toml, where rauth.toml lives.
    let migrate_arg = if Path::new(&migrations.dir) == Path::new("migrations") {
        String::new()
    } else {
        format!("{:?}", migrations.dir)
    };
    let text = templates::environment(None)
        .get_template(&format!("wiring/{framework}.rs.j2"))?
        .render(context! {
            module => module_path,
            dialect => config.database.dialect.name(),
            sqlx_migrations => sqlx_migrations,
            migrate_arg => migrate_arg,
            migrations_dir => migrations.dir.trim_end_matches('/'),
        })?;
    Ok(style.format(&text).unwrap_or(text))
}

/// The Rust path of the module `name` as the crate's `main.rs` sees it: `crate::auth` when the
/// module is declared there (or rauth does not declare it), `my_app::auth` when it is declared
/// in the library root of package `my-app`. `declared_in` is the file that declares the module
/// (`src/lib.rs`), if rauth declares it.
pub fn module_path(declared_in: Option<&str>, package: Option<&str>, name: &str) -> String {
    match (declared_in, package) {
        (Some(root), Some(package)) if root.ends_with("lib.rs") => {
            format!("{}::{name}", package.replace('-', "_"))
        }
        _ => format!("crate::{name}"),
    }
}

/// The framework's name in `rauth.toml`, also its template folder: `templates/axum/`.
pub fn framework_name(framework: Framework) -> &'static str {
    match framework {
        Framework::Axum => "axum",
        Framework::ActixWeb => "actix-web",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> Config {
        crate::config::parse("rauth.toml", text).expect("a valid config")
    }

    #[test]
    fn a_library_root_is_named_by_its_package() {
        assert_eq!(
            module_path(Some("src/lib.rs"), Some("my-app"), "auth"),
            "my_app::auth"
        );
        assert_eq!(
            module_path(Some("src/main.rs"), Some("my-app"), "auth"),
            "crate::auth"
        );
        assert_eq!(module_path(None, None, "login"), "crate::login");
    }

    #[test]
    fn the_snippet_follows_the_framework_database_and_migrations() {
        let axum = snippet(&config(""), "crate::auth", &RustStyle::default()).unwrap();
        assert!(axum.contains("sqlx::SqlitePool::connect_with"), "{axum}");
        assert!(
            axum.contains("crate::auth::migrate(&pool, sqlx::migrate!())"),
            "{axum}"
        );
        assert!(axum.contains("into_make_service_with_connect_info::<SocketAddr>()"));
        let actix = snippet(
            &config("[database]\ndialect = \"mysql\"\n[codegen]\nframework = \"actix-web\"\n[migrations]\ndir = \"db/migrations\"\n"),
            "app::auth",
            &RustStyle::default(),
        )
        .unwrap();
        assert!(actix.contains("sqlx::MySqlPool::connect(&url)"), "{actix}");
        assert!(
            actix.contains("sqlx::migrate!(\"db/migrations\")"),
            "{actix}"
        );
        assert!(actix.contains(".service(auth.scope())"), "{actix}");
        let diesel = snippet(
            &config("[database]\ndialect = \"postgres\"\n[migrations]\nformat = \"diesel\"\n"),
            "crate::auth",
            &RustStyle::default(),
        )
        .unwrap();
        assert!(!diesel.contains("sqlx::migrate!"), "{diesel}");
        assert!(diesel.contains("`rauth migrate`"), "{diesel}");
    }
}
