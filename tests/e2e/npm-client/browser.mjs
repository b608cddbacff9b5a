// What the e2e scripts share: a `fetch` that behaves like a browser for Better Auth's client.
// Node's fetch keeps no cookies and sends no Origin; this one keeps `jar` (name → value, as
// the server set them) and sends `origin` with every request. `newestMail` reads the server's
// dev inbox; `totp` computes an authenticator's code.
import { createHmac } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export function browserFetch(origin, jar = new Map(), onExchange = null) {
  return async (input, init = {}) => {
    const headers = new Headers(init.headers || {});
    if (jar.size) headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
    headers.set("origin", origin);
    let response = await fetch(input, { ...init, headers, ...(onExchange && { redirect: "manual" }) });
    if (onExchange) {
      // `onExchange(method, url, response, body text)` sees every exchange, redirects included.
      const text = await response.text();
      onExchange(init.method ?? "GET", typeof input === "string" ? input : input.url ?? String(input), response, text);
      response = new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
    }
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

// RFC 6238 from an otpauth:// URI, as an authenticator app computes it.
export function totp(uri) {
  const params = new URL(uri).searchParams;
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of params.get("secret")) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / Number(params.get("period")))));
  const mac = createHmac("sha1", key).update(counter).digest();
  const offset = mac[mac.length - 1] & 15;
  const digits = Number(params.get("digits"));
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits).padStart(digits, "0");
}
