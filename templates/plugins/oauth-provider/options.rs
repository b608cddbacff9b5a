//! `[plugins.oauth-provider]`: this app as an OAuth 2.1 / OpenID Connect provider for other
//! applications. Option names follow Better Auth's `oauthProvider({...})`, snake_cased.

use schemars::JsonSchema;
use serde::Deserialize;

use super::contract::{Context, PluginOptions};
use crate::config::diagnostic::Issue;
use crate::config::duration::Seconds;
use crate::config::literal::rust_str;

/// `[plugins.oauth-provider]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct OauthProviderOptions {
    /// The scopes clients may ask for (Better Auth's `scopes`). `openid` makes this an OpenID
    /// provider (ID tokens, `/oauth2/userinfo`); `offline_access` grants refresh tokens.
    pub scopes: Vec<String>,
    /// Your sign-in page, a path of the app or an absolute URL (Better Auth's `loginPage`).
    /// `/oauth2/authorize` sends a browser without a session there, the request signed in the
    /// query; the page signs in with `oauth_query` (that signed query) in the body, and the
    /// answer is `{"redirect": true, "url": …}`, the flow's next step.
    pub login_page: String,
    /// Your consent page, where the user accepts or denies a client's scopes (Better Auth's
    /// `consentPage`); it posts `/oauth2/consent` with `accept` and `oauth_query`.
    pub consent_page: String,
    /// How long an authorization code lives (Better Auth's `codeExpiresIn`, 10 minutes).
    pub code_expires_in: Seconds,
    /// How long a user's access token lives (Better Auth's `accessTokenExpiresIn`, 1 hour).
    pub access_token_expires_in: Seconds,
    /// How long a client-credentials (machine) access token lives (`m2mAccessTokenExpiresIn`).
    pub m2m_access_token_expires_in: Seconds,
    /// How long an ID token is valid (Better Auth's `idTokenExpiresIn`, 10 hours).
    pub id_token_expires_in: Seconds,
    /// How long a refresh token lives (Better Auth's `refreshTokenExpiresIn`, 30 days).
    pub refresh_token_expires_in: Seconds,
    /// Clients may register themselves at `/oauth2/register` (RFC 7591), as MCP clients do
    /// (Better Auth's `allowDynamicClientRegistration`). Signed-in users only, unless
    /// `allow_unauthenticated_client_registration`.
    pub allow_dynamic_client_registration: bool,
    /// Anyone may register a public client (no secret, PKCE) at `/oauth2/register` (Better
    /// Auth's `allowUnauthenticatedClientRegistration`): what MCP clients need to connect with no
    /// setup.
    pub allow_unauthenticated_client_registration: bool,
    /// The APIs clients may ask tokens for with `resource` (RFC 8707), by their URL (Better
    /// Auth's `resources`): such a token is a JWT signed with the JWKS key, its `aud` the
    /// resources asked for, which the API checks with `Auth::oauth_access`.
    pub resources: Vec<String>,
}

impl Default for OauthProviderOptions {
    fn default() -> Self {
        Self {
            scopes: ["openid", "profile", "email", "offline_access"]
                .map(str::to_owned)
                .to_vec(),
            login_page: "/sign-in".to_owned(),
            consent_page: "/consent".to_owned(),
            code_expires_in: Seconds(600),
            access_token_expires_in: Seconds(3600),
            m2m_access_token_expires_in: Seconds(3600),
            id_token_expires_in: Seconds(36_000),
            refresh_token_expires_in: Seconds(30 * 86_400),
            allow_dynamic_client_registration: false,
            allow_unauthenticated_client_registration: false,
            resources: Vec::new(),
        }
    }
}

const PLUGIN: &str = "oauth-provider";

impl PluginOptions for OauthProviderOptions {
    fn check(&self, _: &Context, issues: &mut Vec<Issue>) {
        if self.scopes.is_empty() {
            issues.push(
                Issue::new(&["plugins", PLUGIN, "scopes"], "`scopes` must list at least one scope")
                    .help("Better Auth's default is [\"openid\", \"profile\", \"email\", \"offline_access\"]"),
            );
        }
        for scope in &self.scopes {
            if scope.is_empty()
                || !scope
                    .chars()
                    .all(|c| c.is_ascii_graphic() && c != '"' && c != '\\')
            {
                issues.push(Issue::new(
                    &["plugins", PLUGIN, "scopes"],
                    format!("`{scope}` is not a scope: scopes are printable ASCII without spaces, quotes or backslashes (RFC 6749 §3.3)"),
                ));
            }
        }
        for (key, page) in [
            ("login_page", &self.login_page),
            ("consent_page", &self.consent_page),
        ] {
            let absolute = page.starts_with("https://") || page.starts_with("http://");
            if !(page.starts_with('/') && !page.starts_with("//") || absolute)
                || page.contains(['?', '#'])
            {
                issues.push(
                    Issue::new(&["plugins", PLUGIN, key], format!("`{key}` must be a path of the app (`/sign-in`) or an absolute http(s) URL, without a query"))
                        .help("the signed authorization request is appended as the page's query"),
                );
            }
        }
        let durations = [
            ("code_expires_in", self.code_expires_in),
            ("access_token_expires_in", self.access_token_expires_in),
            (
                "m2m_access_token_expires_in",
                self.m2m_access_token_expires_in,
            ),
            ("id_token_expires_in", self.id_token_expires_in),
            ("refresh_token_expires_in", self.refresh_token_expires_in),
        ];
        for (key, value) in durations {
            if value.0 == 0 {
                issues.push(Issue::new(
                    &["plugins", PLUGIN, key],
                    format!("`{key}` must be longer than 0s"),
                ));
            }
        }
        if self.allow_unauthenticated_client_registration && !self.allow_dynamic_client_registration
        {
            issues.push(
                Issue::new(
                    &["plugins", PLUGIN, "allow_unauthenticated_client_registration"],
                    "`allow_unauthenticated_client_registration` needs `allow_dynamic_client_registration = true`",
                )
                .help("`/oauth2/register` exists only when dynamic client registration is allowed"),
            );
        }
    }

    fn template_values(&self, _: &Context) -> serde_json::Value {
        serde_json::json!({
            "scopes": self.scopes.iter().map(|s| rust_str(s)).collect::<Vec<_>>(),
            "openid": self.scopes.iter().any(|s| s == "openid"),
            "login_page": rust_str(&self.login_page),
            "consent_page": rust_str(&self.consent_page),
            "code_expires_in": self.code_expires_in.0,
            "access_token_expires_in": self.access_token_expires_in.0,
            "m2m_access_token_expires_in": self.m2m_access_token_expires_in.0,
            "id_token_expires_in": self.id_token_expires_in.0,
            "refresh_token_expires_in": self.refresh_token_expires_in.0,
            "allow_dynamic_client_registration": self.allow_dynamic_client_registration,
            "allow_unauthenticated_client_registration": self.allow_unauthenticated_client_registration,
            "resources": self.resources.iter().map(|r| rust_str(r)).collect::<Vec<_>>(),
        })
    }
}
