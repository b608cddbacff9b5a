// Drives the device authorization grant (RFC 8628) of a rauth-generated server with Better
// Auth's own `deviceAuthorizationClient`: a device without cookies asks for codes and polls, a
// signed-in browser looks the user code up and approves it, and the device's token is a
// session. Prints what each step answered.
// usage: node device-authorization.mjs <server base URL> <trusted origin> <client id>
import { createAuthClient } from "better-auth/client";
import { deviceAuthorizationClient } from "better-auth/client/plugins";
import { browserFetch } from "./browser.mjs";

const [baseURL, origin, clientId] = process.argv.slice(2);
const plugins = [deviceAuthorizationClient()];
const device = createAuthClient({ baseURL, plugins });
const browser = createAuthClient({ baseURL, plugins, fetchOptions: { customFetchImpl: browserFetch(origin, new Map()) } });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const out = {};
const grant_type = "urn:ietf:params:oauth:grant-type:device_code";

let r = await device.device.code({ client_id: clientId, scope: "openid profile" });
if (r.error) throw new Error(`code: ${JSON.stringify(r.error)}`);
const { device_code, user_code, interval } = r.data;
out.codes = typeof device_code === "string" && /^[A-Z2-9]{8}$/.test(user_code) && r.data.verification_uri_complete.endsWith(`user_code=${user_code}`);
r = await device.device.token({ grant_type, device_code, client_id: clientId });
out.pending = r.error?.error ?? "answered";
r = await browser.signUp.email({ name: "Npm Device", email: `npm-device-${Date.now()}@example.com`, password: "npm device password" });
if (r.error) throw new Error(`sign-up: ${JSON.stringify(r.error)}`);
r = await browser.device({ query: { user_code } });
out.verify = r.error ? r.error.error : { status: r.data.status, client_id: r.data.client_id, scope: r.data.scope };
r = await browser.device.approve({ userCode: user_code });
out.approve = r.error ? r.error.error : r.data.success;
await sleep(interval * 1000 + 200);
r = await device.device.token({ grant_type, device_code, client_id: clientId });
out.tokenType = r.error ? r.error.error : r.data.token_type;
const token = r.data?.access_token;
r = await device.getSession({ fetchOptions: { headers: { authorization: `Bearer ${token}` } } });
out.session = r.data?.user?.email?.startsWith("npm-device-") ?? false;
console.log(JSON.stringify(out));
