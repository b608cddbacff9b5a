//! Generated-code tier: `rauth generate code` output built as a real crate (one shared target
//! directory under `target/generated-apps`), linted, formatted, and tested against Better Auth's
//! own crypto vectors.
#![allow(clippy::unwrap_used)]

#[path = "../support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};

use support::Project;

/// The crate's tests: where each goes, and its text. Those under `src/internals/` test
/// `pub(crate)` parts of the modules from inside the crate; the integration tests under `tests/`
/// use only what a module exports, as a user's code does.
const TESTS: [(&str, &str); 14] = [
    ("src/internals/vectors.rs", include_str!("vectors_test.rs")),
    (
        "src/internals/session_connections.rs",
        include_str!("session_connections_test.rs"),
    ),
    (
        "src/internals/client_ip.rs",
        include_str!("client_ip_test.rs"),
    ),
    (
        "src/internals/cookie_cache.rs",
        include_str!("cookie_cache_test.rs"),
    ),
    ("src/internals/roles.rs", include_str!("roles_test.rs")),
    ("tests/fuzz.rs", include_str!("fuzz_test.rs")),
    ("tests/hostile.rs", include_str!("hostile_test.rs")),
    ("tests/api_key.rs", include_str!("api_key_test.rs")),
    ("tests/passkey.rs", include_str!("passkey_test.rs")),
    (
        "tests/organization.rs",
        include_str!("organization_test.rs"),
    ),
    ("tests/production.rs", include_str!("production_test.rs")),
    ("tests/common/mod.rs", include_str!("common_test.rs")),
    ("tests/enumeration.rs", include_str!("enumeration_test.rs")),
    ("tests/wire.rs", include_str!("wire_test.rs")),
];

/// The module that holds the tests of `src/internals/`.
const INTERNALS: &str = "//! Tests of the generated modules' `pub(crate)` parts, from inside the crate.\n\nmod client_ip;\nmod cookie_cache;\nmod roles;\nmod session_connections;\nmod vectors;\n";

/// Names that must be escaped everywhere: quotes and backticks in table and column names, SQL
/// and Rust keywords as fields, and an app name that would break out of a Rust comment or string.
const HOSTILE_CONFIG: &str = r#"[app]
name = "Acme */ include!(\"/etc/passwd\"); /* \" \\ {{ x }} `"

[email_and_password]
enabled = true

[codegen]
inject = false

[tables.user]
name = "us\"er`s"
fields = { email = "e\"mail", name = "select" }

[tables.session]
name = "sess'ion"

[tables.account]
name = "acc`ount"
fields = { providerId = "provider\"id", scope = "order" }

[user.additional_fields."x\"); DROP TABLE user; --"]
type = "string"
required = false

[user.additional_fields.fn]
type = "string"
required = false

# Organizations without teams, so the lints cover that variant too.
[plugins.organization]
"#;

const DIALECTS: [&str; 3] = ["postgres", "mysql", "sqlite"];

/// Every plugin with generated code, on in each dialect and framework's module so the lints
/// cover them; API keys are sessions there, so the fuzzer's `x-api-key` reaches that path, and
/// come in two more configurations: `public` with defaults of its own, `team` owned by
/// organizations.
/// JWTs are EdDSA in the axum modules, ES256 in the actix-web ones and RS256 with Redis. The
/// breached-password check fails open against a closed port; the CAPTCHA guards only an
/// endpoint the tests do not call, and its secret is in the tests' environment.
const PLUGINS: &str = "[plugins.username]\n[plugins.two-factor]\n[plugins.magic-link]\n[plugins.email-otp]\nchange_email = true\n[plugins.admin]\n[plugins.phone-number]\n[plugins.anonymous]\n[plugins.multi-session]\n[plugins.bearer]\n[plugins.jwt]\nrotation_interval = \"30d\"\n[plugins.api-key]\nenable_session_for_api_keys = true\n[plugins.api-key.configs.public]\ndefault_prefix = \"pub_\"\ndefault_key_length = 32\nrate_limit_max = 100\ndefault_expires_in = \"7d\"\nrequire_name = true\n[plugins.api-key.configs.team]\nreferences = \"organization\"\nrate_limit_enabled = false\ndisable_custom_expires_time = true\n[plugins.organization]\nteams = true\nmaximum_teams = 10\nmaximum_members_per_team = 3\ndynamic_access_control = true\nmaximum_roles_per_organization = 20\n[plugins.passkey]\n[plugins.one-time-token]\nstore_token = \"hashed\"\nset_ott_header_on_new_session = true\n[plugins.last-login-method]\nstore_in_database = true\n[plugins.have-i-been-pwned]\napi_url = \"http://127.0.0.1:9\"\nfail_open = true\n[plugins.captcha]\nprovider = \"google-recaptcha\"\nmin_score = 0.7\nexpected_action = \"sign_in\"\nsecret_key_env = \"RAUTH_TEST_CAPTCHA_SECRET\"\nendpoints = [\"/sign-in/magic-link\"]\n[plugins.device-authorization]\n[plugins.siwe]\nchain_ids = [1, 10]\n[plugins.custom-session]\nlist_device_sessions = true\n[plugins.open-api]\ntheme = \"purple\"\n[plugins.oauth-provider]\nlogin_page = \"/login\"\nallow_dynamic_client_registration = true\nallow_unauthenticated_client_registration = true\n";

/// Every social provider kind, so the lints and the generated unit tests (profile mapping, ID
/// tokens against local key sets, Apple's minted client secret) cover them, a plain OAuth 2.0
/// provider, the one-tap plugin, which needs `[social.google]`, and the oauth-proxy plugin;
/// tokens encrypted at rest.
const SOCIAL: &str = "[social.github]\nclient_id_env = \"GITHUB_ID\"\nclient_secret_env = \"GITHUB_SECRET\"\n[social.google]\nclient_id_env = \"GOOGLE_ID\"\nclient_secret_env = \"GOOGLE_SECRET\"\n[social.discord]\nclient_id_env = \"DISCORD_ID\"\nclient_secret_env = \"DISCORD_SECRET\"\n[social.microsoft]\nclient_id_env = \"MS_ID\"\nclient_secret_env = \"MS_SECRET\"\ntenant_id = \"organizations\"\n[social.apple]\nclient_id_env = \"APPLE_ID\"\nteam_id = \"TEAM123456\"\nkey_id = \"KEY1234567\"\nprivate_key_env = \"APPLE_KEY\"\napp_bundle_identifier = \"com.example.app\"\n[social.oidc.acme]\nclient_id_env = \"ACME_ID\"\nclient_secret_env = \"ACME_SECRET\"\ndiscovery_url = \"https://id.acme.example/.well-known/openid-configuration\"\nauthentication = \"basic\"\n[account]\nencrypt_oauth_tokens = true\n[account.account_linking]\ntrusted_providers = [\"github\"]\n[social.oidc.plain]\nclient_id_env = \"PLAIN_ID\"\nclient_secret_env = \"PLAIN_SECRET\"\nauthorization_url = \"https://plain.example/authorize\"\ntoken_url = \"https://plain.example/token\"\nuser_info_url = \"https://plain.example/userinfo\"\nauthentication = \"basic\"\n[plugins.one-tap]\nhosted_domain = \"*\"\nkeys_url_env = \"GOOGLE_KEYS_URL\"\n[plugins.oauth-proxy]\nmax_age = 30\n";

/// GitHub and Discord alone: providers without ID tokens, so no `social/id_token.rs`.
const SOCIAL_WITHOUT_ID_TOKENS: &str = "[social.github]\nclient_id_env = \"GITHUB_ID\"\nclient_secret_env = \"GITHUB_SECRET\"\n[social.discord]\nclient_id_env = \"DISCORD_ID\"\nclient_secret_env = \"DISCORD_SECRET\"\n";

/// One generic OIDC provider alone (its discovery URL from the environment), for the module
/// without built-in providers.
const SOCIAL_OIDC: &str = "[social.oidc.corp]\nclient_id_env = \"CORP_ID\"\nclient_secret_env = \"CORP_SECRET\"\ndiscovery_url_env = \"CORP_DISCOVERY_URL\"\nscopes = [\"openid\", \"email\"]\n";

/// Every dependency any generated module has.
const DEPENDENCIES: &str = r#"[dependencies]
aes = "0.8"
actix-web = { version = "4", default-features = false }
axum = "0.8"
base64 = "0.22"
cbc = { version = "0.1", features = ["alloc"] }
chacha20poly1305 = "0.10"
ciborium = "0.2"
ed25519-dalek = "2"
hex = "0.4"
hkdf = "0.12"
hmac = "0.12"
jsonwebtoken = { version = "11", default-features = false, features = ["rust_crypto"] }
k256 = "0.13"
p256 = "0.13"
rand = "0.9"
reqwest = { version = "0.12", default-features = false, features = ["rustls-tls"] }
redis = { version = "1", default-features = false, features = ["tokio-comp", "connection-manager"] }
rsa = { version = "0.9", features = ["sha2", "getrandom"] }
scrypt = { version = "0.12", default-features = false }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
sha1 = "0.10"
sha2 = "0.10"
sha3 = "0.10"
sqlx = { version = "0.9", default-features = false, features = ["runtime-tokio", "postgres", "mysql", "sqlite", "time", "migrate", "macros"] }
subtle = "2"
time = { version = "0.3", features = ["formatting", "parsing", "macros", "serde"] }
tokio = { version = "1", features = ["full"] }
tracing = "0.1"
unicode-normalization = "0.1"
"#;

/// The package holding the generated modules, edition 2024; the wiring crates ([`WIRING`]) are
/// members of its workspace.
const PACKAGE: &str = r#"[package]
name = "rauth_generated_check"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]
members = ["wiring/axum", "wiring/actix"]

# The plugin matrix (`src/matrix/`) is linted, not built for the tests.
[features]
matrix = []

[dev-dependencies]
proptest = "1"
serde_json = "1"

# scrypt and RSA are unusably slow unoptimized.
[profile.dev.package.scrypt]
opt-level = 3
[profile.dev.package.num-bigint-dig]
opt-level = 3
"#;

/// Binary crates of edition 2021 at the stated minimum Rust (`rust-version`, which clippy's
/// `incompatible_msrv` holds the code to), each set up as a user's service: a `// rauth:modules`
/// marker in `main.rs`, `rauth generate`, then the `main` it printed. The axum one has every
/// plugin and provider on SQLite; the actix-web one Better Auth's defaults on PostgreSQL.
const WIRING: [(&str, &str); 2] = [
    ("axum", "[database]\ndialect = \"sqlite\"\n"),
    (
        "actix",
        "[database]\ndialect = \"postgres\"\n[codegen]\nframework = \"actix-web\"\n",
    ),
];

/// Adds the [`WIRING`] crates to `project`; `options` are every plugin's, for the axum one.
fn wiring_crates(project: &Project, options: &str) {
    for (name, config) in WIRING {
        let dir = format!("wiring/{name}");
        // `#[actix_web::main]` is a macro of actix-web's default features, which `cargo add` keeps.
        let dependencies = DEPENDENCIES.replace(
            "actix-web = { version = \"4\", default-features = false }",
            "actix-web = { version = \"4\", default-features = false, features = [\"macros\"] }",
        );
        project.write(
            &format!("{dir}/Cargo.toml"),
            &format!("[package]\nname = \"wiring_{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\nrust-version = \"1.94\"\npublish = false\n\n{dependencies}"),
        );
        let options = if name == "axum" { options } else { "" };
        project.write(&format!("{dir}/rauth.toml"), &format!("{config}{options}"));
        let marker = "//! A service wired as `rauth generate` says.\n\n// rauth:modules\n";
        project.write(&format!("{dir}/src/main.rs"), marker);
        let generated = project
            .rauth(&["--config", &format!("{dir}/rauth.toml"), "generate"])
            .success();
        let heading = "serve it from your `main` like this";
        let printed = generated
            .stderr
            .split_once(heading)
            .and_then(|(_, rest)| rest.split_once('\n'))
            .map_or_else(
                || panic!("no wiring after generate:\n{}", generated.stderr),
                |(_, snippet)| snippet.trim(),
            );
        let main = project.read(&format!("{dir}/src/main.rs"));
        assert!(main.contains("#[allow(dead_code"), "{main}");
        project.write(
            &format!("{dir}/src/main.rs"),
            &format!("{main}\n{printed}\n"),
        );
        let docs = project.read(&format!("{dir}/src/auth/mod.rs"));
        let first = printed.lines().next().unwrap();
        assert!(
            docs.contains(&format!("//! {first}")),
            "the module's docs show the wiring:\n{docs}"
        );
    }
}

/// The crate's tests, and Better Auth's vectors they check.
fn write_tests(project: &Project) {
    for (path, text) in TESTS {
        project.write(path, text);
    }
    project.write("src/internals/mod.rs", INTERNALS);
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/better-auth");
    for vectors in ["vectors.json", "cookie-cache-vectors.json"] {
        std::fs::copy(
            fixtures.join(vectors),
            project.file(&format!("src/internals/{vectors}")),
        )
        .unwrap();
    }
}

/// A crate holding the generated module once per dialect and framework (`auth_postgres` with
/// the axum adapter, `auth_postgres_actix` with the actix-web one, …), in a temporary directory.
fn app_crate() -> Project {
    let project = Project::new("");
    project.write("Cargo.toml", &format!("{PACKAGE}\n{DEPENDENCIES}"));
    let mut modules: Vec<String> = DIALECTS
        .iter()
        .flat_map(|d| {
            [
                format!("pub mod auth_{d};\n"),
                format!("pub mod auth_{d}_actix;\n"),
            ]
        })
        .chain([
            "pub mod auth_single;\n".to_owned(),
            "pub mod auth_hostile;\n".to_owned(),
            "pub mod auth_github;\n".to_owned(),
            "pub mod auth_redis;\n".to_owned(),
            "pub mod auth_verify;\n".to_owned(),
        ])
        .collect();
    modules.sort();
    modules.push("\n#[cfg(feature = \"matrix\")]\npub mod matrix;\n".to_owned());
    modules.push("\n#[cfg(test)]\nmod internals;\n".to_owned());
    project.write(
        "src/lib.rs",
        &format!("//! Generated-code check.\n\n{}", modules.concat()),
    );
    write_tests(&project);
    // Every optional endpoint on, and rate-limit counters in the database, so the lints and the
    // fuzz test (SQLite, axum) cover them too.
    let options = format!(
        "[email_and_password]\nenabled = true\n[user]\nchange_email = true\ndelete_user = true\ndelete_user_verification = true\n[rate_limit]\nenabled = true\nstorage = \"database\"\n{PLUGINS}{SOCIAL}"
    );
    project.write(
        "rauth.toml",
        &format!("[database]\ndialect = \"sqlite\"\n{options}"),
    );
    let schema = project.rauth(&["generate", "schema", "--stdout"]).success();
    project.write("tests/schema.sql", &schema.stdout);
    wiring_crates(&project, &options);
    for dialect in DIALECTS {
        for (framework, suffix, alg) in [("axum", "", "EdDSA"), ("actix-web", "_actix", "ES256")] {
            let options = format!(
                "{}{}",
                module_options(&options, framework, alg),
                cookie_cache(dialect)
            );
            project.write(
                "rauth.toml",
                &format!("[database]\ndialect = \"{dialect}\"\n[codegen]\nframework = \"{framework}\"\ninject = false\n{options}"),
            );
            project
                .rauth(&[
                    "generate",
                    "code",
                    "--out-dir",
                    &format!("src/auth_{dialect}{suffix}"),
                ])
                .success();
        }
    }
    // `--stdout`: the last config's module (SQLite, actix-web) as one self-contained file.
    let single = project.rauth(&["generate", "code", "--stdout"]).success();
    project.write("src/auth_single.rs", &single.stdout);
    // Rate limits and sessions in Redis (PostgreSQL, axum), with every plugin and a generic OIDC
    // provider alone; API keys are no sessions, Better Auth's default.
    project.write(
        "rauth.toml",
        &format!(
            "[database]\ndialect = \"postgres\"\n[codegen]\ninject = false\n[rate_limit]\nstorage = \"redis\"\n[session]\ncache = \"redis\"\n{}{SOCIAL_OIDC}",
            with_jwt_alg(PLUGINS, "RS256").replace("enable_session_for_api_keys = true\n", "")
        ),
    );
    project
        .rauth(&["generate", "code", "--out-dir", "src/auth_redis"])
        .success();
    project.write(
        "rauth.toml",
        &format!(
            "[database]\ndialect = \"mysql\"\n[codegen]\ninject = false\n{SOCIAL_WITHOUT_ID_TOKENS}"
        ),
    );
    project
        .rauth(&["generate", "code", "--out-dir", "src/auth_github"])
        .success();
    // Email and password alone, sign-up not signing in until the email is verified.
    project.write(
        "rauth.toml",
        "[database]\ndialect = \"sqlite\"\n[codegen]\ninject = false\n[email_and_password]\nenabled = true\nrequire_email_verification = true\n",
    );
    let verify = project.rauth(&["generate", "schema", "--stdout"]).success();
    project.write("tests/verify.sql", &verify.stdout);
    project
        .rauth(&["generate", "code", "--out-dir", "src/auth_verify"])
        .success();
    plugin_matrix(&project);
    project.write("rauth.toml", HOSTILE_CONFIG);
    let hostile = project.rauth(&["generate", "schema", "--stdout"]).success();
    project.write("tests/hostile.sql", &hostile.stdout);
    project
        .rauth(&["generate", "code", "--out-dir", "src/auth_hostile"])
        .success();
    project
}

/// The plugin combinations of the compile matrix: each plugin alone, and each pair whose code
/// interacts (one plugin's hook or tables seen by the other). Their modules go to `src/matrix/`,
/// behind the `matrix` feature, so clippy lints them and the tests do not build them.
const MATRIX: [(&str, &str); 34] = [
    ("only_username", "[plugins.username]\n"),
    ("only_two_factor", "[plugins.two-factor]\n"),
    ("only_magic_link", "[plugins.magic-link]\n"),
    ("only_email_otp", "[plugins.email-otp]\n"),
    ("only_organization", "[plugins.organization]\n"),
    ("only_admin", "[plugins.admin]\n"),
    ("only_jwt", "[plugins.jwt]\n"),
    ("only_phone_number", "[plugins.phone-number]\n"),
    ("only_anonymous", "[plugins.anonymous]\n"),
    ("only_multi_session", "[plugins.multi-session]\n"),
    ("only_bearer", "[plugins.bearer]\n"),
    ("only_passkey", "[plugins.passkey]\n"),
    ("only_api_key", "[plugins.api-key]\n"),
    ("only_one_time_token", "[plugins.one-time-token]\n"),
    (
        "only_last_login_method",
        "[plugins.last-login-method]\nstore_in_database = true\n",
    ),
    ("only_have_i_been_pwned", "[plugins.have-i-been-pwned]\n"),
    (
        "only_captcha_hcaptcha",
        "[plugins.captcha]\nprovider = \"hcaptcha\"\nsite_key = \"10000000-ffff-ffff-ffff-000000000001\"\n",
    ),
    (
        "only_device_authorization",
        "[plugins.device-authorization]\nclient_ids = [\"tv\"]\n",
    ),
    ("only_siwe", "[plugins.siwe]\nanonymous = false\n"),
    ("only_custom_session", "[plugins.custom-session]\n"),
    (
        "only_open_api_without_page",
        "[plugins.open-api]\ndisable_default_reference = true\n",
    ),
    (
        "only_one_tap",
        "[plugins.one-tap]\ndisable_signup = true\n[social.google]\nclient_id_env = \"GOOGLE_ID\"\nclient_secret_env = \"GOOGLE_SECRET\"\n",
    ),
    (
        "only_captcha_captchafox",
        "[plugins.captcha]\nprovider = \"captchafox\"\n",
    ),
    (
        "admin_organization",
        "[plugins.admin]\n[plugins.organization]\nteams = true\n",
    ),
    (
        "admin_api_key",
        "[plugins.admin]\n[plugins.api-key]\nenable_session_for_api_keys = true\n",
    ),
    (
        "api_key_organization",
        "[plugins.organization]\n[plugins.api-key]\nreferences = \"organization\"\n",
    ),
    (
        "two_factor_multi_session",
        "[plugins.two-factor]\n[plugins.multi-session]\n",
    ),
    (
        "bearer_multi_session",
        "[plugins.bearer]\n[plugins.multi-session]\n",
    ),
    (
        "anonymous_multi_session",
        "[plugins.anonymous]\n[plugins.multi-session]\n",
    ),
    (
        "phone_number_username",
        "[plugins.phone-number]\n[plugins.username]\n",
    ),
    (
        "phone_number_two_factor",
        "[plugins.phone-number]\n[plugins.two-factor]\n",
    ),
    (
        "email_otp_magic_link",
        "[plugins.email-otp]\nchange_email = true\n[plugins.magic-link]\n",
    ),
    (
        "bearer_jwt",
        "[plugins.bearer]\n[plugins.jwt]\nalg = \"RS256\"\n",
    ),
    (
        "passkey_jwt",
        "[plugins.passkey]\n[plugins.jwt]\nalg = \"ES256\"\n",
    ),
];

/// Writes the [`MATRIX`] modules, each on one dialect and framework in turn.
fn plugin_matrix(project: &Project) {
    let mut modules = Vec::new();
    let targets = DIALECTS
        .iter()
        .flat_map(|d| [(*d, "axum"), (*d, "actix-web")])
        .cycle();
    for ((name, plugins), (dialect, framework)) in MATRIX.into_iter().zip(targets) {
        project.write(
            "rauth.toml",
            &format!("[database]\ndialect = \"{dialect}\"\n[codegen]\nframework = \"{framework}\"\ninject = false\n[email_and_password]\nenabled = true\n{plugins}"),
        );
        project
            .rauth(&[
                "generate",
                "code",
                "--out-dir",
                &format!("src/matrix/{name}"),
            ])
            .success();
        modules.push(format!("pub mod {name};\n"));
    }
    // In rustfmt's order, which the crate's `cargo fmt --check` holds it to.
    modules.sort();
    project.write(
        "src/matrix/mod.rs",
        &format!(
            "//! Each plugin alone, and the pairs that interact.\n\n{}",
            modules.concat()
        ),
    );
}

/// `options` (holding [`PLUGINS`]) for the module of `framework`: JWTs signed with `alg`, and in
/// the actix-web modules two-factor without codes by email, so the lints and `wire.rs` cover
/// that too.
fn module_options(options: &str, framework: &str, alg: &str) -> String {
    let options = with_jwt_alg(options, alg);
    if framework != "actix-web" {
        return options;
    }
    options.replace(
        "[plugins.two-factor]\n",
        "[plugins.two-factor]\notp = false\n",
    )
}

/// The cookie cache of the `dialect` modules: one strategy each, so the lints and
/// `cookie_cache.rs` cover all three.
fn cookie_cache(dialect: &str) -> String {
    let strategy = match dialect {
        "postgres" => "compact",
        "mysql" => "jwt",
        _ => "jwe",
    };
    format!("[session.cookie_cache]\nenabled = true\nstrategy = \"{strategy}\"\n")
}

/// `options` (holding [`PLUGINS`]) with JWTs signed with `alg`.
fn with_jwt_alg(options: &str, alg: &str) -> String {
    options.replace(
        "[plugins.jwt]\n",
        &format!("[plugins.jwt]\nalg = \"{alg}\"\n"),
    )
}

fn shared_target() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/generated-apps")
}

/// Runs cargo `args` in the crate, held to its committed lockfile.
fn cargo(project: &Project, args: &[&str]) {
    let lockfile = support::Lockfile::at("tests/generated/Cargo.lock");
    // rustfmt resolves no dependencies.
    let builds = args[0] != "fmt";
    let locked = if builds {
        lockfile.install(project.path())
    } else {
        None
    };
    let mut command = support::cargo_for_test_crate(&shared_target());
    command
        .args(&args[..1])
        .args(locked)
        .args(&args[1..])
        .current_dir(project.path())
        // The captcha plugin's secret key, so `check_production` passes once the senders are real.
        .env("RAUTH_TEST_CAPTCHA_SECRET", "test-secret")
        .env_remove("RUSTFLAGS");
    if args[0] == "doc" {
        // A broken doc link fails: the module's docs are its API's.
        command.env("RUSTDOCFLAGS", "-D warnings");
    }
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "cargo {args:?} failed {}:\n{}\n{}",
        lockfile.hint(),
        String::from_utf8_lossy(&out.stdout),
        support::cargo_stderr(&out.stderr)
    );
    if builds {
        lockfile.record(project.path());
    }
}

#[test]
fn generated_crypto_matches_better_auth_and_is_clean() {
    let project = app_crate();
    let files = project.files();
    for file in ["src/auth_sqlite/axum.rs", "src/auth_sqlite_actix/actix.rs"] {
        assert!(files.contains(&file.to_owned()), "{files:?}");
    }
    assert!(!files.contains(&"src/auth_sqlite_actix/axum.rs".to_owned()));
    cargo(&project, &["fmt", "--all", "--check"]);
    cargo(
        &project,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--features",
            "matrix",
            "--",
            "-D",
            "warnings",
        ],
    );
    // Every doc link resolves, private items' too (`cargo doc` does not build the tests).
    cargo(
        &project,
        &["doc", "--no-deps", "--document-private-items", "--lib"],
    );
    cargo(&project, &["test"]);
}
