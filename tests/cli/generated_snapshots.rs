//! The generated module for four configurations — no plugin, every plugin and feature, and two
//! mixed sets on the other dialects and frameworks — one snapshot per file, so every template
//! change shows in review as a diff of the Rust it generates.

use crate::support::{Project, fixture_config, snapshot_settings};

const CONFIGS: [&str; 4] = [
    "code-none",
    "code-all",
    "code-mixed-postgres",
    "code-mixed-mysql-actix",
];

#[test]
fn generated_files_per_configuration() {
    for config in CONFIGS {
        let project = Project::new(&fixture_config(config));
        project.rauth(&["generate", "code"]).success();
        let files: Vec<String> = project
            .files()
            .into_iter()
            .filter_map(|f| f.strip_prefix("src/auth/").map(str::to_owned))
            .filter(|f| {
                std::path::Path::new(f)
                    .extension()
                    .is_some_and(|e| e == "rs")
            })
            .collect();
        assert!(files.contains(&"mod.rs".to_owned()), "{config}: {files:?}");
        for file in files {
            let name = format!(
                "code_{}__{}",
                config.trim_start_matches("code-").replace('-', "_"),
                file.trim_end_matches(".rs").replace('/', "__")
            );
            let text = project.read(&format!("src/auth/{file}"));
            snapshot_settings().bind(|| insta::assert_snapshot!(name, text));
        }
    }
}
