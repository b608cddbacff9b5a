//! `rauth secret rotate --jwks` against the real servers: each run adds a key of the configured
//! algorithm (Ed25519, P-256, RSA) whose private JWK is sealed with the env file's current secret
//! as Better Auth seals it, and expires the keys that signed before it; renamed tables and columns
//! are honoured.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead as _, KeyInit as _};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde_json::Value;
use sha2::{Digest as _, Sha256};

use crate::db::{self, DIALECTS, TestDb};
use crate::support::{Project, Run};

const CURRENT: &str = "d4735e3a265e16eee03f59718b9b5d03019c07d8b6c51f96bd4e6a6cfe7c6f0c";
const OLDER: &str = "6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b";

fn rotate(project: &Project, db: &TestDb) -> Run {
    project
        .rauth(&["secret", "rotate", "--jwks", "--database-url", &db.url])
        .success()
}

/// Opens a `$ba$2$<hex>` value with the secret of version 2.
fn open_sealed(sealed: &str) -> Value {
    let hex = sealed
        .strip_prefix("$ba$2$")
        .expect("sealed with version 2");
    let bytes = hex::decode(hex).unwrap();
    let (nonce, body) = bytes.split_at(24);
    let nonce = <[u8; 24]>::try_from(nonce).unwrap();
    let cipher = XChaCha20Poly1305::new(&Sha256::digest(CURRENT.as_bytes()));
    let plain = cipher.decrypt(&XNonce::from(nonce), body).unwrap();
    serde_json::from_slice(&plain).unwrap()
}

#[test]
fn rotation_adds_a_sealed_key_and_expires_the_signing_one() {
    if db::skipped() {
        return;
    }
    for dialect in DIALECTS {
        let db = TestDb::create(dialect);
        let config = format!(
            "[database]\ndialect = \"{dialect}\"\n[plugins.jwt]\n[tables.jwks]\nname = \"jwt_keys\"\nfields = {{ privateKey = \"private_key\" }}\n"
        );
        let project = Project::new(&config);
        project.rauth(&["generate", "schema"]).success();
        project
            .rauth(&["migrate", "--database-url", &db.url])
            .success();
        project.write(".env", &format!("AUTH_SECRETS=\"2:{CURRENT},1:{OLDER}\"\n"));

        let first = rotate(&project, &db);
        assert!(
            first.stderr.contains("Rotated"),
            "{dialect}: {}",
            first.stderr
        );
        assert!(
            !first.stderr.contains("Expired"),
            "{dialect}: nothing to expire"
        );
        let second = rotate(&project, &db);
        assert!(
            second.stderr.contains("1 previous key"),
            "{dialect}: {}",
            second.stderr
        );
        for run in [&first, &second] {
            let printed = format!("{}{}", run.stdout, run.stderr);
            assert!(
                !printed.contains(CURRENT) && !printed.contains(OLDER),
                "{dialect}"
            );
        }

        let q = if dialect == "mysql" { '`' } else { '"' };
        let rows = db.query(&format!(
            "SELECT {q}id{q}, {q}private_key{q}, {q}publicKey{q}, {q}alg{q}, {q}crv{q}, CASE WHEN {q}expiresAt{q} IS NULL THEN 'signing' ELSE 'expired' END FROM {q}jwt_keys{q} ORDER BY {q}createdAt{q}"
        ));
        let rows: Vec<Vec<&str>> = rows.lines().map(|l| l.split('\t').collect()).collect();
        assert_eq!(rows.len(), 2, "{dialect}: {rows:?}");
        assert_eq!(rows[0][5], "expired", "{dialect}");
        assert_eq!(rows[1][5], "signing", "{dialect}");
        assert_ne!(rows[0][0], rows[1][0], "{dialect}");
        for row in &rows {
            assert_eq!(row[0].len(), 32, "{dialect}: {row:?}");
            assert_eq!(row[3..5], ["EdDSA", "Ed25519"], "{dialect}");
            // Stored as Better Auth stores it: `JSON.stringify(symmetricEncrypt(...))`.
            let sealed: String = serde_json::from_str(row[1]).unwrap();
            let private = open_sealed(&sealed);
            let public: Value = serde_json::from_str(row[2]).unwrap();
            assert_eq!(public["kty"], "OKP", "{dialect}");
            assert!(public.get("d").is_none(), "{dialect}");
            assert_eq!(private["x"], public["x"], "{dialect}");
            let seed: [u8; 32] = URL_SAFE_NO_PAD
                .decode(private["d"].as_str().unwrap())
                .unwrap()
                .try_into()
                .unwrap();
            let derived = ed25519_dalek::SigningKey::from_bytes(&seed).verifying_key();
            assert_eq!(
                URL_SAFE_NO_PAD.encode(derived.to_bytes()),
                public["x"].as_str().unwrap(),
                "{dialect}: the private key is the public key's"
            );
        }
        other_algorithms(dialect, &project, &db, &config);
    }
}

/// With another `alg` configured, the next key is of it: P-256 (`crv` P-256), then RSA 2048 (no
/// `crv`, as Better Auth stores RSA keys), each private JWK the public one's.
fn other_algorithms(dialect: &str, project: &Project, db: &TestDb, config: &str) {
    let q = if dialect == "mysql" { '`' } else { '"' };
    for (alg, kty, crv) in [("ES256", "EC", "P-256"), ("RS256", "RSA", "-")] {
        project.write(
            "rauth.toml",
            &config.replace(
                "[plugins.jwt]\n",
                &format!("[plugins.jwt]\nalg = \"{alg}\"\n"),
            ),
        );
        let run = rotate(project, db);
        assert!(run.stderr.contains(alg), "{dialect}: {}", run.stderr);
        let row = db.query(&format!(
            "SELECT {q}alg{q}, COALESCE({q}crv{q}, '-'), {q}publicKey{q}, {q}private_key{q} FROM {q}jwt_keys{q} WHERE {q}expiresAt{q} IS NULL"
        ));
        let row: Vec<&str> = row.trim().split('\t').collect();
        assert_eq!(row[..2], [alg, crv], "{dialect}: the one signing key");
        let public: Value = serde_json::from_str(row[2]).unwrap();
        let sealed: String = serde_json::from_str(row[3]).unwrap();
        let private = open_sealed(&sealed);
        assert_eq!(public["kty"], kty, "{dialect}");
        assert!(public.get("d").is_none(), "{dialect}");
        let bytes = |member: &str| {
            URL_SAFE_NO_PAD
                .decode(private[member].as_str().unwrap())
                .unwrap()
        };
        if alg == "ES256" {
            let signer = p256::ecdsa::SigningKey::from_slice(&bytes("d")).unwrap();
            let point = signer.verifying_key().to_encoded_point(false);
            assert_eq!(
                URL_SAFE_NO_PAD.encode(point.x().unwrap()),
                public["x"].as_str().unwrap(),
                "{dialect}: the private key is the public key's"
            );
            assert_eq!(public["crv"], "P-256", "{dialect}");
        } else {
            let int = |member: &str| rsa::BigUint::from_bytes_be(&bytes(member));
            assert_eq!(bytes("n").len(), 256, "{dialect}: 2048 bits");
            assert_eq!(private["n"], public["n"], "{dialect}");
            assert_eq!(int("p") * int("q"), int("n"), "{dialect}");
        }
    }
}
