//! Fixture projects, `tests/fixtures/projects/<case>/`: `in/` is a project before rauth, `cmd`
//! the rauth commands run in a copy of it (one per line, without a terminal), and `out/` the
//! project after them — or `error`, what the last command's failure says (then nothing may have
//! changed). `RAUTH_BLESS=1 cargo test --test cli fixtures` rewrites `out/`.
//!
//! Compared exactly, except: secret values in `.env`, and the contents of the generated module
//! (`src/auth/*.rs` and its manifest), which the generated tier builds and lints — here only
//! their names count, so a template change does not rewrite every fixture.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::support::Project;

fn cases() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/projects")
}

/// Every file under `dir`, by `/`-separated relative path, normalized as the module doc says.
fn tree(dir: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
                continue;
            }
            let name = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&path).unwrap();
            out.insert(name.clone(), normalize(&name, &text));
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn normalize(name: &str, text: &str) -> String {
    let file = Path::new(name);
    let generated = name.contains("src/auth/")
        && (file.extension().is_some_and(|e| e == "rs")
            || file
                .file_name()
                .is_some_and(|f| f == ".rauth-manifest.json"));
    if generated {
        return "<generated>\n".to_owned();
    }
    if file.file_name().is_some_and(|f| f == ".env") {
        return text
            .lines()
            .map(|line| match line.split_once("AUTH_SECRETS=") {
                Some((head, _)) => format!("{head}AUTH_SECRETS=<secrets>\n"),
                None => format!("{line}\n"),
            })
            .collect();
    }
    text.to_owned()
}

fn copy(from: &Path, to: &Path) {
    for (name, _) in tree(from) {
        let target = to.join(&name);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(from.join(&name), target).unwrap();
    }
}

fn run_case(case: &Path) {
    let project = Project::new("");
    std::fs::remove_file(project.file("rauth.toml")).unwrap();
    copy(&case.join("in"), project.path());
    let commands = std::fs::read_to_string(case.join("cmd")).unwrap();
    let mut last = None;
    for line in commands.lines().filter(|l| !l.trim().is_empty()) {
        let args: Vec<&str> = line.split_whitespace().collect();
        last = Some(project.rauth_with_env(&args, &[("SOURCE_DATE_EPOCH", "1767225600")]));
        if last.as_ref().is_some_and(|r| r.code != 0) {
            break;
        }
    }
    let last = last.expect("a command");
    let case_name = case.file_name().unwrap().to_string_lossy();
    if let Ok(error) = std::fs::read_to_string(case.join("error")) {
        assert_ne!(
            last.code, 0,
            "{case_name}: expected a failure\n{}",
            last.stderr
        );
        assert!(
            last.stderr.contains(error.trim()),
            "{case_name}: {}",
            last.stderr
        );
        assert_eq!(
            tree(project.path()),
            tree(&case.join("in")),
            "{case_name}: nothing written"
        );
        return;
    }
    assert_eq!(last.code, 0, "{case_name}: {}", last.stderr);
    let actual = tree(project.path());
    let out = case.join("out");
    if std::env::var_os("RAUTH_BLESS").is_some() {
        assert!(
            std::env::var_os("CI").is_none(),
            "RAUTH_BLESS under CI: fixtures are blessed by a person, never by CI"
        );
        let _ = std::fs::remove_dir_all(&out);
        for (name, text) in &actual {
            let target = out.join(name);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(target, text).unwrap();
        }
        return;
    }
    let expected = tree(&out);
    assert_eq!(
        actual.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "{case_name}: the files differ (RAUTH_BLESS=1 to accept)"
    );
    for (name, text) in &expected {
        assert_eq!(
            &actual[name], text,
            "{case_name}: {name} differs (RAUTH_BLESS=1 to accept)"
        );
    }
}

#[test]
fn fixture_projects_end_as_their_out_directory() {
    let mut seen = 0;
    for entry in std::fs::read_dir(cases()).unwrap() {
        let case = entry.unwrap().path();
        if case.join("cmd").is_file() {
            run_case(&case);
            seen += 1;
        }
    }
    assert!(seen >= 4, "{seen} cases");
}

#[test]
fn generating_again_changes_nothing() {
    let project = Project::new("");
    std::fs::remove_file(project.file("rauth.toml")).unwrap();
    copy(&cases().join("axum-service/in"), project.path());
    project
        .rauth(&["init", "--yes", "--no-cargo-add"])
        .success();
    project.rauth(&["generate"]).success();
    let first = tree(project.path());
    let again = project.rauth(&["generate"]).success();
    assert_eq!(tree(project.path()), first, "{}", again.stderr);
    project.rauth(&["generate", "--check"]).success();
}
