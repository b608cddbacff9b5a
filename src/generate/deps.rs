//! The `cargo add` commands a project still needs: the generated code's dependencies checked
//! against its `Cargo.toml`, so `rauth generate` prints only commands that change something.

use crate::cargo_toml::Manifest;

/// The commands of `lines` (each `cargo add …`, several joined by ` && `) that `manifest` still
/// needs, each cut down to the crates it lacks or whose entry lacks a listed feature.
pub fn still_needed(lines: &[String], manifest: &Manifest) -> Vec<String> {
    lines
        .iter()
        .flat_map(|line| line.split(" && "))
        .filter_map(|command| needed_part(command, manifest))
        .collect()
}

/// `command` without the crates `manifest` already has as asked; `None` when none is left.
fn needed_part(command: &str, manifest: &Manifest) -> Option<String> {
    let mut words = command.split_whitespace();
    let program: Vec<&str> = words.by_ref().take(2).collect();
    let mut crates = Vec::new();
    let mut flags = Vec::new();
    let mut features = Vec::new();
    while let Some(word) = words.next() {
        if word == "--features" {
            let list = words.next().unwrap_or_default();
            features.extend(list.split(','));
            flags.extend([word, list]);
        } else if word.starts_with('-') {
            flags.push(word);
        } else {
            crates.push(word);
        }
    }
    let lacking: Vec<&str> = crates
        .into_iter()
        .filter(|spec| {
            let name = spec.split('@').next().unwrap_or(spec);
            match manifest.dependency(name, None) {
                None => true,
                // Inherited from the workspace root, which is not read here: trust it.
                Some(dep) if dep.from_workspace => false,
                Some(dep) => features
                    .iter()
                    .any(|f| !dep.features.iter().any(|have| have == f)),
            }
        })
        .collect();
    (!lacking.is_empty()).then(|| [program, lacking, flags].concat().join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needed(lines: &[&str], cargo_toml: &str) -> Vec<String> {
        let lines: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
        still_needed(&lines, &Manifest::parse(cargo_toml).unwrap())
    }

    #[test]
    fn only_missing_crates_and_features_are_asked_for() {
        let lines = [
            "cargo add axum@0.8 base64@0.22 hex@0.4",
            "cargo add sqlx@0.9 --no-default-features --features runtime-tokio,sqlite && cargo add tokio@1 --features full",
            "cargo add time@0.3 --features serde",
        ];
        assert_eq!(needed(&lines, "").len(), 4);
        let project = "[dependencies]\naxum = \"0.8.4\"\nhex = \"0.4\"\ntokio = { version = \"1\", features = [\"full\"] }\nsqlx = { version = \"0.9\", features = [\"runtime-tokio\"] }\ntime = { workspace = true }\n";
        assert_eq!(
            needed(&lines, project),
            [
                "cargo add base64@0.22",
                "cargo add sqlx@0.9 --no-default-features --features runtime-tokio,sqlite",
            ]
        );
        let complete = "[dependencies]\naxum = \"0.8\"\nbase64 = \"0.22\"\nhex = \"0.4\"\ntokio = { version = \"1\", features = [\"full\"] }\nsqlx = { version = \"0.9\", features = [\"runtime-tokio\", \"sqlite\"] }\ntime = { version = \"0.3\", features = [\"serde\", \"macros\"] }\n";
        assert!(needed(&lines, complete).is_empty());
    }
}
