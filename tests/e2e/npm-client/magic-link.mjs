// Signs in with a magic link through Better Auth's own client plugin, reading the link from the
// server's dev inbox.
// usage: node magic-link.mjs <server base URL> <trusted origin> <dev inbox directory>
import { createAuthClient } from "better-auth/client";
import { browserFetch, newestMail } from "./browser.mjs";
import { magicLinkClient } from "better-auth/client/plugins";

const [baseURL, origin, inbox] = process.argv.slice(2);
const jar = new Map();
const browser = browserFetch(origin, jar);

const client = createAuthClient({
  baseURL,
  plugins: [magicLinkClient()],
  fetchOptions: { customFetchImpl: browser },
});
const email = `npm-ml-${Date.now()}@example.com`;
const out = {};
const errorOf = (r) => (r.error ? `${r.error.status} ${r.error.code}` : null);

let r = await client.signUp.email({ name: "Npm", email, password: "npm password 1" });
out.signUp = errorOf(r) ?? r.data.user.email;
r = await client.signIn.magicLink({ email, callbackURL: "/dash" });
out.magicLink = errorOf(r) ?? r.data.status;
const token = new URL(newestMail(inbox, "magic-link", email).url).searchParams.get("token");
r = await client.magicLink.verify({ query: { token } });
out.verify = errorOf(r) ?? r.data.user.email;
r = await client.getSession();
out.getSession = errorOf(r) ?? r.data?.user?.email ?? null;
out.emailVerified = r.data?.user?.emailVerified ?? null;
// A used link redirects with the error (to the callback, `/` here).
const reused = await browser(`${baseURL}/api/auth/magic-link/verify?token=${token}`, { redirect: "manual" });
out.reused = new URL(reused.headers.get("location")).searchParams.get("error");
console.log(JSON.stringify(out));
