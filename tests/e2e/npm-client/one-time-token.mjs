// Drives the one-time-token plugin of a rauth-generated server with Better Auth's own
// `oneTimeTokenClient`: one browser generates a token, a second one (no cookies) opens the
// session with it, and a second use is refused.
// usage: node one-time-token.mjs <server base URL> <trusted origin>
import { createAuthClient } from "better-auth/client";
import { oneTimeTokenClient } from "better-auth/client/plugins";
import { browserFetch } from "./browser.mjs";

const [baseURL, origin] = process.argv.slice(2);
const client = (jar) =>
  createAuthClient({ baseURL, fetchOptions: { customFetchImpl: browserFetch(origin, jar) }, plugins: [oneTimeTokenClient()] });
const first = client(new Map());
const second = client(new Map());
const out = {};
const errorOf = (r) => (r.error ? `${r.error.status}` : null);

let r = await first.signUp.email({ name: "Npm Ott", email: `npm-ott-${Date.now()}@example.com`, password: "npm ott password" });
if (r.error) throw new Error(`sign-up: ${JSON.stringify(r.error)}`);
r = await first.oneTimeToken.generate();
out.generated = errorOf(r) ?? r.data.token.length;
const token = r.data?.token;
r = await second.oneTimeToken.verify({ token });
const email = r.data?.user?.email;
r = await second.getSession();
out.verified = errorOf(r) ?? (r.data?.user?.email === email && email !== undefined);
r = await second.oneTimeToken.verify({ token });
out.reused = errorOf(r) ?? "accepted";
console.log(JSON.stringify(out));
