//! The typed shape of `rauth.toml`. Field docs double as descriptions in `rauth config schema`.
//! Defaults are Better Auth 1.7's (REFERENCE §4.3, §5) unless a comment says otherwise.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

use super::duration::Seconds;
use super::plugins::{Context, Plugins};

/// The whole auth config.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// The application: names, URLs, origins.
    pub app: App,
    /// Which database the schema and code target.
    pub database: Database,
    /// Where and how migration files are written.
    pub migrations: Migrations,
    /// Where generated Rust code goes.
    pub codegen: Codegen,
    /// Where the auth secret lives.
    pub secret: SecretFile,
    /// Sign-up and sign-in with email and password.
    pub email_and_password: EmailAndPassword,
    /// Email verification links.
    pub email_verification: EmailVerification,
    /// Session lifetime and cookies.
    pub session: Session,
    /// User options and additional user fields.
    pub user: User,
    /// Rate limiting of the auth endpoints.
    pub rate_limit: RateLimit,
    /// Enabled plugins: one table per plugin; an empty table enables it with its defaults.
    pub plugins: Plugins,
    /// Social sign-in providers.
    pub social: Social,
    /// Accounts of social providers: linking rules and token storage.
    pub account: Account,
    /// Table and column renames (Better Auth's `modelName` / `fields`), keyed by Better Auth's table name.
    pub tables: BTreeMap<String, TableRename>,
}

/// `[app]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct App {
    /// Application name: TOTP issuer and email subjects.
    pub name: String,
    /// Public URL of the server that serves the auth routes.
    pub base_url: String,
    /// Path the auth routes are mounted under.
    pub base_path: String,
    /// Origins allowed to make cookie-bearing requests (besides `base_url`'s own).
    pub trusted_origins: Vec<String>,
}

impl Default for App {
    fn default() -> Self {
        Self {
            name: "Better Auth".into(),
            base_url: "http://localhost:3000".into(),
            base_path: "/api/auth".into(),
            trusted_origins: Vec::new(),
        }
    }
}

/// `[database]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Database {
    /// SQL dialect of the generated schema and store code.
    pub dialect: Dialect,
    /// Environment variable holding the database URL.
    pub url_env: String,
    /// Table and column naming: Better Auth's camelCase names, or snake_case.
    pub naming: Naming,
}

impl Default for Database {
    fn default() -> Self {
        Self {
            dialect: Dialect::Sqlite,
            url_env: "DATABASE_URL".into(),
            naming: Naming::BetterAuth,
        }
    }
}

/// A SQL dialect.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, JsonSchema, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    /// PostgreSQL 12+.
    Postgres,
    /// MySQL 8 / MariaDB 10.5+.
    Mysql,
    /// SQLite 3.35+.
    Sqlite,
}

impl Dialect {
    pub fn name(self) -> &'static str {
        match self {
            Self::Postgres => "postgres",
            Self::Mysql => "mysql",
            Self::Sqlite => "sqlite",
        }
    }

    /// The dialect of a database URL, from its scheme; `None` for anything but the forms of
    /// [`Dialect::URL_FORMS`].
    pub fn of_url(url: &str) -> Option<Self> {
        let scheme = url.split_once(':')?.0.to_ascii_lowercase();
        match scheme.as_str() {
            "postgres" | "postgresql" => Some(Self::Postgres),
            "mysql" | "mariadb" => Some(Self::Mysql),
            "sqlite" => Some(Self::Sqlite),
            _ => None,
        }
    }

    /// The database URLs rauth reads, one per line, for messages.
    pub const URL_FORMS: &str = "postgres://user:password@host:5432/database  (or postgresql://)\n\
         mysql://user:password@host:3306/database     (or mariadb://)\n\
         sqlite://path/to/file.db                     (or sqlite:file.db)";
}

/// Naming of tables and columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum Naming {
    /// Better Auth's own names (`emailVerified`, `twoFactor`): a database shared with Better Auth.
    #[serde(rename = "better-auth")]
    BetterAuth,
    /// `email_verified`, `two_factor`.
    #[serde(rename = "snake_case")]
    SnakeCase,
}

/// `[migrations]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Migrations {
    /// Layout of the migration files: what your migration tool reads.
    pub format: MigrationFormat,
    /// Directory of the migration files, relative to `rauth.toml`.
    pub dir: String,
    /// sqlx only: write `<version>_<name>.up.sql` and `.down.sql` pairs.
    pub reversible: bool,
}

impl Default for Migrations {
    fn default() -> Self {
        Self {
            format: MigrationFormat::Sqlx,
            dir: "migrations".into(),
            reversible: false,
        }
    }
}

/// Migration file layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum MigrationFormat {
    /// `<version>_<name>.sql` (sqlx::migrate!, sqlx-cli).
    Sqlx,
    /// `<version>_<name>/up.sql` and `down.sql` (diesel_migrations, diesel-cli).
    Diesel,
    /// `<version>_<name>.sql` for any other tool.
    Sql,
}

/// `[codegen]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Codegen {
    /// Web framework of the generated handlers.
    pub framework: Framework,
    /// Directory of the generated auth module, relative to `rauth.toml`.
    pub out_dir: String,
    /// Declare the module in the crate root (`src/lib.rs`, else `src/main.rs`), after its
    /// `// rauth:modules` marker comment.
    pub inject: bool,
}

impl Default for Codegen {
    fn default() -> Self {
        Self {
            framework: Framework::Axum,
            out_dir: "src/auth".into(),
            inject: true,
        }
    }
}

/// Web framework.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum Framework {
    /// axum 0.8.
    #[serde(rename = "axum")]
    Axum,
    /// actix-web 4.
    #[serde(rename = "actix-web")]
    ActixWeb,
}

/// `[secret]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct SecretFile {
    /// Env file holding `AUTH_SECRET` / `AUTH_SECRETS`, relative to `rauth.toml`.
    pub env_file: String,
}

impl Default for SecretFile {
    fn default() -> Self {
        Self {
            env_file: ".env".into(),
        }
    }
}

/// `[email_and_password]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct EmailAndPassword {
    /// Enable `/sign-up/email` and `/sign-in/email`. Better Auth's default is off.
    pub enabled: bool,
    /// Reject `/sign-up/email` (sign-in still works).
    pub disable_sign_up: bool,
    /// Shortest accepted password, in characters.
    pub min_password_length: u32,
    /// Longest accepted password, in characters.
    pub max_password_length: u32,
    /// Refuse sign-in until the email is verified.
    pub require_email_verification: bool,
    /// Sign the user in right after sign-up.
    pub auto_sign_in: bool,
    /// Lifetime of a password-reset token.
    pub reset_password_token_expires_in: Seconds,
    /// Revoke every session when the password is reset.
    pub revoke_sessions_on_password_reset: bool,
}

impl Default for EmailAndPassword {
    fn default() -> Self {
        Self {
            enabled: false,
            disable_sign_up: false,
            min_password_length: 8,
            max_password_length: 128,
            require_email_verification: false,
            auto_sign_in: true,
            reset_password_token_expires_in: Seconds(3600),
            revoke_sessions_on_password_reset: false,
        }
    }
}

/// `[email_verification]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct EmailVerification {
    /// Mail a verification link on sign-up. Default: `email_and_password.require_email_verification`.
    pub send_on_sign_up: Option<bool>,
    /// Mail a verification link when an unverified user is refused sign-in.
    pub send_on_sign_in: bool,
    /// Sign the user in when they open the verification link.
    pub auto_sign_in_after_verification: bool,
    /// Lifetime of a verification link.
    pub expires_in: Seconds,
}

impl Default for EmailVerification {
    fn default() -> Self {
        Self {
            send_on_sign_up: None,
            send_on_sign_in: false,
            auto_sign_in_after_verification: false,
            expires_in: Seconds(3600),
        }
    }
}

/// `[session]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Session {
    /// Session lifetime.
    pub expires_in: Seconds,
    /// How often an active session's expiry is pushed forward.
    pub update_age: Seconds,
    /// A session younger than this is "fresh" (needed for sensitive actions); 0 disables the check.
    pub fresh_age: Seconds,
    /// Cookie name prefix: `<prefix>.session_token`.
    pub cookie_prefix: String,
    /// SameSite attribute of the auth cookies.
    pub same_site: SameSite,
    /// Secure cookies with the `__Secure-` prefix. Default: on when `base_url` is https.
    pub secure: Option<bool>,
    /// Additional columns on the session table.
    pub additional_fields: BTreeMap<String, AdditionalField>,
    /// Where session lookups are cached: `redis` keeps each looked-up session with its user in
    /// Redis, so replicas sharing it spare the database most lookups. The database stays the
    /// record (Better Auth's `secondaryStorage` with `storeSessionInDatabase`).
    pub cache: SessionCache,
    /// How long a cached session is served without reading the database: the longest a change
    /// made outside the generated code (your own SQL, a Better Auth server on the same
    /// database) goes unseen.
    pub cache_max_age: Seconds,
    /// Environment variable with the Redis URL (`cache = "redis"`).
    pub redis_url_env: String,
    /// Better Auth's `session.cookieCache`: the session and its user carried in the signed or
    /// encrypted `session_data` cookie, so most `/get-session` calls need no database.
    pub cookie_cache: CookieCache,
}

/// `[session.cookie_cache]`
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct CookieCache {
    /// Off by default, as in Better Auth: a revoked session can be served from the cookie until
    /// `max_age`.
    pub enabled: bool,
    /// How long a `session_data` cookie is trusted before `/get-session` reads the database again.
    pub max_age: Seconds,
    /// How the cookie is protected.
    pub strategy: CookieCacheStrategy,
    /// A cookie of another version is ignored: change it to invalidate every cached session.
    pub version: String,
}

impl Default for CookieCache {
    fn default() -> Self {
        Self {
            enabled: false,
            max_age: Seconds(300),
            strategy: CookieCacheStrategy::Compact,
            version: "1".into(),
        }
    }
}

/// How the `session_data` cookie is protected (Better Auth's `cookieCache.strategy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CookieCacheStrategy {
    /// base64url JSON with an HMAC-SHA256 signature (readable by the browser's owner).
    Compact,
    /// An HS256 JWT (readable by the browser's owner).
    Jwt,
    /// Encrypted: JWE `dir` + `A256CBC-HS512` under a key derived from the secret.
    Jwe,
}

/// Where session lookups are cached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SessionCache {
    /// Every lookup reads the database.
    None,
    /// In Redis, shared by every replica.
    Redis,
}

impl Default for Session {
    fn default() -> Self {
        Self {
            expires_in: Seconds(604_800),
            update_age: Seconds(86_400),
            fresh_age: Seconds(86_400),
            cookie_prefix: "better-auth".into(),
            same_site: SameSite::Lax,
            secure: None,
            additional_fields: BTreeMap::new(),
            cache: SessionCache::None,
            cache_max_age: Seconds(300),
            redis_url_env: "REDIS_URL".into(),
            cookie_cache: CookieCache::default(),
        }
    }
}

/// Cookie SameSite attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SameSite {
    /// Sent on top-level navigations from other sites (the default).
    Lax,
    /// Never sent from other sites.
    Strict,
    /// Always sent; requires `secure = true`.
    None,
}

/// `[user]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct User {
    /// Allow `/change-email`. The new address is verified by a mailed link before it replaces the
    /// old one.
    pub change_email: bool,
    /// `/change-email` of a user whose current email is not verified changes it at once (Better
    /// Auth's `updateEmailWithoutVerification`).
    pub change_email_without_verification: bool,
    /// `/change-email` of a verified user first mails a confirmation link to the current address
    /// (Better Auth's `sendChangeEmailConfirmation`).
    pub confirm_email_change: bool,
    /// Allow `/delete-user`.
    pub delete_user: bool,
    /// `/delete-user` mails a confirmation link (`/delete-user/callback`) instead of deleting at
    /// once (Better Auth's `sendDeleteAccountVerification`).
    pub delete_user_verification: bool,
    /// Lifetime of that confirmation link.
    pub delete_token_expires_in: Seconds,
    /// Additional columns on the user table (Better Auth's `user.additionalFields`).
    pub additional_fields: BTreeMap<String, AdditionalField>,
}

impl Default for User {
    fn default() -> Self {
        Self {
            change_email: false,
            change_email_without_verification: false,
            confirm_email_change: false,
            delete_user: false,
            delete_user_verification: false,
            delete_token_expires_in: Seconds(86_400),
            additional_fields: BTreeMap::new(),
        }
    }
}

/// An additional column (Better Auth's `additionalFields` entry).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdditionalField {
    /// Value type.
    #[serde(rename = "type")]
    pub kind: FieldType,
    /// NOT NULL. Better Auth's default is true.
    #[serde(default = "yes")]
    pub required: bool,
    /// UNIQUE.
    #[serde(default)]
    pub unique: bool,
    /// Non-unique index.
    #[serde(default)]
    pub index: bool,
    /// Default value for new rows (and for existing rows when the column is added): a string,
    /// integer or boolean matching `type`.
    #[schemars(with = "Option<serde_json::Value>")]
    pub default: Option<toml::Value>,
    /// Accepted in request bodies (sign-up, update-user).
    #[serde(default = "yes")]
    pub input: bool,
    /// Included in responses.
    #[serde(default = "yes")]
    pub returned: bool,
    /// Column name, when it differs from the field name.
    pub column: Option<String>,
    /// Sorted or filtered on (sizes the MySQL column as varchar(255)).
    #[serde(default)]
    pub sortable: bool,
    /// A 64-bit number (`type = "number"` only).
    #[serde(default)]
    pub bigint: bool,
    /// A foreign key, by Better Auth's table and field names.
    pub references: Option<FieldReference>,
}

/// A foreign key of an additional field.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldReference {
    /// Referenced table (Better Auth's name, e.g. `organization`).
    pub table: String,
    /// Referenced field.
    #[serde(default = "id_field")]
    pub field: String,
    /// `ON DELETE` action.
    #[serde(default)]
    pub on_delete: OnDeleteAction,
}

fn id_field() -> String {
    "id".into()
}

/// `ON DELETE` action of a foreign key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum OnDeleteAction {
    /// Delete the referencing rows (Better Auth's default).
    #[default]
    #[serde(rename = "cascade")]
    Cascade,
    /// Set the column to NULL.
    #[serde(rename = "set null")]
    SetNull,
    /// Refuse the delete.
    #[serde(rename = "restrict")]
    Restrict,
    /// Refuse the delete, checked at the end of the statement.
    #[serde(rename = "no action")]
    NoAction,
}

fn yes() -> bool {
    true
}

/// Logical type of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize, JsonSchema)]
pub enum FieldType {
    /// Text.
    #[serde(rename = "string")]
    String,
    /// Integer (64-bit with `bigint`).
    #[serde(rename = "number")]
    Number,
    /// true / false.
    #[serde(rename = "boolean")]
    Boolean,
    /// Timestamp.
    #[serde(rename = "date")]
    Date,
    /// JSON document.
    #[serde(rename = "json")]
    Json,
    /// List of strings (JSON).
    #[serde(rename = "string[]")]
    StringArray,
    /// List of numbers (JSON).
    #[serde(rename = "number[]")]
    NumberArray,
}

/// `[rate_limit]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RateLimit {
    /// Default: on. `false` turns limits off in the generated code; left unset, a process run
    /// with `AUTH_RATE_LIMIT=off` outside production (`APP_ENV=production`) runs without them
    /// (tests, local development). Better Auth's default is on in production only.
    pub enabled: Option<bool>,
    /// Where counters live; `database` adds the `rateLimit` table, `redis` shares them across replicas.
    pub storage: RateLimitStorage,
    /// Window of the default rule.
    pub window: Seconds,
    /// Requests allowed per window by the default rule.
    pub max: u32,
    /// Environment variable with the Redis URL (storage = "redis").
    pub redis_url_env: String,
    /// Rules per path (relative to `base_path`, `*` wildcard allowed), overriding the built-in ones.
    pub custom_rules: BTreeMap<String, RateLimitRule>,
    /// Reverse proxies (addresses or CIDR ranges, like "10.0.0.0/8" or "::1") whose
    /// `ip_address_header` is believed. Default: none, so the client address is the socket peer
    /// and no header can change it.
    pub trusted_proxies: Vec<String>,
    /// The header a trusted proxy puts the client address in; read right to left, the first
    /// address that is not a trusted proxy is the client's (Better Auth: `ipAddressHeaders`).
    pub ip_address_header: String,
    /// IPv6 clients are grouped by this prefix length, so one host cannot rotate through its
    /// /64 for fresh limits (Better Auth: `ipv6Subnet`).
    pub ipv6_subnet: u8,
}

impl Default for RateLimit {
    fn default() -> Self {
        Self {
            enabled: None,
            storage: RateLimitStorage::Memory,
            window: Seconds(10),
            max: 100,
            redis_url_env: "REDIS_URL".into(),
            custom_rules: BTreeMap::new(),
            trusted_proxies: Vec::new(),
            ip_address_header: "x-forwarded-for".into(),
            ipv6_subnet: 64,
        }
    }
}

/// Rate-limit counter storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RateLimitStorage {
    /// In the process (one replica).
    Memory,
    /// In the `rateLimit` table.
    Database,
    /// In Redis.
    Redis,
}

/// A rate-limit rule for one path.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RateLimitRule {
    /// Window length.
    pub window: Option<Seconds>,
    /// Requests per window.
    pub max: Option<u32>,
    /// No limit on this path.
    #[serde(default)]
    pub disabled: bool,
}

/// A table rename.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct TableRename {
    /// Physical table name.
    pub name: Option<String>,
    /// Physical column names, keyed by Better Auth's field name.
    pub fields: BTreeMap<String, String>,
}

/// `[social.*]`: OAuth providers.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Social {
    /// GitHub.
    pub github: Option<SocialProvider>,
    /// Google.
    pub google: Option<SocialProvider>,
    /// Discord.
    pub discord: Option<SocialProvider>,
    /// Microsoft Entra ID.
    pub microsoft: Option<SocialProvider>,
    /// Sign in with Apple.
    pub apple: Option<SocialProvider>,
    /// Generic OpenID Connect providers, keyed by provider id.
    pub oidc: BTreeMap<String, SocialProvider>,
}

impl Social {
    pub fn is_empty(&self) -> bool {
        self.github.is_none()
            && self.google.is_none()
            && self.discord.is_none()
            && self.microsoft.is_none()
            && self.apple.is_none()
            && self.oidc.is_empty()
    }
}

impl Social {
    /// Every configured provider with its id and key path in the config, built-in ones first.
    pub fn providers(&self) -> Vec<(String, Vec<String>, ProviderKind, &SocialProvider)> {
        let named = [
            (ProviderKind::Github, &self.github),
            (ProviderKind::Google, &self.google),
            (ProviderKind::Discord, &self.discord),
            (ProviderKind::Microsoft, &self.microsoft),
            (ProviderKind::Apple, &self.apple),
        ];
        let builtin = named.into_iter().filter_map(|(kind, p)| {
            let id = kind.name().to_owned();
            p.as_ref()
                .map(|p| (id.clone(), vec!["social".to_owned(), id], kind, p))
        });
        let oidc = self.oidc.iter().map(|(id, p)| {
            let path = vec!["social".to_owned(), "oidc".to_owned(), id.clone()];
            (id.clone(), path, ProviderKind::Oidc, p)
        });
        builtin.chain(oidc).collect()
    }
}

/// Which provider implementation a `[social.*]` table configures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderKind {
    Github,
    Google,
    Discord,
    Microsoft,
    Apple,
    /// A generic OpenID Connect provider found through discovery.
    Oidc,
}

impl ProviderKind {
    pub fn name(self) -> &'static str {
        match self {
            Self::Github => "github",
            Self::Google => "google",
            Self::Discord => "discord",
            Self::Microsoft => "microsoft",
            Self::Apple => "apple",
            Self::Oidc => "oidc",
        }
    }
}

/// One OAuth provider. Credentials are read from the environment, never written in the config.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SocialProvider {
    /// Environment variable with the client id.
    pub client_id_env: String,
    /// Environment variable with the client secret. Required, except for `[social.apple]` with
    /// `team_id`, `key_id` and `private_key_env`, whose client secret the server mints.
    pub client_secret_env: Option<String>,
    /// Redirect URI registered at the provider, sent exactly as written. Default:
    /// `<base_url><base_path>/callback/<id>`.
    pub redirect_uri: Option<String>,
    /// Scopes requested besides the provider's defaults.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// OIDC discovery URL (`oidc` providers only).
    pub discovery_url: Option<String>,
    /// Environment variable with the OIDC discovery URL, read at startup (`oidc` providers only),
    /// for an issuer that differs per environment.
    pub discovery_url_env: Option<String>,
    /// A plain OAuth 2.0 provider without discovery (`oidc` providers only; Better Auth's
    /// genericOAuth `authorizationUrl`): its authorization endpoint, with `token_url` and
    /// `user_info_url` instead of `discovery_url`.
    pub authorization_url: Option<String>,
    /// Its token endpoint (genericOAuth `tokenUrl`).
    pub token_url: Option<String>,
    /// Its userinfo endpoint (genericOAuth `userInfoUrl`), read with the access token for the
    /// user's `sub` (or `id`), `email`, `email_verified`, `name` and `picture`.
    pub user_info_url: Option<String>,
    /// `prompt` of the authorization request (`consent`, `select_account`, `login`, `none`).
    pub prompt: Option<String>,
    /// How the client authenticates at the token endpoint: `post` (`client_secret_post`, Better
    /// Auth's default) or `basic` (`client_secret_basic`). `oidc` providers only.
    pub authentication: Option<TokenAuthentication>,
    /// Microsoft Entra ID tenant: `common` (default), `organizations`, `consumers` or a tenant id.
    pub tenant_id: Option<String>,
    /// Send PKCE (S256). Default: on.
    #[serde(default = "yes")]
    pub pkce: bool,
    /// Apple: the team id (10 characters) the minted client secret is issued by.
    pub team_id: Option<String>,
    /// Apple: the id (10 characters) of the Sign in with Apple key.
    pub key_id: Option<String>,
    /// Apple: environment variable with that key's `.p8` file (PKCS#8 PEM, P-256), which signs
    /// the client secret (ES256, renewed before it expires).
    pub private_key_env: Option<String>,
    /// Apple: the native app's bundle identifier, the audience of its ID tokens.
    pub app_bundle_identifier: Option<String>,
    /// Apple: the audiences accepted in ID tokens instead of `app_bundle_identifier`.
    #[serde(default)]
    pub audience: Vec<String>,
}

/// Token endpoint client authentication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TokenAuthentication {
    /// `client_id` and `client_secret` in the form body.
    Post,
    /// HTTP Basic authentication.
    Basic,
}

/// `[account]`: what Better Auth's `account` option sets.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Account {
    /// Encrypt access and refresh tokens at rest (Better Auth's `encryptOAuthTokens`), with the
    /// auth secret, as Better Auth does.
    pub encrypt_oauth_tokens: bool,
    /// `[account.account_linking]`: when a provider account joins an existing user.
    pub account_linking: AccountLinking,
}

/// `[account.account_linking]`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct AccountLinking {
    /// Link provider accounts to existing users at all.
    pub enabled: bool,
    /// Never link on sign-in by a matching email; only `/link-social` links.
    pub disable_implicit_linking: bool,
    /// Providers whose emails count as verified even when the provider does not say so.
    pub trusted_providers: Vec<String>,
    /// `/link-social` may link an account whose email differs from the user's.
    pub allow_different_emails: bool,
    /// `/unlink-account` may remove a user's last account.
    pub allow_unlinking_all: bool,
}

impl Default for AccountLinking {
    fn default() -> Self {
        Self {
            enabled: true,
            disable_implicit_linking: false,
            trusted_providers: Vec::new(),
            allow_different_emails: false,
            allow_unlinking_all: false,
        }
    }
}

impl Config {
    /// What the plugins' checks and template values read of the rest of this config.
    pub fn plugin_context(&self) -> Context<'_> {
        Context {
            app_name: &self.app.name,
            base_url: &self.app.base_url,
            enabled: self.plugins.enabled(),
            social: self
                .social
                .providers()
                .into_iter()
                .map(|(id, ..)| id)
                .collect(),
        }
    }
}
