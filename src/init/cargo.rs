//! Running the `cargo add` commands of `rauth init`: cargo's output (feature lists, hundreds of
//! lines) is captured; one line per crate is shown, all of it with `-v` or on failure.

use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context as _, bail};

use crate::ui::Ui;

/// Runs one `cargo add …` command in `dir`.
pub fn add(ui: &Ui, dir: &Path, command: &str) -> anyhow::Result<()> {
    let words: Vec<&str> = command.split_whitespace().collect();
    let Some((program, rest)) = words.split_first() else {
        return Ok(());
    };
    ui.info(&format!("running {command}"));
    let output = Command::new(program)
        .args(rest)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("cannot run `{command}`: is cargo on PATH?"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if !output.status.success() {
        bail!(
            "`{command}` failed in `{}` ({}): fix it and run it by hand; rauth.toml and the secret are already written\n{}",
            dir.display(),
            output.status,
            text.trim_end()
        );
    }
    ui.detail(&text);
    for added in summary(command, &text) {
        ui.status("Added", &added);
    }
    Ok(())
}

/// One line per crate of `command`: the version cargo says it added (`axum v0.8.4`), else the
/// requested one, with the features asked for.
fn summary(command: &str, output: &str) -> Vec<String> {
    let crates = crates_in(&[command.to_owned()]);
    let features = command
        .split_whitespace()
        .skip_while(|w| *w != "--features")
        .nth(1)
        .filter(|_| crates.len() == 1)
        .map(|list| format!(" (features {})", list.replace(',', ", ")))
        .unwrap_or_default();
    crates
        .iter()
        .map(|name| {
            let added = output.lines().find_map(|line| {
                let rest = line.trim().strip_prefix("Adding ")?;
                let (crate_name, rest) = rest.split_once(' ')?;
                let version = rest.split_whitespace().next()?;
                (crate_name == name).then(|| format!("{name} {version}"))
            });
            let requested = || {
                command
                    .split_whitespace()
                    .find(|w| w.split('@').next() == Some(name.as_str()))
                    .unwrap_or(name)
                    .to_owned()
            };
            format!("{}{features}", added.unwrap_or_else(requested))
        })
        .collect()
}

/// The crate names in `cargo add` command lines.
pub fn crates_in(lines: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in lines {
        for command in line.split(" && ") {
            let mut words = command.split_whitespace().skip(2);
            while let Some(word) = words.next() {
                if word == "--features" {
                    words.next();
                    continue;
                }
                if word.starts_with('-') {
                    continue;
                }
                let name = word.split('@').next().unwrap_or(word).to_owned();
                if !out.contains(&name) {
                    out.push(name);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUTPUT: &str = "    Updating crates.io index\n      Adding sqlx v0.9.0 to dependencies\n             Features:\n             + macros\n             - json\n      Adding base64 v0.22.1 to dependencies\n";

    #[test]
    fn one_line_per_crate_with_the_version_cargo_added() {
        assert_eq!(
            summary(
                "cargo add sqlx@0.9 --no-default-features --features runtime-tokio,postgres",
                OUTPUT
            ),
            ["sqlx v0.9.0 (features runtime-tokio, postgres)"]
        );
        assert_eq!(
            summary("cargo add base64@0.22 hex@0.4", OUTPUT),
            ["base64 v0.22.1", "hex@0.4"]
        );
    }

    #[test]
    fn crate_names_skip_flags_and_feature_lists() {
        let lines =
            ["cargo add a@1 b --features x,y && cargo add c@2 --no-default-features".to_owned()];
        assert_eq!(crates_in(&lines), ["a", "b", "c"]);
    }
}
