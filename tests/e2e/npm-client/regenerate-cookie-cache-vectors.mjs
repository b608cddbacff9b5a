// Regenerates tests/fixtures/better-auth/cookie-cache-vectors.json with Better Auth itself (the
// version pinned in this directory's package-lock.json): for each cookie-cache strategy, the
// `session_data` cookie Better Auth sets at sign-up, with the session token it belongs to.
// Sessions and caches last 400 days (the most a cookie may); the tests read the cookies' contents
// and signatures, not their expiry. Tokens, ids and times change on every run.
// usage: cd tests/e2e/npm-client && npm ci && node regenerate-cookie-cache-vectors.mjs > ../../fixtures/better-auth/cookie-cache-vectors.json
import { betterAuth } from "better-auth";
import { memoryAdapter } from "better-auth/adapters/memory";

const secret = "cookie-cache-vectors-secret-0123456789abcdef";
const maxAge = 400 * 24 * 60 * 60;
const vectors = [];
for (const strategy of ["compact", "jwt", "jwe"]) {
  const auth = betterAuth({
    baseURL: "http://localhost:3000",
    secret,
    database: memoryAdapter({ user: [], session: [], account: [], verification: [] }),
    emailAndPassword: { enabled: true },
    session: {
      expiresIn: maxAge,
      updateAge: maxAge,
      cookieCache: { enabled: true, strategy, maxAge },
    },
  });
  const email = `${strategy}@example.com`;
  const response = await auth.api.signUpEmail({
    body: { name: `Vector ${strategy}`, email, password: "correct horse battery" },
    asResponse: true,
  });
  const value = (name) =>
    response.headers
      .getSetCookie()
      .find((c) => c.startsWith(`better-auth.${name}=`))
      ?.split(";")[0]
      .slice(`better-auth.${name}=`.length);
  const sessionToken = decodeURIComponent(value("session_token"));
  vectors.push({
    strategy,
    secret,
    email,
    token: sessionToken.slice(0, sessionToken.lastIndexOf(".")),
    session_token_cookie: value("session_token"),
    session_data_cookie: value("session_data"),
  });
}
console.log(JSON.stringify(vectors, null, 2));
