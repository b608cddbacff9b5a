//! Command-line arguments: the clap structs, and their conversion into the requests the
//! commands define. Only here and in the dispatch do clap types exist; a command calls another
//! with the callee's own request.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::{Dialect, Framework, MigrationFormat};
use crate::migrate::lock::LockMode;
use crate::secret::SecretFormat;
use crate::ui::ColorChoice;
use crate::{generate, init, migrate, secret};

/// Better Auth–compatible authentication for Rust web services, as code you own.
///
/// rauth reads `rauth.toml` (the auth config and its plugins) and generates SQL migrations for
/// PostgreSQL, MySQL/MariaDB or SQLite that match Better Auth's schema, so a database and its
/// users can move between Better Auth and a Rust service.
#[derive(Debug, Parser)]
#[command(
    name = "rauth",
    version,
    propagate_version = true,
    max_term_width = 100
)]
#[command(
    after_help = "Start with `rauth new <name>` for a new service, or `rauth init` in an existing crate; \
                  `rauth generate schema --stdout` shows the SQL a rauth.toml needs."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// The auth config; relative paths inside it are resolved from its directory.
    #[arg(
        short,
        long,
        global = true,
        env = "RAUTH_CONFIG",
        default_value = "rauth.toml",
        value_name = "FILE"
    )]
    pub config: PathBuf,
    /// Print only errors and requested data.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Say more about what happens (repeat for more).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// When to color stderr; `auto` colors a terminal unless NO_COLOR is set.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, env = "RAUTH_COLOR", value_name = "WHEN")]
    pub color: ColorChoice,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate the next migration and the auth module from rauth.toml.
    Generate(GenerateArgs),
    /// Create a runnable axum or actix-web app with Better Auth–compatible auth: Cargo.toml,
    /// src/main.rs, rauth.toml, migrations/, src/auth/ and a .env with a fresh secret.
    #[command(
        after_help = "Example:\n  rauth new myapp --database sqlite && cd myapp && cargo run"
    )]
    New(NewArgs),
    /// Set up rauth in an existing axum or actix-web crate: detect what it can, ask the rest, and
    /// write rauth.toml, a first secret and the `// rauth:modules` marker.
    #[command(
        long_about = "Set up rauth in an existing crate. `rauth init` detects the framework (axum or actix-web \
in Cargo.toml), the database (sqlx or diesel features, else the scheme of DATABASE_URL in .env), existing \
migrations and their layout (sqlx, diesel, plain SQL; diesel.toml's directory), and in a workspace root the \
member to set up. It asks only what it could not detect, on a terminal; every question has a flag, and \
`--yes` takes what was detected or the default.

It writes a commented rauth.toml, a first AUTH_SECRETS version into the env file (mode 0600, added to \
.gitignore), and the `// rauth:modules` comment in the crate root (src/lib.rs, else src/main.rs), where \
`rauth generate` declares the auth module. With `--cargo-add` (or a yes on the terminal) it runs the \
`cargo add` commands for the generated code's dependencies; otherwise it prints them. Nothing is written \
before every question is answered; Ctrl-C writes nothing.

Run again on a set-up project, it keeps rauth.toml and fills only what is missing (secret, marker, \
.gitignore line); `--force` replaces rauth.toml with a new one.

Without a terminal and without `--yes`, an open question is an error (exit 2) naming the flags to pass."
    )]
    Init(InitArgs),
    /// Apply migrations under a lock; `status` shows them, `revert` undoes them.
    Migrate(MigrateArgs),
    /// Validate rauth.toml, or print its JSON Schema.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Generate a secret; rotate, list, prune and check AUTH_SECRETS in the env file.
    Secret(SecretArgs),
    /// Register clients of the OAuth provider plugin (trusted, logout, client credentials).
    #[command(subcommand, name = "oauth-client")]
    OauthClient(OauthClientCommand),
    /// List the code templates, or copy them into `.rauth/templates/` to change them.
    #[command(subcommand)]
    Templates(TemplatesCommand),
    /// Print the shell completion script for bash, zsh, fish, elvish or PowerShell.
    #[command(
        after_help = "Examples:\n  rauth completions bash > ~/.local/share/bash-completion/completions/rauth\n  rauth completions zsh > ~/.zfunc/_rauth\n  rauth completions fish > ~/.config/fish/completions/rauth.fish"
    )]
    Completions(CompletionsArgs),
    /// Print the man page (roff) of rauth, or of one subcommand.
    #[command(
        after_help = "Examples:\n  rauth man > rauth.1 && man ./rauth.1\n  rauth man migrate > rauth-migrate.1"
    )]
    Man(ManArgs),
}

/// `rauth completions`
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `rauth man`
#[derive(Debug, Args)]
pub struct ManArgs {
    /// A subcommand's page instead of rauth's (`generate`, `migrate`, …).
    #[arg(value_name = "SUBCOMMAND")]
    pub subcommand: Option<String>,
}

/// `rauth templates`
#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// List the embedded templates, marking the ones the project overrides.
    List,
    /// Copy embedded templates into `.rauth/templates/`, where `rauth generate` takes them
    /// instead of its own (file by file, saying which).
    #[command(
        after_help = "Examples:\n  rauth templates eject api          # core/api.rs.j2\n  rauth templates eject axum/axum.rs.j2\n  rauth templates eject core         # every core template\n  rauth templates eject              # all of them"
    )]
    Eject {
        /// A template (`core/api.rs.j2`), its output file (`api.rs`, `api`) or a directory
        /// (`core`); all templates without it.
        name: Option<String>,
        /// Overwrite overrides that exist.
        #[arg(long)]
        force: bool,
    },
}

/// `rauth new`
#[derive(Debug, Args)]
pub struct NewArgs {
    /// Package name (and directory, unless `--path`).
    pub name: String,
    /// Web framework.
    #[arg(long, value_enum, default_value_t = NewFramework::Axum)]
    pub framework: NewFramework,
    /// Database.
    #[arg(long, value_enum, default_value_t = Dialect::Sqlite)]
    pub database: Dialect,
    /// Directory to create, instead of `./<name>`.
    #[arg(long, value_name = "DIR")]
    pub path: Option<PathBuf>,
}

impl NewArgs {
    pub fn request(&self) -> init::NewRequest {
        init::NewRequest {
            name: self.name.clone(),
            framework: self.framework.into(),
            database: self.database,
            path: self.path.clone(),
        }
    }
}

/// `rauth init`
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  rauth init\n  rauth init --yes\n  rauth init --yes --framework axum --database postgres --plugins username,two-factor --migrations sqlx\n  rauth init --path services/api --plugins none --no-cargo-add --yes\n  rauth init --package api --yes      # in a workspace root"
)]
pub struct InitArgs {
    /// The crate (or workspace root) to set up, instead of the current directory.
    #[arg(long, value_name = "DIR")]
    pub path: Option<PathBuf>,
    /// In a workspace root: the member to set up (its package name or directory).
    #[arg(long, value_name = "NAME")]
    pub package: Option<String>,
    /// Web framework, instead of the detected one.
    #[arg(long, value_enum)]
    pub framework: Option<NewFramework>,
    /// Database, instead of the detected one.
    #[arg(long, value_enum)]
    pub database: Option<Dialect>,
    /// Plugins to enable, comma-separated (`none` for none), like `username,two-factor`.
    #[arg(long, value_name = "NAMES", value_delimiter = ',', value_parser = parse_plugin)]
    pub plugins: Option<Vec<String>>,
    /// Migration file layout, instead of the detected one.
    #[arg(long, value_enum)]
    pub migrations: Option<MigrationFormat>,
    /// Run the `cargo add` commands the generated code needs.
    #[arg(long, conflicts_with = "no_cargo_add")]
    pub cargo_add: bool,
    /// Print the `cargo add` commands instead of running them.
    #[arg(long)]
    pub no_cargo_add: bool,
    /// Answer every open question with what was detected or the default; keep an existing
    /// rauth.toml. Runs no `cargo add` unless `--cargo-add`.
    #[arg(short, long)]
    pub yes: bool,
    /// Replace an existing rauth.toml.
    #[arg(long)]
    pub force: bool,
}

impl InitArgs {
    pub fn request(&self) -> init::InitRequest {
        init::InitRequest {
            path: self.path.clone(),
            package: self.package.clone(),
            framework: self.framework.map(Framework::from),
            database: self.database,
            plugins: self.plugins.clone(),
            migrations: self.migrations,
            // clap makes the two flags conflict: at most one is set.
            cargo_add: if self.cargo_add {
                Some(true)
            } else if self.no_cargo_add {
                Some(false)
            } else {
                None
            },
            yes: self.yes,
            force: self.force,
        }
    }
}

/// A plugin name of `--plugins`: a known plugin, `none`, or a did-you-mean error.
fn parse_plugin(text: &str) -> Result<String, String> {
    let name = text.trim();
    let known = crate::config::Plugins::all().enabled();
    if name.is_empty() || name == "none" || known.contains(&name) {
        return Ok(name.to_owned());
    }
    Err(
        match crate::config::did_you_mean(name, known.iter().copied()) {
            Some(best) => format!("unknown plugin `{name}`: did you mean `{best}`?"),
            None => format!("unknown plugin `{name}`; known: {}", known.join(", ")),
        },
    )
}

/// Frameworks `rauth new` scaffolds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NewFramework {
    /// axum 0.8.
    Axum,
    /// actix-web 4.
    ActixWeb,
}

impl From<NewFramework> for Framework {
    fn from(framework: NewFramework) -> Self {
        match framework {
            NewFramework::Axum => Framework::Axum,
            NewFramework::ActixWeb => Framework::ActixWeb,
        }
    }
}

/// `rauth migrate`
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
#[command(
    long_about = "Apply the pending migrations in the configured directory, under a lock, recording each in the \
ledger your migration tool reads (`_sqlx_migrations`, `__diesel_schema_migrations`, or rauth's own `_rauth_migrations`).

Safe to run from every replica at once: one run applies, the others wait for the lock and then find nothing \
to do. The lock is sqlx's migrator lock, so rauth and your app's `sqlx::migrate!()` never run together. \
On PostgreSQL and SQLite a migration and its ledger row commit together; on MySQL an interrupted migration \
is resumed by the next run.

A database Better Auth's own `migrate` built has the tables and no ledger: a pending migration whose tables \
already exist exactly as it would create them is recorded as applied (\"Adopted\"), and the rest is applied. \
A partly present or different schema stops the run with the difference; nothing runs. `--adopt` only records.

Without migration files, the schema of rauth.toml is applied directly: whatever tables, columns and indexes \
the database lacks, as Better Auth's own `migrate` does."
)]
#[command(
    after_help = "Examples:\n  rauth migrate\n  rauth migrate --dry-run\n  rauth migrate --adopt\n  rauth migrate status\n  rauth migrate revert\n  DATABASE_URL=postgres://app@db/app rauth migrate --lock-timeout 2m"
)]
pub struct MigrateArgs {
    #[command(subcommand)]
    pub action: Option<MigrateAction>,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Debug, Subcommand)]
pub enum MigrateAction {
    /// Print every migration with its state: applied (and when), pending, changed, missing file.
    Status(ConnectionArgs),
    /// Undo the last applied migration (or every one after `--target`) with its down migration.
    Revert(RevertArgs),
}

/// Where the database and the migrations are.
#[derive(Debug, Args)]
pub struct ConnectionArgs {
    /// Database URL, instead of the variable named by `[database] url_env` (read from the
    /// environment or `.env`).
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
    /// Migrations directory, instead of `[migrations] dir`.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

impl ConnectionArgs {
    pub fn location(&self) -> migrate::Location {
        migrate::Location {
            database_url: self.database_url.clone(),
            dir: self.dir.clone(),
        }
    }
}

/// `rauth migrate` (apply)
#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// Print the SQL that would run, run nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Apply up to and including this version.
    #[arg(long, value_name = "VERSION")]
    pub target: Option<String>,
    /// How long to wait for another run's lock, like `30s` or `2m`.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    pub lock_timeout: crate::config::Seconds,
    /// `session`: a lock on rauth's own connection. `transaction`: the whole run is one
    /// transaction holding a transaction lock (PostgreSQL behind PgBouncer's transaction pooling).
    #[arg(long, value_enum, default_value_t = LockMode::Session)]
    pub lock_mode: LockMode,
    /// Only record the pending migrations whose tables already exist exactly as they would
    /// create them (a database Better Auth's `migrate` built); apply nothing. A plain
    /// `rauth migrate` adopts them too, then applies the rest.
    #[arg(long, conflicts_with = "target")]
    pub adopt: bool,
}

impl RunArgs {
    pub fn request(&self) -> migrate::ApplyRequest {
        migrate::ApplyRequest {
            location: self.connection.location(),
            dry_run: self.dry_run,
            target: self.target.clone(),
            lock_timeout: Duration::from_secs(self.lock_timeout.0),
            lock_mode: self.lock_mode,
            adopt: self.adopt,
        }
    }
}

/// `rauth migrate revert`
#[derive(Debug, Args)]
pub struct RevertArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// Revert every migration after this version (default: only the last one).
    #[arg(long, value_name = "VERSION")]
    pub target: Option<String>,
    /// How long to wait for another run's lock.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    pub lock_timeout: crate::config::Seconds,
}

impl RevertArgs {
    pub fn request(&self) -> migrate::RevertRequest {
        migrate::RevertRequest {
            location: self.connection.location(),
            target: self.target.clone(),
            lock_timeout: Duration::from_secs(self.lock_timeout.0),
        }
    }
}

fn parse_duration(text: &str) -> Result<crate::config::Seconds, String> {
    crate::config::Seconds::parse(text)
}

/// `rauth generate`
#[derive(Debug, Args)]
#[command(
    long_about = "Generate from rauth.toml: without a subcommand, the next migration (`schema`) and then the \
auth module (`code`), with their default options.",
    after_help = "Examples:\n  rauth generate                 # schema, then code\n  rauth generate schema --stdout\n  rauth generate code --out-dir src/auth"
)]
pub struct GenerateArgs {
    #[command(subcommand)]
    pub what: Option<GenerateCommand>,
    /// Exit 1 with the pending SQL and the code diff if anything would change; write nothing.
    #[arg(long, conflicts_with = "dry_run")]
    pub check: bool,
    /// Print what would change (pending SQL, code diff); write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Overwrite generated files even if they were edited by hand.
    #[arg(long)]
    pub force: bool,
}

impl GenerateArgs {
    pub fn request(&self) -> generate::GenerateRequest {
        generate::GenerateRequest {
            check: self.check,
            dry_run: self.dry_run,
            force: self.force,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum GenerateCommand {
    /// Write the next SQL migration: the tables, columns and indexes rauth.toml needs that the
    /// migrations directory does not have yet.
    ///
    /// What was already generated is recorded in `<dir>/.rauth-schema.json`, so no database is
    /// needed. Removals and changes to existing columns are never generated: they are reported
    /// with the manual step. Running it twice writes nothing the second time.
    #[command(
        after_help = "Examples:\n  rauth generate schema\n  rauth generate schema --stdout | psql \"$DATABASE_URL\"\n  rauth generate schema --dialect mysql --format diesel\n  rauth generate schema --check    # in CI: fails if migrations are behind rauth.toml"
    )]
    Schema(SchemaArgs),
    /// Write the auth module (Rust) into `[codegen] out_dir`, and print the `cargo add` line its
    /// dependencies need.
    ///
    /// The module serves Better Auth's endpoints (email and password, sessions, account,
    /// password reset, email verification and change, deletion) for the configured framework and
    /// database, with Better Auth–compatible cookies, password hashes and encryption. Templates
    /// can be overridden file by file in `.rauth/templates/`.
    #[command(
        after_help = "Examples:\n  rauth generate code\n  rauth generate code --stdout > src/auth_crypto.rs"
    )]
    Code(CodeArgs),
    /// Print the OpenAPI 3.1 document of the auth API on stdout: every endpoint rauth.toml
    /// serves (core, social sign-in, each plugin's), with its body and query fields, and the
    /// tables as component schemas.
    ///
    /// It is made from the same route declarations as the generated router, so it cannot drift
    /// from the code; the `open-api` plugin serves the same document at
    /// `/open-api/generate-schema`. Nothing is written and no database is needed.
    #[command(
        after_help = "Examples:\n  rauth generate openapi > auth.json\n  rauth -c deploy/rauth.toml generate openapi | jq '.paths | keys'"
    )]
    Openapi,
}

/// `rauth generate code`
#[derive(Debug, Args)]
pub struct CodeArgs {
    /// Print the module as one self-contained file on stdout (for `> src/auth.rs`); write nothing.
    #[arg(long, conflicts_with_all = ["check", "dry_run", "force"])]
    pub stdout: bool,
    /// Exit 1 with a unified diff if the generated files are stale; write nothing.
    #[arg(long, conflicts_with = "dry_run")]
    pub check: bool,
    /// Print a unified diff of what would change; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Overwrite generated files even if they were edited by hand.
    #[arg(long)]
    pub force: bool,
    /// Output directory, instead of `[codegen] out_dir`.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

impl CodeArgs {
    pub fn request(&self) -> generate::CodeRequest {
        generate::CodeRequest {
            stdout: self.stdout,
            check: self.check,
            dry_run: self.dry_run,
            force: self.force,
            out_dir: self.out_dir.clone(),
        }
    }
}

/// `rauth generate schema`
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Print the SQL on stdout instead of writing files.
    #[arg(long, conflicts_with_all = ["check", "accept_manual"])]
    pub stdout: bool,
    /// Exit 1 (and print the pending SQL) if a migration would be generated; write nothing.
    #[arg(long, conflicts_with = "accept_manual")]
    pub check: bool,
    /// Target dialect, instead of `[database] dialect`.
    #[arg(long, value_enum)]
    pub dialect: Option<Dialect>,
    /// File layout, instead of `[migrations] format`.
    #[arg(long, value_enum)]
    pub format: Option<MigrationFormat>,
    /// Migrations directory, instead of `[migrations] dir`.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Migration name (default: `rauth_init`, then `rauth_update`).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// sqlx layout: write `.up.sql` and `.down.sql` files.
    #[arg(long)]
    pub reversible: bool,
    /// Record the schema as generated without writing a migration (after doing a reported
    /// manual step by hand).
    #[arg(long)]
    pub accept_manual: bool,
}

impl SchemaArgs {
    pub fn request(&self) -> generate::SchemaRequest {
        generate::SchemaRequest {
            stdout: self.stdout,
            check: self.check,
            dialect: self.dialect,
            format: self.format,
            dir: self.dir.clone(),
            name: self.name.clone(),
            reversible: self.reversible,
            accept_manual: self.accept_manual,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Check rauth.toml: syntax, values, contradictions, plugin dependencies, renames. Exits 1 on
    /// any problem, pointing at file:line:col.
    Check,
    /// Print the JSON Schema of rauth.toml, for editor completion (taplo, Even Better TOML).
    #[command(
        after_help = "Use it from rauth.toml's first line:\n  #:schema ./rauth.schema.json\nafter `rauth config schema > rauth.schema.json`."
    )]
    Schema,
}

/// `rauth secret`
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
#[command(
    long_about = "Print a new secret: 32 bytes from the operating system's random generator, as hex (or \
`--format base64url`). Only the secret goes to stdout, for piping into a secret manager.

The subcommands manage `AUTH_SECRETS=\"3:new,2:old\"` in the env file (`[secret] env_file` in rauth.toml, \
default `.env`), the versioned format of Better Auth's `BETTER_AUTH_SECRETS`: the first entry is the current \
secret, the others still decrypt what they encrypted. Secret values are never printed by the subcommands: \
they show fingerprints, the first 8 hex digits of the SHA-256 of a secret."
)]
#[command(
    after_help = "Examples:\n  rauth secret | vault kv put secret/auth value=-\n  rauth secret rotate\n  rauth secret rotate --environment production --keep 3\n  rauth secret list\n  rauth secret prune --keep 1\n  rauth secret check"
)]
pub struct SecretArgs {
    #[command(subcommand)]
    pub action: Option<SecretAction>,
    /// Encoding of the printed secret.
    #[arg(long, value_enum, default_value_t = SecretFormat::Hex)]
    pub format: SecretFormat,
}

#[derive(Debug, Subcommand)]
pub enum SecretAction {
    /// Add a new current secret to AUTH_SECRETS, keeping the previous ones for decryption.
    #[command(
        long_about = "Add a new current secret to AUTH_SECRETS, as version n+1, and keep at most `--keep` \
previous versions after it (older ones are removed).

A file with only a legacy `AUTH_SECRET=x` gets `AUTH_SECRETS=\"2:<new>,1:x\"` on the line after it; the \
`AUTH_SECRET` line stays untouched, because Better Auth still uses it as the fallback for data encrypted \
before versioned secrets. A file with no secret gets `AUTH_SECRETS=\"1:<new>\"`, and a missing file is \
created with mode 0600.

The file is replaced atomically (a synced temporary file renamed over it): every other line stays byte for \
byte, and its mode is kept. rauth refuses to write through a symbolic link or into a file it cannot parse.

With `--jwks`, the env file is only read: rauth connects to the database and adds a new Ed25519 signing key \
for the jwt plugin to its `jwks` table, the private key encrypted with the file's current secret as Better \
Auth encrypts it. The keys that signed until now expire at once: they sign no more, and /jwks lists them for \
`[plugins.jwt] grace_period` so the tokens they signed keep verifying. Run it after a rotation of the secret, \
before pruning the version the old keys were encrypted with."
    )]
    #[command(
        after_help = "Examples:\n  rauth secret rotate\n  rauth secret rotate --environment production\n  rauth secret rotate --env-file deploy/.env.staging --keep 1\n  rauth secret rotate --jwks"
    )]
    Rotate(RotateArgs),
    /// Print the versions in the env file with their fingerprints; never the secrets.
    List(EnvFileArgs),
    /// Remove all but the current secret and the `--keep` newest previous versions.
    #[command(
        long_about = "Remove all but the current secret and the `--keep` newest previous versions from \
AUTH_SECRETS. Whatever was encrypted with a removed secret can no longer be decrypted. A legacy \
`AUTH_SECRET` line is never removed."
    )]
    Prune(PruneArgs),
    /// Fail on weak, default, reused, committed or unignored secrets.
    #[command(
        long_about = "Check the env file and every `.env`, `.env.*` beside it (except `.env.example`) that \
holds AUTH_SECRET or AUTH_SECRETS. Exits 1, listing every problem, when a secret is shorter than 32 bytes, \
has low entropy (under 120 bits by Better Auth's estimate, or under 3 bits per character), is Better Auth's \
default secret, or is the same in two environments' files; or when an env file is tracked by git or not \
ignored by `.gitignore`. Outside a git repository the git checks are skipped, with a warning."
    )]
    Check(EnvFileArgs),
}

/// Which env file holds the secrets.
#[derive(Debug, Args)]
pub struct EnvFileArgs {
    /// The env file, instead of `[secret] env_file` from rauth.toml.
    #[arg(long, value_name = "PATH")]
    pub env_file: Option<PathBuf>,
    /// Use `<env file>.<NAME>` beside the configured env file, like `.env.production`.
    #[arg(long, value_name = "NAME", conflicts_with = "env_file")]
    pub environment: Option<String>,
}

impl EnvFileArgs {
    pub fn choice(&self) -> secret::EnvFileChoice {
        secret::EnvFileChoice {
            env_file: self.env_file.clone(),
            environment: self.environment.clone(),
        }
    }
}

/// `rauth secret rotate`
#[derive(Debug, Args)]
pub struct RotateArgs {
    #[command(flatten)]
    pub file: EnvFileArgs,
    /// How many previous versions to keep after the new one.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub keep: usize,
    /// Encoding of the new secret.
    #[arg(long, value_enum, default_value_t = SecretFormat::Hex)]
    pub format: SecretFormat,
    /// Rotate the jwt plugin's signing key instead: add a new Ed25519 key to the `jwks` table,
    /// encrypted with the env file's current secret; the keys signing until now stop signing and
    /// stay in /jwks for `[plugins.jwt] grace_period`.
    #[arg(long, conflicts_with_all = ["keep", "format"])]
    pub jwks: bool,
    /// With `--jwks`: the database URL, instead of the variable named by `[database] url_env`
    /// (read from the environment or `.env`).
    #[arg(long, value_name = "URL", requires = "jwks")]
    pub database_url: Option<String>,
    /// Rewrite the env file even if it is read-only (its mode is kept).
    #[arg(long)]
    pub force: bool,
}

/// `rauth secret prune`
#[derive(Debug, Args)]
pub struct PruneArgs {
    #[command(flatten)]
    pub file: EnvFileArgs,
    /// How many previous versions to keep after the current one.
    #[arg(long, value_name = "N")]
    pub keep: usize,
    /// Rewrite the env file even if it is read-only (its mode is kept).
    #[arg(long)]
    pub force: bool,
}

impl RotateArgs {
    pub fn request(&self) -> secret::RotateRequest {
        secret::RotateRequest {
            file: self.file.choice(),
            keep: self.keep,
            format: self.format,
            force: self.force,
        }
    }
}

impl PruneArgs {
    pub fn request(&self) -> secret::PruneRequest {
        secret::PruneRequest {
            file: self.file.choice(),
            keep: self.keep,
            force: self.force,
        }
    }
}

/// `rauth oauth-client`
#[derive(Debug, Subcommand)]
pub enum OauthClientCommand {
    /// Register a client in the database; print its id and secret (shown once, stored hashed).
    #[command(
        long_about = "Register a client of `[plugins.oauth-provider]` in the database, as an operator: the \
kinds a user cannot make at /oauth2/create-client. `--trusted` skips the consent page (a first-party app), \
`--end-session` lets it end the user's session (RP-initiated logout, with `--post-logout-redirect-uri`), \
`--client-credentials-scope` gives it tokens for itself. The client authenticates with HTTP Basic \
(`client_secret_basic`), or is public (`--public`: no secret, PKCE only).

Prints `client_id=…` and `client_secret=…` on stdout, ready for the client's env file: the secret is shown \
this once, and only its SHA-256 is stored, as Better Auth stores it. The row is Better Auth's, so a Better \
Auth server on the same database takes the client too.",
        after_help = "Examples:\n  rauth oauth-client create --name Dashboard --redirect-uri https://dash.example.com/callback --trusted\n  rauth oauth-client create --name CLI --public --native --redirect-uri http://127.0.0.1/callback\n  rauth oauth-client create --name Reports --client-credentials-scope reports:read >> reports/.env"
    )]
    Create(OauthClientCreateArgs),
}

/// `rauth oauth-client create`
#[derive(Debug, Args)]
pub struct OauthClientCreateArgs {
    /// The name users see on the consent page.
    #[arg(long)]
    pub name: String,
    /// Where users come back with a code; repeat for several (matched exactly).
    #[arg(long = "redirect-uri", value_name = "URI")]
    pub redirect_uris: Vec<String>,
    /// Where `/oauth2/end-session` may send users back to; repeat for several.
    #[arg(long = "post-logout-redirect-uri", value_name = "URI")]
    pub post_logout_redirect_uris: Vec<String>,
    /// No secret: a single-page or native app, proven by PKCE.
    #[arg(long)]
    pub public: bool,
    /// A native app: redirect URIs on loopback http (any port) or a private-use scheme.
    #[arg(long)]
    pub native: bool,
    /// Skip the consent page (Better Auth's `skipConsent`): for your own apps only.
    #[arg(long)]
    pub trusted: bool,
    /// Allow RP-initiated logout (`enableEndSession`): its ID tokens name the session.
    #[arg(long)]
    pub end_session: bool,
    /// A scope it may ask for; repeat for several (default: any of the provider's).
    #[arg(long = "scope", value_name = "SCOPE")]
    pub scopes: Vec<String>,
    /// A scope of the tokens it gets for itself (the client credentials grant); repeat.
    #[arg(long = "client-credentials-scope", value_name = "SCOPE")]
    pub client_credentials_scopes: Vec<String>,
    /// Database URL, instead of the variable named by `[database] url_env` (read from the
    /// environment or `.env`).
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
}

impl OauthClientCreateArgs {
    pub fn request(&self) -> crate::oauth_client::CreateRequest {
        crate::oauth_client::CreateRequest {
            database_url: self.database_url.clone(),
            name: self.name.clone(),
            redirect_uris: self.redirect_uris.clone(),
            post_logout_redirect_uris: self.post_logout_redirect_uris.clone(),
            public: self.public,
            native: self.native,
            trusted: self.trusted,
            end_session: self.end_session,
            scopes: self.scopes.clone(),
            client_credentials_scopes: self.client_credentials_scopes.clone(),
        }
    }
}
