// Better Auth's npm client with `twoFactorClient` against a rauth-generated server: enrol an
// authenticator (the code computed here with node:crypto), then sign in through the challenge.
// usage: node two-factor.mjs <server base URL> <trusted origin>
import { createAuthClient } from "better-auth/client";
import { browserFetch, totp } from "./browser.mjs";
import { twoFactorClient } from "better-auth/client/plugins";

const [baseURL, origin] = process.argv.slice(2);
const jar = new Map();

let redirected = null;
const client = createAuthClient({
  baseURL,
  fetchOptions: { customFetchImpl: browserFetch(origin, jar) },
  plugins: [twoFactorClient({ onTwoFactorRedirect: ({ twoFactorMethods }) => { redirected = twoFactorMethods; } })],
});
const email = `npm-2fa-${Date.now()}@example.com`;
const password = "npm two factor";
const out = {};
const errorOf = (r) => (r.error ? `${r.error.status} ${r.error.code}` : null);

let r = await client.signUp.email({ name: "Npm 2FA", email, password });
out.signUp = errorOf(r) ?? r.data.user.email;
r = await client.twoFactor.enable({ password });
out.enable = errorOf(r) ?? r.data.method;
const uri = r.data?.totpURI;
out.backupCodes = r.data?.backupCodes?.length ?? null;
r = await client.twoFactor.verifyTotp({ code: totp(uri) });
out.verifyEnrolment = errorOf(r) ?? r.data.user.email;
r = await client.getSession();
out.enabled = errorOf(r) ?? r.data?.user?.twoFactorEnabled ?? null;
r = await client.signOut();
out.signOut = errorOf(r) ?? r.data.success;
r = await client.signIn.email({ email, password });
out.signIn = errorOf(r) ?? r.data.twoFactorRedirect ?? null;
out.methods = redirected;
r = await client.getSession();
out.sessionBeforeCode = errorOf(r) ?? r.data;
r = await client.twoFactor.verifyTotp({ code: "12345x" });
out.wrongCode = errorOf(r);
r = await client.twoFactor.verifyTotp({ code: totp(uri), trustDevice: true });
out.verifyTotp = errorOf(r) ?? r.data.user.email;
r = await client.getSession();
out.getSession = errorOf(r) ?? r.data?.user?.email ?? null;
out.trusted = jar.has("better-auth.trust_device");
console.log(JSON.stringify(out));
