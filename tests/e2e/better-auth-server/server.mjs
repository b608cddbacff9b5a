// Better Auth 1.7.25's own server (`auth.handler` on node:http), on the database of a generated
// app, configured as the e2e tier's apps are (see `build_app` and `plugins::config` in
// `tests/e2e/`): the same base URL, base path, cookie prefix and plugins with the same options.
// Listens on 127.0.0.1 and an OS-chosen port and prints `listening on http://127.0.0.1:<port>`,
// as the generated apps log it.
//
// env: DATABASE_URL (postgres://…, mysql://…, or sqlite://<path>[?…] as sqlx takes it),
// BETTER_AUTH_SECRET, AUTH_DEV_INBOX (mails are written there as the generated app's dev inbox
// writes them: one JSON file each with to, subject, text, url, code, kind), optionally
// SESSION_UPDATE_AGE (seconds, default Better Auth's one day), PLUGINS=none (core only, as a
// `rauth new` app) or PLUGINS=oauth-provider (jwt and the OAuth provider alone), COOKIE_CACHE=compact|jwt|jwe with COOKIE_CACHE_MAX_AGE (seconds): the
// session's cookie cache on with that strategy.
//
// SQLite: node 20 has no node:sqlite and better-sqlite3 fetches its binary from GitHub, so the
// file is opened with libSQL (`@libsql/client`, a SQLite fork whose native binaries are npm
// packages) through its Kysely dialect; it locks the file as SQLite does, so the generated app
// (sqlx) and this server use it at once.
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { betterAuth } from "better-auth";
import { toNodeHandler } from "better-auth/node";
import {
  admin,
  anonymous,
  bearer,
  deviceAuthorization,
  emailOTP,
  jwt,
  lastLoginMethod,
  magicLink,
  multiSession,
  oneTimeToken,
  organization,
  phoneNumber,
  twoFactor,
  username,
} from "better-auth/plugins";
import { apiKey } from "@better-auth/api-key";
import { oauthProvider } from "@better-auth/oauth-provider";
import { passkey } from "@better-auth/passkey";

const url = process.env.DATABASE_URL ?? "";
const inbox = process.env.AUTH_DEV_INBOX ?? ".rauth/inbox";
let mails = 0;

/// Writes a mail where the generated app's dev inbox writes it, in its format.
function deliver(kind, to, subject, { url = "", code = null } = {}) {
  mkdirSync(inbox, { recursive: true });
  const name = `${process.hrtime.bigint()}${String(mails++).padStart(4, "0")}-${kind}.json`;
  writeFileSync(join(inbox, name), JSON.stringify({ to, subject, text: subject, url, code, kind }));
}

async function database() {
  if (url.startsWith("postgres")) {
    const { Pool } = await import("pg");
    return new Pool({ connectionString: url });
  }
  if (url.startsWith("mysql")) {
    // A promise pool, as Better Auth's docs use: its Kysely dialect reads the callback pool
    // from the promise pool's `pool`.
    const { createPool } = await import("mysql2/promise");
    return createPool(url);
  }
  if (url.startsWith("sqlite:")) {
    const { LibsqlDialect } = await import("@libsql/kysely-libsql");
    const path = url.replace(/^sqlite:(\/\/)?/, "").replace(/\?.*$/, "");
    return { dialect: new LibsqlDialect({ url: `file:${path}` }), type: "sqlite" };
  }
  throw new Error("DATABASE_URL must be postgres://, mysql:// or sqlite://");
}

const updateAge = Number(process.env.SESSION_UPDATE_AGE ?? 24 * 60 * 60);
const axum = (process.env.FRAMEWORK ?? "axum") === "axum";
const cookieCache = process.env.COOKIE_CACHE
  ? { enabled: true, strategy: process.env.COOKIE_CACHE, maxAge: Number(process.env.COOKIE_CACHE_MAX_AGE ?? 300) }
  : undefined;

export const auth = betterAuth({
  appName: "Rauth E2E",
  baseURL: "http://localhost:3000",
  basePath: "/api/auth",
  secret: process.env.BETTER_AUTH_SECRET,
  database: await database(),
  // The generated apps run with AUTH_RATE_LIMIT=off in the e2e tier; the actix-web ones keep
  // their counters in the database, so Better Auth's migrator makes the same rateLimit table.
  rateLimit: { enabled: false, storage: axum ? "memory" : "database" },
  session: { expiresIn: 7 * 24 * 60 * 60, updateAge, cookieCache },
  emailAndPassword: {
    enabled: true,
    sendResetPassword: async ({ user, url }) =>
      deliver("reset-password", user.email, "Reset your password", { url }),
  },
  emailVerification: {
    sendVerificationEmail: async ({ user, url }) =>
      deliver("verify-email", user.email, "Verify your email address", { url }),
  },
  user: {
    changeEmail: {
      enabled: true,
      sendChangeEmailConfirmation: async ({ user, url }) =>
        deliver("change-email-confirmation", user.email, "Approve the change of your email", { url }),
    },
    deleteUser: {
      enabled: true,
      sendDeleteAccountVerification: async ({ user, url }) =>
        deliver("delete-account", user.email, "Delete your account", { url }),
    },
  },
  plugins: process.env.PLUGINS === "none" ? [] : process.env.PLUGINS === "oauth-provider" ? [
    // As the e2e tier's OAuth provider app: `[plugins.jwt]`, `[plugins.oauth-provider]` with
    // `login_page = "/login"`.
    jwt({ jwks: { keyPairConfig: { alg: process.env.JWT_ALG ?? "EdDSA" } } }),
    oauthProvider({ loginPage: "/login", consentPage: "/consent" }),
  ] : [
    username(),
    twoFactor({
      issuer: "Rauth E2E",
      otpOptions: {
        sendOTP: async ({ user, otp }) =>
          deliver("two-factor-otp", user.email, "Your sign-in code", { code: otp }),
      },
    }),
    admin({ impersonationSessionDuration: 30 * 60 }),
    anonymous(),
    multiSession({ maximumSessions: 3 }),
    bearer(),
    apiKey([
      { configId: "default", defaultPrefix: "rk_", enableMetadata: true, enableSessionForAPIKeys: true },
      { configId: "ci", defaultPrefix: "ci_", defaultKeyLength: 40, rateLimit: { maxRequests: 3 } },
      { configId: "team", references: "organization", enableSessionForAPIKeys: true, apiKeyHeaders: ["x-team-key"] },
    ]),
    organization({
      teams: { enabled: true, maximumTeams: 3, maximumMembersPerTeam: 2 },
      dynamicAccessControl: { enabled: true },
      requireEmailVerificationOnInvitation: true,
      sendInvitationEmail: async ({ email, id }) =>
        deliver("organization-invitation", email, "You are invited", {
          url: `http://localhost:3000/accept-invitation/${id}`,
        }),
    }),
    passkey({ rpID: "localhost", rpName: "Rauth E2E", origin: "http://localhost:3000" }),
    jwt({ jwks: { keyPairConfig: { alg: process.env.JWT_ALG ?? "EdDSA" } } }),
    magicLink({
      disableSignUp: !axum,
      sendMagicLink: async ({ email, url }) => deliver("magic-link", email, "Your sign-in link", { url }),
    }),
    emailOTP({
      disableSignUp: axum,
      sendVerificationOnSignUp: true,
      changeEmail: { enabled: true, verifyCurrentEmail: axum },
      sendVerificationOTP: async ({ email, otp, type }) =>
        deliver(`${type}-otp`, email, "Your code", { code: otp }),
    }),
    phoneNumber({
      requireVerification: axum,
      sendOTP: async ({ phoneNumber, code }) => deliver("phone-otp", phoneNumber, "Your code", { code }),
    }),
    oneTimeToken({ storeToken: axum ? "hashed" : "plain", setOttHeaderOnNewSession: axum }),
    lastLoginMethod({ storeInDatabase: axum }),
    deviceAuthorization({ interval: "1s", ...(axum && { validateClient: (id) => id === "rauth-cli" }) }),
    // Not haveIBeenPwned: Better Auth calls api.pwnedpasswords.com itself, unreachable here (the
    // generated apps use a local range API); it adds no schema, and no trace password is breached.
  ],
});

// MIGRATE=1: Better Auth's own migrator makes the schema first, as `npx auth migrate` would.
if (process.env.MIGRATE === "1") {
  const { getMigrations } = await import("better-auth/db/migration");
  const { runMigrations } = await getMigrations(auth.options);
  await runMigrations();
}

const server = createServer(toNodeHandler(auth));
server.listen(0, "127.0.0.1", () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
