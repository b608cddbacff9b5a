// Regenerates tests/fixtures/better-auth/vectors.json with Better Auth itself (the version pinned
// in this directory's package-lock.json): scrypt password hashes, signed session-cookie values
// and XChaCha20-Poly1305 ciphertexts, for the inputs below. Salts and nonces are random, so hashes
// and ciphertexts change on every run; signatures do not.
// usage: cd tests/e2e/npm-client && npm ci && node regenerate-vectors.mjs > ../../fixtures/better-auth/vectors.json
import { hashPassword, makeSignature, symmetricDecrypt, symmetricEncrypt } from "better-auth/crypto";
import { serializeSignedCookie } from "better-call";

const passwords = ["password1234", "correct horse battery staple", "pässwörd-ünïcødé-✓", "x".repeat(128)];
const cookies = [
  { value: "nldBwhAKGEhcTcVi4Iv29zvCmTLvPACm", secret: "0123456789abcdef0123456789abcdef" },
  { value: "abc", secret: "better-auth-secret-12345678901234567890" },
];
const encrypted = [{ data: "JBSWY3DPEHPK3PXP", secret: "0123456789abcdef0123456789abcdef" }];

const vectors = { scrypt: [], cookie_signature: [], symmetric_encrypt: [] };
for (const password of passwords) {
  vectors.scrypt.push({ password, hash: await hashPassword(password) });
}
for (const { value, secret } of cookies) {
  // `name=<URL-encoded value.signature>; Path=/`: the value as the Set-Cookie header carries it.
  const header = await serializeSignedCookie("better-auth.session_token", value, secret);
  const cookieValue = header.split(";")[0].slice("better-auth.session_token=".length);
  vectors.cookie_signature.push({
    value,
    secret,
    signature_base64: await makeSignature(value, secret),
    cookie_value_urlencoded: cookieValue,
  });
}
for (const { data, secret } of encrypted) {
  const ciphertext = await symmetricEncrypt({ key: secret, data });
  vectors.symmetric_encrypt.push({
    data,
    secret,
    ciphertext_hex: ciphertext,
    roundtrip_ok: (await symmetricDecrypt({ key: secret, data: ciphertext })) === data,
  });
}
console.log(JSON.stringify(vectors, null, 2));
