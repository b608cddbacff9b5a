//! `rauth secret rotate --jwks`: a new JWT signing key for the jwt plugin. The new key, of the
//! configured `[plugins.jwt] alg` (Ed25519, P-256 or RSA 2048), is added to the `jwks` table with its private JWK encrypted with the current auth secret of the
//! env file, exactly as Better Auth (and the generated code) store keys; every key that was still
//! signing expires now, so the new one signs from now on while `/jwks` keeps listing the old ones
//! for `[plugins.jwt] grace_period`, and tokens they signed keep verifying.

use anyhow::{Context as _, anyhow, bail};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead as _, KeyInit as _};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};
use sqlx::{AssertSqlSafe, Connection as _};
use time::OffsetDateTime;

use crate::config::{Dialect, JwtAlg};
use crate::context::Context;
use crate::dialect::rows::{date_literal, placeholder, quote};
use crate::migrate::connection;
use crate::random::{bytes as random, generate_id};
use crate::schema::Schema;

use super::edit::FileSecrets;

/// The secret new data is encrypted with, as the generated code picks it: the first version of
/// `AUTH_SECRETS`, else the legacy `AUTH_SECRET`.
pub(super) struct CurrentSecret {
    /// `None` for the legacy secret (then the ciphertext has no `$ba$<version>$` envelope).
    version: Option<u64>,
    value: String,
}

/// Adds the new key with `current_secret`, which is asked for only once the config enables jwt.
pub(super) fn rotate(
    ctx: &Context,
    database_url: Option<&str>,
    current_secret: impl FnOnce() -> anyhow::Result<CurrentSecret>,
) -> anyhow::Result<()> {
    let ui = &ctx.ui;
    let loaded = ctx.config()?;
    let cfg = &loaded.config;
    let Some(jwt) = &cfg.plugins.jwt else {
        bail!(
            "`--jwks` rotates the signing keys of the jwt plugin, which `{}` does not enable (add `[plugins.jwt]`)",
            ctx.config_path().display()
        );
    };
    let secret = current_secret()?;
    let dialect = cfg.database.dialect;
    let names = Names::of(ctx.schema()?, dialect)?;
    let key = NewKey::generate(jwt.alg, &secret)?;
    let now = OffsetDateTime::now_utc();
    let expires_at = jwt
        .rotation_interval
        .map(|r| now + time::Duration::seconds(i64::try_from(r.0).unwrap_or(i64::MAX)));
    let url = connection::url(loaded, database_url)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let retired = runtime.block_on(async {
        let (mut conn, _) = connection::open(ui, dialect, &url).await?;
        let mut tx = conn.begin().await?;
        // Names from the schema, quoted; dates formatted here: nothing from outside in the SQL.
        let retired = sqlx::query(AssertSqlSafe(names.retire(now)))
            .execute(&mut *tx)
            .await
            .with_context(|| {
                format!(
                    "cannot update {} (did `rauth migrate` create it?)",
                    names.table
                )
            })?
            .rows_affected();
        sqlx::query(AssertSqlSafe(names.insert(now, expires_at)))
            .bind(key.id.clone())
            .bind(key.public_key.clone())
            .bind(key.private_key.clone())
            .bind(jwt.alg.name())
            .bind(key.crv)
            .execute(&mut *tx)
            .await
            .with_context(|| format!("cannot add a key to {}", names.table))?;
        tx.commit().await?;
        anyhow::Ok(retired)
    })?;
    let sealed_with = secret.version.map_or_else(
        || "AUTH_SECRET".to_owned(),
        |v| format!("AUTH_SECRETS version {v}"),
    );
    ui.status(
        "Rotated",
        &format!(
            "JWT signing keys: {} ({}) signs from now on, encrypted with {sealed_with}",
            key.id,
            jwt.alg.name()
        ),
    );
    if retired > 0 {
        let what = if retired == 1 {
            "1 previous key: it signs no more, /jwks lists it".to_owned()
        } else {
            format!("{retired} previous keys: they sign no more, /jwks lists them")
        };
        ui.status(
            "Expired",
            &format!("{what} for the grace period ({}s)", jwt.grace_period.0),
        );
    }
    Ok(())
}

/// The secret new keys are encrypted with, if the file has one.
pub(super) fn current_of(found: &FileSecrets<'_>) -> Option<CurrentSecret> {
    if let Some(first) = found.keyring.secrets.first() {
        return Some(CurrentSecret {
            version: Some(first.version),
            value: first.value.clone(),
        });
    }
    found.legacy.map(|entry| CurrentSecret {
        version: None,
        value: entry.value.trim().to_owned(),
    })
}

/// A new key row: its id, public JWK, encrypted private JWK and curve.
struct NewKey {
    id: String,
    public_key: String,
    private_key: String,
    /// `None` for RSA keys, as Better Auth stores them.
    crv: Option<&'static str>,
}

impl NewKey {
    fn generate(alg: JwtAlg, secret: &CurrentSecret) -> anyhow::Result<Self> {
        let (public_jwk, private_jwk, crv) = key_pair(alg)?;
        let sealed = encrypt(secret, &private_jwk.to_string())?;
        Ok(Self {
            id: generate_id()?,
            public_key: public_jwk.to_string(),
            // Better Auth stores `JSON.stringify(symmetricEncrypt(...))`: a JSON string.
            private_key: serde_json::Value::String(sealed).to_string(),
            crv,
        })
    }
}

/// A new key pair of `alg`: the public and the private JWK as Better Auth (jose) exports them,
/// and the curve for the `crv` column.
fn key_pair(alg: JwtAlg) -> anyhow::Result<(Value, Value, Option<&'static str>)> {
    let b64 = |bytes: &[u8]| URL_SAFE_NO_PAD.encode(bytes);
    Ok(match alg {
        JwtAlg::EdDsa => {
            let signer = ed25519_dalek::SigningKey::from_bytes(&random::<32>()?);
            let x = b64(signer.verifying_key().as_bytes());
            let d = b64(signer.as_bytes());
            (
                json!({ "crv": "Ed25519", "x": x, "kty": "OKP" }),
                json!({ "crv": "Ed25519", "d": d, "x": x, "kty": "OKP" }),
                Some("Ed25519"),
            )
        }
        JwtAlg::Es256 => {
            // 32 random bytes are a valid scalar unless zero or at least the group order (a
            // chance of about 2^-32): draw again then.
            let signer = loop {
                if let Ok(key) = p256::ecdsa::SigningKey::from_slice(&random::<32>()?) {
                    break key;
                }
            };
            let point = signer.verifying_key().to_encoded_point(false);
            let (Some(x), Some(y)) = (point.x(), point.y()) else {
                bail!("a P-256 public key without coordinates");
            };
            let (x, y) = (b64(x), b64(y));
            let d = b64(&signer.to_bytes());
            (
                json!({ "kty": "EC", "x": x, "y": y, "crv": "P-256" }),
                json!({ "kty": "EC", "x": x, "y": y, "crv": "P-256", "d": d }),
                Some("P-256"),
            )
        }
        JwtAlg::Rs256 => {
            use rsa::traits::{PrivateKeyParts as _, PublicKeyParts as _};
            // Better Auth's (jose's) default modulus size.
            let key = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048)
                .context("cannot generate an RSA key")?;
            let int = |n: &rsa::BigUint| b64(&n.to_bytes_be());
            let [p, q] = key.primes() else {
                bail!("a new RSA key without two primes");
            };
            let (Some(dp), Some(dq), Some(qi)) = (key.dp(), key.dq(), key.crt_coefficient()) else {
                bail!("a new RSA key without CRT values");
            };
            let (n, e) = (int(key.n()), int(key.e()));
            (
                json!({ "kty": "RSA", "n": n, "e": e }),
                json!({
                    "kty": "RSA", "n": n, "e": e, "d": int(key.d()), "p": int(p), "q": int(q),
                    "dp": int(dp), "dq": int(dq), "qi": int(&qi),
                }),
                None,
            )
        }
    })
}

/// Better Auth's `symmetricEncrypt`: XChaCha20-Poly1305 keyed with SHA-256 of the secret,
/// `hex(nonce ‖ ciphertext ‖ tag)`, in a `$ba$<version>$` envelope for a versioned secret.
fn encrypt(secret: &CurrentSecret, plain: &str) -> anyhow::Result<String> {
    let cipher = XChaCha20Poly1305::new(&Sha256::digest(secret.value.as_bytes()));
    let nonce = random::<24>()?;
    let sealed = cipher
        .encrypt(&XNonce::from(nonce), plain.as_bytes())
        .map_err(|_| anyhow!("encryption failed"))?;
    let hex = format!("{}{}", hex::encode(nonce), hex::encode(sealed));
    Ok(match secret.version {
        Some(version) => format!("$ba${version}${hex}"),
        None => hex,
    })
}

/// The quoted table and column names of `jwks` in one dialect.
struct Names {
    dialect: Dialect,
    table: String,
    id: String,
    public_key: String,
    private_key: String,
    created_at: String,
    expires_at: String,
    alg: String,
    crv: String,
}

impl Names {
    /// The `jwks` table of `schema` (renames applied), quoted for `dialect`.
    fn of(schema: &Schema, dialect: Dialect) -> anyhow::Result<Self> {
        let table = schema
            .tables
            .iter()
            .find(|t| t.key == "jwks")
            .ok_or_else(|| anyhow!("the schema has no `jwks` table"))?;
        let column = |key: &str| {
            let name = table
                .columns
                .iter()
                .find(|c| c.key == key)
                .map_or(key, |c| c.name.as_str());
            quote(dialect, name)
        };
        Ok(Self {
            dialect,
            table: quote(dialect, &table.name),
            id: quote(dialect, "id"),
            public_key: column("publicKey"),
            private_key: column("privateKey"),
            created_at: column("createdAt"),
            expires_at: column("expiresAt"),
            alg: column("alg"),
            crv: column("crv"),
        })
    }

    /// Expires every key that would still sign after `now`.
    fn retire(&self, now: OffsetDateTime) -> String {
        let (table, expires_at) = (&self.table, &self.expires_at);
        let now = date_literal(self.dialect, now);
        format!(
            "UPDATE {table} SET {expires_at} = {now} WHERE {expires_at} IS NULL OR {expires_at} > {now}"
        )
    }

    /// Inserts a key; binds its id, public key, private key, alg and crv.
    fn insert(&self, now: OffsetDateTime, expires_at: Option<OffsetDateTime>) -> String {
        let p = |n: u32| placeholder(self.dialect, n);
        let expires =
            expires_at.map_or_else(|| "NULL".to_owned(), |at| date_literal(self.dialect, at));
        format!(
            "INSERT INTO {} ({}, {}, {}, {}, {}, {}, {}) VALUES ({}, {}, {}, {}, {expires}, {}, {})",
            self.table,
            self.id,
            self.public_key,
            self.private_key,
            self.created_at,
            self.expires_at,
            self.alg,
            self.crv,
            p(1),
            p(2),
            p(3),
            date_literal(self.dialect, now),
            p(4),
            p(5),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::traits::PrivateKeyParts as _;

    /// What [`encrypt`] wrote, opened the way Better Auth's `symmetricDecrypt` does.
    fn decrypt(secret: &str, hex: &str) -> Vec<u8> {
        let bytes = hex::decode(hex).unwrap();
        let (nonce, body) = bytes.split_at(24);
        let cipher = XChaCha20Poly1305::new(&Sha256::digest(secret.as_bytes()));
        let nonce = <[u8; 24]>::try_from(nonce).unwrap();
        cipher.decrypt(&XNonce::from(nonce), body).unwrap()
    }

    #[test]
    fn the_cipher_opens_better_auths_vector() {
        let vectors: serde_json::Value = serde_json::from_str(include_str!(
            "../../tests/fixtures/better-auth/vectors.json"
        ))
        .unwrap();
        let vector = &vectors["symmetric_encrypt"][0];
        let plain = decrypt(
            vector["secret"].as_str().unwrap(),
            vector["ciphertext_hex"].as_str().unwrap(),
        );
        assert_eq!(plain, vector["data"].as_str().unwrap().as_bytes());
    }

    #[test]
    fn encrypts_as_better_auth_decrypts() {
        let secret = CurrentSecret {
            version: Some(3),
            value: "a".repeat(32),
        };
        let sealed = encrypt(&secret, "{\"d\":\"x\"}").unwrap();
        let hex = sealed.strip_prefix("$ba$3$").unwrap();
        assert_eq!(decrypt(&secret.value, hex), b"{\"d\":\"x\"}");
        let legacy = CurrentSecret {
            version: None,
            value: secret.value,
        };
        assert!(!encrypt(&legacy, "x").unwrap().starts_with('$'));
    }

    /// The private JWK signs (with the key rebuilt from it, as the generated code does) what
    /// `jsonwebtoken` verifies with the public JWK, for every algorithm.
    #[test]
    fn key_pairs_sign_what_their_public_jwk_verifies() {
        use jsonwebtoken::{Algorithm, DecodingKey, crypto};
        let message = b"header.payload";
        for (alg, algorithm) in [
            (JwtAlg::EdDsa, Algorithm::EdDSA),
            (JwtAlg::Es256, Algorithm::ES256),
            (JwtAlg::Rs256, Algorithm::RS256),
        ] {
            let (public, private, crv) = key_pair(alg).unwrap();
            assert_eq!(public.get("crv").and_then(Value::as_str), crv, "{alg:?}");
            assert!(public.get("d").is_none(), "{alg:?}: {public}");
            let bytes = |member: &str| {
                URL_SAFE_NO_PAD
                    .decode(private[member].as_str().unwrap())
                    .unwrap()
            };
            let signature = match alg {
                JwtAlg::EdDsa => {
                    use ed25519_dalek::Signer as _;
                    let seed = <[u8; 32]>::try_from(bytes("d")).unwrap();
                    ed25519_dalek::SigningKey::from_bytes(&seed)
                        .sign(message)
                        .to_vec()
                }
                JwtAlg::Es256 => {
                    use p256::ecdsa::signature::Signer as _;
                    let signer = p256::ecdsa::SigningKey::from_slice(&bytes("d")).unwrap();
                    let signature: p256::ecdsa::Signature = signer.sign(message);
                    signature.to_vec()
                }
                JwtAlg::Rs256 => {
                    use rsa::signature::{SignatureEncoding as _, Signer as _};
                    let int = |member: &str| rsa::BigUint::from_bytes_be(&bytes(member));
                    assert_eq!(bytes("n").len(), 256, "2048 bits");
                    let key = rsa::RsaPrivateKey::from_components(
                        int("n"),
                        int("e"),
                        int("d"),
                        vec![int("p"), int("q")],
                    )
                    .unwrap();
                    assert_eq!(
                        (int("dp"), int("dq")),
                        (key.dp().unwrap().clone(), key.dq().unwrap().clone())
                    );
                    rsa::pkcs1v15::SigningKey::<Sha256>::new(key)
                        .sign(message)
                        .to_vec()
                }
            };
            let jwk = serde_json::from_value(public).unwrap();
            let verifier = DecodingKey::from_jwk(&jwk).unwrap();
            let signature = URL_SAFE_NO_PAD.encode(signature);
            assert!(
                crypto::verify(&signature, message, &verifier, algorithm).unwrap(),
                "{alg:?}"
            );
            assert!(
                !crypto::verify(&signature, b"other", &verifier, algorithm).unwrap(),
                "{alg:?}"
            );
        }
    }
}
