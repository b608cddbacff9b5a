//! The README's Quick start as written: `rauth new myapp` (axum, SQLite, Better Auth's
//! defaults), the app started on the `.env` it wrote, and the README's curl walk-through run by
//! bash against it.

use std::process::Command;

use crate::support::Project;
use crate::{ONE_APP_AT_A_TIME, build_locked, shared_target, start_logged};

/// The README's shell block that follows "Try it:".
fn walk_through(readme: &str) -> &str {
    let after = readme
        .split_once("Try it:\n\n```sh\n")
        .expect("README: a curl walk-through after \"Try it:\"")
        .1;
    after.split_once("```").expect("the block's end").0
}

#[test]
fn the_readme_quick_start_works_as_written() {
    let _one = ONE_APP_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let readme = include_str!("../../README.md");
    assert!(
        readme.contains("cargo run -- new myapp --path ../myapp && cd ../myapp && cargo run"),
        "the Quick start's first command changed: change this test with it"
    );
    let project = Project::new("");
    project
        .rauth(&["new", "myapp", "--path", "myapp"])
        .success();
    let dir = project.file("myapp");
    build_locked(&dir, "quick-start.lock");

    // As `cargo run` starts it: its own `.env` (the SQLite database, the secret), nothing else
    // but a free port.
    let mut command = Command::new(shared_target().join("debug/myapp"));
    command
        .current_dir(&dir)
        .env_remove("DATABASE_URL")
        .env_remove("RUST_LOG")
        .env("ADDR", "127.0.0.1:0");
    let app = start_logged(command, &dir);

    let script = walk_through(readme);
    let origin = "A=localhost:3000/api/auth";
    assert!(script.contains(origin), "{script}");
    let script = script.replace(
        origin,
        &format!(
            "A={}/api/auth",
            app.client.base_url().trim_start_matches("http://")
        ),
    );
    let out = Command::new("bash")
        .args(["-eu", "-c", &script])
        .current_dir(project.path())
        .output()
        .expect("bash and curl");
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{printed}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Four answers in a row: sign-up, sign-in, get-session, sign-out.
    let answers: Vec<serde_json::Value> = serde_json::Deserializer::from_str(&printed)
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{e}: {printed}"));
    assert_eq!(answers.len(), 4, "{printed}");
    assert_eq!(
        answers[0]["user"]["email"], "ada@example.com",
        "sign-up: {printed}"
    );
    assert!(answers[1]["token"].is_string(), "sign-in: {printed}");
    assert_eq!(answers[2]["user"]["name"], "Ada", "get-session: {printed}");
    assert_eq!(
        answers[3],
        serde_json::json!({ "success": true }),
        "sign-out: {printed}"
    );
}
