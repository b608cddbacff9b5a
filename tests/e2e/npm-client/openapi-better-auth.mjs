// Prints the operations (`METHOD /path`) of the OpenAPI document Better Auth's own `openAPI`
// plugin generates for the plugins named on the command line (rauth's names), as a JSON array.
// No database or network: the document is made from the endpoint definitions.
import { betterAuth } from "better-auth";
import {
  admin, anonymous, bearer, deviceAuthorization, emailOTP, jwt, magicLink, multiSession,
  oAuthProxy, oneTimeToken, openAPI, organization, phoneNumber, siwe, twoFactor, username,
} from "better-auth/plugins";
import { apiKey } from "@better-auth/api-key";
import { passkey } from "@better-auth/passkey";

const noop = async () => {};
const factories = {
  "username": () => username(),
  "two-factor": () => twoFactor(),
  "magic-link": () => magicLink({ sendMagicLink: noop }),
  "email-otp": () => emailOTP({ sendVerificationOTP: noop }),
  "organization": () => organization({ teams: { enabled: true }, dynamicAccessControl: { enabled: true } }),
  "admin": () => admin(),
  "jwt": () => jwt(),
  "phone-number": () => phoneNumber({ sendOTP: noop }),
  "anonymous": () => anonymous(),
  "multi-session": () => multiSession(),
  "bearer": () => bearer(),
  "passkey": () => passkey(),
  "api-key": () => apiKey(),
  "one-time-token": () => oneTimeToken(),
  "device-authorization": () => deviceAuthorization({ verificationUri: "/device" }),
  "oauth-proxy": () => oAuthProxy(),
  "siwe": () => siwe({ domain: "example.com", getNonce: async () => "n", verifyMessage: async () => true }),
};
const names = process.argv.slice(2);
const unknown = names.filter((n) => !factories[n]);
if (unknown.length) throw new Error(`no Better Auth plugin for ${unknown.join(", ")}`);
const auth = betterAuth({
  baseURL: "http://localhost:3000",
  secret: "a-secret-long-enough-for-better-auth-0123456789",
  logger: { disabled: true },
  emailAndPassword: { enabled: true },
  socialProviders: { github: { clientId: "id", clientSecret: "secret" } },
  plugins: [openAPI(), ...names.map((n) => factories[n]())],
});
const document = await auth.api.generateOpenAPISchema();
const operations = [];
for (const [path, item] of Object.entries(document.paths)) {
  for (const method of Object.keys(item)) operations.push(`${method.toUpperCase()} ${path}`);
}
console.log(JSON.stringify(operations.sort()));
