//! `rauth secret`: generation, rotation that changes one line and nothing else, refusals, `list`,
//! `prune`, `check`, no secret in any output, and `kill -9` in the middle of rotations.
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt as _;
use std::os::unix::process::CommandExt as _;
use std::path::Path;
use std::time::Duration;

use sha2::{Digest as _, Sha256};

use crate::support::{Project, Run};

const A: &str = "6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b";
const B: &str = "d4735e3a265e16eee03f59718b9b5d03019c07d8b6c51f96bd4e6a6cfe7c6f0c";
const C: &str = "4e07408562bedb8b60ce05c1decfe3ad16b72230967de01f640b7e4729b49fce";
const D: &str = "4b227777d4dd1fc61c6f884f48641d02b4d121d3fd328cb08b5531fcacdabf8a";

/// An env file with everything rotation must leave alone: comments, blank lines, `export`, all
/// quoting styles, a multi-line value, spacing, and no final line break.
fn env_text() -> String {
    format!(
        "# Application settings\n\
         DATABASE_URL=\"postgres://app@db/app\"   # primary\n\
         \n\
         \x20export PORT=3000\n\
         AUTH_SECRETS=\"2:{B},1:{A}\"\n\
         GREETING='hello # not a comment'\n\
         CERT=\"-----BEGIN-----\nline two\n-----END-----\"\n\
         TRAILING=no-newline"
    )
}

/// A project without rauth.toml.
fn bare_project() -> Project {
    let project = Project::new("");
    std::fs::remove_file(project.file("rauth.toml")).unwrap();
    project
}

fn with_env_file(text: &str) -> Project {
    let project = bare_project();
    project.write(".env", text);
    set_mode(&project.file(".env"), 0o600);
    project
}

fn fingerprint(value: &str) -> String {
    hex::encode(&Sha256::digest(value.as_bytes())[..4])
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn is_secrets_line(line: &str) -> bool {
    line.trim_start()
        .trim_start_matches("export ")
        .starts_with("AUTH_SECRETS=")
}

/// The text without its `AUTH_SECRETS` line: what rotation must not change.
fn without_secrets_line(text: &str) -> String {
    text.split_inclusive('\n')
        .filter(|l| !is_secrets_line(l))
        .collect()
}

/// The versions of the `AUTH_SECRETS="…"` line, current first.
fn keyring(text: &str) -> Vec<(u64, String)> {
    let line = text
        .lines()
        .find(|l| is_secrets_line(l))
        .unwrap_or_else(|| panic!("no AUTH_SECRETS line in:\n{text}"));
    let (_, value) = line.split_once('=').unwrap();
    let value = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or_else(|| panic!("AUTH_SECRETS is not double-quoted: {line}"));
    value
        .split(',')
        .map(|entry| {
            let (version, secret) = entry.split_once(':').unwrap();
            (version.parse().unwrap(), secret.to_owned())
        })
        .collect()
}

fn versions(ring: &[(u64, String)]) -> Vec<u64> {
    ring.iter().map(|(v, _)| *v).collect()
}

/// Asserts that stderr says `text`.
#[track_caller]
fn says(run: &Run, text: &str) {
    assert!(
        run.stderr.contains(text),
        "expected {text:?} in:\n{}",
        run.stderr
    );
}

fn is_hex_secret(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

#[test]
fn the_bare_command_prints_one_secret_and_nothing_else() {
    let project = bare_project();
    let hex = project.rauth(&["secret"]).success();
    assert_eq!(hex.stderr, "");
    let secret = hex.stdout.strip_suffix('\n').unwrap();
    assert!(is_hex_secret(secret), "{secret}");
    let b64 = project
        .rauth(&["secret", "--format", "base64url"])
        .success();
    let secret64 = b64.stdout.strip_suffix('\n').unwrap();
    assert_eq!(secret64.len(), 43);
    assert!(
        secret64
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    );
    assert_ne!(project.rauth(&["secret"]).success().stdout, hex.stdout);
    assert!(project.files().is_empty(), "writes nothing");
}

#[test]
fn rotating_three_times_changes_only_the_secret_line() {
    let project = with_env_file(&env_text());
    let outside = without_secrets_line(&env_text());
    for round in 1..=3 {
        let run = project.rauth(&["secret", "rotate"]).success();
        let text = project.read(".env");
        assert_eq!(without_secrets_line(&text), outside, "round {round}");
        assert_eq!(mode(&project.file(".env")), 0o600);
        let ring = keyring(&text);
        let current = 2 + round;
        assert_eq!(versions(&ring), [current, current - 1, current - 2]);
        assert!(is_hex_secret(&ring[0].1));
        assert!(run.stdout.is_empty());
        says(
            &run,
            &format!(
                "Rotated .env: version {current} ({}) is current",
                fingerprint(&ring[0].1)
            ),
        );
        if round == 1 {
            assert!(!run.stderr.contains("Removed"), "{}", run.stderr);
        } else {
            says(
                &run,
                &format!(
                    "Removed version {} ({})",
                    current - 3,
                    fingerprint(if round == 2 { A } else { B })
                ),
            );
        }
    }
    assert_eq!(project.files(), [".env"], "no temporary file is left");
}

#[test]
fn keep_sets_how_many_previous_versions_stay() {
    let project = with_env_file(&env_text());
    project
        .rauth(&["secret", "rotate", "--keep", "1"])
        .success();
    assert_eq!(versions(&keyring(&project.read(".env"))), [3, 2]);
    project
        .rauth(&["secret", "rotate", "--keep", "0", "--format", "base64url"])
        .success();
    let ring = keyring(&project.read(".env"));
    assert_eq!(versions(&ring), [4]);
    assert_eq!(ring[0].1.len(), 43);
    project
        .rauth(&["secret", "rotate", "--keep", "5"])
        .success();
    assert_eq!(versions(&keyring(&project.read(".env"))), [5, 4]);
}

#[test]
fn a_legacy_secret_becomes_version_1_and_its_line_stays() {
    let text = format!("A=1\nexport AUTH_SECRET='{A}' # before rotation\nB=2\n");
    let project = with_env_file(&text);
    let run = project.rauth(&["secret", "rotate"]).success();
    let after = project.read(".env");
    let ring = keyring(&after);
    assert_eq!(versions(&ring), [2, 1]);
    assert_eq!(ring[1].1, A);
    assert_eq!(
        after,
        format!(
            "A=1\nexport AUTH_SECRET='{A}' # before rotation\nexport AUTH_SECRETS=\"2:{},1:{A}\"\nB=2\n",
            ring[0].1
        )
    );
    says(
        &run,
        &format!("Imported AUTH_SECRET as version 1 ({})", fingerprint(A)),
    );
    let list = project.rauth(&["secret", "list"]).success();
    assert_eq!(
        list.stdout,
        format!(
            "VERSION  FINGERPRINT  CURRENT\n2        {}     yes\n1        {}     -\nlegacy   {}     -\n",
            fingerprint(&ring[0].1),
            fingerprint(A),
            fingerprint(A)
        )
    );
    // The legacy line stays through later rotations.
    project.rauth(&["secret", "rotate"]).success();
    let again = project.read(".env");
    assert!(again.contains(&format!("export AUTH_SECRET='{A}' # before rotation\n")));
    assert_eq!(versions(&keyring(&again)), [3, 2, 1]);
}

#[test]
fn without_a_secret_rotate_creates_version_1() {
    let project = bare_project();
    let run = project.rauth(&["secret", "rotate"]).success();
    assert_eq!(mode(&project.file(".env")), 0o600);
    let text = project.read(".env");
    let ring = keyring(&text);
    assert_eq!(text, format!("AUTH_SECRETS=\"1:{}\"\n", ring[0].1));
    says(&run, "Created .env (mode 0600)");
    says(
        &run,
        &format!(
            "Added AUTH_SECRETS version 1 ({}) to .env: the first secret",
            fingerprint(&ring[0].1)
        ),
    );

    let existing = with_env_file("PORT=1");
    existing.rauth(&["secret", "rotate"]).success();
    let text = existing.read(".env");
    assert_eq!(
        text,
        format!("PORT=1\nAUTH_SECRETS=\"1:{}\"", keyring(&text)[0].1)
    );
}

#[test]
fn the_mode_of_an_existing_file_is_kept() {
    let project = with_env_file(&env_text());
    set_mode(&project.file(".env"), 0o640);
    project.rauth(&["secret", "rotate"]).success();
    assert_eq!(mode(&project.file(".env")), 0o640);
}

#[test]
fn a_file_it_cannot_parse_is_refused_and_untouched() {
    let cases: [(&str, &[u8]); 7] = [
        (
            "a line without =",
            b"A=1\nnot an assignment\nAUTH_SECRETS=\"1:x\"\n",
        ),
        ("an unclosed quote", b"A=1\nAUTH_SECRETS=\"2:abc,1:def\n"),
        ("text after a quote", b"AUTH_SECRETS=\"1:abc\" trailing\n"),
        (
            "a keyring entry without version",
            b"AUTH_SECRETS=\"2:abc,def\"\n",
        ),
        ("a repeated version", b"AUTH_SECRETS=\"2:abc,2:def\"\n"),
        (
            "AUTH_SECRETS twice",
            b"AUTH_SECRETS=1:abc\nX=1\nAUTH_SECRETS=2:def\n",
        ),
        ("bytes that are not UTF-8", b"A=\xff\xfe\n"),
    ];
    for (what, bytes) in cases {
        let project = bare_project();
        std::fs::write(project.file(".env"), bytes).unwrap();
        set_mode(&project.file(".env"), 0o600);
        for command in [
            &["secret", "rotate"][..],
            &["secret", "prune", "--keep", "0"],
        ] {
            let run = project.rauth(command).failure();
            assert_eq!(
                std::fs::read(project.file(".env")).unwrap(),
                bytes,
                "{what}"
            );
            assert!(
                run.stderr
                    .contains("refusing to rewrite `.env`: it is left untouched"),
                "{what}: {}",
                run.stderr
            );
            assert!(run.stdout.is_empty());
        }
        assert_eq!(project.files(), [".env"], "{what}");
    }
}

#[test]
fn errors_point_at_the_line() {
    let project = with_env_file("A=1\n\nsecret-looking-junk\n");
    let run = project.rauth(&["secret", "rotate"]).failure();
    says(&run, ".env: line 3: expected `=` after the variable name");
    assert!(!run.stderr.contains("secret-looking-junk"));
    let run = project.rauth(&["secret", "list"]).failure();
    says(&run, ".env: line 3");
}

#[test]
fn a_symbolic_link_is_not_written_through() {
    let project = bare_project();
    let text = format!("AUTH_SECRETS=\"1:{A}\"\n");
    project.write("real.env", &text);
    std::os::unix::fs::symlink("real.env", project.file(".env")).unwrap();
    let run = project.rauth(&["secret", "rotate"]).failure();
    says(&run, "is a symbolic link");
    assert_eq!(project.read("real.env"), text);
    assert!(
        std::fs::symlink_metadata(project.file(".env"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    project.rauth(&["secret", "prune", "--keep", "0"]).failure();
    // Reading through the link is fine.
    project.rauth(&["secret", "list"]).success();
}

#[test]
fn the_file_comes_from_the_config_the_flags_or_the_environment_name() {
    let project = Project::new("[secret]\nenv_file = \"config/app.env\"\n");
    project.write("config/app.env", "X=1\n");
    project.rauth(&["secret", "rotate"]).success();
    assert_eq!(versions(&keyring(&project.read("config/app.env"))), [1]);

    let run = project
        .rauth(&["secret", "rotate", "--environment", "production"])
        .success();
    says(&run, "Created config/app.env.production");
    assert_eq!(mode(&project.file("config/app.env.production")), 0o600);

    project
        .rauth(&["secret", "rotate", "--env-file", "other.env"])
        .success();
    assert_eq!(versions(&keyring(&project.read("other.env"))), [1]);

    // Paths in a config elsewhere are relative to its directory.
    project.write("deploy/rauth.toml", "");
    project
        .rauth(&["--config", "deploy/rauth.toml", "secret", "rotate"])
        .success();
    assert_eq!(versions(&keyring(&project.read("deploy/.env"))), [1]);

    let bad = project
        .rauth(&["secret", "rotate", "--environment", "../prod"])
        .failure();
    says(&bad, "`--environment` takes a name");
    let both = project.rauth(&["secret", "list", "--env-file", "x", "--environment", "y"]);
    assert_eq!(both.code, 2, "{}", both.stderr);
}

#[test]
fn a_broken_config_is_an_error_unless_the_file_is_given() {
    let project = Project::new("[secret]\nenv_fil = \".env\"\n");
    let run = project.rauth(&["secret", "rotate"]).failure();
    says(&run, "rauth.toml");
    assert!(!project.file(".env").exists());
    project
        .rauth(&["secret", "rotate", "--env-file", ".env"])
        .success();
}

#[test]
fn list_prints_versions_and_fingerprints() {
    let project = with_env_file(&format!("AUTH_SECRETS=\"12:{C},3:{B}\"\nAUTH_SECRET={A}\n"));
    let run = project.rauth(&["secret", "list"]).success();
    assert_eq!(
        run.stdout,
        format!(
            "VERSION  FINGERPRINT  CURRENT\n12       {}     yes\n3        {}     -\nlegacy   {}     -\n",
            fingerprint(C),
            fingerprint(B),
            fingerprint(A)
        )
    );
    let legacy_only = with_env_file(&format!("AUTH_SECRET=\"{A}\"\n"));
    let run = legacy_only.rauth(&["secret", "list"]).success();
    assert_eq!(
        run.stdout,
        format!(
            "VERSION  FINGERPRINT  CURRENT\nlegacy   {}     yes\n",
            fingerprint(A)
        )
    );
    let empty = with_env_file("A=1\n");
    let run = empty.rauth(&["secret", "list"]).failure();
    says(&run, "no AUTH_SECRETS or AUTH_SECRET in `.env`");
    let missing = bare_project().rauth(&["secret", "list"]).failure();
    says(&missing, "no env file at `.env`");
}

#[test]
fn prune_keeps_the_current_and_n_previous() {
    let text = format!("# keys\nAUTH_SECRETS=\"4:{D},3:{C},2:{B},1:{A}\" # rotated\nZ=1");
    let project = with_env_file(&text);
    let run = project.rauth(&["secret", "prune", "--keep", "1"]).success();
    let after = project.read(".env");
    assert_eq!(
        after,
        format!("# keys\nAUTH_SECRETS=\"4:{D},3:{C}\" # rotated\nZ=1")
    );
    says(
        &run,
        &format!(
            "Removed versions 2 ({}), 1 ({})",
            fingerprint(B),
            fingerprint(A)
        ),
    );
    assert_eq!(mode(&project.file(".env")), 0o600);
    let again = project.rauth(&["secret", "prune", "--keep", "1"]).success();
    says(&again, "Unchanged");
    assert_eq!(project.read(".env"), after);
    assert_eq!(
        project.rauth(&["secret", "prune"]).code,
        2,
        "--keep is required"
    );
    let legacy = with_env_file(&format!("AUTH_SECRET={A}\n"));
    let run = legacy.rauth(&["secret", "prune", "--keep", "0"]).failure();
    says(&run, "no AUTH_SECRETS to prune");
}

/// A read-only env file was made so on purpose: rotate and prune leave it alone without
/// `--force` (the rename would replace it silently), and keep its mode with it.
#[test]
fn a_read_only_env_file_needs_force() {
    let text = format!("AUTH_SECRETS=\"2:{B},1:{A}\"\n");
    for args in [
        &["secret", "rotate"][..],
        &["secret", "prune", "--keep", "0"][..],
    ] {
        let project = with_env_file(&text);
        set_mode(&project.file(".env"), 0o400);
        let run = project.rauth(args).failure();
        says(&run, "`.env` is read-only: it is left untouched; `--force`");
        assert_eq!(project.read(".env"), text);
        assert_eq!(mode(&project.file(".env")), 0o400);

        let forced: Vec<&str> = args.iter().copied().chain(["--force"]).collect();
        project.rauth(&forced).success();
        assert_ne!(project.read(".env"), text, "{args:?}");
        assert_eq!(mode(&project.file(".env")), 0o400, "{args:?}");
    }
}

/// git as the tests run it: no user or system config.
const GIT_ENV: [(&str, &str); 2] = [
    ("GIT_CONFIG_GLOBAL", "/dev/null"),
    ("GIT_CONFIG_NOSYSTEM", "1"),
];

fn git(project: &Project, args: &[&str]) {
    let status = std::process::Command::new("git")
        .args(args)
        .current_dir(project.path())
        .envs(GIT_ENV)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

fn check(project: &Project) -> Run {
    project.rauth_with_env(&["secret", "check"], &GIT_ENV)
}

/// A git repository with good secrets in `.env` and `.env.production`, both ignored.
fn good_repo() -> Project {
    let project = with_env_file(&format!("AUTH_SECRETS=\"2:{B},1:{A}\"\n"));
    project.write(".env.production", &format!("AUTH_SECRET={C}\n"));
    project.write(".env.example", &format!("AUTH_SECRET={A}\nAUTH_SECRETS=\n"));
    project.write(".env.local", "DEBUG=1\n");
    project.write(".gitignore", ".env\n.env.*\n!.env.example\n");
    git(&project, &["init", "-q"]);
    git(&project, &["add", ".gitignore", ".env.example"]);
    project
}

#[test]
fn check_passes_on_good_secrets() {
    let project = good_repo();
    let run = check(&project).success();
    says(&run, "Checked .env, .env.production: no problems");
}

#[test]
fn check_fails_on_weak_and_default_secrets() {
    let short = "Wk7-short";
    let repetitive = "ab".repeat(32);
    let default = "better-auth-secret-12345678901234567890";
    let project = good_repo();
    project.write(
        ".env",
        &format!("AUTH_SECRETS=\"3:{short},2:{repetitive},1:{A}\"\nAUTH_SECRET={default}\n"),
    );
    let run = check(&project).failure();
    for expected in [
        "4 problems with the auth secrets:".to_owned(),
        ".env: AUTH_SECRETS version 3 is 9 bytes long, under the 32 required".to_owned(),
        ".env: AUTH_SECRETS version 3 has low entropy".to_owned(),
        ".env: AUTH_SECRETS version 2 has low entropy".to_owned(),
        ".env: AUTH_SECRET is Better Auth's default secret".to_owned(),
    ] {
        says(&run, &expected);
    }
    for secret in [short, repetitive.as_str(), default] {
        assert!(!run.stderr.contains(secret));
    }
}

#[test]
fn check_fails_on_the_same_secret_in_two_environments() {
    let project = good_repo();
    project.write(".env.staging", &format!("export AUTH_SECRET=\"{B}\"\n"));
    let run = check(&project).failure();
    says(
        &run,
        &format!(
            "the same secret ({}) is in .env (AUTH_SECRETS version 2) and .env.staging (AUTH_SECRET)",
            fingerprint(B)
        ),
    );
    // `.env.example` holds the same value as `.env`, and is not an environment.
    assert!(!run.stderr.contains(".env.example"), "{}", run.stderr);
    assert!(!run.stderr.contains(&fingerprint(A)), "{}", run.stderr);
}

#[test]
fn check_fails_on_env_files_tracked_or_not_ignored_by_git() {
    let project = good_repo();
    git(&project, &["add", "-f", ".env"]);
    std::fs::write(project.file(".gitignore"), ".env\n").unwrap();
    let run = check(&project).failure();
    says(&run, ".env is tracked by git: `git rm --cached .env`");
    says(
        &run,
        ".env.production is not ignored by git: add `.env.production` to .gitignore",
    );
    says(&run, "2 problems");
}

#[test]
fn check_outside_git_skips_the_git_checks_with_a_warning() {
    let project = with_env_file(&format!("AUTH_SECRETS=\"1:{A}\"\n"));
    let run = check(&project).success();
    says(
        &run,
        "warning: `.` is not in a git repository: skipped the checks",
    );
    let none = with_env_file("A=1\n");
    let run = check(&none).failure();
    says(&run, ".env: no AUTH_SECRETS or AUTH_SECRET");
}

#[test]
fn check_warns_about_files_others_can_read() {
    let project = good_repo();
    set_mode(&project.file(".env"), 0o644);
    let run = check(&project).success();
    says(
        &run,
        "warning: .env is readable by other users (mode 0644): `chmod 600 .env`",
    );
}

/// Every secret value in a file: the versions of AUTH_SECRETS and AUTH_SECRET.
fn secret_values(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim_start_matches("export ");
        if let Some(value) = line.strip_prefix("AUTH_SECRETS=") {
            let value = value.split(" #").next().unwrap().trim_matches(['"', '\'']);
            out.extend(
                value
                    .split(',')
                    .filter_map(|e| e.split_once(':'))
                    .map(|(_, s)| s.to_owned()),
            );
        } else if let Some(value) = line.strip_prefix("AUTH_SECRET=") {
            out.push(
                value
                    .split(" #")
                    .next()
                    .unwrap()
                    .trim_matches(['"', '\''])
                    .to_owned(),
            );
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

/// Runs commands in a project and keeps their output and every secret its env files held.
struct Recorder {
    project: Project,
    outputs: Vec<Run>,
    secrets: Vec<String>,
}

impl Recorder {
    fn run(&mut self, args: &[&str]) {
        self.outputs
            .push(self.project.rauth_with_env(args, &GIT_ENV));
        self.collect();
    }

    fn collect(&mut self) {
        for file in [".env", ".env.production"] {
            if let Ok(text) = std::fs::read_to_string(self.project.file(file)) {
                self.secrets.extend(secret_values(&text));
            }
        }
    }

    fn write_production(&mut self, text: &str) {
        self.project.write(".env.production", text);
        self.collect();
    }
}

#[test]
fn no_command_prints_a_secret() {
    let weak = [
        "Wk7-short-one",
        "better-auth-secret-12345678901234567890",
        "zqzqzqzqzqzqzqzqzqzqzqzqzqzqzqzqzqzqzqzq",
    ];
    let project = with_env_file(&format!("{}\nAUTH_SECRET='{A}'\n", env_text()));
    project.write(".gitignore", ".env*\n");
    git(&project, &["init", "-q"]);
    let mut r = Recorder {
        project,
        outputs: Vec::new(),
        secrets: Vec::new(),
    };
    r.collect();
    for _ in 0..3 {
        r.run(&["-vv", "secret", "rotate"]);
    }
    r.run(&["-v", "secret", "list"]);
    r.run(&["-v", "secret", "prune", "--keep", "1"]);
    r.run(&["-v", "secret", "check"]);
    r.run(&["-v", "secret", "rotate", "--environment", "production"]);
    r.run(&["-v", "secret", "list", "--environment", "production"]);
    r.run(&["-v", "secret", "check"]);
    r.write_production(&format!(
        "AUTH_SECRETS=\"3:{},2:{},1:{}\"\nAUTH_SECRET={A}\n",
        weak[0], weak[1], weak[2]
    ));
    r.run(&["-v", "secret", "check"]);
    r.run(&["-v", "secret", "rotate", "--environment", "production"]);
    r.run(&["-v", "secret", "list", "--environment", "production"]);
    // Malformed: a repeated version, a blank in AUTH_SECRET, a bare secret on a line.
    r.write_production(&format!(
        "AUTH_SECRETS=\"2:{C},2:{D}\"\nAUTH_SECRET=Qx9 Qy9\n{B}\n"
    ));
    r.secrets.push(B.to_owned());
    r.run(&["-v", "secret", "rotate", "--environment", "production"]);
    r.run(&["-v", "secret", "list", "--environment", "production"]);
    r.run(&["-v", "secret", "check"]);
    r.write_production(&format!(
        "AUTH_SECRETS=\"2:{C},2:{D}\"\nAUTH_SECRET=Qx9 Qy9\n"
    ));
    r.run(&["-v", "secret", "rotate", "--environment", "production"]);
    r.run(&[
        "-v",
        "secret",
        "prune",
        "--environment",
        "production",
        "--keep",
        "0",
    ]);
    r.run(&["-v", "secret", "check"]);

    let Recorder {
        outputs,
        mut secrets,
        ..
    } = r;
    secrets.sort();
    secrets.dedup();
    for w in weak {
        assert!(secrets.iter().any(|s| s == w));
    }
    assert!(secrets.len() > 12, "{}", secrets.len());
    assert!(outputs.iter().any(|r| r.code == 0) && outputs.iter().any(|r| r.code == 1));
    for output in &outputs {
        for secret in &secrets {
            assert!(
                !output.stdout.contains(secret.as_str())
                    && !output.stderr.contains(secret.as_str()),
                "a secret ({}) was printed:\n{}{}",
                fingerprint(secret),
                output.stdout,
                output.stderr
            );
        }
    }
}

/// A small deterministic generator for kill times.
struct XorShift(u64);

impl XorShift {
    /// Seeded from `RAUTH_TEST_SEED` to replay a run, else from the clock; the seed is printed
    /// (shown with a failure's output) and named in every assertion.
    #[allow(clippy::print_stderr)]
    fn from_env_or_clock() -> (Self, u64) {
        let seed = std::env::var("RAUTH_TEST_SEED").map_or_else(
            |_| {
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap();
                (now.as_secs() << 30) ^ u64::from(now.subsec_nanos())
            },
            |v| v.parse().expect("RAUTH_TEST_SEED is a u64"),
        ) | 1;
        eprintln!("random kill times: seed {seed} (replay with RAUTH_TEST_SEED={seed})");
        (Self(seed), seed)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// The current secret version in an env file, if its `AUTH_SECRETS` line can be read.
fn current_version(path: &Path) -> Option<u64> {
    let text = std::fs::read_to_string(path).ok()?;
    let line = text.lines().find(|l| is_secrets_line(l))?;
    let (_, value) = line.split_once('=')?;
    value
        .trim_start_matches('"')
        .split(':')
        .next()?
        .parse()
        .ok()
}

/// Rotations run back to back in a child process, which is killed with SIGKILL at random moments:
/// after each kill the file is whole (old or new, never truncated or missing), parses, has a
/// complete AUTH_SECRETS line, every other line unchanged, and mode 0600. Each round waits until
/// the child has finished a rotation (seen in the file), then kills it a random 0-180 ms later:
/// every round rotates, however slow the machine.
#[test]
fn kill_9_during_rotations_never_leaves_a_broken_file() {
    const ROUNDS: u64 = 25;
    let project = with_env_file(&env_text());
    let outside = without_secrets_line(&env_text());
    let (mut random, seed) = XorShift::from_env_or_clock();
    let mut last = 2;
    for round in 0..ROUNDS {
        let delay = Duration::from_millis(random.next() % 180);
        let mut child = std::process::Command::new("sh")
            .arg("-c")
            .arg(r#"while "$0" secret rotate --env-file .env >/dev/null 2>&1; do :; done; exit 3"#)
            .arg(env!("CARGO_BIN_EXE_rauth"))
            .current_dir(project.path())
            .process_group(0)
            .spawn()
            .unwrap();
        let context = format!("seed {seed}, round {round}, {delay:?} after a rotation");
        let deadline = std::time::Instant::now() + Duration::from_mins(1);
        while current_version(&project.file(".env")).is_none_or(|v| v <= last) {
            assert!(
                child.try_wait().unwrap().is_none(),
                "a rotation failed ({context})"
            );
            assert!(
                std::time::Instant::now() < deadline,
                "no rotation in a minute ({context})"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        std::thread::sleep(delay);
        let still_running = child.try_wait().unwrap().is_none();
        let killed = std::process::Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", child.id())])
            .status()
            .unwrap();
        child.wait().unwrap();
        assert!(still_running, "a rotation failed ({context})");
        assert!(killed.success(), "kill ({context})");

        let text = project.read(".env");
        assert_eq!(without_secrets_line(&text), outside, "{context}");
        let ring = keyring(&text);
        assert_eq!(ring.len(), 3, "{context}");
        assert!(ring.iter().all(|(_, s)| is_hex_secret(s)), "{context}");
        let current = ring[0].0;
        assert_eq!(
            versions(&ring),
            [current, current - 1, current - 2],
            "{context}"
        );
        assert!(current > last, "{context}");
        last = current;
        assert_eq!(mode(&project.file(".env")), 0o600, "{context}");
        project
            .rauth(&["secret", "list", "--env-file", ".env"])
            .success();
    }
    assert!(last >= 2 + ROUNDS, "a rotation in every round: {last}");
    // A successful rotation removes what killed ones left behind.
    project
        .rauth(&["secret", "rotate", "--env-file", ".env"])
        .success();
    assert_eq!(project.files(), [".env"]);
}

/// Runs `rauth` in `project` once per argument list, all started together; each must succeed.
fn concurrently(project: &Project, runs: &[&[&str]]) {
    let children: Vec<_> = runs
        .iter()
        .map(|args| {
            std::process::Command::new(env!("CARGO_BIN_EXE_rauth"))
                .args(*args)
                .current_dir(project.path())
                .env("NO_COLOR", "1")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Concurrent rotations each read, change and replace the file: without a lock, two that read
/// the same version both write the next one, and a rotation is lost.
#[test]
fn concurrent_rotations_all_land() {
    const RUNS: usize = 8;
    let project = with_env_file(&env_text());
    let rotate: &[&str] = &["secret", "rotate", "--env-file", ".env", "--keep", "50"];
    for round in 1..=3 {
        concurrently(&project, &[rotate; RUNS]);
        let text = project.read(".env");
        let ring = keyring(&text);
        let expected: Vec<u64> = (1..=2 + round * RUNS as u64).rev().collect();
        assert_eq!(
            versions(&ring),
            expected,
            "round {round}: a rotation was lost"
        );
        assert_eq!(
            without_secrets_line(&text),
            without_secrets_line(&env_text())
        );
        assert_eq!(mode(&project.file(".env")), 0o600);
    }
    assert_eq!(project.files(), [".env"], "the lock file is removed");
}

/// A prune that read the file before a rotation replaced it would write back the old versions:
/// prune takes the same lock.
#[test]
fn a_concurrent_prune_never_undoes_a_rotation() {
    const RUNS: u64 = 6;
    let project = with_env_file(&env_text());
    let rotate: &[&str] = &["secret", "rotate", "--env-file", ".env", "--keep", "50"];
    let prune: &[&str] = &["secret", "prune", "--env-file", ".env", "--keep", "1"];
    let mut runs = Vec::new();
    for _ in 0..RUNS {
        runs.extend([rotate, prune]);
    }
    concurrently(&project, &runs);
    let ring = keyring(&project.read(".env"));
    assert_eq!(ring[0].0, 2 + RUNS, "the newest rotation is current");
    assert_eq!(project.files(), [".env"]);
}

/// A run waits for the holder of the lock, says whom it waits for, and gives up after a while
/// without touching the file.
#[test]
fn a_held_lock_is_waited_for_and_named() {
    let project = with_env_file(&env_text());
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(project.file(".env.lock"))
        .unwrap();
    lock.lock().unwrap();
    std::fs::write(project.file(".env.lock"), "4242").unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rauth"))
        .args(["secret", "rotate", "--env-file", ".env"])
        .current_dir(project.path())
        .env("NO_COLOR", "1")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    assert!(child.try_wait().unwrap().is_none(), "it waits");
    assert_eq!(project.read(".env"), env_text());
    // Released the way a finished run releases it: the file goes first.
    std::fs::remove_file(project.file(".env.lock")).unwrap();
    drop(lock);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("Waiting for process 4242, which is changing `.env`"),
        "{stderr}"
    );
    assert_eq!(versions(&keyring(&project.read(".env"))), [3, 2, 1]);
}

#[test]
fn jwks_rotation_needs_the_jwt_plugin_and_a_secret() {
    let project = Project::new("[database]\ndialect = \"sqlite\"\n");
    let refusal = || {
        project
            .rauth(&[
                "secret",
                "rotate",
                "--jwks",
                "--database-url",
                "sqlite://x.db",
            ])
            .failure()
            .stderr
    };
    assert!(refusal().contains("add `[plugins.jwt]`"));
    project.write(
        "rauth.toml",
        "[database]\ndialect = \"sqlite\"\n[plugins.jwt]\n",
    );
    assert!(refusal().contains("no env file"));
    project.write(".env", "PORT=1\n");
    assert!(refusal().contains("no AUTH_SECRETS"));
    assert!(
        !project.file("x.db").exists(),
        "no connection before the checks"
    );

    // `--keep` and `--format` are the secret's; `--database-url` is for `--jwks` only.
    for args in [
        &["--jwks", "--keep", "1"][..],
        &["--database-url", "sqlite://x.db"],
    ] {
        let run = project.rauth(&[&["secret", "rotate"][..], args].concat());
        assert_eq!(run.code, 2, "a usage error: {}", run.stderr);
    }
    assert_eq!(project.read(".env"), "PORT=1\n");
}

#[test]
fn better_auths_variables_are_rotated_in_place_for_both_servers() {
    // A file with Better Auth's keyring: rotated where Better Auth reads it, no AUTH_SECRETS
    // (which would win in the generated keyring and leave Better Auth behind).
    let old = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    let project = with_env_file(&format!("A=1\nBETTER_AUTH_SECRETS=\"1:{old}\"\n"));
    let run = project.rauth(&["secret", "rotate"]).success();
    let text = project.read(".env");
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("BETTER_AUTH_SECRETS=\"2:"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.ends_with(&format!(",1:{old}\"")), "{text}");
    assert!(!text.contains("\nAUTH_SECRETS"), "{text}");
    says(&run, "which Better Auth reads too");

    // Better Auth's single secret becomes version 1 of its keyring; its line stays.
    let project = with_env_file(&format!("BETTER_AUTH_SECRET={old}\n"));
    let run = project.rauth(&["secret", "rotate"]).success();
    let text = project.read(".env");
    assert!(
        text.starts_with(&format!(
            "BETTER_AUTH_SECRET={old}\nBETTER_AUTH_SECRETS=\"2:"
        )),
        "{text}"
    );
    assert!(text.contains(&format!(",1:{old}\"")), "{text}");
    says(&run, "BETTER_AUTH_SECRET as version 1");
    let list = project.rauth(&["secret", "list"]).success();
    assert_eq!(list.stdout.lines().count(), 4, "{}", list.stdout);
}
