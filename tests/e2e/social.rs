//! Social sign-in against a real OpenID Connect provider (node `oidc-provider`, started on
//! 127.0.0.1 by [`crate::oidc_provider`]): authorize → callback → session, `form_post`, state
//! mismatch, a wrong redirect URI, denied consent, account linking, and the account endpoints.
//!
//! The app's `[social.oidc.*]` providers read the discovery URL and credentials from the
//! environment (`discovery_url_env`), so one built app talks to a provider on any port.

use std::path::Path;

use crate::db::TestDb;
use crate::http::{Client, Reply};
use crate::oidc_provider::{
    AuthorizeOutcome, ClientRegistration, Consent, OidcProvider, ProviderUser, USERS,
};
use crate::plugins::quote;
use crate::{ORIGIN, start_with, write_behind_app};

/// The `[social.*]` and `[account]` tables of every e2e app. The `es` provider's client gets
/// ES256 id_tokens, `test`'s RS256 ones, `short`'s expire after a second; `github` is never reached (it has no ID tokens). The
/// `wrong` provider's redirect URI has a trailing slash the provider does not know: rauth sends
/// it as configured (and warns). `huge` and `hop` find their discovery documents at a hostile
/// server of the test ([`hostile_server`]): one over 1 MiB, streamed without a length, and a
/// redirect to the real one.
/// Tokens are encrypted at rest on axum, stored plain on actix-web, so both paths run.
pub fn config(framework: &str) -> String {
    format!(
        "[social.oidc.test]
client_id_env = \"OIDC_TEST_CLIENT_ID\"
client_secret_env = \"OIDC_TEST_CLIENT_SECRET\"
discovery_url_env = \"OIDC_DISCOVERY_URL\"
scopes = [\"openid\", \"email\", \"profile\"]
prompt = \"consent\"

[social.oidc.es]
client_id_env = \"OIDC_ES_CLIENT_ID\"
client_secret_env = \"OIDC_ES_CLIENT_SECRET\"
discovery_url_env = \"OIDC_DISCOVERY_URL\"
scopes = [\"openid\", \"email\", \"profile\"]

[social.oidc.short]
client_id_env = \"OIDC_SHORT_CLIENT_ID\"
client_secret_env = \"OIDC_SHORT_CLIENT_SECRET\"
discovery_url_env = \"OIDC_DISCOVERY_URL\"
scopes = [\"openid\", \"email\"]

[social.github]
client_id_env = \"GITHUB_CLIENT_ID\"
client_secret_env = \"GITHUB_CLIENT_SECRET\"

[social.oidc.huge]
client_id_env = \"OIDC_HUGE_CLIENT_ID\"
client_secret_env = \"OIDC_HUGE_CLIENT_SECRET\"
discovery_url_env = \"OIDC_HUGE_DISCOVERY_URL\"

[social.oidc.hop]
client_id_env = \"OIDC_HOP_CLIENT_ID\"
client_secret_env = \"OIDC_HOP_CLIENT_SECRET\"
discovery_url_env = \"OIDC_HOP_DISCOVERY_URL\"

[social.oidc.wrong]
client_id_env = \"OIDC_WRONG_CLIENT_ID\"
client_secret_env = \"OIDC_WRONG_CLIENT_SECRET\"
discovery_url_env = \"OIDC_DISCOVERY_URL\"
redirect_uri = \"http://localhost:3000/api/auth/callback/wrong/\"
scopes = [\"openid\", \"email\"]

[account]
encrypt_oauth_tokens = {}
",
        encrypted(framework)
    )
}

fn encrypted(framework: &str) -> bool {
    framework == "axum"
}

const BASE: &str = "http://localhost:3000";
const TEST_SECRET: &str = "rauth-e2e-test-secret-0123456789abcdef";
const WRONG_SECRET: &str = "rauth-e2e-wrong-secret-0123456789abcdef";
const ES_SECRET: &str = "rauth-e2e-es-secret-0123456789abcdef";
const SHORT_SECRET: &str = "rauth-e2e-short-secret-0123456789abcdef";

/// The OAuth clients of the app's providers, as registered at the provider.
fn clients() -> [ClientRegistration; 4] {
    let client = |id: &str, secret: &str, provider: &str, alg, ttl| ClientRegistration {
        client_id: id.into(),
        client_secret: secret.into(),
        redirect_uris: vec![format!("{BASE}/api/auth/callback/{provider}")],
        id_token_alg: alg,
        id_token_ttl: ttl,
    };
    [
        client("rauth-test", TEST_SECRET, "test", None, None),
        client("rauth-wrong", WRONG_SECRET, "wrong", None, None),
        client("rauth-es", ES_SECRET, "es", Some("ES256"), None),
        client("rauth-short", SHORT_SECRET, "short", None, Some(1)),
    ]
}

/// Every social flow, on an app started next to a fresh provider.
pub fn flows(framework: &str, dialect: &str, binary: &Path, dir: &Path, db: &TestDb) {
    let provider = OidcProvider::start(&clients());
    let discovery = format!("{}/.well-known/openid-configuration", provider.issuer);
    let hostile = hostile_server(&discovery);
    let (huge, hop) = (format!("{hostile}/huge"), format!("{hostile}/hop"));
    let app = start_with(
        binary,
        dir,
        &db.url,
        &[
            ("OIDC_DISCOVERY_URL", &discovery),
            ("OIDC_TEST_CLIENT_ID", "rauth-test"),
            ("OIDC_TEST_CLIENT_SECRET", TEST_SECRET),
            ("OIDC_WRONG_CLIENT_ID", "rauth-wrong"),
            ("OIDC_WRONG_CLIENT_SECRET", WRONG_SECRET),
            ("OIDC_ES_CLIENT_ID", "rauth-es"),
            ("OIDC_ES_CLIENT_SECRET", ES_SECRET),
            ("OIDC_SHORT_CLIENT_ID", "rauth-short"),
            ("OIDC_SHORT_CLIENT_SECRET", SHORT_SECRET),
            ("OIDC_HUGE_DISCOVERY_URL", &huge),
            ("OIDC_HUGE_CLIENT_ID", "rauth-huge"),
            ("OIDC_HUGE_CLIENT_SECRET", "unused"),
            ("OIDC_HOP_DISCOVERY_URL", &hop),
            ("OIDC_HOP_CLIENT_ID", "rauth-test"),
            ("OIDC_HOP_CLIENT_SECRET", TEST_SECRET),
        ],
    );
    let s = Social {
        dialect,
        encrypted: encrypted(framework),
        c: &app.client,
        provider: &provider,
        db,
    };
    let alice = s.new_and_returning_user();
    s.form_post();
    s.state_mismatch();
    s.wrong_redirect_uri();
    s.hostile_provider_answers();
    s.denied_consent();
    let bob = s.linking_rules();
    s.account_endpoints(&alice, &bob);
    let id_token = s.id_token_sign_in();
    s.id_token_link(&alice, &bob);
    let npm = crate::npm_script("social.mjs", dialect, &app.client);
    assert_eq!(npm["redirect"], true, "{dialect}: {npm}");
    assert_eq!(npm["stateCookie"], true, "{dialect}: {npm}");
    let url = npm["url"].as_str().unwrap_or_default();
    assert!(url.starts_with(&provider.issuer), "{dialect}: {npm}");
    assert_eq!(param(url, "code_challenge_method").as_deref(), Some("S256"));
    assert_eq!(param(url, "client_id").as_deref(), Some("rauth-test"));
    // No token or client secret reaches the server's log.
    let log = std::fs::read_to_string(dir.join("server.log")).unwrap_or_default();
    assert!(
        !log.contains(TEST_SECRET),
        "{dialect}: a client secret was logged"
    );
    let signature = id_token.rsplit('.').next().unwrap_or_default();
    assert!(
        !log.contains(signature),
        "{dialect}: an ID token was logged"
    );
    drop(app);
}

struct Social<'a> {
    dialect: &'a str,
    encrypted: bool,
    c: &'a Client,
    provider: &'a OidcProvider,
    db: &'a TestDb,
}

/// A started flow: the answer of `/sign-in/social` or `/link-social`.
struct Started {
    url: String,
    state_cookie: String,
}

impl Social<'_> {
    fn user(name: &str) -> &'static ProviderUser {
        USERS.iter().find(|u| u.sub == name).unwrap()
    }

    /// `POST path` with `body` (and a session cookie): the provider's URL and the state cookie.
    fn start(&self, path: &str, body: &str, cookie: Option<&str>) -> Started {
        let mut headers = vec![ORIGIN];
        if let Some(cookie) = cookie {
            headers.push(("cookie", cookie));
        }
        let r = self.c.post_json(path, body, &headers).unwrap();
        assert_eq!(r.status, 200, "{}: {path} {}", self.dialect, r.body);
        let url = r.json()["url"].as_str().unwrap().to_owned();
        assert_eq!(r.json()["redirect"], true, "{}", self.dialect);
        assert_eq!(r.header("location"), Some(url.as_str()), "{}", self.dialect);
        let state_cookie = r
            .cookie("better-auth.state")
            .expect("a signed state cookie");
        assert!(
            r.set_cookie("better-auth.state")
                .unwrap()
                .contains("Max-Age=300"),
            "{}",
            self.dialect
        );
        Started { url, state_cookie }
    }

    fn sign_in(&self, body: &str) -> Started {
        self.start("/api/auth/sign-in/social", body, None)
    }

    /// The provider's redirect back to the app for `user`, as a path on the app.
    fn authorize(&self, started: &Started, user: &str, consent: Consent) -> String {
        match self.provider.authorize(&started.url, user, consent) {
            AuthorizeOutcome::Redirect(location) => app_path(&location),
            other => panic!("{}: expected a redirect, got {other:?}", self.dialect),
        }
    }

    /// A whole flow for `user`, approved: start, provider, callback.
    fn complete(&self, path: &str, body: &str, cookie: Option<&str>, user: &str) -> Reply {
        let started = self.start(path, body, cookie);
        let back = self.authorize(&started, user, Consent::Approve);
        self.callback(&back, &[&started.state_cookie])
    }

    /// `/link-social` for the user of `cookie`, approved at the provider as `user`.
    fn link(&self, cookie: &str, user: &str) -> Reply {
        self.complete(
            "/api/auth/link-social",
            r#"{"provider":"test","callbackURL":"/linked","errorCallbackURL":"/oops"}"#,
            Some(cookie),
            user,
        )
    }

    /// The callback with the browser's state cookie (and any other cookie).
    fn callback(&self, path: &str, cookies: &[&str]) -> Reply {
        let cookie = cookies.join("; ");
        self.c.get(path, &[("cookie", &cookie)]).unwrap()
    }

    fn q(&self, name: &str) -> String {
        let q = quote(self.dialect);
        format!("{q}{name}{q}")
    }

    fn count(&self, sql: &str) -> usize {
        self.db.query(sql).trim().parse().unwrap()
    }

    fn users_with_email(&self, email: &str) -> usize {
        self.count(&format!(
            "SELECT COUNT(*) FROM {} WHERE {} = '{email}'",
            self.q("user"),
            self.q("email")
        ))
    }

    /// `name` of the account of `sub` at the test provider.
    fn account_column(&self, sub: &str, column: &str) -> String {
        self.db
            .query(&format!(
                "SELECT {} FROM {} WHERE {} = 'test' AND {} = '{sub}'",
                self.q(column),
                self.q("account"),
                self.q("providerId"),
                self.q("accountId")
            ))
            .trim()
            .to_owned()
    }

    /// A new user: the state row as Better Auth stores it, PKCE, then the callback opens a
    /// session and lands on `newUserCallbackURL`; a second sign-in is the same user, on
    /// `callbackURL`. Returns alice's session cookie.
    fn new_and_returning_user(&self) -> String {
        let d = self.dialect;
        let alice = Self::user("alice");
        let started = self.sign_in(
            r#"{"provider":"test","callbackURL":"/dashboard","newUserCallbackURL":"/welcome"}"#,
        );
        let state = param(&started.url, "state").unwrap();
        assert_eq!(state.len(), 32, "{d}");
        assert_eq!(
            param(&started.url, "redirect_uri").as_deref(),
            Some("http://localhost:3000/api/auth/callback/test"),
            "{d}"
        );
        assert_eq!(
            param(&started.url, "code_challenge_method").as_deref(),
            Some("S256")
        );
        assert_eq!(
            param(&started.url, "code_challenge").map(|c| c.len()),
            Some(43)
        );
        assert!(
            param(&started.url, "nonce").is_some(),
            "{d}: OIDC binds a nonce"
        );
        // Under the identifier Better Auth's own function gives, so either server finds it.
        crate::npm_project("npm-client");
        let identifier = crate::node_script("better-auth-state.mjs", d, &[&state])["identifier"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(identifier, format!("auth-state:{state}"), "{d}");
        let stored: serde_json::Value = serde_json::from_str(
            self.db
                .query(&format!(
                    "SELECT {} FROM {} WHERE {} = '{identifier}'",
                    self.q("value"),
                    self.q("verification"),
                    self.q("identifier")
                ))
                .trim(),
        )
        .unwrap();
        assert_eq!(stored["callbackURL"], "/dashboard", "{d}");
        assert_eq!(stored["newUserURL"], "/welcome", "{d}");
        assert_eq!(stored["oauthState"], state.as_str(), "{d}");
        assert_eq!(stored["rauthProviderId"], "test", "{d}: {stored}");
        assert_eq!(
            stored["codeVerifier"].as_str().map(str::len),
            Some(128),
            "{d}"
        );
        assert!(stored["expiresAt"].as_i64().is_some(), "{d}: {stored}");

        let back = self.authorize(&started, "alice", Consent::Approve);
        let done = self.callback(&back, &[&started.state_cookie]);
        assert_eq!(done.status, 302, "{d}: {}", done.body);
        assert_eq!(done.header("location"), Some("/welcome"), "{d}");
        assert!(done.clears_cookie("better-auth.state"), "{d}");
        let cookie = done.cookie("better-auth.session_token").expect("a session");
        let session = self.session(&cookie);
        assert_eq!(session["user"]["email"], alice.email, "{d}");
        assert_eq!(session["user"]["name"], alice.name, "{d}");
        assert_eq!(session["user"]["emailVerified"], true, "{d}");
        // The state is single use.
        let again = self.callback(&back, &[&started.state_cookie]);
        assert_eq!(
            again.header("location"),
            Some("http://localhost:3000/api/auth/error?error=state_mismatch"),
            "{d}"
        );

        // The account row: the provider's subject, tokens (encrypted when configured), scopes.
        assert_eq!(self.account_column(alice.sub, "userId").len(), 32, "{d}");
        let access = self.account_column(alice.sub, "accessToken");
        let refresh = self.account_column(alice.sub, "refreshToken");
        assert!(!access.is_empty() && !refresh.is_empty(), "{d}");
        let sealed = |t: &str| t.starts_with("$ba$") || t.bytes().all(|b| b.is_ascii_hexdigit());
        assert_eq!(sealed(&access), self.encrypted, "{d}: {access}");
        assert_eq!(sealed(&refresh), self.encrypted, "{d}");
        assert!(!self.account_column(alice.sub, "idToken").is_empty(), "{d}");
        assert!(
            self.account_column(alice.sub, "scope")
                .split(',')
                .any(|s| s == "openid"),
            "{d}"
        );

        // Returning: the same user and account, and `callbackURL`.
        let started = self.sign_in(
            r#"{"provider":"test","callbackURL":"/dashboard","newUserCallbackURL":"/welcome"}"#,
        );
        let back = self.authorize(&started, "alice", Consent::Approve);
        let done = self.callback(&back, &[&started.state_cookie]);
        assert_eq!(done.header("location"), Some("/dashboard"), "{d}");
        assert_eq!(self.users_with_email(alice.email), 1, "{d}");
        assert_eq!(
            self.count(&format!(
                "SELECT COUNT(*) FROM {} WHERE {} = 'test' AND {} = '{}'",
                self.q("account"),
                self.q("providerId"),
                self.q("accountId"),
                alice.sub
            )),
            1,
            "{d}"
        );
        done.cookie("better-auth.session_token").unwrap()
    }

    /// `response_mode=form_post`: the provider POSTs the code; rauth turns it into the same GET
    /// (so the browser sends its `SameSite=Lax` cookies), which finishes the flow.
    fn form_post(&self) {
        let d = self.dialect;
        let started = self.sign_in(
            r#"{"provider":"test","callbackURL":"/dashboard","additionalParams":{"response_mode":"form_post"}}"#,
        );
        let (action, fields) =
            match self
                .provider
                .authorize(&started.url, "alice", Consent::Approve)
            {
                AuthorizeOutcome::FormPost { action, fields } => (action, fields),
                other => panic!("{d}: expected a form_post, got {other:?}"),
            };
        // Apple posts its `user` field (the name, on the first consent) along: it must reach
        // the GET callback too.
        let user = r#"{"name":{"firstName":"Alice","lastName":"Posted"}}"#;
        let body = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .chain([("user", user)])
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let posted = self
            .c
            .post_raw(
                &app_path(&action),
                "application/x-www-form-urlencoded",
                &body,
            )
            .unwrap();
        assert_eq!(posted.status, 302, "{d}: {}", posted.body);
        let get = posted.header("location").unwrap();
        assert!(
            get.starts_with("http://localhost:3000/api/auth/callback/test?code="),
            "{d}: {get}"
        );
        assert_eq!(param(get, "user").as_deref(), Some(user), "{d}: {get}");
        assert!(posted.cookie("better-auth.session_token").is_none(), "{d}");
        let done = self.callback(&app_path(get), &[&started.state_cookie]);
        assert_eq!(
            done.header("location"),
            Some("/dashboard"),
            "{d}: {}",
            done.body
        );
        assert!(done.cookie("better-auth.session_token").is_some(), "{d}");
    }

    /// A tampered state, a callback without the browser's state cookie or at another
    /// provider's callback is refused, with no session; the flow still finishes in the browser
    /// that started it, at its provider.
    fn state_mismatch(&self) {
        let d = self.dialect;
        let started = self.sign_in(
            r#"{"provider":"test","callbackURL":"/dashboard","errorCallbackURL":"/oops"}"#,
        );
        let back = self.authorize(&started, "alice", Consent::Approve);
        let state = param(&back, "state").unwrap();
        // A digit for the last character: MySQL compares identifiers without case, so a letter
        // changed only in case would still find the row.
        let other = if state.ends_with('0') { '1' } else { '0' };
        let tampered = back.replace(&state, &format!("{}{other}", &state[..31]));
        let refused = self.callback(&tampered, &[&started.state_cookie]);
        assert_eq!(
            refused.header("location"),
            Some("http://localhost:3000/api/auth/error?error=state_mismatch"),
            "{d}"
        );
        assert!(refused.cookie("better-auth.session_token").is_none(), "{d}");
        let no_cookie = self.callback(&back, &[]);
        assert_eq!(
            no_cookie.header("location"),
            Some("/oops?error=state_mismatch"),
            "{d}"
        );
        assert!(
            no_cookie.cookie("better-auth.session_token").is_none(),
            "{d}"
        );
        let other_flow = self.sign_in(r#"{"provider":"test"}"#);
        let swapped = self.callback(&back, &[&other_flow.state_cookie]);
        assert_eq!(
            swapped.header("location"),
            Some("/oops?error=state_mismatch"),
            "{d}"
        );
        // The code and state of a flow started at `test`, delivered to another provider's
        // callback: refused before any code exchange, no session, no user.
        let users = self.count(&format!("SELECT COUNT(*) FROM {}", self.q("user")));
        let elsewhere = self.callback(
            &back.replace("/callback/test?", "/callback/wrong?"),
            &[&started.state_cookie],
        );
        assert_eq!(
            elsewhere.header("location"),
            Some("/oops?error=state_mismatch"),
            "{d}: {}",
            elsewhere.body
        );
        assert!(
            elsewhere.cookie("better-auth.session_token").is_none(),
            "{d}"
        );
        assert_eq!(
            self.count(&format!("SELECT COUNT(*) FROM {}", self.q("user"))),
            users,
            "{d}"
        );
        let done = self.callback(&back, &[&started.state_cookie]);
        assert_eq!(done.header("location"), Some("/dashboard"), "{d}");
        let missing = self.c.get("/api/auth/callback/test?code=x", &[]).unwrap();
        assert_eq!(
            missing.header("location"),
            Some("http://localhost:3000/api/auth/error?error=state_not_found"),
            "{d}"
        );
    }

    /// A redirect URI the provider does not know (a trailing slash): the provider refuses the
    /// authorization request, nobody signs in.
    fn wrong_redirect_uri(&self) {
        let d = self.dialect;
        let started = self.sign_in(r#"{"provider":"wrong","callbackURL":"/dashboard"}"#);
        assert_eq!(
            param(&started.url, "redirect_uri").as_deref(),
            Some("http://localhost:3000/api/auth/callback/wrong/"),
            "{d}: sent exactly as configured"
        );
        match self
            .provider
            .authorize(&started.url, "alice", Consent::Approve)
        {
            AuthorizeOutcome::Refused { status, body } => {
                assert_eq!(status, 400, "{d}: {body}");
                assert!(body.contains("redirect_uri"), "{d}: {body}");
            }
            other => panic!("{d}: expected a refusal, got {other:?}"),
        }
    }

    /// A discovery document over 1 MiB (streamed, no `Content-Length`) is refused, and a
    /// redirect is not followed: the sign-in fails cleanly (500), no flow starts.
    fn hostile_provider_answers(&self) {
        let d = self.dialect;
        for provider in ["huge", "hop"] {
            let r = self
                .c
                .post_json(
                    "/api/auth/sign-in/social",
                    &format!(r#"{{"provider":"{provider}"}}"#),
                    &[ORIGIN],
                )
                .unwrap();
            assert_eq!(r.status, 500, "{d}: {provider}: {}", r.body);
            assert!(r.cookie("better-auth.state").is_none(), "{d}: {provider}");
        }
    }

    /// Consent denied: the provider's `access_denied` reaches the error callback, and no user
    /// is created.
    fn denied_consent(&self) {
        let d = self.dialect;
        let carol = Self::user("carol");
        let started = self.sign_in(
            r#"{"provider":"test","callbackURL":"/dashboard","errorCallbackURL":"/oops"}"#,
        );
        let back = self.authorize(&started, "carol", Consent::Deny);
        assert_eq!(
            param(&back, "error").as_deref(),
            Some("access_denied"),
            "{d}"
        );
        let done = self.callback(&back, &[&started.state_cookie]);
        let location = done.header("location").unwrap_or_default();
        assert!(
            location.starts_with("/oops?error=access_denied"),
            "{d}: {location}"
        );
        assert!(done.cookie("better-auth.session_token").is_none(), "{d}");
        assert_eq!(self.users_with_email(carol.email), 0, "{d}");
    }

    /// Linking by email needs a verified address on both sides: bob's email account is linked
    /// once its own address is verified; carol's provider does not vouch for hers. Returns
    /// bob's session cookie.
    fn linking_rules(&self) -> String {
        let d = self.dialect;
        let (bob, carol) = (Self::user("bob"), Self::user("carol"));
        for user in [bob, carol] {
            let body = format!(
                r#"{{"name":"Local","email":"{}","password":"local password 1"}}"#,
                user.email
            );
            let r = self
                .c
                .post_json("/api/auth/sign-up/email", &body, &[])
                .unwrap();
            assert_eq!(r.status, 200, "{d}: {}", r.body);
        }
        let social = |user: &str| {
            self.complete(
                "/api/auth/sign-in/social",
                r#"{"provider":"test","callbackURL":"/dashboard","errorCallbackURL":"/oops"}"#,
                None,
                user,
            )
        };
        // The local address is not verified yet: no link.
        let refused = social("bob");
        assert_eq!(
            refused.header("location"),
            Some("/oops?error=account_not_linked"),
            "{d}"
        );
        write_behind_app(
            self.db,
            &format!(
                "UPDATE {} SET {} = {} WHERE {} IN ('{}', '{}');",
                self.q("user"),
                self.q("emailVerified"),
                if d == "postgres" { "true" } else { "1" },
                self.q("email"),
                bob.email,
                carol.email
            ),
        );
        let linked = social("bob");
        assert_eq!(
            linked.header("location"),
            Some("/dashboard"),
            "{d}: {}",
            linked.body
        );
        let cookie = linked.cookie("better-auth.session_token").unwrap();
        let session = self.session(&cookie);
        assert_eq!(session["user"]["name"], "Local", "{d}: the existing user");
        assert_eq!(self.users_with_email(bob.email), 1, "{d}");
        // carol's provider says her email is not verified.
        let refused = social("carol");
        assert_eq!(
            refused.header("location"),
            Some("/oops?error=account_not_linked"),
            "{d}"
        );
        cookie
    }

    /// `GET /get-session` of `cookie`.
    fn session(&self, cookie: &str) -> serde_json::Value {
        self.c
            .get("/api/auth/get-session", &[("cookie", cookie)])
            .unwrap()
            .json()
    }

    /// `GET /list-accounts` of the user of `cookie`.
    fn list(&self, cookie: &str) -> serde_json::Value {
        self.c
            .get("/api/auth/list-accounts", &[("cookie", cookie)])
            .unwrap()
            .json()
    }

    /// A JSON `POST` from the app's origin with a session cookie.
    fn post(&self, path: &str, body: &str, cookie: &str) -> Reply {
        self.c
            .post_json(path, body, &[ORIGIN, ("cookie", cookie)])
            .unwrap()
    }

    /// `/list-accounts`, `/get-access-token` (refreshing an expired token), `/refresh-token`
    /// and `/account-info`, then `/unlink-account` and `/link-social`.
    fn account_endpoints(&self, alice_cookie: &str, bob_cookie: &str) {
        let d = self.dialect;
        let alice = Self::user("alice");
        let list = |cookie: &str| self.list(cookie);
        let accounts = list(alice_cookie);
        assert_eq!(
            accounts.as_array().map(Vec::len),
            Some(1),
            "{d}: {accounts}"
        );
        let account = &accounts[0];
        assert_eq!(account["providerId"], "test", "{d}");
        assert_eq!(account["accountId"], alice.sub, "{d}");
        assert!(
            account["scopes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s == "openid"),
            "{d}"
        );
        assert!(
            account.get("accessToken").is_none(),
            "{d}: tokens are never listed"
        );
        let id = account["id"].as_str().unwrap().to_owned();
        let post = |path: &str, body: &str, cookie: &str| self.post(path, body, cookie);

        let token = post(
            "/api/auth/get-access-token",
            &format!(r#"{{"accountId":"{id}"}}"#),
            alice_cookie,
        );
        assert_eq!(token.status, 200, "{d}: {}", token.body);
        let first = token.json()["accessToken"].as_str().unwrap().to_owned();
        assert!(!first.is_empty(), "{d}");
        if !self.encrypted {
            assert_eq!(self.account_column(alice.sub, "accessToken"), first, "{d}");
        }
        // Expired: refreshed with the stored refresh token on the way.
        write_behind_app(
            self.db,
            &format!(
                "UPDATE {} SET {} = {} WHERE {} = '{id}';",
                self.q("account"),
                self.q("accessTokenExpiresAt"),
                crate::plugins::past(d),
                self.q("id")
            ),
        );
        let token = post(
            "/api/auth/get-access-token",
            &format!(r#"{{"accountId":"{id}"}}"#),
            alice_cookie,
        );
        let refreshed = token.json()["accessToken"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(
            !refreshed.is_empty() && refreshed != first,
            "{d}: {}",
            token.body
        );
        assert!(
            token.json()["accessTokenExpiresAt"].as_str().unwrap() > "2001",
            "{d}"
        );
        let info = self
            .c
            .get(
                &format!("/api/auth/account-info?accountId={id}"),
                &[("cookie", alice_cookie)],
            )
            .unwrap();
        assert_eq!(
            info.json()["user"]["email"],
            alice.email,
            "{d}: {}",
            info.body
        );
        assert_eq!(info.json()["data"]["sub"], alice.sub, "{d}");
        assert_eq!(info.json()["account"]["accountId"], alice.sub, "{d}");
        let renewed = post(
            "/api/auth/refresh-token",
            &format!(r#"{{"accountId":"{id}"}}"#),
            alice_cookie,
        );
        assert_eq!(renewed.status, 200, "{d}: {}", renewed.body);
        assert_ne!(
            renewed.json()["accessToken"].as_str(),
            Some(refreshed.as_str()),
            "{d}"
        );
        assert_eq!(renewed.json()["providerId"], "test", "{d}");
        let unknown = post(
            "/api/auth/get-access-token",
            r#"{"accountId":"nope"}"#,
            alice_cookie,
        );
        assert_eq!(unknown.json()["code"], "ACCOUNT_NOT_FOUND", "{d}");

        self.unlink_and_link(&id, alice_cookie, bob_cookie);
    }

    /// `/unlink-account` (never the last account) and `/link-social` bringing one back.
    fn unlink_and_link(&self, alice_account: &str, alice_cookie: &str, bob_cookie: &str) {
        let d = self.dialect;
        let list = |cookie: &str| self.list(cookie);
        let post = |path: &str, body: &str, cookie: &str| self.post(path, body, cookie);
        // The last account stays; bob has two, so one goes.
        let refused = post(
            "/api/auth/unlink-account",
            &format!(r#"{{"accountId":"{alice_account}"}}"#),
            alice_cookie,
        );
        assert_eq!(
            refused.json()["code"],
            "FAILED_TO_UNLINK_LAST_ACCOUNT",
            "{d}: {}",
            refused.body
        );
        let accounts = list(bob_cookie);
        assert_eq!(
            accounts.as_array().map(Vec::len),
            Some(2),
            "{d}: {accounts}"
        );
        // The email-and-password account is listed too.
        let credential = accounts
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["providerId"] == "credential");
        assert!(
            credential.is_some_and(|a| a["scopes"] == serde_json::json!([])),
            "{d}: {accounts}"
        );
        let social = accounts
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["providerId"] == "test")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let unlinked = post(
            "/api/auth/unlink-account",
            &format!(r#"{{"accountId":"{social}"}}"#),
            bob_cookie,
        );
        assert_eq!(unlinked.json()["status"], true, "{d}: {}", unlinked.body);
        assert_eq!(list(bob_cookie).as_array().map(Vec::len), Some(1), "{d}");

        // `/link-social` brings it back, to the signed-in user, without a new session.
        let done = self.link(bob_cookie, "bob");
        assert_eq!(
            done.header("location"),
            Some("/linked"),
            "{d}: {}",
            done.body
        );
        assert_eq!(list(bob_cookie).as_array().map(Vec::len), Some(2), "{d}");
        // Another person's provider account does not join alice (carol's email is unverified
        // there, and differs).
        let done = self.link(alice_cookie, "carol");
        assert_eq!(
            done.header("location"),
            Some("/oops?error=unable_to_link_account"),
            "{d}"
        );
        // A link whose session signed out before the provider answered links nothing (Better
        // Auth 1.7 binds the link to the session that started it).
        let signed_in = self.complete(
            "/api/auth/sign-in/social",
            r#"{"provider":"test","callbackURL":"/dashboard"}"#,
            None,
            "bob",
        );
        let short_lived = signed_in.cookie("better-auth.session_token").unwrap();
        let started = self.start(
            "/api/auth/link-social",
            r#"{"provider":"test","callbackURL":"/linked","errorCallbackURL":"/oops"}"#,
            Some(&short_lived),
        );
        let back = self.authorize(&started, "bob", Consent::Approve);
        let out = self.post("/api/auth/sign-out", "{}", &short_lived);
        assert_eq!(out.status, 200, "{d}: {}", out.body);
        let done = self.callback(&back, &[&started.state_cookie]);
        assert_eq!(
            done.header("location"),
            Some("/oops?error=unable_to_link_account"),
            "{d}: {}",
            done.body
        );
    }
}

impl Social<'_> {
    /// An id_token from the provider for the app's client of `provider`, about `user`.
    fn id_token(&self, provider: &str, user: &str, nonce: &str) -> String {
        let client = clients()
            .into_iter()
            .find(|c| c.redirect_uris[0].ends_with(&format!("/callback/{provider}")))
            .unwrap();
        self.provider.id_token(&client, user, nonce)
    }

    /// `/sign-in/social` with `idToken`.
    fn id_token_request(
        &self,
        path: &str,
        body: &serde_json::Value,
        cookie: Option<&str>,
    ) -> Reply {
        let mut headers = vec![ORIGIN];
        if let Some(cookie) = cookie {
            headers.push(("cookie", cookie));
        }
        self.c.post_json(path, &body.to_string(), &headers).unwrap()
    }

    fn refused(&self, reply: &Reply, status: u16, code: &str) {
        let d = self.dialect;
        assert_eq!(reply.status, status, "{d}: {}", reply.body);
        assert_eq!(reply.json()["code"], code, "{d}: {}", reply.body);
        assert!(reply.cookie("better-auth.session_token").is_none(), "{d}");
    }

    /// Sign-in with a provider's id_token (a native app's): verified against the provider's
    /// JWKS (RS256 and ES256), its nonce and audience; refused when forged, for another client,
    /// with another nonce, or for a provider without ID tokens. The code flow verifies ES256
    /// tokens too.
    /// Returns the token alice signed in with.
    fn id_token_sign_in(&self) -> String {
        let d = self.dialect;
        let alice = Self::user("alice");
        let sign_in = |body: serde_json::Value| {
            self.id_token_request("/api/auth/sign-in/social", &body, None)
        };
        let token = self.id_token("test", "alice", "n-1");
        let header = jsonwebtoken::decode_header(&token).unwrap();
        assert_eq!(header.alg, jsonwebtoken::Algorithm::RS256);
        let done = sign_in(
            serde_json::json!({"provider": "test", "idToken": {"token": token, "nonce": "n-1"}}),
        );
        assert_eq!(done.status, 200, "{d}: {}", done.body);
        let answer = done.json();
        assert_eq!(answer["redirect"], false, "{d}: {answer}");
        assert_eq!(answer["user"]["email"], alice.email, "{d}");
        assert!(answer.get("url").is_none(), "{d}: {answer}");
        let cookie = done.cookie("better-auth.session_token").expect("a session");
        let session = self.session(&cookie);
        assert_eq!(session["user"]["email"], alice.email, "{d}");
        assert_eq!(session["session"]["token"], answer["token"], "{d}");
        assert_eq!(
            self.users_with_email(alice.email),
            1,
            "{d}: the existing user"
        );
        // Without a nonce in the request, the token's is not checked (Better Auth's rule).
        let plain = sign_in(serde_json::json!({"provider": "test", "idToken": {"token": token}}));
        assert_eq!(plain.status, 200, "{d}: {}", plain.body);

        // One flipped character in the middle of the signature.
        let (signed, signature) = token.rsplit_once('.').unwrap();
        let mut bytes = signature.as_bytes().to_vec();
        let middle = bytes.len() / 2;
        bytes[middle] = if bytes[middle] == b'A' { b'B' } else { b'A' };
        let forged = format!("{signed}.{}", String::from_utf8(bytes).unwrap());
        let r = sign_in(serde_json::json!({"provider": "test", "idToken": {"token": forged}}));
        self.refused(&r, 401, "INVALID_TOKEN");
        assert_eq!(r.json()["message"], "Invalid token", "{d}");
        let r = sign_in(
            serde_json::json!({"provider": "test", "idToken": {"token": token, "nonce": "n-2"}}),
        );
        self.refused(&r, 401, "INVALID_TOKEN");
        // A token the provider issued to another client (`aud` rauth-wrong).
        let other = self.id_token("wrong", "alice", "n-1");
        let r = sign_in(
            serde_json::json!({"provider": "test", "idToken": {"token": other, "nonce": "n-1"}}),
        );
        self.refused(&r, 401, "INVALID_TOKEN");
        let r = sign_in(serde_json::json!({"provider": "test", "idToken": {"token": "not.a.jwt"}}));
        self.refused(&r, 401, "INVALID_TOKEN");
        let r = sign_in(serde_json::json!({"provider": "github", "idToken": {"token": token}}));
        self.refused(&r, 404, "ID_TOKEN_NOT_SUPPORTED");
        let r = sign_in(serde_json::json!({"provider": "test", "idToken": {"nonce": "n-1"}}));
        assert_eq!(r.status, 400, "{d}: {}", r.body);
        // Expired: the `short` client's tokens live a second (and a fresh one signs in).
        let short = self.id_token("short", "alice", "n-5");
        let fresh = sign_in(serde_json::json!({"provider": "short", "idToken": {"token": short}}));
        assert_eq!(fresh.status, 200, "{d}: {}", fresh.body);
        std::thread::sleep(std::time::Duration::from_millis(2100));
        let r = sign_in(serde_json::json!({"provider": "short", "idToken": {"token": short}}));
        self.refused(&r, 401, "INVALID_TOKEN");

        // ES256: alice's verified email links the `es` account to her.
        let es = self.id_token("es", "alice", "n-3");
        assert_eq!(
            jsonwebtoken::decode_header(&es).unwrap().alg,
            jsonwebtoken::Algorithm::ES256
        );
        let done = sign_in(
            serde_json::json!({"provider": "es", "idToken": {"token": es, "nonce": "n-3"}}),
        );
        assert_eq!(done.status, 200, "{d}: {}", done.body);
        assert_eq!(done.json()["user"]["email"], alice.email, "{d}");
        let r = sign_in(serde_json::json!({"provider": "test", "idToken": {"token": es}}));
        self.refused(&r, 401, "INVALID_TOKEN");
        // The code flow with the ES256 client: the token endpoint's id_token is verified too.
        let done = self.complete(
            "/api/auth/sign-in/social",
            r#"{"provider":"es","callbackURL":"/dashboard","errorCallbackURL":"/oops"}"#,
            None,
            "alice",
        );
        assert_eq!(
            done.header("location"),
            Some("/dashboard"),
            "{d}: {}",
            done.body
        );
        assert!(done.cookie("better-auth.session_token").is_some(), "{d}");
        let providers: Vec<String> = self
            .list(&cookie)
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["providerId"].as_str().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(providers, ["test", "short", "es"], "{d}");
        token
    }

    /// `/link-social` with `idToken`: bob's `es` account joins him (again: still linked), and
    /// cannot join alice too.
    fn id_token_link(&self, alice_cookie: &str, bob_cookie: &str) {
        let d = self.dialect;
        let token = self.id_token("es", "bob", "n-4");
        let link = |cookie: &str| {
            self.id_token_request(
                "/api/auth/link-social",
                &serde_json::json!({"provider": "es", "idToken": {"token": token, "nonce": "n-4"}}),
                Some(cookie),
            )
        };
        let linked = link(bob_cookie);
        assert_eq!(linked.status, 200, "{d}: {}", linked.body);
        assert_eq!(
            linked.json(),
            serde_json::json!({"url": "", "status": true, "redirect": false}),
            "{d}"
        );
        assert!(
            self.list(bob_cookie)
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["providerId"] == "es"),
            "{d}"
        );
        assert_eq!(link(bob_cookie).status, 200, "{d}");
        let r = link(alice_cookie);
        assert_eq!(r.status, 409, "{d}: {}", r.body);
        assert_eq!(r.json()["code"], "SOCIAL_ACCOUNT_ALREADY_LINKED", "{d}");
        let forged = format!("{token}x");
        let r = self.id_token_request(
            "/api/auth/link-social",
            &serde_json::json!({"provider": "es", "idToken": {"token": forged}}),
            Some(bob_cookie),
        );
        assert_eq!(r.json()["code"], "INVALID_TOKEN", "{d}: {}", r.body);
        let r = self.id_token_request(
            "/api/auth/link-social",
            &serde_json::json!({"provider": "es", "idToken": {"token": token}}),
            None,
        );
        assert_eq!(r.status, 401, "{d}: {}", r.body);
    }
}

/// A URL on the app's base URL as a path the test client can request.
/// A provider's server at its worst, on 127.0.0.1: `/huge` streams a discovery document after
/// 2 MiB of JSON whitespace, without a `Content-Length`; `/hop` redirects to `discovery`. Returns its base URL; it serves
/// until the test process ends.
fn hostile_server(discovery: &str) -> String {
    use std::io::{BufRead as _, BufReader, Write as _};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let discovery = discovery.to_owned();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream);
            let mut request_line = String::new();
            let _ = reader.read_line(&mut request_line);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let mut stream = reader.into_inner();
            if request_line.contains(" /hop ") {
                let _ = write!(
                    stream,
                    "HTTP/1.1 302 Found\r\nlocation: {discovery}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                );
                continue;
            }
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n",
            );
            let chunk = vec![b' '; 64 * 1024];
            for _ in 0..32 {
                if write!(stream, "{:x}\r\n", chunk.len()).is_err()
                    || stream.write_all(&chunk).is_err()
                    || stream.write_all(b"\r\n").is_err()
                {
                    break;
                }
            }
            // A document that would start a flow, were it read whole.
            let document = format!(
                r#"{{"issuer":"{base}","authorization_endpoint":"{base}/auth","token_endpoint":"{base}/token"}}"#,
                base = "http://127.0.0.1:9"
            );
            let _ = write!(stream, "{:x}\r\n{document}\r\n0\r\n\r\n", document.len());
        }
    });
    base
}

fn app_path(url: &str) -> String {
    url.strip_prefix(BASE).unwrap_or(url).to_owned()
}

/// A query parameter of a URL, decoded.
pub fn param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1.split('#').next()?;
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == name).then(|| decode(v))
    })
}

fn decode(text: &str) -> String {
    let bytes = text.replace('+', " ").into_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = std::str::from_utf8(&bytes[i + 1..(i + 3).min(bytes.len())])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
