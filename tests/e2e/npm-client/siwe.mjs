// Signs in with Ethereum (EIP-4361) against a rauth-generated server through Better Auth's own
// `siweClient`: a nonce from the server, the message a dapp builds, a wallet's `personal_sign`
// (secp256k1 with a known test key, @noble/curves), then `/siwe/verify` and the session.
// usage: node siwe.mjs <server base URL> <trusted origin> <domain>
import { createAuthClient } from "better-auth/client";
import { siweClient } from "better-auth/client/plugins";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { browserFetch } from "./browser.mjs";

const [baseURL, origin, domain] = process.argv.slice(2);
const client = createAuthClient({ baseURL, plugins: [siweClient()], fetchOptions: { customFetchImpl: browserFetch(origin, new Map()) } });
const hex = (bytes) => Buffer.from(bytes).toString("hex");
const bytes = (text) => new TextEncoder().encode(text);

// The wallet: a fixed test key and its EIP-55 address.
const key = new Uint8Array(32).fill(11);
const lower = hex(keccak_256(secp256k1.getPublicKey(key, false).slice(1)).slice(12));
const hash = hex(keccak_256(bytes(lower)));
const address = `0x${[...lower].map((c, i) => (parseInt(hash[i], 16) >= 8 ? c.toUpperCase() : c)).join("")}`;
const personalSign = (message) => {
  const m = bytes(message);
  const digest = keccak_256(new Uint8Array([...bytes(`\x19Ethereum Signed Message:\n${m.length}`), ...m]));
  const sig = secp256k1.sign(digest, key, { prehash: false, format: "recovered" });
  return `0x${hex(sig.slice(1))}${(27 + sig[0]).toString(16)}`;
};

const out = {};
let r = await client.siwe.nonce();
if (r.error) throw new Error(`nonce: ${JSON.stringify(r.error)}`);
const nonce = r.data.nonce;
const message = [
  `${domain} wants you to sign in with your Ethereum account:`,
  address,
  "",
  "Sign in to the rauth e2e app",
  "",
  `URI: ${baseURL}`,
  "Version: 1",
  "Chain ID: 1",
  `Nonce: ${nonce}`,
  `Issued At: ${new Date().toISOString()}`,
].join("\n");
r = await client.siwe.verify({ message, signature: personalSign(message) });
out.verify = r.error ? `${r.error.status} ${r.error.code ?? r.error.message}` : { success: r.data.success, walletAddress: r.data.user.walletAddress === address, chainId: r.data.user.chainId };
r = await client.getSession();
out.session = r.data?.user?.name === address;
r = await client.siwe.verify({ message, signature: personalSign(message) });
out.replay = r.error ? r.error.code : "accepted";
console.log(JSON.stringify(out));
