// Better Auth config for the "full" plugin set used by benches/schema-generate.sh.
// Its `npx auth generate` output must equal /work/shared/better-auth/sql/full.sqlite.sql
// (and rauth's output for benches/full.rauth.toml).
//
// The Kysely generator introspects a live database and emits only the diff, so the
// bench points BENCH_SQLITE_PATH at a fresh, empty SQLite file for every run.
import Database from "better-sqlite3";
import { betterAuth } from "better-auth";
import {
  admin,
  anonymous,
  bearer,
  emailOTP,
  jwt,
  magicLink,
  multiSession,
  organization,
  phoneNumber,
  twoFactor,
  username,
} from "better-auth/plugins";
import { apiKey } from "@better-auth/api-key";
import { passkey } from "@better-auth/passkey";
import { sso } from "@better-auth/sso";

const dbPath = process.env.BENCH_SQLITE_PATH;
if (!dbPath) throw new Error("set BENCH_SQLITE_PATH to an empty SQLite file");

// Callbacks are required by some plugins but never invoked by `generate`.
const noop = async () => {};

export const auth = betterAuth({
  // Fixed dummy values so the CLI does not warn about a missing secret/base URL.
  secret: "bench-only-secret-bench-only-secret-0123",
  baseURL: "http://localhost:3000",
  database: new Database(dbPath),
  emailAndPassword: { enabled: true },
  rateLimit: { storage: "database" },
  plugins: [
    username(),
    twoFactor(),
    magicLink({ sendMagicLink: noop }),
    emailOTP({ sendVerificationOTP: noop }),
    organization({ teams: { enabled: true } }),
    admin(),
    jwt(),
    phoneNumber({ sendOTP: noop }),
    anonymous(),
    multiSession(),
    bearer(),
    passkey(),
    apiKey(),
    sso(),
  ],
});
