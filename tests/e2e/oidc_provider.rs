//! A real OpenID Connect provider for the social sign-in flows: panva's `oidc-provider`
//! (OpenID-certified) run by node from `tests/e2e/oidc-provider/provider.mjs` on 127.0.0.1, and a
//! scripted browser that signs a user in there and answers its consent page.
//!
//! What a relying party meets:
//! - the issuer is `http://127.0.0.1:<port>`, without a trailing slash; discovery at
//!   `<issuer>/.well-known/openid-configuration` names the endpoints (authorization `/auth`, token
//!   `/token`, userinfo `/me`, JWKS `/jwks`);
//! - clients authenticate at the token endpoint with `client_secret_post` (Better Auth's
//!   default); `redirect_uri` must equal a registered one exactly; a `code_challenge` must be
//!   S256 and its verifier must match; codes live 60 s and are single-use (presenting one again
//!   revokes the tokens it yielded);
//! - scopes `openid email profile`; the id_token (RS256, or ES256 for a client registered so;
//!   keys in the JWKS; `nonce` echoed) and
//!   userinfo carry `sub`, `email`, `email_verified`, `name` and `picture`;
//! - every code exchange also returns a refresh token (no `offline_access` or `prompt=consent`
//!   needed); refreshing rotates it; access tokens live 60 s (`OIDC_ACCESS_TOKEN_TTL` seconds in
//!   the test's environment changes that);
//! - the authorization response carries `code`, `state` unchanged and `iss` (RFC 9207), in the
//!   query or, with `response_mode=form_post`, as an auto-submitted form.

use std::fs::OpenOptions;
use std::io::{BufRead as _, BufReader};
use std::path::PathBuf;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;
use sha2::{Digest as _, Sha256};
use url::Url;

use crate::http::{Client, Reply};

/// One OAuth client registered at the provider.
#[derive(Debug, Clone)]
pub struct ClientRegistration {
    pub client_id: String,
    pub client_secret: String,
    pub redirect_uris: Vec<String>,
    /// `ES256` for id_tokens signed with the provider's P-256 key; RS256 otherwise.
    pub id_token_alg: Option<&'static str>,
    /// How long its id_tokens live, in seconds (an hour when `None`).
    pub id_token_ttl: Option<u64>,
}

/// A person with an account at the provider.
#[derive(Debug)]
pub struct ProviderUser {
    pub sub: &'static str,
    pub email: &'static str,
    pub email_verified: bool,
    pub name: &'static str,
    pub picture: Option<&'static str>,
}

/// Everyone who can sign in at the provider.
pub const USERS: &[ProviderUser] = &[
    ProviderUser {
        sub: "alice",
        email: "alice@oidc.example",
        email_verified: true,
        name: "Alice Provider",
        picture: Some("https://oidc.example/alice.png"),
    },
    ProviderUser {
        sub: "bob",
        email: "bob@oidc.example",
        email_verified: true,
        name: "Bob Provider",
        picture: None,
    },
    ProviderUser {
        sub: "carol",
        email: "carol@oidc.example",
        email_verified: false,
        name: "Carol Provider",
        picture: None,
    },
];

/// The user's answer on the consent page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consent {
    Approve,
    Deny,
}

/// What the user's browser ends with after the provider's pages.
#[derive(Debug, PartialEq, Eq)]
pub enum AuthorizeOutcome {
    /// A redirect to the client: `Location` (redirect_uri with `code`+`state`+`iss`, or
    /// `error`=access_denied…).
    Redirect(String),
    /// `response_mode=form_post`: the auto-submitted form's action and fields.
    FormPost {
        action: String,
        fields: Vec<(String, String)>,
    },
    /// The provider refused to redirect (unknown client, redirect_uri not registered): status
    /// and body of its error page (or of its login step, for a `user` not in [`USERS`]).
    Refused { status: u16, body: String },
}

/// A running provider; the node process is killed on drop.
#[derive(Debug)]
pub struct OidcProvider {
    /// `http://127.0.0.1:<port>`, no trailing slash (as the provider prints it in `iss`).
    pub issuer: String,
    child: Child,
    /// Held open so the provider never writes to a closed pipe.
    _stdout: BufReader<ChildStdout>,
}

impl Drop for OidcProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl OidcProvider {
    /// Starts a provider knowing `clients` and [`USERS`]; returns once discovery answers.
    pub fn start(clients: &[ClientRegistration]) -> OidcProvider {
        let dir = crate::npm_project("oidc-provider");
        let clients: Vec<_> = clients
            .iter()
            .map(|c| {
                json!({
                    "client_id": c.client_id,
                    "client_secret": c.client_secret,
                    "redirect_uris": c.redirect_uris,
                    "id_token_signed_response_alg": c.id_token_alg,
                    "id_token_ttl": c.id_token_ttl,
                })
            })
            .collect();
        let users: Vec<_> = USERS
            .iter()
            .map(|u| {
                json!({
                    "sub": u.sub, "email": u.email, "email_verified": u.email_verified,
                    "name": u.name, "picture": u.picture,
                })
            })
            .collect();
        // Its warnings (in-memory storage, Node.js version) and errors; shared by every provider.
        let log: PathBuf = dir.join("provider.log");
        let stderr = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .unwrap();
        let mut child = Command::new("node")
            .arg("provider.mjs")
            .arg(serde_json::Value::from(clients).to_string())
            .arg(serde_json::Value::from(users).to_string())
            .current_dir(&dir)
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("node (Node.js) is needed for the OIDC provider");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        let _ = stdout.read_line(&mut line);
        let issuer = serde_json::from_str::<serde_json::Value>(&line)
            .ok()
            .and_then(|v| v["issuer"].as_str().map(str::to_owned))
            .unwrap_or_else(|| panic!("the OIDC provider did not start; see {}", log.display()));
        let provider = OidcProvider {
            issuer,
            child,
            _stdout: stdout,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while provider
            .client()
            .get("/.well-known/openid-configuration", &[])
            .map_or(true, |r| r.status != 200)
        {
            assert!(
                Instant::now() < deadline,
                "the OIDC provider's discovery does not answer; see {}",
                log.display()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        provider
    }

    /// An HTTP client for the provider (paths relative to the issuer).
    pub fn client(&self) -> Client {
        Client::new(Url::parse(&self.issuer).unwrap().port().unwrap())
    }

    /// An id_token for `client` about `user`, as a native app gets one: the code flow (PKCE
    /// S256, `nonce`) through the client's first redirect URI, its code exchanged by hand. The
    /// relying party never sees the code.
    pub fn id_token(&self, client: &ClientRegistration, user: &str, nonce: &str) -> String {
        let verifier = "a-native-app-code-verifier-of-at-least-forty-three-characters";
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier));
        let redirect_uri = &client.redirect_uris[0];
        let mut url = Url::parse(&format!("{}/auth", self.issuer)).unwrap();
        url.query_pairs_mut().extend_pairs([
            ("response_type", "code"),
            ("client_id", client.client_id.as_str()),
            ("redirect_uri", redirect_uri.as_str()),
            ("scope", "openid email profile"),
            ("state", "native-app"),
            ("nonce", nonce),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ]);
        let AuthorizeOutcome::Redirect(location) =
            self.authorize(url.as_str(), user, Consent::Approve)
        else {
            panic!("the provider did not redirect back to {redirect_uri}")
        };
        let location = Url::parse(&location).unwrap();
        let code = location
            .query_pairs()
            .find(|(k, _)| k == "code")
            .map(|(_, v)| v.into_owned())
            .unwrap();
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs([
                ("client_id", client.client_id.as_str()),
                ("client_secret", client.client_secret.as_str()),
                ("grant_type", "authorization_code"),
                ("code", code.as_str()),
                ("redirect_uri", redirect_uri.as_str()),
                ("code_verifier", verifier),
            ])
            .finish();
        let tokens = self
            .client()
            .post_raw("/token", "application/x-www-form-urlencoded", &body)
            .unwrap();
        assert_eq!(tokens.status, 200, "{tokens:?}");
        tokens.json()["id_token"].as_str().unwrap().to_owned()
    }

    /// Plays the user's browser from the authorization URL a relying party produced: signs in
    /// as `user` (`USERS[].sub`) at the provider's login step and answers its consent step,
    /// following the provider's own redirects (keeping its cookies) until the result. Each call
    /// is a new browser: the user signs in again.
    pub fn authorize(&self, authorize_url: &str, user: &str, consent: Consent) -> AuthorizeOutcome {
        let mut browser = Browser::default();
        let mut url = Url::parse(authorize_url).unwrap();
        let mut reply = browser.send(&url, None);
        // Login, consent and their redirects take a handful of steps; more means a loop.
        for _ in 0..12 {
            if let Some(location) = reply.header("location").filter(|_| reply.status / 100 == 3) {
                url = url.join(location).unwrap();
                if !url.as_str().starts_with(&format!("{}/", self.issuer)) {
                    return AuthorizeOutcome::Redirect(url.into());
                }
                reply = browser.send(&url, None);
                continue;
            }
            let (action, fields) = form(&reply.body);
            let step = attribute(&reply.body, "data-step");
            let answer = match (step.as_deref(), consent) {
                (Some("login"), _) => ("login", user),
                (Some("consent"), Consent::Approve) => ("decision", "approve"),
                (Some("consent"), Consent::Deny) => ("decision", "deny"),
                _ if reply.body.contains("<title>Submitting Callback</title>") => {
                    return AuthorizeOutcome::FormPost {
                        action: action.unwrap_or_default(),
                        fields,
                    };
                }
                _ => {
                    return AuthorizeOutcome::Refused {
                        status: reply.status,
                        body: reply.body,
                    };
                }
            };
            assert_eq!(reply.status, 200, "the provider's {step:?} page: {reply:?}");
            url = url.join(&action.unwrap_or_default()).unwrap();
            reply = browser.send(&url, Some(&[answer]));
        }
        panic!("the provider kept redirecting: {reply:?}")
    }
}

/// The provider's cookies (interaction, session), sent back on every request to it.
#[derive(Default)]
struct Browser {
    cookies: Vec<(String, String)>,
}

impl Browser {
    /// GET `url`, or POST `form` to it.
    fn send(&mut self, url: &Url, form: Option<&[(&str, &str)]>) -> Reply {
        let client = Client::new(url.port().unwrap());
        let path = &url[url::Position::BeforePath..];
        let cookie = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let reply = match form {
            None => client.send("GET", path, &[("cookie", &cookie)], None),
            Some(fields) => {
                let body = url::form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(fields)
                    .finish();
                let headers = [
                    ("cookie", cookie.as_str()),
                    ("content-type", "application/x-www-form-urlencoded"),
                ];
                client.send("POST", path, &headers, Some(&body))
            }
        }
        .unwrap();
        for (_, set_cookie) in reply.headers.iter().filter(|(k, _)| k == "set-cookie") {
            let pair = set_cookie.split(';').next().unwrap_or_default();
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            self.cookies.retain(|(k, _)| k != name);
            // An empty value is the provider deleting the cookie.
            if !value.is_empty() {
                self.cookies.push((name.to_owned(), value.to_owned()));
            }
        }
        reply
    }
}

/// The first form's `action` and its hidden inputs' names and values.
fn form(html: &str) -> (Option<String>, Vec<(String, String)>) {
    let fields = html
        .split("<input")
        .skip(1)
        .filter(|input| input.contains(r#"type="hidden""#))
        .filter_map(|input| Some((attribute(input, "name")?, attribute(input, "value")?)))
        .collect();
    let action = html
        .split("<form")
        .nth(1)
        .and_then(|form| attribute(form, "action"));
    (action, fields)
}

/// The first `name="…"` attribute's value in `html`, unescaped.
fn attribute(html: &str, name: &str) -> Option<String> {
    let start = html.find(&format!(r#" {name}=""#))? + name.len() + 3;
    let value = &html[start..start + html[start..].find('"')?];
    Some(
        value
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

/// The harness itself, driven by hand as a relying party would (no rauth code involved).
mod tests {
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use jsonwebtoken::jwk::JwkSet;
    use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
    use serde_json::Value;
    use sha2::{Digest as _, Sha256};
    use url::Url;

    use super::{AuthorizeOutcome, ClientRegistration, Consent, OidcProvider};
    use crate::http::{Client, Reply};

    /// Nothing listens there: the browser stops at the redirect to it.
    const REDIRECT_URI: &str = "http://127.0.0.1:9/callback";
    const CLIENT_ID: &str = "rauth-harness";
    const CLIENT_SECRET: &str = "harness secret";
    const VERIFIER: &str = "a-code-verifier-of-at-least-forty-three-characters";

    #[test]
    fn the_oidc_provider_validates_like_one() {
        let provider = OidcProvider::start(&[ClientRegistration {
            client_id: CLIENT_ID.into(),
            client_secret: CLIENT_SECRET.into(),
            redirect_uris: vec![REDIRECT_URI.into()],
            id_token_alg: None,
            id_token_ttl: None,
        }]);
        let rp = HandRp::new(&provider);
        code_flow(&rp);
        refusals(&rp);
        form_post(&rp);
    }

    /// Approved: code and state come back; the code yields verifiable tokens, once.
    fn code_flow(rp: &HandRp) {
        let location = rp.redirect(
            &rp.authorize_url(REDIRECT_URI, &[]),
            "alice",
            Consent::Approve,
        );
        assert!(
            location.starts_with(&format!("{REDIRECT_URI}?")),
            "{location}"
        );
        assert_eq!(query(&location, "state").as_deref(), Some("state-1"));
        assert_eq!(query(&location, "iss"), Some(rp.provider.issuer.clone()));
        let code = query(&location, "code").unwrap();

        let tokens = rp.exchange(&code, VERIFIER);
        assert_eq!(tokens.status, 200, "{tokens:?}");
        let tokens = tokens.json();
        let claims = rp.verify_id_token(tokens["id_token"].as_str().unwrap());
        assert_eq!(claims["sub"], "alice");
        assert_eq!(claims["nonce"], "nonce-1");
        assert_eq!(claims["email"], "alice@oidc.example");
        assert_eq!(claims["email_verified"], true);

        let me = rp.userinfo(tokens["access_token"].as_str().unwrap()).json();
        assert_eq!(me["email"], "alice@oidc.example", "{me}");
        assert_eq!(me["name"], "Alice Provider");
        assert_eq!(tokens["expires_in"], 60);
        let refreshed = rp.token(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", tokens["refresh_token"].as_str().unwrap()),
        ]);
        assert_eq!(refreshed.status, 200, "{refreshed:?}");
        let refreshed = refreshed.json()["access_token"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(rp.userinfo(&refreshed).json()["sub"], "alice");
        assert_eq!(rp.userinfo("not-a-token").status, 401);

        // A code is single-use; presenting it again also revokes what it yielded.
        let reused = rp.exchange(&code, VERIFIER);
        assert_eq!(reused.status, 400, "{reused:?}");
        assert_eq!(reused.json()["error"], "invalid_grant");
        assert_eq!(rp.userinfo(&refreshed).status, 401);
    }

    /// A wrong or missing client secret, a wrong PKCE verifier, an unregistered redirect_uri,
    /// denied consent.
    fn refusals(rp: &HandRp) {
        // Client authentication: the code is good, the secret is not; the code survives it.
        let location = rp.redirect(
            &rp.authorize_url(REDIRECT_URI, &[]),
            "alice",
            Consent::Approve,
        );
        let code = query(&location, "code").unwrap();
        let exchange = [
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", REDIRECT_URI),
            ("code_verifier", VERIFIER),
        ];
        for secret in [Some(&*format!("{CLIENT_SECRET}-not")), Some(""), None] {
            let refused = rp.token_as(secret, &exchange);
            assert_eq!(refused.status, 401, "{secret:?}: {refused:?}");
            assert_eq!(refused.json()["error"], "invalid_client", "{secret:?}");
        }
        let accepted = rp.token(&exchange);
        assert_eq!(accepted.status, 200, "{accepted:?}");

        let location = rp.redirect(
            &rp.authorize_url(REDIRECT_URI, &[]),
            "alice",
            Consent::Approve,
        );
        let wrong = rp.exchange(
            &query(&location, "code").unwrap(),
            &format!("{VERIFIER}-not"),
        );
        assert_eq!(wrong.status, 400, "{wrong:?}");
        assert_eq!(wrong.json()["error"], "invalid_grant");

        let other = rp.authorize_url(&format!("{REDIRECT_URI}/other"), &[]);
        let outcome = rp.provider.authorize(&other, "alice", Consent::Approve);
        let AuthorizeOutcome::Refused { status, body } = outcome else {
            panic!("{outcome:?}")
        };
        assert_eq!(status, 400);
        assert!(body.contains("redirect_uri"), "{body}");

        let location = rp.redirect(&rp.authorize_url(REDIRECT_URI, &[]), "bob", Consent::Deny);
        assert_eq!(query(&location, "error").as_deref(), Some("access_denied"));
        assert_eq!(query(&location, "state").as_deref(), Some("state-1"));
    }

    /// `response_mode=form_post`: the code arrives as form fields; carol's email is unverified.
    fn form_post(rp: &HandRp) {
        let url = rp.authorize_url(REDIRECT_URI, &[("response_mode", "form_post")]);
        let outcome = rp.provider.authorize(&url, "carol", Consent::Approve);
        let AuthorizeOutcome::FormPost { action, fields } = outcome else {
            panic!("{outcome:?}")
        };
        assert_eq!(action, REDIRECT_URI);
        let field = |name: &str| {
            fields
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(field("state"), Some("state-1"));
        let tokens = rp.exchange(field("code").unwrap(), VERIFIER).json();
        let me = rp.userinfo(tokens["access_token"].as_str().unwrap()).json();
        assert_eq!(me["email"], "carol@oidc.example", "{me}");
        assert_eq!(me["email_verified"], false);
    }

    /// A relying party written out by hand against the provider's discovery document.
    struct HandRp<'a> {
        provider: &'a OidcProvider,
        http: Client,
        discovery: Value,
    }

    impl<'a> HandRp<'a> {
        fn new(provider: &'a OidcProvider) -> Self {
            let http = provider.client();
            let discovery = http
                .get("/.well-known/openid-configuration", &[])
                .unwrap()
                .json();
            assert_eq!(discovery["issuer"], provider.issuer.as_str());
            Self {
                provider,
                http,
                discovery,
            }
        }

        /// The path of the endpoint discovery names `key`.
        fn endpoint(&self, key: &str) -> &str {
            let url = self.discovery[key].as_str().unwrap();
            url.strip_prefix(self.provider.issuer.as_str()).unwrap()
        }

        /// Code flow with PKCE S256, state `state-1` and nonce `nonce-1`.
        fn authorize_url(&self, redirect_uri: &str, extra: &[(&str, &str)]) -> String {
            let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(VERIFIER));
            let endpoint = self.discovery["authorization_endpoint"].as_str().unwrap();
            let mut url = Url::parse(endpoint).unwrap();
            url.query_pairs_mut()
                .extend_pairs([
                    ("response_type", "code"),
                    ("client_id", CLIENT_ID),
                    ("redirect_uri", redirect_uri),
                    ("scope", "openid email profile"),
                    ("state", "state-1"),
                    ("nonce", "nonce-1"),
                    ("code_challenge", &challenge),
                    ("code_challenge_method", "S256"),
                ])
                .extend_pairs(extra);
            url.into()
        }

        /// The `Location` the browser is sent to at the end.
        fn redirect(&self, authorize_url: &str, user: &str, consent: Consent) -> String {
            match self.provider.authorize(authorize_url, user, consent) {
                AuthorizeOutcome::Redirect(location) => location,
                outcome => panic!("{outcome:?}"),
            }
        }

        /// A token request, authenticated with `client_secret_post`.
        fn token(&self, fields: &[(&str, &str)]) -> Reply {
            self.token_as(Some(CLIENT_SECRET), fields)
        }

        /// A token request with this `client_secret` (or none).
        fn token_as(&self, secret: Option<&str>, fields: &[(&str, &str)]) -> Reply {
            let body = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("client_id", CLIENT_ID)
                .extend_pairs(secret.map(|s| ("client_secret", s)))
                .extend_pairs(fields)
                .finish();
            let form = "application/x-www-form-urlencoded";
            self.http
                .post_raw(self.endpoint("token_endpoint"), form, &body)
                .unwrap()
        }

        fn exchange(&self, code: &str, verifier: &str) -> Reply {
            self.token(&[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", REDIRECT_URI),
                ("code_verifier", verifier),
            ])
        }

        fn userinfo(&self, access_token: &str) -> Reply {
            let bearer = format!("Bearer {access_token}");
            self.http
                .get(
                    self.endpoint("userinfo_endpoint"),
                    &[("authorization", &bearer)],
                )
                .unwrap()
        }

        /// The id_token's claims, once its RS256 signature (JWKS), issuer and audience check out.
        fn verify_id_token(&self, id_token: &str) -> Value {
            let jwks = self.http.get(self.endpoint("jwks_uri"), &[]).unwrap();
            let jwks: JwkSet = serde_json::from_str(&jwks.body).unwrap();
            let kid = decode_header(id_token).unwrap().kid.unwrap();
            let key = DecodingKey::from_jwk(jwks.find(&kid).unwrap()).unwrap();
            let mut validation = Validation::new(Algorithm::RS256);
            validation.set_audience(&[CLIENT_ID]);
            validation.set_issuer(&[&self.provider.issuer]);
            decode::<Value>(id_token, &key, &validation).unwrap().claims
        }
    }

    fn query(location: &str, key: &str) -> Option<String> {
        Url::parse(location)
            .unwrap()
            .query_pairs()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
    }
}
