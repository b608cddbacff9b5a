// Drives the api-key plugin of a rauth-generated server with Better Auth's own `apiKeyClient`:
// a signed-in browser creates a key and lists it, then a script without cookies uses the key;
// a key of another configuration (`configId: "ci"`) is created and listed by it.
// Prints the key's id and Better Auth's own hash of it, for the test to find in the database.
// usage: node api-key.mjs <server base URL> <trusted origin>
import { defaultKeyHasher } from "@better-auth/api-key";
import { apiKeyClient } from "@better-auth/api-key/client";
import { createAuthClient } from "better-auth/client";
import { browserFetch } from "./browser.mjs";

const [baseURL, origin] = process.argv.slice(2);

const client = createAuthClient({
  baseURL,
  fetchOptions: { customFetchImpl: browserFetch(origin) },
  plugins: [apiKeyClient()],
});
const out = {};
const errorOf = (r) => (r.error ? `${r.error.status} ${r.error.code}` : null);

let r = await client.signUp.email({ name: "Npm Keys", email: `npm-keys-${Date.now()}@example.com`, password: "npm keys password" });
out.user = errorOf(r) ?? r.data.user.email;
r = await client.apiKey.create({ name: "npm key", prefix: "npm_" });
out.created = errorOf(r) ?? r.data.key.startsWith("npm_");
out.prefix = r.data?.prefix ?? null;
const { id, key } = r.data ?? {};
out.id = id ?? null;
out.hash = key ? await defaultKeyHasher(key) : null;
r = await client.apiKey.list();
out.listed = errorOf(r) ?? r.data.apiKeys.map((k) => k.name);
out.hidden = r.data?.apiKeys.every((k) => !("key" in k)) ?? null;

// A client without cookies, signed in by the key alone.
const script = createAuthClient({ baseURL, fetchOptions: { headers: { "x-api-key": key } } });
r = await script.getSession();
out.keySession = errorOf(r) ?? r.data?.user?.email ?? null;

r = await client.apiKey.create({ name: "npm spare" });
r = await client.apiKey.delete({ keyId: r.data?.id });
out.deleted = errorOf(r) ?? r.data.success;
r = await client.apiKey.list();
out.afterDelete = errorOf(r) ?? r.data.apiKeys.map((k) => k.name);

// A key of the `ci` configuration, named by `configId`, and the list of that configuration.
r = await client.apiKey.create({ configId: "ci", name: "npm ci" });
out.ciPrefix = errorOf(r) ?? r.data.prefix;
r = await client.apiKey.list({ query: { configId: "ci" } });
out.ciListed = errorOf(r) ?? r.data.apiKeys.map((k) => k.name);
console.log(JSON.stringify(out));
