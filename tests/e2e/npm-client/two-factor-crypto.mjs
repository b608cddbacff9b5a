// Better Auth's own crypto on two-factor data, both ways: decrypts the TOTP secret and backup
// codes a rauth server stored (and computes Better Auth's otpauth URI and current code for the
// secret), and encrypts a new enrolment exactly as Better Auth stores one.
// usage: node two-factor-crypto.mjs <AUTH_SECRETS> <stored secret> <stored backup codes> <issuer> <email>
import { generateRandomString, symmetricDecrypt, symmetricEncrypt } from "better-auth/crypto";
import { createOTP } from "@better-auth/utils/otp";

const [secrets, storedSecret, storedBackupCodes, issuer, email] = process.argv.slice(2);
// Better Auth's secret config for `BETTER_AUTH_SECRETS="<version>:<secret>,…"`, current first.
const versions = secrets.split(",").map((entry) => {
  const at = entry.indexOf(":");
  return [Number(entry.slice(0, at)), entry.slice(at + 1)];
});
const key = { keys: new Map(versions), currentVersion: versions[0][0], legacySecret: undefined };

const secret = await symmetricDecrypt({ key, data: storedSecret });
const totp = createOTP(secret, { digits: 6, period: 30 });
const newSecret = generateRandomString(32);
const newCodes = Array.from({ length: 10 }, () => generateRandomString(10, "a-z", "0-9", "A-Z")).map(
  (code) => `${code.slice(0, 5)}-${code.slice(5)}`,
);
console.log(
  JSON.stringify({
    uri: totp.url(issuer, email),
    code: await totp.totp(),
    backupCodes: JSON.parse(await symmetricDecrypt({ key, data: storedBackupCodes })),
    enrolment: {
      secret: newSecret,
      storedSecret: await symmetricEncrypt({ key, data: newSecret }),
      backupCodes: newCodes,
      storedBackupCodes: await symmetricEncrypt({ key, data: JSON.stringify(newCodes) }),
    },
  }),
);
