// Starts a social sign-in with Better Auth's own client: `signIn.social` against the app gives
// the provider's authorization URL and sets the signed state cookie.
// usage: node social.mjs <server base URL> <trusted origin>
import { createAuthClient } from "better-auth/client";
import { browserFetch } from "./browser.mjs";

const [baseURL, origin] = process.argv.slice(2);
const jar = new Map();
const client = createAuthClient({ baseURL, fetchOptions: { customFetchImpl: browserFetch(origin, jar) } });

const r = await client.signIn.social({ provider: "test", callbackURL: "/dashboard" });
const out = r.error
  ? { error: `${r.error.status} ${r.error.code}` }
  : { url: r.data.url, redirect: r.data.redirect, stateCookie: jar.has("better-auth.state") };
console.log(JSON.stringify(out));
