//! SIWE plugin (Sign-In with Ethereum, EIP-4361): an app per database (axum on PostgreSQL and
//! SQLite, actix-web on MySQL), wallets with known keys signing as `personal_sign` does. Attacks
//! refused: a replayed nonce, a made-up nonce, another domain, another chain, another signer, a
//! high-`s` (malleated) signature, an expired message, a cross-site sign-in. Better Auth's
//! `siweClient` signs in too.

use k256::ecdsa::{Signature, SigningKey};
use serde_json::json;
use sha3::{Digest as _, Keccak256};

use crate::db::{self, TestDb};
use crate::http::{Client, Reply};
use crate::plugins::{quote, refused};
use crate::{ONE_APP_AT_A_TIME, ORIGIN, build_small_app, node_script, npm_project, start_with};

const APPS: [(&str, &str); 3] = [
    ("axum", "postgres"),
    ("actix-web", "mysql"),
    ("axum", "sqlite"),
];
/// The domain messages name: the host of the apps' `base_url`.
const DOMAIN: &str = "localhost:3000";

#[test]
fn wallets_sign_in_with_ethereum() {
    if db::skipped() {
        return;
    }
    let _turn = ONE_APP_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    for (framework, dialect) in APPS {
        let lockfile = format!("siwe-{framework}-{dialect}.lock");
        let (project, binary) = build_small_app(
            "e2e_siwe",
            (framework, dialect),
            "[plugins.siwe]\nchain_ids = [1, 10]\n",
            "k256 = \"0.13\"\nsha3 = \"0.10\"\n",
            &lockfile,
        );
        let db = TestDb::create(dialect);
        let app = start_with(&binary, &project.file("app"), &db.url, &[]);
        flows(
            &format!("{framework} on {dialect}"),
            dialect,
            &app.client,
            &db,
        );
    }
}

/// A wallet: a secp256k1 key and its EIP-55 address.
struct Wallet {
    key: SigningKey,
    address: String,
}

impl Wallet {
    fn new(seed: u8) -> Self {
        let key = SigningKey::from_slice(&[seed; 32]).unwrap();
        let point = key.verifying_key().to_encoded_point(false);
        let lower = hex::encode(&Keccak256::digest(&point.as_bytes()[1..])[12..]);
        let hash = hex::encode(Keccak256::digest(lower.as_bytes()));
        let mixed: String = lower
            .chars()
            .zip(hash.chars())
            .map(|(c, h)| {
                if h.to_digit(16).unwrap() >= 8 {
                    c.to_ascii_uppercase()
                } else {
                    c
                }
            })
            .collect();
        Self {
            key,
            address: format!("0x{mixed}"),
        }
    }

    /// `personal_sign` (EIP-191): `0x` + r ‖ s ‖ v, v 27 or 28.
    fn sign(&self, message: &str) -> String {
        let (signature, recovery) = self.key.sign_digest_recoverable(eip191(message)).unwrap();
        let mut bytes = signature.to_bytes().to_vec();
        bytes.push(recovery.to_byte() + 27);
        format!("0x{}", hex::encode(bytes))
    }
}

fn eip191(message: &str) -> Keccak256 {
    let mut digest = Keccak256::new();
    digest.update(format!("\x19Ethereum Signed Message:\n{}", message.len()).as_bytes());
    digest.update(message.as_bytes());
    digest
}

/// An EIP-4361 message.
fn message(domain: &str, address: &str, chain_id: u64, nonce: &str, extra: &str) -> String {
    format!(
        "{domain} wants you to sign in with your Ethereum account:\n{address}\n\nSign in to the rauth e2e app\n\nURI: http://{DOMAIN}\nVersion: 1\nChain ID: {chain_id}\nNonce: {nonce}\nIssued At: 2026-01-01T00:00:00Z{extra}"
    )
}

fn nonce(c: &Client) -> String {
    let reply = c
        .post_json("/api/auth/siwe/nonce", "{}", &[ORIGIN])
        .unwrap();
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json()["nonce"].as_str().unwrap().to_owned()
}

fn verify(c: &Client, message: &str, signature: &str, origin: (&str, &str)) -> Reply {
    c.post_json(
        "/api/auth/siwe/verify",
        &json!({ "message": message, "signature": signature }).to_string(),
        &[origin],
    )
    .unwrap()
}

fn flows(who: &str, dialect: &str, c: &Client, db: &TestDb) {
    let wallet = Wallet::new(3);
    let first = nonce(c);
    let signed = message(DOMAIN, &wallet.address, 1, &first, "");
    let reply = verify(c, &signed, &wallet.sign(&signed), ORIGIN);
    assert_eq!(reply.status, 200, "{who}: {}", reply.body);
    let answer = reply.json();
    assert_eq!(answer["success"], true, "{who}");
    assert_eq!(
        answer["user"]["walletAddress"],
        wallet.address.as_str(),
        "{who}"
    );
    assert_eq!(answer["user"]["chainId"], 1, "{who}");
    let cookie = reply.cookie("better-auth.session_token").unwrap();
    let session = c
        .get("/api/auth/get-session", &[("cookie", &cookie)])
        .unwrap()
        .json();
    assert_eq!(session["user"]["name"], wallet.address.as_str(), "{who}");
    assert_eq!(
        session["user"]["email"],
        format!("{}@siwe.placeholder.invalid", wallet.address.to_lowercase()),
        "{who}"
    );
    // Stored as Better Auth stores it: the wallet row and a `siwe` account.
    let q = quote(dialect);
    let rows = db.query(&format!(
        "SELECT {q}chainId{q}, {q}isPrimary{q} FROM {q}walletAddress{q} WHERE {q}address{q} = '{}'",
        wallet.address
    ));
    assert!(rows.starts_with("1\t"), "{who}: {rows}");
    let account = db.query(&format!(
        "SELECT {q}accountId{q} FROM {q}account{q} WHERE {q}providerId{q} = 'siwe'"
    ));
    assert_eq!(account.trim(), format!("{}:1", wallet.address), "{who}");

    attacks(who, c, &wallet, &signed);
    // A cross-site sign-in of a new wallet changes nothing: no user, no wallet row, and its
    // nonce is still good for the same message from this site.
    let newcomer = Wallet::new(5);
    let cross = message(DOMAIN, &newcomer.address, 1, &nonce(c), "");
    let cross_site = verify(
        c,
        &cross,
        &newcomer.sign(&cross),
        ("origin", "https://evil.example"),
    );
    assert_eq!(cross_site.status, 403, "{who}: {}", cross_site.body);
    let newcomer_rows = format!(
        "SELECT COUNT(*) FROM {q}walletAddress{q} WHERE {q}address{q} = '{}'",
        newcomer.address
    );
    assert_eq!(db.query(&newcomer_rows).trim(), "0", "{who}");
    let own_site = verify(c, &cross, &newcomer.sign(&cross), ORIGIN);
    assert_eq!(own_site.status, 200, "{who}: {}", own_site.body);
    assert_eq!(db.query(&newcomer_rows).trim(), "1", "{who}");

    // The same wallet on another allowed chain: the same user, a second wallet row.
    let optimism = message(DOMAIN, &wallet.address, 10, &nonce(c), "");
    let again = verify(c, &optimism, &wallet.sign(&optimism), ORIGIN);
    assert_eq!(
        again.json()["user"]["id"],
        answer["user"]["id"],
        "{who}: {}",
        again.body
    );

    // Better Auth's siweClient, with a wallet of its own.
    npm_project("npm-client");
    let base = c.base_url();
    let got = node_script("siwe.mjs", who, &[base.as_str(), ORIGIN.1, DOMAIN]);
    assert_eq!(
        got,
        json!({ "verify": { "success": true, "walletAddress": true, "chainId": 1 }, "session": true, "replay": "UNAUTHORIZED_INVALID_OR_EXPIRED_NONCE" }),
        "{who}"
    );
}

/// Refused: a replayed nonce, a made-up one, another domain, a chain the app does not allow,
/// another signer, a malleated signature, an expired message, a cross-site sign-in.
fn attacks(who: &str, c: &Client, wallet: &Wallet, signed: &str) {
    // The same nonce again: single use.
    refused(
        who,
        &verify(c, signed, &wallet.sign(signed), ORIGIN),
        401,
        "UNAUTHORIZED_INVALID_OR_EXPIRED_NONCE",
    );
    // A nonce the server never gave.
    let made_up = message(DOMAIN, &wallet.address, 1, "madeUpNonce1234", "");
    refused(
        who,
        &verify(c, &made_up, &wallet.sign(&made_up), ORIGIN),
        401,
        "UNAUTHORIZED_INVALID_OR_EXPIRED_NONCE",
    );
    // Another domain, a chain the app does not allow.
    let phished = message("evil.example", &wallet.address, 1, &nonce(c), "");
    refused(
        who,
        &verify(c, &phished, &wallet.sign(&phished), ORIGIN),
        401,
        "UNAUTHORIZED_SIWE_MESSAGE_MISMATCH",
    );
    let other_chain = message(DOMAIN, &wallet.address, 5, &nonce(c), "");
    refused(
        who,
        &verify(c, &other_chain, &wallet.sign(&other_chain), ORIGIN),
        401,
        "UNAUTHORIZED_SIWE_MESSAGE_MISMATCH",
    );
    // Signed by someone else than the address it names.
    let impostor = Wallet::new(4);
    let claimed = message(DOMAIN, &wallet.address, 1, &nonce(c), "");
    let forged = verify(c, &claimed, &impostor.sign(&claimed), ORIGIN);
    assert_eq!(
        (forged.status, forged.json()["message"].as_str()),
        (401, Some("Unauthorized: Invalid SIWE signature")),
        "{who}"
    );
    // The same signature malleated to high `s` (valid for secp256k1, refused by Ethereum).
    let fresh = message(DOMAIN, &wallet.address, 1, &nonce(c), "");
    assert_eq!(
        verify(c, &fresh, &malleate(&wallet.sign(&fresh)), ORIGIN).status,
        401,
        "{who}"
    );
    // Expired.
    let expired = message(
        DOMAIN,
        &wallet.address,
        1,
        &nonce(c),
        "\nExpiration Time: 2026-01-01T00:05:00Z",
    );
    refused(
        who,
        &verify(c, &expired, &wallet.sign(&expired), ORIGIN),
        401,
        "UNAUTHORIZED_SIWE_MESSAGE_EXPIRED",
    );
    // A cross-site page signing the browser in (login CSRF).
    let cross = message(DOMAIN, &wallet.address, 1, &nonce(c), "");
    assert_eq!(
        verify(
            c,
            &cross,
            &wallet.sign(&cross),
            ("origin", "https://evil.example")
        )
        .status,
        403,
        "{who}"
    );
}

/// The signature with `s` replaced by `n - s` and the recovery bit flipped: the same signer,
/// another signature (ECDSA's malleability).
fn malleate(signature: &str) -> String {
    let mut bytes = hex::decode(&signature[2..]).unwrap();
    let (r, s) = Signature::from_slice(&bytes[..64]).unwrap().split_scalars();
    let high = Signature::from_scalars(r, -*s).unwrap();
    bytes[..64].copy_from_slice(&high.to_bytes());
    bytes[64] = if bytes[64] == 27 { 28 } else { 27 };
    format!("0x{}", hex::encode(bytes))
}
