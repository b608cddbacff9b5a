// One scripted client session with Better Auth's own client plugins (username, two-factor, admin,
// organization, multi-session, anonymous, api-key, jwt, bearer, magic link, email OTP), recorded
// request by request and printed as a normalized trace: the e2e tier runs it against Better
// Auth's node server and against a generated server, each on a fresh database, and diffs the two.
// usage: node trace.mjs <server base URL> <trusted origin> <dev inbox directory>
// The test has written an admin, ADMIN below, into the database, as an operator would.
//
// Per request: method and path (query values hidden), status, the JSON body's shape (keys, value
// types; literal values except ids, tokens, keys, secrets and URIs; dates as their distance from
// now), error code and message, every Set-Cookie's name and attributes (Max-Age as present or 0),
// the cache-control and location headers, and whether set-auth-token / set-auth-jwt are sent
// (and whether set-auth-token is percent-encoded). JWTs' claims are shown by shape too. One line
// per JSON leaf (`body.user.image: null`), so that a diff names the key.
import { createAuthClient } from "better-auth/client";
import {
  adminClient,
  anonymousClient,
  emailOTPClient,
  jwtClient,
  magicLinkClient,
  multiSessionClient,
  organizationClient,
  twoFactorClient,
  usernameClient,
} from "better-auth/client/plugins";
import { apiKeyClient } from "@better-auth/api-key/client";
import { browserFetch, newestMail as mailIn, totp } from "./browser.mjs";

const [baseURL, origin, inbox] = process.argv.slice(2);
const lines = [];
const started = Date.now();

// ---- normalization ----------------------------------------------------------------------------

const VOLATILE = /^(id|token|key|start|secret|jwt|totpURI|url|challenge|publicKey|credentialID|userAgent|ipAddress|backupCodes|value|kid|sub|x|y|n|e)$|(Id|ID|Token|URI)$/;
/// A random run inside a string (an anonymous user's email, an id in a message).
const RANDOM = /[A-Za-z0-9_-]{20,}/g;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/// Whether a long run is random rather than a word: letters with digits, or both cases (a
/// 32-character id has no digit about once in 280 draws).
function isRandom(run) {
  return /[A-Za-z]/.test(run) && (/\d/.test(run) || (/[a-z]/.test(run) && /[A-Z]/.test(run)));
}

/// A date as its distance from now: past, now, or +N of the coarsest unit that fits.
function when(date) {
  const seconds = (Date.parse(date) - Date.now()) / 1000;
  if (seconds < -120) return "<date:past>";
  if (seconds < 120) return "<date:now>";
  for (const [unit, size] of [["d", 86400], ["h", 3600], ["m", 60]]) {
    if (seconds >= size - 120) return `<date:+${Math.round(seconds / size)}${unit}>`;
  }
  return "<date:?>";
}

function shape(value, key = "") {
  if (value === null) return "null";
  if (Array.isArray(value)) return `[${value.map((v) => shape(v, key)).join(",")}]`;
  if (typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${k}:${shape(value[k], k)}`).join(",")}}`;
  }
  if (typeof value === "string") {
    if (ISO.test(value)) return when(value);
    if (VOLATILE.test(key)) return "<string>";
    return JSON.stringify(value.replace(RANDOM, (run) => (isRandom(run) ? "<random>" : run)));
  }
  if (typeof value === "number" && /^(exp|iat|nbf)$/.test(key)) return "<number>";
  return JSON.stringify(value);
}

/// `value` as one line per leaf, `<path>: <shape>`, so that a diff names the very key that differs;
/// arrays of plain values stay on one line.
function flatten(value, path, out, key = "") {
  const nested = value !== null && typeof value === "object";
  if (!nested || (Array.isArray(value) && value.every((v) => v === null || typeof v !== "object"))) {
    out.push(`${path}: ${shape(value, key)}`);
    return;
  }
  const entries = Array.isArray(value)
    ? value.map((v, i) => [`${path}[${i}]`, v, key])
    : Object.keys(value).sort().map((k) => [`${path}.${k}`, value[k], k]);
  if (entries.length === 0) out.push(`${path}: {}`);
  for (const [p, v, k] of entries) flatten(v, p, out, k);
}

/// The claims of a JWT, flattened under `path`.
function claims(jwt, path, out) {
  try {
    flatten(JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString()), path, out);
  } catch {
    out.push(`${path}: <not a JWT>`);
  }
}

function cookieLine(header) {
  const [pair, ...attributes] = header.split(";").map((s) => s.trim());
  const at = pair.indexOf("=");
  // Multi-session cookies carry the session token in their name.
  const name = pair.slice(0, at).replace(/_multi-.*$/, "_multi-<token>");
  const value = pair.slice(at + 1) === "" ? "" : "<v>";
  const attrs = attributes.map((a) => {
    const [k, v] = a.split("=");
    if (/^max-age$/i.test(k)) return v === "0" ? "Max-Age=0" : "Max-Age=<present>";
    if (/^expires$/i.test(k)) return "Expires=<present>";
    return a;
  });
  return `${name}=${value}; ${attrs.join("; ")}`;
}

function record(method, url, response, text) {
  const u = new URL(url);
  const query = [...u.searchParams.keys()].map((k) => `${k}=…`).join("&");
  const out = [`${method} ${u.pathname.replace(/^\/api\/auth/, "")}${query ? `?${query}` : ""} -> ${response.status}`];
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (body === undefined) out.push(`  body: ${text === "" ? "<empty>" : "<not JSON>"}`);
  else flatten(body, "  body", out);
  if (body && typeof body === "object" && "code" in body && "message" in body) {
    out.push(`  error: ${body.code}: ${body.message}`);
  }
  if (body && typeof body.token === "string" && body.token.split(".").length === 3) {
    claims(body.token, "  body.token.claims", out);
  }
  for (const cookie of response.headers.getSetCookie().map(cookieLine).sort()) {
    out.push(`  set-cookie: ${cookie}`);
  }
  for (const name of ["cache-control", "location"]) {
    const value = response.headers.get(name);
    if (value !== null) out.push(`  ${name}: ${value.replace(/=[^&]*/g, "=…")}`);
  }
  const token = response.headers.get("set-auth-token");
  if (token !== null) out.push(`  set-auth-token: present${token.includes("%") ? " (percent-encoded)" : ""}`);
  const jwt = response.headers.get("set-auth-jwt");
  if (jwt !== null) {
    out.push("  set-auth-jwt: present");
    claims(jwt, "  set-auth-jwt.claims", out);
  }
  lines.push(out.join("\n"));
}

// ---- a browser: a cookie jar, the trusted origin, every exchange recorded ---------------------

function browser(extra = {}) {
  const customFetchImpl = browserFetch(origin, new Map(), record);
  const client = createAuthClient({
    baseURL,
    fetchOptions: { customFetchImpl, ...extra },
    plugins: [
      usernameClient(),
      twoFactorClient(),
      adminClient(),
      organizationClient({ teams: { enabled: true } }),
      multiSessionClient(),
      anonymousClient(),
      apiKeyClient(),
      jwtClient(),
      magicLinkClient(),
      emailOTPClient(),
    ],
  });
  return { client, fetch: customFetchImpl };
}

function newestMail(kind, to) {
  const mail = mailIn(inbox, kind, to);
  if (mail === null) throw new Error(`no ${kind} mail to ${to}`);
  return mail;
}

const step = (name) => lines.push(`## ${name}`);

// ---- the session ------------------------------------------------------------------------------

// Written into the database by the test, with the admin role (the password hash is Better Auth's).
const ADMIN = { email: "legacy@example.com", password: "password1234" };
const ada = browser();
const ADA = { email: "ada@example.com", password: "ada password 1", name: "Ada" };

step("email and password, username");
await ada.client.signUp.email({ ...ADA, username: "ada_l" });
await ada.client.getSession();
await ada.client.signUp.email({ ...ADA });
await ada.client.signIn.email({ email: ADA.email, password: "wrong password" });
await ada.client.signOut();
await ada.client.getSession();
await ada.client.signIn.email({ email: ADA.email, password: ADA.password });
await ada.client.signIn.email({ email: ADA.email, password: ADA.password, rememberMe: false });
await ada.client.signIn.username({ username: "ada_l", password: ADA.password });
await ada.client.isUsernameAvailable({ username: "ada_l" });
await ada.client.updateUser({ name: "Ada Lovelace" });
await ada.client.getSession();
await ada.client.listSessions();

step("bearer");
const bearer = browser();
const signedIn = await bearer.fetch(`${baseURL}/api/auth/sign-in/email`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ email: ADA.email, password: ADA.password }),
});
const bearerToken = signedIn.headers.get("set-auth-token");
// A client without cookies: the token alone.
await browser().fetch(`${baseURL}/api/auth/get-session`, { headers: { authorization: `Bearer ${bearerToken}` } });
await browser().fetch(`${baseURL}/api/auth/get-session`, { headers: { authorization: "Bearer not-a-token" } });

step("jwt");
await ada.client.token();
await ada.client.jwks();

step("multi-session");
const BOB = { email: "bob@example.com", password: "bob password 1", name: "Bob" };
await ada.client.signUp.email(BOB);
const devices = await ada.client.multiSession.listDeviceSessions();
const adaSession = devices.data?.find((d) => d.user.email === ADA.email)?.session.token;
await ada.client.multiSession.setActive({ sessionToken: adaSession });
await ada.client.getSession();
const bobSession = devices.data?.find((d) => d.user.email === BOB.email)?.session.token;
await ada.client.multiSession.revoke({ sessionToken: bobSession });
await ada.client.multiSession.listDeviceSessions();

step("two-factor");
const enabled = await ada.client.twoFactor.enable({ password: ADA.password });
await ada.client.twoFactor.verifyTotp({ code: totp(enabled.data.totpURI) });
await ada.client.twoFactor.getTotpUri({ password: ADA.password });
await ada.client.signOut();
await ada.client.signIn.email({ email: ADA.email, password: ADA.password });
await ada.client.twoFactor.verifyTotp({ code: "000000" });
await ada.client.twoFactor.sendOtp();
await ada.client.twoFactor.verifyOtp({ code: newestMail("two-factor-otp", ADA.email).code });
await ada.client.getSession();
await ada.client.signOut();
await ada.client.signIn.email({ email: ADA.email, password: ADA.password });
await ada.client.twoFactor.verifyBackupCode({ code: enabled.data.backupCodes[0] });
await ada.client.signOut();
await ada.client.signIn.email({ email: ADA.email, password: ADA.password });
await ada.client.twoFactor.verifyTotp({ code: totp(enabled.data.totpURI), trustDevice: true });
await ada.client.twoFactor.disable({ password: ADA.password });

step("anonymous");
const guest = browser();
await guest.client.signIn.anonymous();
await guest.client.getSession();
await guest.client.signIn.anonymous();

step("magic link");
const link = browser();
await link.client.signIn.magicLink({ email: "carol@example.com", name: "Carol", callbackURL: "/welcome" });
const mail = newestMail("magic-link", "carol@example.com");
await link.client.magicLink.verify({ query: { token: new URL(mail.url).searchParams.get("token") } });
await link.client.getSession();
await link.client.magicLink.verify({ query: { token: "not-a-token" } });

step("email OTP");
const otp = browser();
const DAN = { email: "dan@example.com", password: "dan password 1", name: "Dan" };
await otp.client.signUp.email(DAN);
await otp.client.emailOtp.verifyEmail({ email: DAN.email, otp: newestMail("email-verification-otp", DAN.email).code });
await otp.client.signOut();
await otp.client.emailOtp.sendVerificationOtp({ email: DAN.email, type: "sign-in" });
await otp.client.signIn.emailOtp({ email: DAN.email, otp: "000000" });
await otp.client.signIn.emailOtp({ email: DAN.email, otp: newestMail("sign-in-otp", DAN.email).code });
await otp.client.emailOtp.sendVerificationOtp({ email: "nobody@example.com", type: "sign-in" });
await otp.client.emailOtp.checkVerificationOtp({ email: DAN.email, type: "sign-in", otp: "000000" });

step("api key");
const created = await ada.client.apiKey.create({ name: "trace key" });
await ada.client.apiKey.list();
const script = browser({ headers: { "x-api-key": created.data?.key ?? "" } });
await script.client.getSession();
const wrongKey = browser({ headers: { "x-api-key": "rk_not-a-key" } });
await wrongKey.client.getSession();
await ada.client.apiKey.update({ keyId: created.data?.id, name: "renamed" });
await ada.client.apiKey.delete({ keyId: created.data?.id });

step("organization");
const org = await ada.client.organization.create({ name: "Acme", slug: "acme-trace" });
await ada.client.organization.setActive({ organizationId: org.data?.id });
await ada.client.getSession();
await ada.client.organization.list();
await ada.client.organization.getFullOrganization();
// Dan's address is verified (by email OTP): an invitation needs that.
await ada.client.organization.inviteMember({ email: DAN.email, role: "member" });
const invitations = await otp.client.organization.listUserInvitations();
await otp.client.organization.acceptInvitation({ invitationId: invitations.data?.[0]?.id });
await ada.client.organization.listMembers();
const team = await ada.client.organization.createTeam({ name: "Core" });
await ada.client.organization.listTeams();
await ada.client.organization.updateMemberRole({ memberId: "no-such-member", role: "admin" });
await otp.client.organization.leave({ organizationId: org.data?.id });
await ada.client.organization.removeTeam({ teamId: team.data?.id });

step("admin");
const bob = browser();
await bob.client.signIn.email({ email: BOB.email, password: BOB.password });
const root = browser();
await root.client.signIn.email(ADMIN);
const list = await root.client.admin.listUsers({ query: { limit: 10, sortBy: "name", sortDirection: "asc" } });
const bobId = list.data?.users?.find((u) => u.email === BOB.email)?.id;
await root.client.admin.setRole({ userId: bobId, role: "admin" });
await root.client.admin.setRole({ userId: bobId, role: "user" });
await root.client.admin.listUserSessions({ userId: bobId });
await root.client.admin.impersonateUser({ userId: bobId });
await root.client.getSession();
await root.client.admin.stopImpersonating();
await root.client.admin.banUser({ userId: bobId, banReason: "trace" });
await bob.client.getSession();
await bob.client.signIn.email({ email: BOB.email, password: BOB.password });
await root.client.admin.unbanUser({ userId: bobId });
await bob.client.signIn.email({ email: BOB.email, password: BOB.password });
await root.client.admin.revokeUserSessions({ userId: bobId });
await bob.client.getSession();
await bob.client.listSessions();

step("revoke sessions");
await ada.client.revokeOtherSessions();
await ada.client.revokeSessions();
await ada.client.getSession();

console.log(lines.join("\n"));
if (Date.now() - started > 60_000) console.error(`the trace took ${Date.now() - started} ms`);
