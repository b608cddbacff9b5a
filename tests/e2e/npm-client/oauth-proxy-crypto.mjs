// Better Auth's own crypto on the OAuth proxy's ciphertexts: opens what a rauth deployment sealed
// and seals what a Better Auth deployment would, each under its purpose's key
// (`derivePurposeKey`, then `symmetricEncrypt`), as Better Auth's oAuthProxy plugin does.
// usage: node oauth-proxy-crypto.mjs <AUTH_SECRETS> open <purpose> <ciphertext>
//        node oauth-proxy-crypto.mjs <AUTH_SECRETS> seal <purpose> <plaintext>
import { symmetricDecrypt, symmetricEncrypt } from "better-auth/crypto";
// Not exported by the package: the plugin's own module imports it from here.
import { derivePurposeKey } from "./node_modules/better-auth/dist/crypto/purpose.mjs";

const [secrets, action, purpose, data] = process.argv.slice(2);
// Better Auth's secret config for `BETTER_AUTH_SECRETS="<version>:<secret>,…"`, current first.
const versions = secrets.split(",").map((entry) => {
  const at = entry.indexOf(":");
  return [Number(entry.slice(0, at)), entry.slice(at + 1)];
});
const key = derivePurposeKey({ keys: new Map(versions), currentVersion: versions[0][0] }, purpose);

if (action === "open") {
  console.log(JSON.stringify({ plain: await symmetricDecrypt({ key, data }) }));
} else if (action === "seal") {
  console.log(JSON.stringify({ sealed: await symmetricEncrypt({ key, data }) }));
} else {
  throw new Error(`unknown action ${action}`);
}
