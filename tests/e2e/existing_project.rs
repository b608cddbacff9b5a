//! `rauth init` + `rauth generate` in an existing axum service (the `axum-service` fixture
//! project): the crate still builds, and its own routes still answer.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::http::Client;
use crate::support::Project;
use crate::{log_file, shared_target};

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
            .contains("// rauth:modules\nmod auth;\n")
    );

    let lockfile = crate::support::Lockfile::at("tests/e2e/lockfiles/axum-service.lock");
    let out = Command::new(env!("CARGO"))
        .arg("build")
        .args(lockfile.install(project.path()))
        .current_dir(project.path())
        .env("CARGO_TARGET_DIR", shared_target())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the service no longer builds {}:\n{}",
        lockfile.hint(),
        String::from_utf8_lossy(&out.stderr)
    );
    lockfile.record(project.path());

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(shared_target().join("debug/petshop"))
        .current_dir(project.path())
        .env("ADDR", format!("127.0.0.1:{port}"))
        .stdout(log_file(project.path()))
        .stderr(log_file(project.path()))
        .spawn()
        .unwrap();
    let client = Client::new(port);
    let started = Instant::now();
    let health = loop {
        if let Ok(reply) = client.get("/health", &[]) {
            break reply;
        }
        assert!(
            started.elapsed() < Duration::from_mins(1),
            "the service did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    let pets = client.get("/pets", &[]).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!((health.status, health.body.as_str()), (200, "ok"));
    assert_eq!(pets.json()["pets"], serde_json::json!(["cat", "dog"]));
}
