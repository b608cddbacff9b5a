// What the e2e scripts share: a `fetch` that behaves like a browser for Better Auth's client.
// Node's fetch keeps no cookies and sends no Origin; this one keeps `jar` (name → value, as
// the server set them) and sends `origin` with every request. `newestMail` reads the server's
// dev inbox.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export function browserFetch(origin, jar = new Map()) {
  return async (input, init = {}) => {
    const headers = new Headers(init.headers || {});
    if (jar.size) headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
    headers.set("origin", origin);
    const response = await fetch(input, { ...init, headers });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const at = pair.indexOf("=");
      const [name, value] = [pair.slice(0, at), pair.slice(at + 1)];
      if (value === "" || /Max-Age=0/i.test(cookie)) jar.delete(name);
      else jar.set(name, value);
    }
    return response;
  };
}

/// The newest mail of `kind` to `to` in the server's dev inbox directory, or null.
export function newestMail(inbox, kind, to) {
  for (const file of readdirSync(inbox).sort().reverse()) {
    const mail = JSON.parse(readFileSync(join(inbox, file), "utf8"));
    if (mail.kind === kind && mail.to === to) return mail;
  }
  return null;
}
