//! `rauth oauth-client create`: registers a client of the `oauth-provider` plugin in its database,
//! as an operator does (Better Auth's admin API for it is server-side only): the clients a user
//! may not make for themselves, trusted ones that skip consent, ones allowed to end sessions
//! (RP-initiated logout), ones with the client credentials grant. The row is Better Auth's; the
//! secret is printed once and stored as its hash, as Better Auth stores it.

use anyhow::{Context as _, bail};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;
use sha2::{Digest as _, Sha256};
use sqlx::AssertSqlSafe;
use time::OffsetDateTime;

use crate::config::Dialect;
use crate::context::Context;
use crate::dialect::rows::{date_literal, json_placeholder, placeholder, quote};
use crate::migrate::connection;
use crate::random;
use crate::schema::Schema;

/// What `rauth oauth-client create` registers.
#[derive(Debug, Clone, Default)]
pub struct CreateRequest {
    /// Instead of the variable `[database] url_env` names.
    pub database_url: Option<String>,
    pub name: String,
    pub redirect_uris: Vec<String>,
    pub post_logout_redirect_uris: Vec<String>,
    /// No secret: PKCE proves the client (a single-page or native app).
    pub public: bool,
    /// A native app: its redirect URIs may be loopback `http` (any port) or a private-use scheme.
    pub native: bool,
    /// Consent is skipped (Better Auth's `skipConsent`): a first-party app.
    pub trusted: bool,
    /// It may end the user's session (`enableEndSession`).
    pub end_session: bool,
    /// The scopes it may ask for; empty: any of the provider's.
    pub scopes: Vec<String>,
    /// The scopes of the tokens it gets for itself (the client credentials grant).
    pub client_credentials_scopes: Vec<String>,
}

/// Scopes a user grants; a client alone never holds them.
const USER_SCOPES: [&str; 4] = ["openid", "profile", "email", "offline_access"];

/// Runs `rauth oauth-client create`.
pub fn create(ctx: &Context, request: &CreateRequest) -> anyhow::Result<()> {
    let loaded = ctx.config()?;
    let Some(options) = &loaded.config.plugins.oauth_provider else {
        bail!(
            "`{}` does not enable the OAuth provider: add `[plugins.oauth-provider]` (and `[plugins.jwt]`)",
            ctx.config_path().display()
        );
    };
    let client = Registration::checked(request, &options.scopes)?;
    let dialect = loaded.config.database.dialect;
    let sql = insert_sql(ctx.schema()?, dialect)?;
    let url = connection::url(loaded, request.database_url.as_deref())?;
    let (client_id, secret) = (
        random::letters(32)?,
        (!request.public).then(|| random::letters(32)).transpose()?,
    );
    let now = OffsetDateTime::now_utc();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let (mut conn, _) = connection::open(&ctx.ui, dialect, &url).await?;
        let sql = sql.replace("{now}", &date_literal(dialect, now));
        sqlx::query(AssertSqlSafe(sql))
            .bind(random::generate_id()?)
            .bind(client_id.clone())
            .bind(secret.as_deref().map(hashed))
            .bind(false)
            .bind(request.trusted)
            .bind(request.end_session)
            .bind((!request.scopes.is_empty()).then(|| list(&request.scopes)))
            .bind(list(&request.client_credentials_scopes))
            .bind(list(&request.redirect_uris))
            .bind(
                (!request.post_logout_redirect_uris.is_empty())
                    .then(|| list(&request.post_logout_redirect_uris)),
            )
            .bind(client.auth_method)
            .bind(list(&client.grant_types))
            .bind(list(&client.response_types))
            .bind(client.application_type)
            .bind(request.name.clone())
            .execute(&mut conn)
            .await
            .context(
                "cannot add the client (did `rauth migrate` create the OAuth provider's tables?)",
            )?;
        anyhow::Ok(())
    })?;
    let kind = if request.public {
        "public, PKCE"
    } else {
        "confidential, client_secret_basic"
    };
    ctx.ui.status(
        "Registered",
        &format!(
            "OAuth client \"{}\" ({kind}); the secret is shown once, only its hash is stored",
            request.name
        ),
    );
    let out = match secret {
        Some(secret) => format!("client_id={client_id}\nclient_secret={secret}\n"),
        None => format!("client_id={client_id}\n"),
    };
    Ok(ctx.ui.data(&out)?)
}

/// What the request makes of the client, checked.
#[derive(Debug, PartialEq, Eq)]
struct Registration {
    auth_method: &'static str,
    grant_types: Vec<&'static str>,
    response_types: Vec<&'static str>,
    application_type: &'static str,
}

impl Registration {
    /// The client `request` describes, or why it cannot be registered; `scopes` are the
    /// provider's.
    fn checked(request: &CreateRequest, scopes: &[String]) -> anyhow::Result<Self> {
        if request.name.trim().is_empty() {
            bail!("`--name` must not be empty: users see it on the consent page");
        }
        let machine = !request.client_credentials_scopes.is_empty();
        if request.redirect_uris.is_empty() && !machine {
            bail!(
                "give the client a `--redirect-uri` (where users come back with a code), or `--client-credentials-scope` for a client acting for itself"
            );
        }
        if machine && request.public {
            bail!(
                "a public client cannot use the client credentials grant: it has no secret to prove itself with"
            );
        }
        let application_type = if request.native { "native" } else { "web" };
        for uri in request
            .redirect_uris
            .iter()
            .chain(&request.post_logout_redirect_uris)
        {
            if let Err(why) = check_redirect_uri(uri, application_type) {
                bail!("`{uri}`: {why}");
            }
        }
        if let Some(scope) = request.scopes.iter().find(|s| !scopes.contains(s)) {
            bail!(
                "`{scope}` is not one of the provider's scopes ({}): add it to `[plugins.oauth-provider] scopes`",
                scopes.join(", ")
            );
        }
        if let Some(scope) = request
            .client_credentials_scopes
            .iter()
            .find(|s| USER_SCOPES.contains(&s.as_str()))
        {
            bail!("`{scope}` is a scope users grant: a client acting for itself cannot hold it");
        }
        let mut grant_types = Vec::new();
        if !request.redirect_uris.is_empty() {
            grant_types.extend(["authorization_code", "refresh_token"]);
        }
        if machine {
            grant_types.push("client_credentials");
        }
        let response_types = if request.redirect_uris.is_empty() {
            Vec::new()
        } else {
            vec!["code"]
        };
        let auth_method = if request.public {
            "none"
        } else {
            "client_secret_basic"
        };
        Ok(Self {
            auth_method,
            grant_types,
            response_types,
            application_type,
        })
    }
}

/// Why a redirect URI cannot be registered, if it cannot: the generated provider's rules (RFC
/// 8252 for native apps). Absolute, without a fragment or credentials; a web client's on https
/// away from loopback; a native client's on http only at an exact loopback host, or a
/// private-use scheme of its reverse domain name.
fn check_redirect_uri(uri: &str, application_type: &str) -> Result<(), &'static str> {
    let Some((scheme, rest)) = uri.split_once(':').filter(|(s, _)| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    }) else {
        return Err("a redirect URI must be an absolute URI");
    };
    if uri.contains('#') {
        return Err("a redirect URI must not have a fragment");
    }
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return if application_type == "native" && scheme.contains('.') {
            Ok(())
        } else {
            Err(
                "a private-use scheme is for native apps (`--native`), and must be a reverse domain name (`com.example.app:/callback`)",
            )
        };
    }
    let Some(authority) = rest
        .strip_prefix("//")
        .map(|r| r.split(['/', '?']).next().unwrap_or_default())
    else {
        return Err("a redirect URI must be an absolute URI");
    };
    if authority.contains('@') {
        return Err("a redirect URI must not hold credentials");
    }
    let host = if authority.starts_with('[') {
        authority.split_inclusive(']').next().unwrap_or_default()
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    let loopback = matches!(
        host.to_ascii_lowercase().as_str(),
        "localhost" | "127.0.0.1" | "[::1]"
    );
    match (scheme.as_str(), application_type) {
        ("https", _) if loopback => Err("https redirect URIs must not be on a loopback host"),
        ("https", _) if !host.is_empty() => Ok(()),
        ("http", "native") if loopback => Ok(()),
        ("http", "native") => Err("native apps may use http only at localhost, 127.0.0.1 or [::1]"),
        ("http", _) => Err(
            "web clients need https away from loopback; pass `--native` for an app listening on loopback",
        ),
        _ => Err("a redirect URI must have a host"),
    }
}

/// The `INSERT` of a client row (`{now}` stands for the creation date); binds id, client id,
/// secret hash, disabled, skip consent, end session, scopes, client credentials scopes,
/// redirect URIs, post-logout redirect URIs, auth method, grant types, response types,
/// application type and name.
fn insert_sql(schema: &Schema, dialect: Dialect) -> anyhow::Result<String> {
    let Some(table) = schema.tables.iter().find(|t| t.key == "oauthClient") else {
        bail!("the schema has no `oauthClient` table");
    };
    let column = |key: &str| {
        quote(
            dialect,
            table
                .columns
                .iter()
                .find(|c| c.key == key)
                .map_or(key, |c| c.name.as_str()),
        )
    };
    let json = [
        "scopes",
        "clientCredentialsScopes",
        "redirectUris",
        "postLogoutRedirectUris",
        "grantTypes",
        "responseTypes",
    ];
    let bound = [
        "clientId",
        "clientSecret",
        "disabled",
        "skipConsent",
        "enableEndSession",
        "scopes",
        "clientCredentialsScopes",
        "redirectUris",
        "postLogoutRedirectUris",
        "tokenEndpointAuthMethod",
        "grantTypes",
        "responseTypes",
        "applicationType",
        "name",
    ];
    let mut columns = vec![quote(dialect, "id")];
    let mut values = vec![placeholder(dialect, 1)];
    for (n, key) in (2..).zip(bound) {
        columns.push(column(key));
        values.push(if json.contains(&key) {
            json_placeholder(dialect, n)
        } else {
            placeholder(dialect, n)
        });
    }
    for key in ["createdAt", "updatedAt"] {
        columns.push(column(key));
        values.push("{now}".to_owned());
    }
    Ok(format!(
        "INSERT INTO {} ({}) VALUES ({})",
        quote(dialect, &table.name),
        columns.join(", "),
        values.join(", ")
    ))
}

/// A list as a `string[]` column stores it: JSON text.
fn list<S: AsRef<str>>(items: &[S]) -> String {
    Value::from(items.iter().map(AsRef::as_ref).collect::<Vec<_>>()).to_string()
}

/// How Better Auth stores a client secret: `base64url(SHA-256(secret))`.
fn hashed(secret: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> CreateRequest {
        CreateRequest {
            name: "Dashboard".into(),
            redirect_uris: vec!["https://app.example/cb".into()],
            ..CreateRequest::default()
        }
    }

    #[test]
    fn a_web_client_gets_the_code_grant_and_a_secret() {
        let got = Registration::checked(&request(), &[]).unwrap();
        let expected = Registration {
            auth_method: "client_secret_basic",
            grant_types: vec!["authorization_code", "refresh_token"],
            response_types: vec!["code"],
            application_type: "web",
        };
        assert_eq!(got, expected);
    }

    #[test]
    fn refused_registrations_say_why() {
        let scopes = ["openid".to_owned()];
        let cases = [
            (
                CreateRequest {
                    redirect_uris: vec!["http://app.example/cb".into()],
                    ..request()
                },
                "web clients need https",
            ),
            (
                CreateRequest {
                    redirect_uris: vec!["https://app.example/cb#x".into()],
                    ..request()
                },
                "fragment",
            ),
            (
                CreateRequest {
                    redirect_uris: vec!["http://127.0.0.1.evil.example/cb".into()],
                    native: true,
                    ..request()
                },
                "native apps may use http only",
            ),
            (
                CreateRequest {
                    redirect_uris: Vec::new(),
                    ..request()
                },
                "--redirect-uri",
            ),
            (
                CreateRequest {
                    public: true,
                    client_credentials_scopes: vec!["api".into()],
                    ..request()
                },
                "public client",
            ),
            (
                CreateRequest {
                    client_credentials_scopes: vec!["openid".into()],
                    ..request()
                },
                "scope users grant",
            ),
            (
                CreateRequest {
                    scopes: vec!["admin".into()],
                    ..request()
                },
                "not one of the provider's scopes",
            ),
        ];
        for (request, why) in cases {
            let error = Registration::checked(&request, &scopes)
                .unwrap_err()
                .to_string();
            assert!(error.contains(why), "{request:?}: {error}");
        }
    }

    #[test]
    fn a_native_app_may_listen_on_loopback_or_its_own_scheme() {
        for uri in [
            "http://127.0.0.1/cb",
            "http://[::1]:8000/cb",
            "com.example.app:/callback",
        ] {
            assert_eq!(check_redirect_uri(uri, "native"), Ok(()), "{uri}");
        }
        assert!(check_redirect_uri("com.example.app:/callback", "web").is_err());
    }

    #[test]
    fn the_insert_names_the_schemas_columns() {
        let config: crate::config::Config =
            toml::from_str("[plugins.jwt]\n[plugins.oauth-provider]\n").unwrap();
        let schema = crate::schema::build(&config).unwrap();
        let sql = insert_sql(&schema, Dialect::Postgres).unwrap();
        assert!(
            sql.starts_with("INSERT INTO \"oauthClient\" (\"id\", \"clientId\", \"clientSecret\""),
            "{sql}"
        );
        assert!(
            sql.contains("$6, $7::jsonb") && sql.ends_with("$15, {now}, {now})"),
            "{sql}"
        );
    }
}
