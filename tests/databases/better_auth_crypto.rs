//! Better Auth verifies what rauth makes (the generated tier checks the other way, rauth against
//! Better Auth's vectors): the generated `crypto.rs` and `secret.rs`, built behind a small driver
//! (`tests/fixtures/crypto-check`, `--locked`, shared target dir `target/crypto-check`), hash
//! passwords, sign cookies and encrypt; Better Auth's own `verifyPassword`, cookie reader and
//! `symmetricDecrypt`, run by node from the npm client's pinned packages
//! (`tests/e2e/npm-client/better-auth-verifies.mjs`), accept them. Needs node and npm.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::db::run_stdin;
use crate::support::Project;

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn shared_target() -> PathBuf {
    manifest_dir().join("target/crypto-check")
}

/// The driver crate with the generated `core/crypto.rs` and `core/secret.rs` of email-and-password
/// auth with two-factor (whose secrets are encrypted at rest, so `crypto::encrypt` is generated),
/// built; the path of its binary.
fn crypto_driver() -> PathBuf {
    let project = Project::new(
        "[database]\ndialect = \"sqlite\"\n[codegen]\ninject = false\n[plugins.two-factor]\n",
    );
    project
        .rauth(&["generate", "code", "--out-dir", "src/auth"])
        .success();
    let dir = shared_target().join("crate");
    let fixture = manifest_dir().join("tests/fixtures/crypto-check");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    for file in ["Cargo.toml", "Cargo.lock", "src/main.rs"] {
        std::fs::copy(fixture.join(file), dir.join(file)).unwrap();
    }
    for file in ["crypto.rs", "secret.rs"] {
        let generated = project.read(&format!("src/auth/core/{file}"));
        // Written only when changed, so a rerun does not rebuild.
        if std::fs::read_to_string(dir.join("src").join(file)).ok() != Some(generated.clone()) {
            std::fs::write(dir.join("src").join(file), generated).unwrap();
        }
    }
    let out = crate::support::cargo_for_test_crate(&shared_target().join("target"))
        .args(["build", "--locked", "--quiet"])
        .current_dir(&dir)
        .output()
        .expect("cargo");
    assert!(
        out.status.success(),
        "the generated crypto does not build:\n{}",
        crate::support::cargo_stderr(&out.stderr)
    );
    shared_target().join("target/debug/rauth_crypto_check")
}

/// The npm client's packages (`npm ci`, from its lockfile) with its scripts, in the shared target.
fn better_auth() -> PathBuf {
    let dir = shared_target().join("npm-client");
    crate::support::npm_project(&manifest_dir().join("tests/e2e/npm-client"), &dir);
    dir
}

fn node(dir: &Path, script: &str, input: &str) -> Value {
    let out = run_stdin(Command::new("node").arg(script).current_dir(dir), input);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{script}: {e}: {out}"))
}

fn vectors() -> Value {
    let path = manifest_dir().join("tests/fixtures/better-auth/vectors.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn better_auth_verifies_rauths_hashes_cookies_and_ciphertexts() {
    let driver = crypto_driver();
    let node_dir = better_auth();
    let v = vectors();
    let mut passwords: Vec<Value> = v["scrypt"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["password"].clone())
        .collect();
    // NFKC on both sides: the "ﬁ" ligature hashes as "fi".
    passwords.push(json!("\u{FB01}"));
    let mut cookies: Vec<Value> = v["cookie_signature"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| json!({ "secrets": null, "legacy": c["secret"], "value": c["value"] }))
        .collect();
    // Versioned secrets: signed with the current one, which Better Auth reads cookies with.
    cookies.push(json!({
        "secrets": "2:second-secret-second-secret-second,1:first-secret-first-secret-first-secret",
        "legacy": null,
        "value": "versionedTokenVersionedToken0123",
    }));
    let encrypt = [
        json!({ "secrets": null, "legacy": "0123456789abcdef0123456789abcdef", "data": "JBSWY3DPEHPK3PXP" }),
        json!({
            "secrets": "2:second-secret-second-secret-second,1:first-secret-first-secret-first-secret",
            "legacy": "better-auth-secret-12345678901234567890",
            "data": "[\"backup-1\",\"ünïcødé ✓\"]",
        }),
    ];
    let request = json!({ "passwords": passwords, "cookies": cookies, "encrypt": encrypt });
    let made: Value =
        serde_json::from_str(&run_stdin(&mut Command::new(&driver), &request.to_string()))
            .expect("the driver's JSON");
    let checked = node(&node_dir, "better-auth-verifies.mjs", &made.to_string());

    for (m, c) in made["passwords"]
        .as_array()
        .unwrap()
        .iter()
        .zip(checked["passwords"].as_array().unwrap())
    {
        assert_eq!(
            (&c["verifies"], &c["wrongVerifies"]),
            (&json!(true), &json!(false)),
            "Better Auth's verifyPassword on rauth's hash of {}: {}",
            m["password"],
            m["hash"]
        );
    }
    // "ﬁ" as rauth hashed it verifies as "fi" in Better Auth too.
    let ligature = &made["passwords"][passwords.len() - 1]["hash"];
    let fi = json!({ "passwords": [{ "password": "fi", "hash": ligature }], "cookies": [], "encrypt": [] });
    assert_eq!(
        node(&node_dir, "better-auth-verifies.mjs", &fi.to_string())["passwords"][0]["verifies"],
        true
    );
    assert_eq!(
        checked["passwords"].as_array().unwrap().len(),
        passwords.len()
    );

    let read: Vec<&Value> = checked["cookies"].as_array().unwrap().iter().collect();
    let expected: Vec<&Value> = cookies.iter().map(|c| &c["value"]).collect();
    assert_eq!(
        read, expected,
        "Better Auth reads rauth's signed cookies: {}",
        made["cookies"]
    );
    // rauth's cookie for a vector is Better Auth's own cookie value.
    for (m, vector) in made["cookies"]
        .as_array()
        .unwrap()
        .iter()
        .zip(v["cookie_signature"].as_array().unwrap())
    {
        assert_eq!(m["cookie"], vector["cookie_value_urlencoded"]);
    }

    let decrypted: Vec<&Value> = checked["decrypted"].as_array().unwrap().iter().collect();
    let expected: Vec<&Value> = encrypt.iter().map(|e| &e["data"]).collect();
    assert_eq!(
        decrypted, expected,
        "Better Auth decrypts rauth's ciphertexts: {}",
        made["encrypt"]
    );
    assert!(
        made["encrypt"][1]["stored"]
            .as_str()
            .unwrap()
            .starts_with("$ba$2$"),
        "{}",
        made["encrypt"][1]
    );
}

/// `regenerate-vectors.mjs` writes vectors.json as it is: same inputs, same shape, and the
/// deterministic values (cookie signatures) equal; hashes and ciphertexts are fresh and verify.
#[test]
fn the_vectors_script_regenerates_vectors_json() {
    let node_dir = better_auth();
    let fresh = node(&node_dir, "regenerate-vectors.mjs", "");
    let committed = vectors();
    assert_eq!(fresh["cookie_signature"], committed["cookie_signature"]);
    // Everything but the random parts (salted hashes, nonced ciphertexts) is the same.
    let without_random = |v: &Value| -> Value {
        let mut v = v.clone();
        for entry in v["scrypt"].as_array_mut().unwrap() {
            entry.as_object_mut().unwrap().remove("hash").unwrap();
        }
        for entry in v["symmetric_encrypt"].as_array_mut().unwrap() {
            entry
                .as_object_mut()
                .unwrap()
                .remove("ciphertext_hex")
                .unwrap();
        }
        v
    };
    assert_eq!(without_random(&fresh), without_random(&committed));
    for (fresh, committed) in fresh["scrypt"]
        .as_array()
        .unwrap()
        .iter()
        .zip(committed["scrypt"].as_array().unwrap())
    {
        assert_ne!(fresh["hash"], committed["hash"], "a fresh salt");
    }
}
