// Email codes through Better Auth's own client plugin, reading the codes from the server's dev
// inbox: verify the address after sign-up, sign in with a code, reset the password with one.
// usage: node email-otp.mjs <server base URL> <trusted origin> <dev inbox directory>
import { createAuthClient } from "better-auth/client";
import { browserFetch, newestMail } from "./browser.mjs";
import { emailOTPClient } from "better-auth/client/plugins";

const [baseURL, origin, inbox] = process.argv.slice(2);
const jar = new Map();

/// The code of the newest mail of `kind` to `to` in the dev inbox.
const newestCode = (kind, to) => newestMail(inbox, kind, to)?.code ?? null;

const client = createAuthClient({
  baseURL,
  plugins: [emailOTPClient()],
  fetchOptions: { customFetchImpl: browserFetch(origin, jar) },
});
const email = `npm-eo-${Date.now()}@example.com`;
const out = {};
const errorOf = (r) => (r.error ? `${r.error.status} ${r.error.code}` : null);

let r = await client.signUp.email({ name: "Npm", email, password: "npm password 1" });
out.signUp = errorOf(r) ?? r.data.user.email;
r = await client.emailOtp.verifyEmail({ email, otp: newestCode("email-verification-otp", email) });
out.verifyEmail = errorOf(r) ?? r.data.user.emailVerified;
await client.signOut();
r = await client.emailOtp.sendVerificationOtp({ email, type: "sign-in" });
out.sent = errorOf(r) ?? r.data.success;
r = await client.signIn.emailOtp({ email, otp: newestCode("sign-in-otp", email) });
out.signIn = errorOf(r) ?? r.data.user.email;
r = await client.getSession();
out.getSession = errorOf(r) ?? r.data?.user?.email ?? null;
r = await client.emailOtp.requestPasswordReset({ email });
out.resetRequested = errorOf(r) ?? r.data.success;
r = await client.emailOtp.resetPassword({ email, otp: newestCode("forget-password-otp", email), password: "npm password 2" });
out.reset = errorOf(r) ?? r.data.success;
r = await client.signIn.email({ email, password: "npm password 2" });
out.newPassword = errorOf(r) ?? r.data.user.email;
console.log(JSON.stringify(out));
