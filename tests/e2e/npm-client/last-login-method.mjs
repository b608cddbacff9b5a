// Reads the last-login-method cookie of a rauth-generated server with Better Auth's own
// `lastLoginMethodClient`, as a sign-in page does (it reads `document.cookie`, which a browser
// fills from the cookies the server set and this script fills from its jar).
// usage: node last-login-method.mjs <server base URL> <trusted origin>
import { createAuthClient } from "better-auth/client";
import { lastLoginMethodClient } from "better-auth/client/plugins";
import { browserFetch } from "./browser.mjs";

const [baseURL, origin] = process.argv.slice(2);
const jar = new Map();
globalThis.document = {
  get cookie() {
    return [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  },
};
const client = createAuthClient({
  baseURL,
  fetchOptions: { customFetchImpl: browserFetch(origin, jar) },
  plugins: [lastLoginMethodClient()],
});
const out = { before: client.getLastUsedLoginMethod() };
const r = await client.signUp.email({ name: "Npm Last", email: `npm-last-${Date.now()}@example.com`, password: "npm last password" });
if (r.error) throw new Error(`sign-up: ${JSON.stringify(r.error)}`);
out.after = client.getLastUsedLoginMethod();
out.isEmail = client.isLastUsedLoginMethod("email");
console.log(JSON.stringify(out));
