// Better Auth's own code checks what rauth's generated crypto made (the databases tier's
// `better_auth_crypto` test): `verifyPassword` on rauth's password hashes (and refuses a wrong
// password), better-call's `getSignedCookie` (what Better Auth reads the session cookie with) on
// rauth's signed cookie values, and `symmetricDecrypt` on rauth's ciphertexts.
// usage: node better-auth-verifies.mjs < made.json   (the crypto-check driver's output)
import { symmetricDecrypt, verifyPassword } from "better-auth/crypto";
import { createEndpoint } from "better-call";

const made = JSON.parse(await new Promise((resolve) => {
  let text = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => { text += chunk; });
  process.stdin.on("end", () => resolve(text));
}));

// `AUTH_SECRETS="2:new,1:old"` as Better Auth's secret config, and the secret it signs cookies
// with (the current one, or BETTER_AUTH_SECRET alone).
function secretConfig({ secrets, legacy }) {
  if (!secrets) return { key: legacy, current: legacy };
  const versions = secrets.split(",").map((entry) => {
    const at = entry.indexOf(":");
    return [Number(entry.slice(0, at)), entry.slice(at + 1)];
  });
  return {
    key: { keys: new Map(versions), currentVersion: versions[0][0], legacySecret: legacy ?? undefined },
    current: versions[0][1],
  };
}

const readCookie = createEndpoint("/read-cookie", { method: "GET" }, async (ctx) =>
  ctx.getSignedCookie("better-auth.session_token", ctx.query.secret));

const passwords = [];
for (const { password, hash } of made.passwords) {
  passwords.push({
    verifies: await verifyPassword({ hash, password }),
    wrongVerifies: await verifyPassword({ hash, password: `${password}!` }),
  });
}
const cookies = [];
for (const entry of made.cookies) {
  const headers = new Headers({ cookie: `better-auth.session_token=${entry.cookie}` });
  cookies.push(await readCookie({ headers, query: { secret: secretConfig(entry).current } }));
}
const decrypted = [];
for (const entry of made.encrypt) {
  decrypted.push(await symmetricDecrypt({ key: secretConfig(entry).key, data: entry.stored }));
}
console.log(JSON.stringify({ passwords, cookies, decrypted }));
