// Better Auth's own crypto on the OAuth proxy's ciphertexts: opens what a rauth deployment sealed
// and seals what a Better Auth deployment would, each under its purpose's key
// (`derivePurposeKey`, then `symmetricEncrypt`), as Better Auth's oAuthProxy plugin does.
// usage: node oauth-proxy-crypto.mjs <AUTH_SECRETS> open <purpose> <ciphertext>
//        node oauth-proxy-crypto.mjs <AUTH_SECRETS> seal <purpose> <plaintext>
//        node oauth-proxy-crypto.mjs <AUTH_SECRETS> profile oauth-proxy-profile <ciphertext>
// `profile` opens a handed-back profile and holds it to the shape the plugin's preview end
// parses (its `passthroughPayloadSchema`: Better Auth's user and account schemas, less the
// fields the preview sets itself).
import { accountSchema, userSchema } from "@better-auth/core/db";
import { symmetricDecrypt, symmetricEncrypt } from "better-auth/crypto";
import * as z from "zod";
// Not exported by the package: the plugin's own module imports them from here.
import { parseJSON } from "./node_modules/better-auth/dist/client/parser.mjs";
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
} else if (action === "profile") {
  const payload = z
    .looseObject({
      userInfo: z.looseObject(userSchema.omit({ createdAt: true, updatedAt: true }).shape),
      account: z.looseObject(accountSchema.omit({ id: true, userId: true, createdAt: true, updatedAt: true }).shape),
      profile: z.record(z.string(), z.unknown()).optional(),
      scopes: z.array(z.string()).optional(),
      state: z.string().min(1),
      callbackURL: z.string().min(1),
      newUserURL: z.string().optional(),
      errorURL: z.string().optional(),
      disableSignUp: z.boolean().optional(),
      timestamp: z.number(),
    })
    // Parsed as the plugin parses it: ISO dates become `Date`s.
    .parse(parseJSON(await symmetricDecrypt({ key, data })));
  console.log(JSON.stringify({ payload }));
} else if (action === "seal") {
  console.log(JSON.stringify({ sealed: await symmetricEncrypt({ key, data }) }));
} else {
  throw new Error(`unknown action ${action}`);
}
