// Gets a JWT with Better Auth's `jwtClient` and verifies it with `jose` against the server's
// JWKS, as another service would: remotely fetched keys, issuer and audience checked.
// usage: node jwt.mjs <server base URL> <trusted origin> <issuer>
import { createAuthClient } from "better-auth/client";
import { jwtClient } from "better-auth/client/plugins";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { browserFetch } from "./browser.mjs";

const [baseURL, origin, issuer] = process.argv.slice(2);
const client = createAuthClient({
  baseURL,
  plugins: [jwtClient()],
  fetchOptions: { customFetchImpl: browserFetch(origin) },
});
const email = `npm-jwt-${Date.now()}@example.com`;
const signedUp = await client.signUp.email({ email, password: "npm jwt password", name: "Jo" });
const { data, error } = await client.token();
if (error) throw new Error(`token: ${error.status} ${error.code}`);
const keys = createRemoteJWKSet(new URL("/api/auth/jwks", baseURL));
const { payload, protectedHeader } = await jwtVerify(data.token, keys, { issuer, audience: issuer });
const jwks = await client.jwks();
const listed = jwks.data.keys.find((k) => k.kid === protectedHeader.kid && k.alg === protectedHeader.alg);
let sessionJwt = null;
await client.getSession({ fetchOptions: { onSuccess: (ctx) => { sessionJwt = ctx.response.headers.get("set-auth-jwt"); } } });
const fromSession = await jwtVerify(sessionJwt, keys, { issuer, audience: issuer });
console.log(JSON.stringify({
  alg: protectedHeader.alg,
  // The key that signed, as `/jwks` lists it.
  kty: listed?.kty ?? null,
  crv: listed?.crv ?? null,
  subIsUser: payload.sub === signedUp.data.user.id,
  email: payload.email,
  lifetime: payload.exp - payload.iat,
  sessionJwtSub: fromSession.payload.sub === payload.sub,
  sessionJwtKid: decodeProtectedHeader(sessionJwt).kid === protectedHeader.kid,
}));
