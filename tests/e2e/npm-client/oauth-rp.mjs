// What the OAuth provider scripts share: a relying party (panva's `openid-client`) and a browser
// against servers whose issuer names the configured base URL while they listen elsewhere.
import http from "node:http";
import * as client from "openid-client";

export const REDIRECT = "https://rp.example/callback";
export const SCOPE = "openid profile email offline_access";

/// `url` with the issuer's origin replaced by `baseURL`, where the server listens.
export const localTo = (issuer, baseURL) => (url) => String(url).replace(new URL(issuer).origin, baseURL);

/// POST of a JSON body to the auth API at `baseURL`; the status and the JSON answer.
export async function postJson(fetcher, baseURL, path, body) {
  const response = await fetcher(`${baseURL}/api/auth${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json().catch(() => null) };
}

/// The relying party's configuration from the issuer's discovery document, its requests sent
/// where `route(url)` says.
export async function relyingParty(issuer, clientId, clientSecret, route) {
  const fetchVia = (url, options) => fetch(route(url), options);
  const options = { execute: [client.allowInsecureRequests], [client.customFetch]: fetchVia };
  const config = await client.discovery(new URL(issuer), clientId, undefined, client.ClientSecretBasic(clientSecret), options);
  config[client.customFetch] = fetchVia;
  return config;
}

/// A navigation, as a browser's address bar makes it, with `cookies` (name → value): the
/// status, the `Location` and the page. Node's fetch always says `sec-fetch-mode: cors` (a
/// script), which is answered JSON instead of a 302.
export const visit = (url, cookies) =>
  new Promise((resolve, reject) => {
    const headers = { "sec-fetch-mode": "navigate", accept: "text/html" };
    if (cookies.size) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    http.get(url, { headers }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode, location: response.headers.location, body }));
    }).on("error", reject);
  });

/// Where a navigation is redirected to (or `no redirect: <status>`).
export const navigate = async (url, cookies) => {
  const { status, location } = await visit(url, cookies);
  return location ?? `no redirect: ${status}`;
};

/// A new authorization request of `config`: its URL, and the PKCE verifier, state and nonce.
export async function authorization(config, extra = {}) {
  const code_verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT,
    scope: SCOPE,
    code_challenge: await client.calculatePKCECodeChallenge(code_verifier),
    code_challenge_method: "S256",
    state,
    nonce,
    ...extra,
  });
  return { url, code_verifier, state, nonce };
}

/// The tokens for the code of `callback`, checked against `request`'s verifier, state and nonce.
export const redeem = (config, callback, request) =>
  client.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: request.code_verifier, expectedState: request.state, expectedNonce: request.nonce, idTokenExpected: true });

/// The query of a URL or path, without `?`.
export const queryOf = (url) => url.slice(url.indexOf("?") + 1);

/// The OAuth error a call was refused with, or "accepted".
export async function refused(run) {
  try {
    await run();
    return "accepted";
  } catch (e) {
    return e.error ?? e.cause?.error ?? e.code ?? String(e);
  }
}
