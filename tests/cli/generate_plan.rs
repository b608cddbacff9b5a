//! Generating into an existing project: `--check`, `--dry-run`, files edited by hand, stale
//! files, and the module declared at the `// rauth:modules` marker.

use crate::support::Project;

const MAIN: &str = "//! My service.\n\n// rauth:modules\nmod routes;\n\nfn main() {}\n";

#[test]
fn check_passes_right_after_generate_and_fails_after_a_config_change() {
    let project = Project::new("[app]\nname = \"Acme\"\n");
    project.rauth(&["generate"]).success();
    let fresh = project.rauth(&["generate", "--check"]).success();
    assert!(fresh.stdout.is_empty(), "{}", fresh.stdout);
    project.rauth(&["generate", "code", "--check"]).success();

    project.write(
        "rauth.toml",
        "[app]\nname = \"Acme\"\n[session]\nexpires_in = \"1d\"\n",
    );
    let files = project.files();
    let stale = project.rauth(&["generate", "code", "--check"]);
    assert_eq!(stale.code, 1, "{}", stale.stderr);
    assert!(
        stale.stdout.contains("--- a/src/auth/core/options.rs"),
        "{}",
        stale.stdout
    );
    assert!(
        stale
            .stdout
            .contains("+pub(crate) const SESSION_EXPIRES_IN: i64 = 86400;"),
        "{}",
        stale.stdout
    );
    assert!(stale.stderr.contains("stale"), "{}", stale.stderr);
    let dry = project.rauth(&["generate", "--dry-run"]).success();
    assert_eq!(dry.stdout, stale.stdout);
    assert_eq!(project.files(), files, "check and dry-run write nothing");
    assert!(
        !project
            .read("src/auth/core/options.rs")
            .contains("SESSION_EXPIRES_IN: i64 = 86400;")
    );
}

#[test]
fn a_file_edited_by_hand_is_kept_unless_forced() {
    let project = Project::new("");
    project.rauth(&["generate", "code"]).success();
    let edited = project
        .read("src/auth/core/api.rs")
        .replace("Answers one request.", "Answers one request (ours).");
    project.write("src/auth/core/api.rs", &edited);
    project.write("rauth.toml", "[session]\nexpires_in = \"1d\"\n");
    let refused = project.rauth(&["generate", "code"]);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("src/auth/core/api.rs"),
        "{}",
        refused.stderr
    );
    assert!(refused.stderr.contains("--force"), "{}", refused.stderr);
    assert!(
        refused
            .stdout
            .contains("-    /// Answers one request (ours)."),
        "{}",
        refused.stdout
    );
    assert_eq!(project.read("src/auth/core/api.rs"), edited);
    assert!(
        !project
            .read("src/auth/core/options.rs")
            .contains("SESSION_EXPIRES_IN: i64 = 86400;"),
        "nothing half-written"
    );

    project.rauth(&["generate", "code", "--force"]).success();
    assert!(!project.read("src/auth/core/api.rs").contains("(ours)"));
    assert!(
        project
            .read("src/auth/core/options.rs")
            .contains("SESSION_EXPIRES_IN: i64 = 86400;")
    );
    project.rauth(&["generate", "code", "--check"]).success();
}

#[test]
fn a_file_no_longer_generated_is_removed() {
    let project = Project::new("");
    project.rauth(&["generate", "code"]).success();
    project.write("rauth.toml", "[codegen]\nframework = \"actix-web\"\n");
    let run = project.rauth(&["generate", "code"]).success();
    assert!(!project.file("src/auth/axum.rs").exists());
    assert!(project.file("src/auth/actix.rs").exists());
    assert!(run.stderr.contains("no longer generated"), "{}", run.stderr);
}

/// A module generated flat (before the core, plugins and social groups) moves into the tree:
/// the old files rauth wrote go, and so does a directory module's emptied directory.
#[test]
fn a_flat_module_moves_into_the_tree() {
    let project = Project::new("[plugins.organization]\n");
    project.rauth(&["generate", "code"]).success();
    let manifest_path = "src/auth/.rauth-manifest.json";
    let mut manifest: serde_json::Value =
        serde_json::from_str(&project.read(manifest_path)).unwrap();
    for (file, text) in [
        ("api.rs", "// flat api\n"),
        ("organization/mod.rs", "// flat organization\n"),
        ("organization/teams.rs", "// flat teams\n"),
    ] {
        project.write(&format!("src/auth/{file}"), text);
        let hash = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(text.as_bytes()));
        manifest["files"][file] = serde_json::Value::String(hash);
    }
    project.write(manifest_path, &manifest.to_string());
    let run = project.rauth(&["generate", "code"]).success();
    assert!(
        run.stderr
            .contains("Removed src/auth/organization/teams.rs (no longer generated)"),
        "{}",
        run.stderr
    );
    assert!(!project.file("src/auth/api.rs").exists());
    assert!(!project.file("src/auth/organization").exists());
    assert!(
        project
            .file("src/auth/plugins/organization/mod.rs")
            .exists()
    );
}

#[test]
fn the_module_is_declared_at_the_marker_once() {
    let project = Project::new("");
    project.write("src/main.rs", MAIN);
    project.rauth(&["generate", "code"]).success();
    let main = project.read("src/main.rs");
    assert_eq!(
        main,
        "//! My service.\n\n// rauth:modules\n#[allow(dead_code, unused_imports, reason = \"a binary uses part of it\")]\nmod auth;\nmod routes;\n\nfn main() {}\n"
    );
    let again = project.rauth(&["generate", "code"]).success();
    assert_eq!(project.read("src/main.rs"), main, "idempotent");
    assert!(again.stderr.contains("up to date"), "{}", again.stderr);

    // A library crate exports it.
    let lib = Project::new("");
    lib.write("src/lib.rs", "// rauth:modules\n");
    lib.rauth(&["generate", "code"]).success();
    assert_eq!(lib.read("src/lib.rs"), "// rauth:modules\npub mod auth;\n");
}

#[test]
fn a_missing_marker_is_an_error_naming_the_file_and_nothing_is_written() {
    let project = Project::new("");
    project.write("src/main.rs", "fn main() {}\n");
    let run = project.rauth(&["generate", "code"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("src/main.rs"), "{}", run.stderr);
    assert!(run.stderr.contains("// rauth:modules"), "{}", run.stderr);
    assert_eq!(project.files(), ["src/main.rs"]);

    project.write("rauth.toml", "[codegen]\ninject = false\n");
    project.rauth(&["generate", "code"]).success();
    assert_eq!(project.read("src/main.rs"), "fn main() {}\n");
}

#[test]
fn an_ejected_template_is_used_and_named() {
    let project = Project::new("");
    let listed = project.rauth(&["templates", "list"]).success();
    assert!(
        listed.stdout.contains("core/api.rs.j2\n"),
        "{}",
        listed.stdout
    );
    project.rauth(&["templates", "eject", "options"]).success();
    let ejected = project.read(".rauth/templates/core/options.rs.j2");
    assert!(ejected.contains("pub(crate) const BASE_URL"), "{ejected}");
    project.write(
        ".rauth/templates/core/options.rs.j2",
        &ejected.replace(
            "/// Public URL of the server.",
            "/// Public URL of the server (ours).",
        ),
    );
    let run = project.rauth(&["generate", "code"]).success();
    assert!(
        run.stderr.contains(".rauth/templates/core/options.rs.j2"),
        "{}",
        run.stderr
    );
    assert!(project.read("src/auth/core/options.rs").contains("(ours)"));
    assert!(
        project
            .rauth(&["templates", "list"])
            .success()
            .stdout
            .contains("core/options.rs.j2  (overridden)")
    );

    let again = project.rauth(&["templates", "eject", "options"]);
    assert_eq!(again.code, 1, "an override is not replaced without --force");
    assert!(
        project
            .read(".rauth/templates/core/options.rs.j2")
            .contains("(ours)")
    );
    let unknown = project.rauth(&["templates", "eject", "nope"]);
    assert_eq!(unknown.code, 1);
    assert!(
        unknown.stderr.contains("rauth templates list"),
        "{}",
        unknown.stderr
    );
}
