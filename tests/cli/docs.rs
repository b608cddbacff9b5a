//! `rauth completions` and `rauth man`: made from the CLI definition, tested as a shell and a
//! pager would take them.

use std::process::Command;

use crate::support::Project;

#[test]
fn completions_cover_every_subcommand_in_every_shell() {
    let project = Project::new("");
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let run = project.rauth(&["completions", shell]).success();
        for word in ["generate", "migrate", "secret", "adopt", "dry-run"] {
            assert!(run.stdout.contains(word), "{shell}: no `{word}`");
        }
        assert!(run.stderr.is_empty(), "{shell}: {}", run.stderr);
    }
    // bash itself parses its script.
    let script = project.rauth(&["completions", "bash"]).success().stdout;
    let checked = Command::new("bash")
        .args(["-n", "-c", &script])
        .output()
        .expect("bash");
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    let unknown = project.rauth(&["completions", "tcsh"]);
    assert_eq!(unknown.code, 2, "{}", unknown.stderr);
    assert!(unknown.stderr.contains("bash"), "{}", unknown.stderr);
}

#[test]
fn man_pages_for_rauth_and_each_subcommand() {
    let project = Project::new("");
    let page = project.rauth(&["man"]).success().stdout;
    assert!(page.contains(".TH rauth 1"), "{page}");
    for sub in ["generate", "new", "init", "migrate", "config", "secret"] {
        assert!(page.contains(sub), "the subcommand list lacks {sub}");
        let own = project.rauth(&["man", sub]).success().stdout;
        assert!(own.contains(&format!(".TH rauth-{sub} 1")), "{sub}: {own}");
    }
    let migrate = project.rauth(&["man", "migrate"]).success().stdout;
    assert!(migrate.contains("adopt"), "{migrate}");
    let unknown = project.rauth(&["man", "nope"]).failure();
    assert!(
        unknown.stderr.contains("no subcommand `nope`") && unknown.stderr.contains("migrate"),
        "{}",
        unknown.stderr
    );
}
