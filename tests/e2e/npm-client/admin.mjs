// Drives the admin endpoints with Better Auth's own `adminClient`, as an admin dashboard would.
// usage: node admin.mjs <server base URL> <trusted origin>
// The Rust side has made npm-admin@example.com an admin before running this.
import { createAuthClient } from "better-auth/client";
import { browserFetch } from "./browser.mjs";
import { adminClient } from "better-auth/client/plugins";

const [baseURL, origin] = process.argv.slice(2);
const ADMIN = { email: "npm-admin@example.com", password: "npm admin password" };
const TARGET = { email: "npm-target@example.com", password: "npm target password", name: "Target" };

// A browser of its own: its own cookie jar.
function browser() {
  const customFetchImpl = browserFetch(origin);
  return createAuthClient({ baseURL, plugins: [adminClient()], fetchOptions: { customFetchImpl } });
}

const admin = browser();
const out = {};
const errorOf = (r) => (r.error ? `${r.error.status} ${r.error.code}` : null);

let r = await admin.signIn.email(ADMIN);
out.signIn = errorOf(r) ?? r.data.user.email;
r = await admin.admin.createUser(TARGET);
out.createUser = errorOf(r) ?? r.data.user.email;
const userId = r.data?.user?.id;
r = await admin.admin.listUsers({ query: { searchValue: "npm-target", searchField: "email", limit: 10 } });
out.listUsers = errorOf(r) ?? { total: r.data.total, emails: r.data.users.map((u) => u.email) };
r = await admin.admin.setRole({ userId, role: "moderator" });
out.setRole = errorOf(r) ?? r.data.user.role;
r = await admin.admin.banUser({ userId, banReason: "npm" });
out.banUser = errorOf(r) ?? r.data.user.banned;
r = await browser().signIn.email({ email: TARGET.email, password: TARGET.password });
out.signInBanned = errorOf(r);
r = await admin.admin.unbanUser({ userId });
out.unbanUser = errorOf(r) ?? r.data.user.banned;
r = await admin.admin.impersonateUser({ userId });
out.impersonateUser = errorOf(r) ?? r.data.user.email;
r = await admin.getSession();
out.impersonatedSession = errorOf(r) ?? { email: r.data?.user?.email, impersonatedBy: r.data?.session?.impersonatedBy };
r = await admin.admin.stopImpersonating();
out.stopImpersonating = errorOf(r) ?? r.data.user.email;
r = await admin.getSession();
out.afterStop = errorOf(r) ?? r.data?.user?.email ?? null;
console.log(JSON.stringify(out));
