// Drives the username, anonymous and multi-session plugins of a rauth-generated server with
// Better Auth's own npm plugin clients, as a browser app would.
// usage: node account-plugins.mjs <server base URL> <trusted origin>
import { createAuthClient } from "better-auth/client";
import { browserFetch } from "./browser.mjs";
import { anonymousClient, multiSessionClient, usernameClient } from "better-auth/client/plugins";

const [baseURL, origin] = process.argv.slice(2);
const jar = new Map();

const client = createAuthClient({
  baseURL,
  fetchOptions: { customFetchImpl: browserFetch(origin, jar) },
  plugins: [usernameClient(), anonymousClient(), multiSessionClient()],
});
const stamp = Date.now();
const out = {};
const errorOf = (r) => (r.error ? `${r.error.status} ${r.error.code}` : null);

// Anonymous first, then a real sign-up with a username that takes its place.
let r = await client.signIn.anonymous();
out.anonymous = errorOf(r) ?? r.data.user.isAnonymous;
r = await client.isUsernameAvailable({ username: `npm_${stamp}` });
out.available = errorOf(r) ?? r.data.available;
r = await client.signUp.email({ name: "Npm", email: `npm-user-${stamp}@example.com`, password: "npm password 1", username: `Npm_${stamp}` });
out.signUp = errorOf(r) ?? r.data.user.username === `npm_${stamp}`;
r = await client.signIn.username({ username: `NPM_${stamp}`, password: "npm password 1" });
out.signInUsername = errorOf(r) ?? r.data.user.displayUsername === `Npm_${stamp}`;
r = await client.signUp.email({ name: "Npm 2", email: `npm-second-${stamp}@example.com`, password: "npm password 2" });
out.secondUser = errorOf(r) ?? r.data.user.email;
r = await client.multiSession.listDeviceSessions();
out.deviceSessions = errorOf(r) ?? r.data.map((s) => s.user.email).sort();
const first = r.data?.find((s) => s.user.email.startsWith("npm-user-"));
r = await client.multiSession.setActive({ sessionToken: first?.session.token });
out.setActive = errorOf(r) ?? r.data.user.email;
r = await client.getSession();
out.active = errorOf(r) ?? r.data?.user?.username ?? null;
r = await client.multiSession.revoke({ sessionToken: first?.session.token });
out.revoke = errorOf(r) ?? r.data.status;
r = await client.getSession();
out.afterRevoke = errorOf(r) ?? r.data?.user?.email ?? null;
console.log(JSON.stringify(out));
