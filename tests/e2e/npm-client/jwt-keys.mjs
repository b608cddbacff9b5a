// Better Auth's own code on jwt plugin keys, both ways: decrypts the private key a rauth server
// stored and signs a token with it, and creates a key exactly as Better Auth's `createJwk` stores
// one (sealed with `symmetricEncrypt`), for the rauth server to sign with.
// usage: node jwt-keys.mjs <AUTH_SECRETS> <stored privateKey> <kid> <issuer>
import { symmetricDecrypt, symmetricEncrypt } from "better-auth/crypto";
import { generateExportedKeyPair } from "better-auth/plugins/jwt";
import { SignJWT, importJWK } from "jose";

const [secrets, storedPrivateKey, kid, issuer] = process.argv.slice(2);
// Better Auth's secret config for `BETTER_AUTH_SECRETS="<version>:<secret>,…"`, current first.
const versions = secrets.split(",").map((entry) => {
  const at = entry.indexOf(":");
  return [Number(entry.slice(0, at)), entry.slice(at + 1)];
});
const key = { keys: new Map(versions), currentVersion: versions[0][0], legacySecret: undefined };

// As Better Auth's `resolveSigningKey` reads a stored key.
const privateJwk = await symmetricDecrypt({ key, data: JSON.parse(storedPrivateKey) });
const signer = await importJWK(JSON.parse(privateJwk), "EdDSA");
const token = await new SignJWT({ by: "better-auth" })
  .setProtectedHeader({ alg: "EdDSA", kid })
  .setSubject("better-auth-subject")
  .setIssuer(issuer)
  .setAudience(issuer)
  .setIssuedAt()
  .setExpirationTime("5m")
  .sign(signer);

// As Better Auth's `createJwk` stores a new key.
const { publicWebKey, privateWebKey } = await generateExportedKeyPair();
const sealed = await symmetricEncrypt({ key, data: JSON.stringify(privateWebKey) });
console.log(
  JSON.stringify({
    token,
    created: { publicKey: JSON.stringify(publicWebKey), privateKey: JSON.stringify(sealed) },
  }),
);
