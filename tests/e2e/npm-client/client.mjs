// Drives a rauth-generated server with Better Auth's own npm client, as a browser app would.
// usage: node client.mjs <server base URL> <trusted origin>
import { createAuthClient } from "better-auth/client";
import { browserFetch } from "./browser.mjs";

const [baseURL, origin] = process.argv.slice(2);
const jar = new Map();

const client = createAuthClient({ baseURL, fetchOptions: { customFetchImpl: browserFetch(origin, jar) } });
const email = `npm-${Date.now()}@example.com`;
const out = {};
const errorOf = (r) => (r.error ? `${r.error.status} ${r.error.code}` : null);

let r = await client.signUp.email({ name: "Npm", email, password: "npm password 1" });
out.signUp = errorOf(r) ?? r.data.user.email;
r = await client.getSession();
out.getSession = errorOf(r) ?? r.data?.user?.email ?? null;
r = await client.updateUser({ name: "Npm Updated" });
out.updateUser = errorOf(r) ?? r.data.status;
r = await client.listSessions();
out.listSessions = errorOf(r) ?? r.data.length;
r = await client.changePassword({ currentPassword: "npm password 1", newPassword: "npm password 2", revokeOtherSessions: true });
out.changePassword = errorOf(r) ?? typeof r.data.token;
r = await client.signOut();
out.signOut = errorOf(r) ?? r.data.success;
r = await client.getSession();
out.afterSignOut = errorOf(r) ?? r.data;
r = await client.signIn.email({ email, password: "npm password 2" });
out.signIn = errorOf(r) ?? r.data.user.email;
r = await client.getSession();
out.nameAfterSignIn = errorOf(r) ?? r.data?.user?.name ?? null;
r = await client.signIn.email({ email, password: "npm password 1" });
out.oldPassword = errorOf(r);
console.log(JSON.stringify(out));
