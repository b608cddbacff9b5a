// Better Auth's own node server for benches/server.sh: email+password on PostgreSQL,
// rate limiting off. Env: DATABASE_URL, PORT, BASE_URL, BETTER_AUTH_SECRET; COOKIE_CACHE=compact
// (or jwt, jwe) turns the session's cookie cache on with that strategy.
import http from "node:http";
import pg from "pg";
import { betterAuth } from "better-auth";
import { toNodeHandler } from "better-auth/node";

const auth = betterAuth({
  database: new pg.Pool({ connectionString: process.env.DATABASE_URL }),
  emailAndPassword: { enabled: true },
  secret: process.env.BETTER_AUTH_SECRET,
  baseURL: process.env.BASE_URL,
  rateLimit: { enabled: false },
  session: process.env.COOKIE_CACHE
    ? { cookieCache: { enabled: true, strategy: process.env.COOKIE_CACHE } }
    : undefined,
});

const port = Number(process.env.PORT);
http.createServer(toNodeHandler(auth)).listen(port, "127.0.0.1", () => {
  console.log(`better-auth listening on ${port}`);
});
