// A relying party nobody here wrote, against a rauth-generated OAuth provider: panva's
// `openid-client` (OpenID Certified) runs discovery, the authorization code flow with PKCE, ID
// token validation, userinfo, refresh, introspection and revocation. The script plays the
// browser through the app's login and consent pages (the sign-in carries `oauth_query`, the
// consent posts it back), and then plays the attacker: a code used twice, a redirect URI with
// a slash or a query added, a wrong PKCE verifier, no PKCE, a confidential client without its
// secret, a refresh token replayed after rotation. Prints what each step answered.
// A trusted client the operator made (consent skipped, logout allowed, client credentials) runs
// RP-initiated logout, refused first with forged hints (`alg: none`, HMAC keyed with the
// public key, another browser's session), and the client credentials grant.
// With an API path, the app's own API behind `Auth::oauth_access` is called too: without a token
// (401 naming its resource metadata, RFC 9728), with one, and with a made-up one.
// usage: node oauth-provider.mjs <server base URL> <trusted origin> <issuer> <trusted client id>
//        <its secret> [API path]
import { createHmac } from "node:crypto";
import * as client from "openid-client";
import { createLocalJWKSet, jwtVerify } from "jose";
import { browserFetch } from "./browser.mjs";
import { REDIRECT, SCOPE, authorization, localTo, navigate, postJson, queryOf, redeem, refused, relyingParty, visit } from "./oauth-rp.mjs";

const [baseURL, origin, issuer, trustedId, trustedSecret, apiPath] = process.argv.slice(2);
const local = localTo(issuer, baseURL);
const out = {};

const owner = browserFetch(origin, new Map());
const email = `rp-${Date.now()}@example.com`;
const password = "relying party password";
let r = await postJson(owner, baseURL, "/sign-up/email", { name: "Grace Brewster Hopper", email, password });
if (r.status !== 200) throw new Error(`sign-up: ${JSON.stringify(r)}`);
r = await postJson(owner, baseURL, "/oauth2/create-client", { redirect_uris: [REDIRECT], client_name: "Relying Party", scope: SCOPE });
if (r.status !== 201) throw new Error(`create-client: ${JSON.stringify(r)}`);
const { client_id, client_secret } = r.body;
out.registered = { status: r.status, secret: typeof client_secret === "string", method: r.body.token_endpoint_auth_method };

const config = await relyingParty(issuer, client_id, client_secret, local);
out.discovered = config.serverMetadata().issuer === issuer;

// The browser: its own cookie jar, following no redirects, so each step is seen.
const jar = new Map();
const browser = browserFetch(origin, jar);
const go = (url) => navigate(local(url), jar);

// 1. No session: to the login page, the request signed in its query.
const first = await authorization(config);
let location = await go(first.url);
out.toLogin = location.startsWith("/login?") || location;
// 2. The login page signs in with the signed query: the answer is the next step, consent.
r = await postJson(browser, baseURL, "/sign-in/email", { email, password, oauth_query: queryOf(location) });
out.signedIn = { status: r.status, redirect: r.body?.redirect, toConsent: r.body?.url?.startsWith("/consent?") };
const consentQuery = queryOf(r.body.url);
// A tampered signed query signs no one in.
r = await postJson(browserFetch(origin, new Map()), baseURL, "/sign-in/email", { email, password, oauth_query: queryOf(location).replace("scope=", "scope=admin+") });
out.tamperedQuery = r.status;
// Another site's page cannot consent in the user's name.
out.crossSiteConsent = (await postJson(browserFetch("https://evil.example", jar), baseURL, "/oauth2/consent", { accept: true, oauth_query: consentQuery })).status;
// 3. Consent: back to the client with a code.
r = await postJson(browser, baseURL, "/oauth2/consent", { accept: true, oauth_query: consentQuery });
const callback = new URL(r.body.url);
out.consented = { status: r.status, toClient: callback.origin + callback.pathname === REDIRECT, state: callback.searchParams.get("state") === first.state, iss: callback.searchParams.get("iss") };
// 4. The code for tokens; openid-client checks `iss`, the state, the ID token's claims and nonce.
const tokens = await redeem(config, callback, first);
const claims = tokens.claims();
const jwks = await (await fetch(local(`${issuer}/jwks`))).json();
const verified = await jwtVerify(tokens.id_token, createLocalJWKSet(jwks), { issuer, audience: client_id });
out.tokens = {
  type: tokens.token_type.toLowerCase(),
  scope: tokens.scope,
  refresh: typeof tokens.refresh_token === "string",
  idTokenSigned: verified.protectedHeader.alg,
  nonce: claims.nonce === first.nonce,
  profileInIdToken: "email" in claims,
};
const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
out.userinfo = { email: info.email === email, name: info.name, given: info.given_name, family: info.family_name, verified: info.email_verified };
let intro = await client.tokenIntrospection(config, tokens.access_token);
out.introspected = { active: intro.active, sub: intro.sub === claims.sub, client: intro.client_id === client_id };

if (apiPath) {
  // A token for the API (RFC 8707): a JWT whose audience is the API (and userinfo, with openid).
  const resource = new URL(apiPath, issuer).href;
  const forApi = await authorization(config, { resource });
  const apiTokens = await redeem(config, await go(forApi.url), forApi);
  const forOther = await authorization(config, { resource: new URL("/other", issuer).href });
  const otherTokens = await redeem(config, await go(forOther.url), forOther);
  const call = async (token) => {
    const response = await fetch(`${baseURL}${apiPath}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: response.status, challenge: response.headers.get("www-authenticate"), body: response.status === 200 ? await response.json() : null };
  };
  const anonymous = await call(null);
  const metadataUrl = /resource_metadata="([^"]+)"/.exec(anonymous.challenge ?? "")?.[1];
  const metadata = await (await fetch(local(metadataUrl))).json();
  const served = await call(apiTokens.access_token);
  const jwtIntro = await client.tokenIntrospection(config, apiTokens.access_token);
  out.api = {
    anonymous: anonymous.status,
    authorizationServers: metadata.authorization_servers,
    jwt: apiTokens.access_token.split(".").length === 3,
    withToken: served.status,
    user: served.body?.user === claims.sub,
    forAnotherApi: (await call(otherTokens.access_token)).status,
    opaque: (await call(tokens.access_token)).status,
    madeUp: (await call("not-a-token")).status,
    userinfo: (await client.fetchUserInfo(config, apiTokens.access_token, claims.sub)).email === email,
    introspected: { active: jwtIntro.active, aud: jwtIntro.aud },
    unknownResource: new URL(await go((await authorization(config, { resource: "https://evil.example/api" })).url)).searchParams.get("error"),
  };
}

// Refresh rotates; the old refresh token replayed revokes the family.
const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
out.refreshed = refreshed.refresh_token !== tokens.refresh_token && typeof refreshed.access_token === "string";
out.replayedRefresh = await refused(() => client.refreshTokenGrant(config, tokens.refresh_token));
out.familyRevoked = await refused(() => client.refreshTokenGrant(config, refreshed.refresh_token));
intro = await client.tokenIntrospection(config, refreshed.access_token);
out.refreshedAccessAfterReplay = intro.active;

// Consent is remembered: with the session, straight back to the client.
const second = await authorization(config);
const secondCallback = new URL(await go(second.url));
out.remembered = secondCallback.origin + secondCallback.pathname === REDIRECT && secondCallback.searchParams.has("code");
out.wrongVerifier = await refused(() => redeem(config, secondCallback, { ...second, code_verifier: client.randomPKCECodeVerifier() }));

// form_post: the code comes back in a page that posts it, which openid-client takes as the
// request the client's callback receives.
const posted = await authorization(config, { response_mode: "form_post" });
const postPage = await visit(local(posted.url), jar);
const action = /<form method="post" action="([^"]+)">/.exec(postPage.body)?.[1];
const fields = new URLSearchParams([...postPage.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]]));
const callbackRequest = new Request(action, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: fields });
const postedTokens = await client.authorizationCodeGrant(config, callbackRequest, { pkceCodeVerifier: posted.code_verifier, expectedState: posted.state, expectedNonce: posted.nonce });
out.formPost = { status: postPage.status, action: action === REDIRECT, noCodeInUrl: !postPage.location, tokens: typeof postedTokens.access_token === "string" };

// A code used twice: refused, and the tokens of its first use revoked.
const third = await authorization(config);
const thirdCallback = new URL(await go(third.url));
const thirdTokens = await redeem(config, thirdCallback, third);
out.codeReused = await refused(() => redeem(config, thirdCallback, third));
out.firstUseRevoked = !(await client.tokenIntrospection(config, thirdTokens.access_token)).active;

// A redirect URI that differs by a trailing slash, or by a query: the app's error page, never the client.
for (const [key, uri] of [["slashAdded", `${REDIRECT}/`], ["queryAdded", `${REDIRECT}?next=/admin`]]) {
  const attempt = new URL(second.url);
  attempt.searchParams.set("redirect_uri", uri);
  const to = await go(attempt);
  out[key] = to.startsWith(`${issuer}/error?`) ? new URL(to).searchParams.get("error") : to;
}
// No PKCE from this client: back to it with an error.
const noPkce = new URL(second.url);
noPkce.searchParams.delete("code_challenge");
noPkce.searchParams.delete("code_challenge_method");
out.withoutPkce = new URL(await go(noPkce)).searchParams.get("error");
// prompt=none without a session: login_required at the client.
const none = (await authorization(config, { prompt: "none" })).url;
out.promptNone = new URL(await navigate(local(none), new Map())).searchParams.get("error");

// The confidential client without its secret.
const fourth = await authorization(config);
const fourthCallback = new URL(await go(fourth.url));
const body = new URLSearchParams({ grant_type: "authorization_code", code: fourthCallback.searchParams.get("code"), redirect_uri: REDIRECT, code_verifier: fourth.code_verifier, client_id });
r = await fetch(local(`${issuer}/oauth2/token`), { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
out.withoutSecret = { status: r.status, error: (await r.json()).error };
// Refused before the code was spent: the client with its secret still redeems it.
const fourthTokens = await redeem(config, fourthCallback, fourth);
// Revoking the refresh token ends it and the access tokens it issued.
await client.tokenRevocation(config, fourthTokens.refresh_token);
out.revoked = {
  refresh: await refused(() => client.refreshTokenGrant(config, fourthTokens.refresh_token)),
  access: (await client.tokenIntrospection(config, fourthTokens.access_token)).active,
};

// The trusted client: no consent page, straight back from the sign-in.
const trusted = await relyingParty(issuer, trustedId, trustedSecret, local);
const jar3 = new Map();
const browser3 = browserFetch(origin, jar3);
const t = await authorization(trusted);
r = await postJson(browser3, baseURL, "/sign-in/email", { email, password, oauth_query: queryOf(await navigate(local(t.url), jar3)) });
const trustedCallback = new URL(r.body.url);
out.trustedSkipsConsent = trustedCallback.origin + trustedCallback.pathname === REDIRECT;
const trustedTokens = await redeem(trusted, trustedCallback, t);
const hint = trustedTokens.id_token;
// Forged hints: unsigned, and "signed" with HMAC keyed by the public key (the key confusion).
const [, payload] = hint.split(".");
const b64 = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
const kid = JSON.parse(Buffer.from(hint.split(".")[0], "base64url")).kid;
const unsigned = `${b64({ alg: "none", typ: "JWT" })}.${payload}.`;
const hmacInput = `${b64({ alg: "HS256", kid })}.${payload}`;
const publicKey = Buffer.from(jwks.keys.find((k) => k.kid === kid).x, "base64url");
const hmacSigned = `${hmacInput}.${createHmac("sha256", publicKey).update(hmacInput).digest("base64url")}`;
const LOGOUT = "https://rp.example/signed-out";
const endSession = (idTokenHint, cookies) => navigate(local(client.buildEndSessionUrl(trusted, { id_token_hint: idTokenHint, post_logout_redirect_uri: LOGOUT, state: "bye" })), cookies);
const session = async (cookies) => (await browserFetch(origin, cookies)(`${baseURL}/api/auth/get-session`)).json();
out.endSession = {
  sid: typeof trustedTokens.claims().sid === "string",
  unsigned: await endSession(unsigned, jar3),
  hmacWithPublicKey: await endSession(hmacSigned, jar3),
  fromAnotherBrowser: await endSession(hint, jar),
  stillSignedIn: (await session(jar3))?.session?.id === trustedTokens.claims().sid,
  signedOut: await endSession(hint, jar3),
  sessionGone: (await session(jar3)) === null,
};
// The client for itself: a token without a user, its scopes only.
const machine = await client.clientCredentialsGrant(trusted, { scope: "api:read" });
const machineIntro = await client.tokenIntrospection(trusted, machine.access_token);
out.clientCredentials = {
  scope: machine.scope,
  refresh: "refresh_token" in machine,
  idToken: "id_token" in machine,
  active: machineIntro.active,
  sub: machineIntro.sub ?? null,
  userScope: await refused(() => client.clientCredentialsGrant(trusted, { scope: "openid" })),
};

// An MCP-style client registers itself (RFC 7591, no session: public, PKCE) and signs the user in.
const dcrOptions = { execute: [client.allowInsecureRequests], [client.customFetch]: (url, options) => fetch(local(url), options) };
const registered = await client.dynamicClientRegistration(new URL(issuer), { redirect_uris: [REDIRECT], token_endpoint_auth_method: "none", client_name: "MCP client" }, client.None(), dcrOptions);
registered[client.customFetch] = (url, options) => fetch(local(url), options);
const mcp = await authorization(registered);
r = await postJson(browser, baseURL, "/oauth2/consent", { accept: true, oauth_query: queryOf(await go(mcp.url)) });
const mcpTokens = await redeem(registered, r.body.url, mcp);
r = await postJson(browserFetch(origin, new Map()), baseURL, "/oauth2/register", { redirect_uris: [REDIRECT], client_name: "Confidential" });
out.dynamicRegistration = {
  public: registered.clientMetadata().token_endpoint_auth_method === "none",
  secret: "client_secret" in registered.clientMetadata(),
  signedIn: mcpTokens.claims().sub === claims.sub,
  confidentialWithoutSession: r.body?.error ?? r.status,
};

// The last grant stays, for the database to be read.
const last = await authorization(config);
out.kept = typeof (await redeem(config, await go(last.url), last)).refresh_token === "string";
console.log(JSON.stringify(out));
