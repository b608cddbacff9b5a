// Better Auth's own code on jwt plugin keys, both ways: decrypts the private key a rauth server
// stored and signs a token with it, and creates keys exactly as Better Auth's `createJwk` stores
// them (sealed with `symmetricEncrypt`), for the rauth server to sign with: one of `alg`, and one
// of Better Auth's default EdDSA.
// usage: node jwt-keys.mjs <AUTH_SECRETS> <stored privateKey> <kid> <issuer> <alg>
import { symmetricDecrypt, symmetricEncrypt } from "better-auth/crypto";
import { generateExportedKeyPair } from "better-auth/plugins/jwt";
import { SignJWT, importJWK } from "jose";

const [secrets, storedPrivateKey, kid, issuer, alg] = process.argv.slice(2);
// Better Auth's secret config for `BETTER_AUTH_SECRETS="<version>:<secret>,…"`, current first.
const versions = secrets.split(",").map((entry) => {
  const at = entry.indexOf(":");
  return [Number(entry.slice(0, at)), entry.slice(at + 1)];
});
const key = { keys: new Map(versions), currentVersion: versions[0][0], legacySecret: undefined };

// As Better Auth's `resolveSigningKey` reads a stored key.
const privateJwk = await symmetricDecrypt({ key, data: JSON.parse(storedPrivateKey) });
const signer = await importJWK(JSON.parse(privateJwk), alg);
const token = await new SignJWT({ by: "better-auth" })
  .setProtectedHeader({ alg, kid })
  .setSubject("better-auth-subject")
  .setIssuer(issuer)
  .setAudience(issuer)
  .setIssuedAt()
  .setExpirationTime("5m")
  .sign(signer);

// As Better Auth's `createJwk` stores a new key for `jwt({ jwks: { keyPairConfig } })`: the
// `crv` column from the config or else from the exported key (none for RSA).
async function created(options) {
  const { publicWebKey, privateWebKey, alg, cfg } = await generateExportedKeyPair(options);
  const sealed = await symmetricEncrypt({ key, data: JSON.stringify(privateWebKey) });
  return {
    alg,
    crv: cfg?.crv ?? publicWebKey.crv ?? null,
    publicKey: JSON.stringify(publicWebKey),
    privateKey: JSON.stringify(sealed),
  };
}

console.log(
  JSON.stringify({
    token,
    created: await created(alg === "EdDSA" ? undefined : { jwks: { keyPairConfig: { alg } } }),
    default: await created(undefined),
  }),
);
