//! `rauth init` + `rauth generate` in an existing axum service (the `axum-service` fixture
//! project): the crate still builds, and its own routes still answer.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::http::Client;
use crate::support::Project;
use crate::{listening_port, log_file, shared_target};

#[test]
fn an_existing_service_still_builds_and_answers() {
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/projects/axum-service/in");
    let project = Project::new("");
    std::fs::remove_file(project.file("rauth.toml")).unwrap();
    for file in [".env", ".gitignore", "Cargo.toml", "src/main.rs"] {
        project.write(file, &std::fs::read_to_string(fixture.join(file)).unwrap());
    }
    project
        .rauth(&["init", "--yes", "--no-cargo-add"])
        .success();
    project.rauth(&["generate"]).success();
    assert!(
        project
            .read("src/main.rs")
            .contains("// rauth:modules\n#[allow(dead_code, unused_imports, reason = \"a binary uses part of it\")]\nmod auth;\n")
    );

    let lockfile = crate::support::Lockfile::at("tests/e2e/lockfiles/axum-service.lock");
    let out = crate::support::cargo_for_test_crate(&shared_target())
        .arg("build")
        .args(lockfile.install(project.path()))
        .current_dir(project.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the service no longer builds {}:\n{}",
        lockfile.hint(),
        crate::support::cargo_stderr(&out.stderr)
    );
    lockfile.record(project.path());

    // The service binds port 0 and prints the port it got: nothing else can take it meanwhile.
    let log = project.path().join("server.log");
    let mut child = Command::new(shared_target().join("debug/petshop"))
        .current_dir(project.path())
        .env("ADDR", "127.0.0.1:0")
        .stdout(log_file(project.path()))
        .stderr(log_file(project.path()))
        .spawn()
        .unwrap();
    let started = Instant::now();
    let port = loop {
        if let Some(port) = listening_port(&log, 0) {
            break port;
        }
        assert!(
            child.try_wait().unwrap().is_none() && started.elapsed() < Duration::from_mins(1),
            "the service did not start:\n{}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let client = Client::new(port);
    let health = client.get("/health", &[]).unwrap();
    let pets = client.get("/pets", &[]).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!((health.status, health.body.as_str()), (200, "ok"));
    assert_eq!(pets.json()["pets"], serde_json::json!(["cat", "dog"]));
}
