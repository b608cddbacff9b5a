// A rauth-generated OAuth provider and Better Auth's own (`@better-auth/oauth-provider` 1.7.25) on
// one database with one secret: every artefact one makes, the other takes. A client registered
// on Better Auth signs a user in through the rauth server's pages and redeems its code at Better
// Auth; the tokens Better Auth issued are read and rotated by rauth. The reverse: a client
// registered on rauth starts at Better Auth, whose signed request the rauth sign-in continues;
// Better Auth records the consent and issues the code, which rauth redeems. Prints each step.
// usage: node oauth-provider-interop.mjs <rauth base URL> <Better Auth base URL> <trusted origin> <issuer>
import * as client from "openid-client";
import { browserFetch } from "./browser.mjs";
import { REDIRECT, SCOPE, authorization, localTo, navigate, postJson, queryOf, redeem, refused, relyingParty } from "./oauth-rp.mjs";

const [rauthURL, betterAuthURL, origin, issuer] = process.argv.slice(2);
const atRauth = localTo(issuer, rauthURL);
const atBetterAuth = localTo(issuer, betterAuthURL);
// Discovery from the rauth server (Better Auth serves its documents only through helpers the
// app mounts); every other request to `server`.
const via = (server) => (url) => (String(url).includes("/.well-known/") ? atRauth(url) : server(url));
const out = {};

const owner = browserFetch(origin, new Map());
const email = `interop-${Date.now()}@example.com`;
const password = "interop password";
let r = await postJson(owner, rauthURL, "/sign-up/email", { name: "Ada Lovelace", email, password });
if (r.status !== 200) throw new Error(`sign-up: ${JSON.stringify(r)}`);

/// A client registered through `baseURL`'s `/oauth2/create-client` by the owner (signed in on
/// rauth: the session is the other server's too), with a relying party for each server.
async function register(baseURL) {
  const registered = await postJson(owner, baseURL, "/oauth2/create-client", { redirect_uris: [REDIRECT], client_name: "Interop", scope: SCOPE });
  if (registered.status !== 200 && registered.status !== 201) throw new Error(`create-client at ${baseURL}: ${JSON.stringify(registered)}`);
  const { client_id, client_secret } = registered.body;
  return {
    rauth: await relyingParty(issuer, client_id, client_secret, via(atRauth)),
    betterAuth: await relyingParty(issuer, client_id, client_secret, via(atBetterAuth)),
  };
}

// 1. Registered on Better Auth; the browser at rauth; the code redeemed at Better Auth.
const a = await register(betterAuthURL);
const jar = new Map();
const browser = browserFetch(origin, jar);
let request = await authorization(a.rauth);
let location = await navigate(atRauth(request.url), jar);
r = await postJson(browser, rauthURL, "/sign-in/email", { email, password, oauth_query: queryOf(location) });
r = await postJson(browser, rauthURL, "/oauth2/consent", { accept: true, oauth_query: queryOf(r.body.url) });
const tokens = await redeem(a.betterAuth, r.body.url, request);
const sub = tokens.claims().sub;
out.betterAuthClientThroughRauth = { code: typeof tokens.access_token === "string", idToken: tokens.claims().iss === issuer };
const info = await client.fetchUserInfo(a.rauth, tokens.access_token, sub);
out.rauthReadsBetterAuthToken = { userinfo: info.email === email, introspected: (await client.tokenIntrospection(a.rauth, tokens.access_token)).active };
const rotated = await client.refreshTokenGrant(a.rauth, tokens.refresh_token);
out.rauthRotatesBetterAuthRefresh = typeof rotated.refresh_token === "string";
out.betterAuthSeesTheRotation = await refused(() => client.refreshTokenGrant(a.betterAuth, tokens.refresh_token));

// 2. Registered on rauth; started at Better Auth, whose signed request rauth's sign-in carries
// on; consent and code at Better Auth; the code redeemed at rauth.
const b = await register(rauthURL);
const jar2 = new Map();
const browser2 = browserFetch(origin, jar2);
request = await authorization(b.betterAuth);
location = await navigate(atBetterAuth(request.url), jar2);
out.betterAuthToLogin = location.startsWith("/login?") || location;
r = await postJson(browser2, rauthURL, "/sign-in/email", { email, password, oauth_query: queryOf(location) });
out.rauthContinuesBetterAuthRequest = { status: r.status, toConsent: r.body?.url?.startsWith("/consent?") };
r = await postJson(browser2, betterAuthURL, "/oauth2/consent", { accept: true, oauth_query: queryOf(r.body.url) });
out.betterAuthTakesRauthConsentQuery = r.status;
const tokens2 = await redeem(b.rauth, r.body.url, request);
out.rauthRedeemsBetterAuthCode = tokens2.claims().nonce === request.nonce;
const info2 = await client.fetchUserInfo(b.betterAuth, tokens2.access_token, tokens2.claims().sub);
out.betterAuthReadsRauthToken = { userinfo: info2.email === email, introspected: (await client.tokenIntrospection(b.betterAuth, tokens2.access_token)).active };
console.log(JSON.stringify(out));
