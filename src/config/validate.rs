//! Semantic checks of a parsed config: ranges, formats and contradictions. Pure; every problem
//! is returned (not just the first) with the key path it is about.

use super::diagnostic::Issue;
use super::model::{
    Config, ProviderKind, RateLimitStorage, SameSite, SessionCache, SocialProvider,
};

/// Every problem in `config` that does not need the schema to be found.
pub(super) fn check(config: &Config) -> Vec<Issue> {
    let mut issues = Vec::new();
    check_app(config, &mut issues);
    check_passwords(config, &mut issues);
    check_session(config, &mut issues);
    check_rate_limit(config, &mut issues);
    check_user(config, &mut issues);
    check_plugins(config, &mut issues);
    check_social(config, &mut issues);
    issues
}

/// Whether auth cookies get `Secure` and the `__Secure-` prefix.
pub fn secure_cookies(config: &Config) -> bool {
    config
        .session
        .secure
        .unwrap_or_else(|| config.app.base_url.starts_with("https://"))
}

fn check_app(config: &Config, issues: &mut Vec<Issue>) {
    let app = &config.app;
    if let Err(why) = check_http_url(&app.base_url) {
        issues.push(
            Issue::new(&["app", "base_url"], format!("`base_url` {why}"))
                .help("write the public URL of the server, like \"https://example.com\""),
        );
    }
    let path = &app.base_path;
    if !path.starts_with('/')
        || (path.len() > 1 && path.ends_with('/'))
        || path.contains(char::is_whitespace)
        || path.contains(['?', '#'])
    {
        issues.push(
            Issue::new(&["app", "base_path"], format!("`base_path` must be a path that starts with `/` and does not end with one, not `{path}`"))
                .help("Better Auth's default is \"/api/auth\""),
        );
    }
    for origin in &app.trusted_origins {
        if let Err(why) = check_origin(origin) {
            issues.push(Issue::new(&["app", "trusted_origins"], format!("trusted origin `{origin}` {why}")).help("an origin is scheme://host[:port], like \"http://localhost:5173\" (a `*` wildcard may stand for a subdomain)"));
        }
    }
}

fn check_http_url(url: &str) -> Result<(), String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("must start with http:// or https://")?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || url.contains(char::is_whitespace) {
        return Err("has no host".into());
    }
    if rest.contains(['?', '#']) {
        return Err("must not have a query or fragment".into());
    }
    Ok(())
}

fn check_origin(origin: &str) -> Result<(), String> {
    check_http_url(origin)?;
    let rest = origin.split_once("://").map_or("", |(_, r)| r);
    if rest.contains('/') {
        return Err("must not have a path".into());
    }
    Ok(())
}

fn check_passwords(config: &Config, issues: &mut Vec<Issue>) {
    let ep = &config.email_and_password;
    if ep.min_password_length == 0 {
        issues.push(Issue::new(
            &["email_and_password", "min_password_length"],
            "`min_password_length` must be at least 1",
        ));
    }
    if ep.max_password_length < ep.min_password_length {
        issues.push(Issue::new(
            &["email_and_password", "max_password_length"],
            format!(
                "`max_password_length` ({}) is below `min_password_length` ({})",
                ep.max_password_length, ep.min_password_length
            ),
        ));
    }
    if ep.max_password_length > 1024 {
        issues.push(
            Issue::new(
                &["email_and_password", "max_password_length"],
                "`max_password_length` above 1024 lets one request cost seconds of scrypt time",
            )
            .help("Better Auth's default is 128"),
        );
    }
    if ep.reset_password_token_expires_in.0 == 0 {
        issues.push(Issue::new(
            &["email_and_password", "reset_password_token_expires_in"],
            "a reset token that expires at once can never be used",
        ));
    }
}

fn check_session(config: &Config, issues: &mut Vec<Issue>) {
    let s = &config.session;
    if s.expires_in.0 == 0 {
        issues.push(Issue::new(
            &["session", "expires_in"],
            "`expires_in` must be longer than 0s",
        ));
    }
    if s.update_age > s.expires_in {
        issues.push(Issue::new(&["session", "update_age"], format!(
            "`update_age` ({}) is longer than `expires_in` ({}): sessions would expire before they are ever refreshed",
            s.update_age, s.expires_in
        )));
    }
    if s.cookie_prefix.is_empty()
        || !s
            .cookie_prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    {
        issues.push(Issue::new(
            &["session", "cookie_prefix"],
            format!(
                "`cookie_prefix` must be letters, digits, `-`, `_` or `.`, not `{}`",
                s.cookie_prefix
            ),
        ));
    }
    if s.cache == SessionCache::Redis {
        if s.cache_max_age.0 == 0 {
            issues.push(
                Issue::new(
                    &["session", "cache_max_age"],
                    "`cache_max_age` must be longer than 0s",
                )
                .help("to read every session from the database, leave `cache` unset"),
            );
        }
        if s.redis_url_env.is_empty() {
            issues.push(Issue::new(
                &["session", "redis_url_env"],
                "`cache = \"redis\"` needs `redis_url_env`",
            ));
        }
    }
    let cookie_cache = &s.cookie_cache;
    if cookie_cache.enabled && cookie_cache.max_age.0 == 0 {
        issues.push(
            Issue::new(
                &["session", "cookie_cache", "max_age"],
                "`max_age` must be longer than 0s",
            )
            .help("to read every session from the database, leave the cookie cache off"),
        );
    }
    if cookie_cache.enabled && cookie_cache.max_age > s.expires_in {
        issues.push(Issue::new(
            &["session", "cookie_cache", "max_age"],
            format!(
                "the cookie cache's `max_age` ({}) is longer than the session's `expires_in` ({})",
                cookie_cache.max_age, s.expires_in
            ),
        ));
    }
    if cookie_cache.version.is_empty() {
        issues.push(Issue::new(
            &["session", "cookie_cache", "version"],
            "`version` must not be empty (the default is \"1\")",
        ));
    }
    if s.same_site == SameSite::None && !secure_cookies(config) {
        let why = if s.secure == Some(false) {
            "`secure = false`"
        } else {
            "an http `base_url`"
        };
        issues.push(
            Issue::new(&["session", "same_site"], format!("`same_site = \"none\"` needs secure cookies, but this config has {why}"))
                .help("browsers drop SameSite=None cookies without Secure: set `secure = true` under [session] (and serve https), or use `same_site = \"lax\"`"),
        );
    }
}

/// Sub-options of a feature that is off would silently do nothing.
fn check_user(config: &Config, issues: &mut Vec<Issue>) {
    let u = &config.user;
    let needs = [
        (
            "change_email_without_verification",
            u.change_email_without_verification,
            "change_email",
            u.change_email,
        ),
        (
            "confirm_email_change",
            u.confirm_email_change,
            "change_email",
            u.change_email,
        ),
        (
            "delete_user_verification",
            u.delete_user_verification,
            "delete_user",
            u.delete_user,
        ),
    ];
    for (option, on, feature, enabled) in needs {
        if on && !enabled {
            issues.push(
                Issue::new(
                    &["user", option],
                    format!("`{option}` has no effect while `{feature}` is off"),
                )
                .help(format!("set `{feature} = true` in [user]")),
            );
        }
    }
    if u.delete_token_expires_in.0 == 0 {
        issues.push(Issue::new(
            &["user", "delete_token_expires_in"],
            "a deletion link that expires at once can never be used",
        ));
    }
    if config.email_verification.expires_in.0 == 0 {
        issues.push(Issue::new(
            &["email_verification", "expires_in"],
            "a verification link that expires at once can never be used",
        ));
    }
}

fn check_rate_limit(config: &Config, issues: &mut Vec<Issue>) {
    let rl = &config.rate_limit;
    if rl.window.0 == 0 {
        issues.push(Issue::new(
            &["rate_limit", "window"],
            "`window` must be longer than 0s",
        ));
    }
    if rl.max == 0 {
        issues.push(
            Issue::new(&["rate_limit", "max"], "`max = 0` refuses every request")
                .help("to turn rate limiting off, set `enabled = false`"),
        );
    }
    if rl.storage == RateLimitStorage::Redis && rl.redis_url_env.is_empty() {
        issues.push(Issue::new(
            &["rate_limit", "redis_url_env"],
            "`storage = \"redis\"` needs `redis_url_env`",
        ));
    }
    for proxy in &rl.trusted_proxies {
        if let Err(why) = parse_cidr(proxy) {
            issues.push(
                Issue::new(
                    &["rate_limit", "trusted_proxies"],
                    format!("trusted proxy `{proxy}` {why}"),
                )
                .help("an address or a CIDR range, like \"10.0.0.0/8\", \"192.168.1.7\" or \"fd00::/8\""),
            );
        }
    }
    let header = &rl.ip_address_header;
    if header.is_empty()
        || !header
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        issues.push(
            Issue::new(
                &["rate_limit", "ip_address_header"],
                format!("`{header}` is not an HTTP header name"),
            )
            .help("like \"x-forwarded-for\" or \"cf-connecting-ip\""),
        );
    }
    if !(32..=128).contains(&rl.ipv6_subnet) {
        issues.push(
            Issue::new(
                &["rate_limit", "ipv6_subnet"],
                format!("an IPv6 prefix of /{} is out of range", rl.ipv6_subnet),
            )
            .help("between 32 and 128; 64 (the default) groups one subscriber's network"),
        );
    }
    for (path, rule) in &rl.custom_rules {
        let at = ["rate_limit", "custom_rules", path.as_str()];
        if !path.starts_with('/') {
            issues.push(
                Issue::new(&at, format!("rule path `{path}` must start with `/`"))
                    .help("paths are relative to `base_path`, like \"/sign-in/email\""),
            );
        }
        if !rule.disabled && (rule.window.is_none() || rule.max.is_none()) {
            issues.push(Issue::new(
                &at,
                format!("rule for `{path}` needs both `window` and `max` (or `disabled = true`)"),
            ));
        }
        if rule.window.is_some_and(|w| w.0 == 0) || rule.max == Some(0) {
            issues.push(
                Issue::new(
                    &at,
                    format!("rule for `{path}` has a zero `window` or `max`"),
                )
                .help("to lift the limit on a path, write `disabled = true`"),
            );
        }
    }
}

/// An address or a CIDR range (`10.0.0.0/8`, `::1`), as the generated code reads
/// `trusted_proxies`; the error says what is wrong.
fn parse_cidr(text: &str) -> Result<(std::net::IpAddr, u8), &'static str> {
    let (address, prefix) = text
        .split_once('/')
        .map_or((text, None), |(a, p)| (a, Some(p)));
    let address: std::net::IpAddr = address.parse().map_err(|_| "is not an IP address")?;
    let bits = if address.is_ipv4() { 32 } else { 128 };
    let prefix = match prefix {
        None => bits,
        Some(p) => p
            .parse::<u8>()
            .ok()
            .filter(|p| *p <= bits)
            .ok_or("has a prefix length out of range")?,
    };
    Ok((address, prefix))
}

/// Each enabled plugin's own checks (in `plugins/<name>.rs`).
fn check_plugins(config: &Config, issues: &mut Vec<Issue>) {
    let ctx = config.plugin_context();
    for (_, options) in config.plugins.enabled_options() {
        options.check(&ctx, issues);
    }
}

fn check_social(config: &Config, issues: &mut Vec<Issue>) {
    let providers = config.social.providers();
    for (id, path, kind, p) in &providers {
        let at = |key: &str| key_path(path, key);
        let mut env_vars = vec![
            ("client_id_env", Some(&p.client_id_env)),
            ("client_secret_env", p.client_secret_env.as_ref()),
            ("private_key_env", p.private_key_env.as_ref()),
        ];
        if *kind == ProviderKind::Apple {
            check_apple(p, &at, issues);
        } else {
            if p.client_secret_env.is_none() {
                issues.push(
                    Issue::at(at(""), format!("provider `{id}` needs `client_secret_env`"))
                        .help("the environment variable holding the client secret"),
                );
            }
            let apple_only = [
                ("team_id", p.team_id.is_some()),
                ("key_id", p.key_id.is_some()),
                ("private_key_env", p.private_key_env.is_some()),
                ("app_bundle_identifier", p.app_bundle_identifier.is_some()),
                ("audience", !p.audience.is_empty()),
            ];
            for (key, _) in apple_only.iter().filter(|(_, set)| *set) {
                issues.push(Issue::at(
                    at(key),
                    format!("`{key}` is only for `[social.apple]`"),
                ));
            }
        }
        if *kind == ProviderKind::Oidc {
            env_vars.push(("discovery_url_env", p.discovery_url_env.as_ref()));
            check_oidc(id, p, &at, issues);
        } else {
            let oidc_only = [
                ("discovery_url", p.discovery_url.is_some()),
                ("discovery_url_env", p.discovery_url_env.is_some()),
                ("authorization_url", p.authorization_url.is_some()),
                ("token_url", p.token_url.is_some()),
                ("user_info_url", p.user_info_url.is_some()),
                ("authentication", p.authentication.is_some()),
            ];
            for (key, _) in oidc_only.iter().filter(|(_, set)| *set) {
                issues.push(Issue::at(
                    at(key),
                    format!("`{key}` is only for `[social.oidc.<id>]` providers; {id} is built in"),
                ));
            }
        }
        match &p.tenant_id {
            Some(_) if *kind != ProviderKind::Microsoft => issues.push(Issue::at(
                at("tenant_id"),
                "`tenant_id` is only for `[social.microsoft]`",
            )),
            Some(tenant) if !is_microsoft_tenant(tenant) => issues.push(
                Issue::at(
                    at("tenant_id"),
                    format!("`tenant_id` `{tenant}` is neither `common`, `organizations`, `consumers` nor a directory (tenant) ID"),
                )
                // ID tokens name the tenant by its GUID; a domain would fail every sign-in.
                .help("use the GUID shown as \"Tenant ID\" in the Entra admin center: ID tokens name the tenant by it, so a domain such as contoso.onmicrosoft.com never matches their issuer"),
            ),
            _ => {}
        }
        for (key, var) in env_vars {
            if let Some(var) = var
                && (var.is_empty() || !var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            {
                issues.push(Issue::at(at(key), format!("`{key}` of `{id}` must name an environment variable (letters, digits, `_`), not `{var}`")).help("put the value itself in the environment, never in rauth.toml"));
            }
        }
        if let Some(uri) = &p.redirect_uri
            && let Err(why) = check_http_url(uri)
        {
            issues.push(Issue::at(
                at("redirect_uri"),
                format!("`redirect_uri` {why}"),
            ));
        }
    }
    let ids: Vec<&str> = providers.iter().map(|(id, ..)| id.as_str()).collect();
    for name in &config.account.account_linking.trusted_providers {
        if !ids.contains(&name.as_str()) {
            let mut issue = Issue::new(
                &["account", "account_linking", "trusted_providers"],
                format!("trusted provider `{name}` is not a configured `[social.*]` provider"),
            );
            if let Some(near) = super::suggest::did_you_mean(name, ids.iter().copied()) {
                issue = issue.help(format!("did you mean `{near}`?"));
            }
            issues.push(issue);
        }
    }
}

/// Sign in with Apple: exactly one way to the client secret, a pre-minted JWT in
/// `client_secret_env`, or `team_id`, `key_id` and `private_key_env` for the server to mint it.
fn check_apple(p: &SocialProvider, at: &dyn Fn(&str) -> Vec<String>, issues: &mut Vec<Issue>) {
    let minting = [
        ("team_id", &p.team_id),
        ("key_id", &p.key_id),
        ("private_key_env", &p.private_key_env),
    ];
    let set: Vec<&str> = minting
        .iter()
        .filter(|(_, v)| v.is_some())
        .map(|(k, _)| *k)
        .collect();
    match (&p.client_secret_env, set.len()) {
        (Some(_), 0) | (None, 3) => {}
        (Some(_), _) => issues.push(
            Issue::at(at(set[0]), format!("`{}` and `client_secret_env` exclude each other", set[0]))
                .help("either `client_secret_env` names a client secret JWT you mint, or `team_id`, `key_id` and `private_key_env` let the server mint it"),
        ),
        (None, 0) => issues.push(
            Issue::at(at(""), "`[social.apple]` needs `team_id`, `key_id` and `private_key_env`, or `client_secret_env`")
                .help("the server mints Apple's client secret (an ES256 JWT) from the Sign in with Apple key; or mint it yourself and name it in `client_secret_env`"),
        ),
        (None, _) => {
            for (key, _) in minting.iter().filter(|(_, v)| v.is_none()) {
                issues.push(Issue::at(at(""), format!("`[social.apple]` needs `{key}` too, to mint the client secret")));
            }
        }
    }
    for (key, value) in [("team_id", &p.team_id), ("key_id", &p.key_id)] {
        if let Some(value) = value
            && (value.len() != 10
                || !value
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()))
        {
            issues.push(
                Issue::at(at(key), format!("`{key}` must be Apple's 10-character id (capital letters and digits), not `{value}`"))
                    .help("the team id is at the top right of the Apple Developer account; the key id is on the key's page"),
            );
        }
    }
    if p.audience.iter().any(|a| a.trim().is_empty()) {
        issues.push(Issue::at(at("audience"), "an `audience` is empty"));
    }
}

/// A generic OIDC provider: a usable id, and exactly one way to find its discovery document.
fn check_oidc(
    id: &str,
    p: &SocialProvider,
    at: &dyn Fn(&str) -> Vec<String>,
    issues: &mut Vec<Issue>,
) {
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        issues.push(Issue::at(at(""), format!("OIDC provider id `{id}` must be letters, digits, `-` or `_`: it is a path segment of `/callback/<id>`")));
    }
    if [
        "github",
        "google",
        "discord",
        "microsoft",
        "apple",
        "credential",
    ]
    .contains(&id)
    {
        issues.push(
            Issue::at(
                at(""),
                format!("OIDC provider id `{id}` is taken by a built-in provider"),
            )
            .help("configure it as `[social.<id>]`, or give the OIDC provider another id"),
        );
    }
    if check_oauth2_endpoints(id, p, at, issues) {
        return;
    }
    match (&p.discovery_url, &p.discovery_url_env) {
        (None, None) => issues.push(
            Issue::at(
                at(""),
                format!("OIDC provider `{id}` needs `discovery_url` or `discovery_url_env`"),
            )
            .help("the issuer's `/.well-known/openid-configuration` URL"),
        ),
        (Some(_), Some(_)) => issues.push(Issue::at(
            at("discovery_url_env"),
            "`discovery_url` and `discovery_url_env` exclude each other",
        )),
        (Some(url), None) if check_http_url(url).is_err() => {
            issues.push(Issue::at(
                at("discovery_url"),
                format!("`discovery_url` must be an http(s) URL, not `{url}`"),
            ));
        }
        _ => {}
    }
}

/// A plain OAuth 2.0 provider's endpoints: all three, http(s) URLs, and no discovery besides.
/// False when none is set: the provider is found through discovery.
fn check_oauth2_endpoints(
    id: &str,
    p: &SocialProvider,
    at: &dyn Fn(&str) -> Vec<String>,
    issues: &mut Vec<Issue>,
) -> bool {
    let endpoints = [
        ("authorization_url", &p.authorization_url),
        ("token_url", &p.token_url),
        ("user_info_url", &p.user_info_url),
    ];
    if endpoints.iter().all(|(_, url)| url.is_none()) {
        return false;
    }
    for (key, url) in endpoints {
        match url {
            None => issues.push(
                Issue::at(
                    at(""),
                    format!("OAuth 2.0 provider `{id}` needs `{key}` as well"),
                )
                .help("a provider without discovery names its authorization, token and userinfo endpoints"),
            ),
            Some(url) if check_http_url(url).is_err() => issues.push(Issue::at(
                at(key),
                format!("`{key}` must be an http(s) URL, not `{url}`"),
            )),
            Some(_) => {}
        }
    }
    for (key, set) in [
        ("discovery_url", p.discovery_url.is_some()),
        ("discovery_url_env", p.discovery_url_env.is_some()),
    ] {
        if set {
            issues.push(Issue::at(
                at(key),
                format!("`{key}` and the endpoints (`authorization_url`, …) exclude each other"),
            ));
        }
    }
    true
}

/// `path` and then `key` (unless empty), as an issue's key path.
fn key_path(path: &[String], key: &str) -> Vec<String> {
    let mut full = path.to_vec();
    if !key.is_empty() {
        full.push(key.to_owned());
    }
    full
}

/// Non-fatal findings: each configured `redirect_uri` that is not this server's callback URL of
/// its provider. Providers compare redirect URIs byte for byte, so a stray trailing slash or
/// another host makes the token exchange fail for every user.
pub fn warnings(config: &Config) -> Vec<Issue> {
    let mut found = Vec::new();
    for (id, mut path, _, p) in config.social.providers() {
        let Some(uri) = &p.redirect_uri else { continue };
        let expected = callback_url(config, &id);
        if *uri != expected {
            path.push("redirect_uri".to_owned());
            let refs: Vec<&str> = path.iter().map(String::as_str).collect();
            found.push(
                Issue::new(&refs, format!("`redirect_uri` of `{id}` is not this server's callback URL `{expected}`"))
                    .help("the provider redirects there and rauth sends it unchanged in the token exchange; a trailing slash, another host or another path fails sign-in unless a proxy rewrites it"),
            );
        }
    }
    found
}

/// `<base_url><base_path>/callback/<id>`: where a provider sends the browser back.
pub fn callback_url(config: &Config, id: &str) -> String {
    format!(
        "{}{}/callback/{id}",
        config.app.base_url.trim_end_matches('/'),
        config.app.base_path
    )
}

/// A Microsoft tenant the generated code can check ID tokens against: one of the multi-tenant
/// names, or a directory ID (a GUID, as the tokens' `iss` and `tid` carry it).
fn is_microsoft_tenant(tenant: &str) -> bool {
    const GROUPS: [usize; 5] = [8, 4, 4, 4, 12];
    matches!(tenant, "common" | "organizations" | "consumers")
        || (tenant.split('-').count() == GROUPS.len()
            && tenant.split('-').zip(GROUPS).all(|(group, len)| {
                group.len() == len && group.chars().all(|c| c.is_ascii_hexdigit())
            }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Config {
        toml::from_str(text).expect("test config parses")
    }

    fn paths(text: &str) -> Vec<String> {
        check(&parse(text))
            .into_iter()
            .map(|i| i.path.join("."))
            .collect()
    }

    #[test]
    fn the_default_config_is_valid() {
        assert!(check(&Config::default()).is_empty());
    }

    #[test]
    fn same_site_none_needs_secure() {
        assert_eq!(
            paths("[session]\nsame_site = \"none\""),
            ["session.same_site"]
        );
        assert!(paths("[session]\nsame_site = \"none\"\nsecure = true").is_empty());
        assert!(
            paths("[app]\nbase_url = \"https://x.dev\"\n[session]\nsame_site = \"none\"")
                .is_empty()
        );
        assert_eq!(
            paths(
                "[app]\nbase_url = \"https://x.dev\"\n[session]\nsame_site = \"none\"\nsecure = false"
            ),
            ["session.same_site"]
        );
    }

    #[test]
    fn reports_every_problem_at_once() {
        let found = paths(
            "[app]\nbase_url = \"localhost\"\nbase_path = \"api/\"\n[email_and_password]\nmin_password_length = 10\nmax_password_length = 5\n",
        );
        assert_eq!(
            found,
            [
                "app.base_url",
                "app.base_path",
                "email_and_password.max_password_length"
            ]
        );
    }

    #[test]
    fn origins_have_no_path() {
        assert_eq!(
            paths("[app]\ntrusted_origins = [\"http://a.dev/x\"]"),
            ["app.trusted_origins"]
        );
        assert!(
            paths("[app]\ntrusted_origins = [\"http://localhost:5173\", \"https://*.acme.dev\"]")
                .is_empty()
        );
    }

    #[test]
    fn plugin_option_ranges() {
        assert_eq!(
            paths("[plugins.two-factor]\ndigits = 7"),
            ["plugins.two-factor.digits"]
        );
        assert_eq!(
            paths("[plugins.username]\nmin_username_length = 40"),
            ["plugins.username.min_username_length"]
        );
        assert_eq!(
            paths("[plugins.email-otp]\notp_length = 2"),
            ["plugins.email-otp.otp_length"]
        );
        assert_eq!(
            paths("[plugins.admin]\nadmin_roles = [\"admin\", \"owner\"]"),
            ["plugins.admin.admin_roles"]
        );
        assert_eq!(
            paths("[plugins.phone-number]\nallowed_attempts = 0"),
            ["plugins.phone-number.allowed_attempts"]
        );
        assert_eq!(
            paths("[plugins.email-otp]\nverify_current_email = true"),
            ["plugins.email-otp.verify_current_email"]
        );
        assert_eq!(
            paths("[plugins.api-key]\nheaders = [\"x-api-key\", \"x api key\"]"),
            ["plugins.api-key.headers"]
        );
        assert!(paths("[plugins.api-key]\nheaders = []").is_empty());
        assert_eq!(
            paths("[plugins.api-key]\nenable_session_for_api_keys = true\nheaders = []"),
            ["plugins.api-key.headers"]
        );
    }

    #[test]
    fn rate_limit_rules() {
        assert_eq!(
            paths("[rate_limit.custom_rules.\"sign-in\"]\nwindow = \"10s\"\nmax = 3"),
            ["rate_limit.custom_rules.sign-in"]
        );
        assert_eq!(
            paths("[rate_limit.custom_rules.\"/x\"]\nmax = 3"),
            ["rate_limit.custom_rules./x"]
        );
        assert!(paths("[rate_limit.custom_rules.\"/x\"]\ndisabled = true").is_empty());
    }

    #[test]
    fn client_address_options() {
        assert!(
            paths("[rate_limit]\ntrusted_proxies = [\"10.0.0.0/8\", \"::1\", \"192.168.1.7/32\"]")
                .is_empty()
        );
        for bad in [
            "10.0.0.0/33",
            "fd00::/129",
            "localhost",
            "10.0.0/8",
            "10.0.0.0/x",
        ] {
            assert_eq!(
                paths(&format!("[rate_limit]\ntrusted_proxies = [\"{bad}\"]")),
                ["rate_limit.trusted_proxies"],
                "{bad}"
            );
        }
        assert_eq!(
            paths("[rate_limit]\nip_address_header = \"x forwarded\""),
            ["rate_limit.ip_address_header"]
        );
        assert_eq!(
            paths("[rate_limit]\nipv6_subnet = 8"),
            ["rate_limit.ipv6_subnet"]
        );
    }

    #[test]
    fn the_session_cache_needs_a_max_age_and_a_url() {
        assert!(paths("[session]\ncache = \"redis\"").is_empty());
        assert_eq!(
            paths("[session]\ncache = \"redis\"\ncache_max_age = \"0s\"\nredis_url_env = \"\""),
            ["session.cache_max_age", "session.redis_url_env"]
        );
        // Without the cache the options are unused.
        assert!(paths("[session]\ncache_max_age = \"0s\"").is_empty());
    }

    #[test]
    fn the_cookie_cache_needs_a_max_age_within_the_session_and_a_version() {
        assert!(paths("[session.cookie_cache]\nenabled = true\nstrategy = \"jwe\"").is_empty());
        assert_eq!(
            paths("[session.cookie_cache]\nenabled = true\nmax_age = \"0s\"\nversion = \"\""),
            [
                "session.cookie_cache.max_age",
                "session.cookie_cache.version"
            ]
        );
        assert_eq!(
            paths(
                "[session]\nexpires_in = \"1h\"\nupdate_age = \"1h\"\n[session.cookie_cache]\nenabled = true\nmax_age = \"2h\""
            ),
            ["session.cookie_cache.max_age"]
        );
        assert!(paths("[session.cookie_cache]\nmax_age = \"0s\"").is_empty());
    }

    #[test]
    fn social_credentials_are_env_var_names() {
        assert_eq!(
            paths(
                "[social.github]\nclient_id_env = \"abc-123 secret\"\nclient_secret_env = \"GH_SECRET\""
            ),
            ["social.github.client_id_env"]
        );
        assert_eq!(
            paths("[social.oidc.acme]\nclient_id_env = \"A\"\nclient_secret_env = \"B\""),
            ["social.oidc.acme"]
        );
    }

    #[test]
    fn redirect_uris_are_compared_with_the_callback_url() {
        let config = parse(
            "[app]\nbase_url = \"https://a.example/\"\n[social.github]\nclient_id_env = \"A\"\nclient_secret_env = \"B\"\nredirect_uri = \"https://a.example/api/auth/callback/github\"\n[social.oidc.x]\nclient_id_env = \"A\"\nclient_secret_env = \"B\"\ndiscovery_url_env = \"D\"\nredirect_uri = \"https://a.example/api/auth/callback/x/\"",
        );
        assert!(check(&config).is_empty());
        assert_eq!(
            callback_url(&config, "x"),
            "https://a.example/api/auth/callback/x"
        );
        let found: Vec<String> = warnings(&config)
            .into_iter()
            .map(|i| i.path.join("."))
            .collect();
        assert_eq!(found, ["social.oidc.x.redirect_uri"]);
    }

    #[test]
    fn oidc_ids_and_linking_names_are_checked() {
        assert_eq!(
            paths(
                "[social.oidc.github]\nclient_id_env = \"A\"\nclient_secret_env = \"B\"\ndiscovery_url_env = \"D\""
            ),
            ["social.oidc.github"]
        );
        assert_eq!(
            paths(
                "[social.google]\nclient_id_env = \"A\"\nclient_secret_env = \"B\"\ntenant_id = \"x\"\n[account.account_linking]\ntrusted_providers = [\"google\", \"x\"]"
            ),
            [
                "social.google.tenant_id",
                "account.account_linking.trusted_providers"
            ]
        );
    }

    #[test]
    fn microsoft_tenants_are_names_or_directory_ids() {
        let tenant = |t: &str| {
            paths(&format!(
                "[social.microsoft]\nclient_id_env = \"A\"\nclient_secret_env = \"B\"\ntenant_id = \"{t}\""
            ))
        };
        for fine in [
            "common",
            "organizations",
            "consumers",
            "9188040d-6c67-4c5b-b112-36a304b66dad",
        ] {
            assert!(tenant(fine).is_empty(), "{fine}");
        }
        for wrong in [
            "contoso.onmicrosoft.com",
            "9188040d-6c67-4c5b-b112-36a304b66da",
            "9188040d6c674c5bb11236a304b66dad",
            "9188040g-6c67-4c5b-b112-36a304b66dad",
            "",
        ] {
            assert_eq!(tenant(wrong), ["social.microsoft.tenant_id"], "{wrong}");
        }
    }
}
