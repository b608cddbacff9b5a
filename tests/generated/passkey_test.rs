//! The passkey plugin's Ed25519 (EdDSA) and RS256 passkeys — the e2e tier's software
//! authenticator makes ES256 ones — registered and signed in with through `Auth::handle` by a
//! minimal authenticator written here; a signature over other data is refused.

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use ciborium::Value as Cbor;
use rauth_generated_check::auth_sqlite::Auth;
use rauth_generated_check::auth_sqlite::{Request, Response};
use rsa::pkcs1::DecodeRsaPrivateKey as _;
use rsa::signature::{SignatureEncoding as _, Signer as _};
use rsa::traits::PublicKeyParts as _;
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

/// The default `base_url`: the origin, and `localhost` the RP id.
const ORIGIN: &str = "http://localhost:3000";

/// A throwaway RSA key for this test only.
const RSA_KEY: &str = r"-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEA57GOQ6uXLxWtSc56d4RejYPiz2p7uAb0fzCfaxEAg/DolUxo
P9dOXWjvScYMuCynW/qJxd4TcmuIXqAk0K+DNQguMICBeqk7C35Vc73WS9KJHqff
/8As9L9SJo2eS7GivgVS79EFVLCL8xBb0lzw06DiYPIB8P4A1g/ZfRMr9qEGWH3u
p8y6EqQLnxBciq7VRYxSXQ1+VSoDSKVYZOMhsXXJcR0UHcUqy6gv8sRFzRx4bUFh
5KMCLfnEzLBixENDXHDj+dM6l7Ab5FCQ0ugdYYB+GfX8c6neaJYC5aaST5O6EWVj
KKZdGZI5qaJ0jeOhUv9UZtCfVHPzp1lZHc03QwIDAQABAoIBADEPOrV/fuq8Z04K
h4oJIFBMzdjnjjzgVCMec5MjLX3CpC0A2c4y0+gZkRmI8yaIZgOm4Edih7GhrWWD
+Weq0liHW+hvPXtwnA0J+iQg3WB+uwQfveGUmrBUVpvNPuh+O5yK2g3nr35IR8n2
+8pmXaQiG+01MU4LKrgo8P938MYu2Ul522BANPaFGf4FYJ6WT8A0yOvOA/wvo1ja
URRPVVXvOU0m99DFdUTrcQuVQDTGMoGtE3Tefu360AjfGaTRzOQCLMhxzmeELrb3
A+5xqtUvSTRwpXkgc1j1Sy4aYQzIKA3FYHfpHJQRstqONiXpvyu2bCx3bCba6ImQ
Me486uECgYEA/HcHpwwPamFx90c+Ok858gu6JpJbfXES8KhC0EnIHbY1GaOTGrhg
EDqyCFphGGsbtFTRysuBPEs+kiYbiGUqWH+WUczrzcG4vBPTqp/pkStKmYQ+I/bQ
zbtnGldXvDeywPs3IJrsRbKMqyew+lfX0g2iCVnUtFmUbVFt6QR+NTECgYEA6vAR
7SzgP1o7RoTO5L8VNgwBVveZMfCfhW++iDR7aWvBZIKw+TKtSgs9JHVsYvkjZ+CV
bJhw5jdDhtotbNkx8B+1FsRGlOYBS4Ar0rW5CASCjgOwLEggIr9vSeXG7bjQQyfm
rZnRZoDTNs1Wk6X4h7jRdgSGIsLPJ4FZyJEE5rMCgYEAxTs8SD18wY/1F8iZjbYd
P8H3oHCQdxRiRo48/DnX05ZoL2qB3ssRiTxBn5Lz7b6nex8Ucoi/otnpvQV2Vv0p
ss+iIK+lvC3OY2hd4Rtivh2C/yG35iLJByCTsJlxmkItLORVMey2DtEpYgD1Gu6L
Vbd+0i1Spb6h3TFTW0o+StECgYA4x6Kdfq4Hwaf3yBs0n5XhxQ8B1L9amXwERNh4
lK6K8PcBcrCQ2ZWWApdZW2PBm9LZxSZ343PNv+d7DPnTh76Q+SjMAs3IKLqBY82z
lCXO8UAYUH3gheH2Y+vioTztsS/sOxV+OWGpc1MYuJHHB2LEcn91FWzRs+Fa++EW
Hy5fDwKBgDmiC18cI3LbkItTJZubgJoPRo3rmQtrH0h9LrqkIfTOqLYpebTQSCe2
lQM9JvJbpqh8PYE9hA4OXyhNtzJRXAQBZl8/kWjPVLDaN74UJUA6m9yISV2flepQ
kP2UtYaIH8tk9p+k1/aAtqI0V9YzUIiR0zHXFtl0wW2KmUsqlLQL
-----END RSA PRIVATE KEY-----
";

enum Key {
    Ed25519(ed25519_dalek::SigningKey),
    Rs256(rsa::RsaPrivateKey),
}

impl Key {
    /// The public key in COSE form, as an authenticator puts it in its attested data.
    fn cose(&self) -> Vec<u8> {
        let int = |n: i64| Cbor::Integer(n.into());
        let entries = match self {
            Self::Ed25519(key) => vec![
                (int(1), int(1)),
                (int(3), int(-8)),
                (int(-1), int(6)),
                (
                    int(-2),
                    Cbor::Bytes(key.verifying_key().to_bytes().to_vec()),
                ),
            ],
            Self::Rs256(key) => vec![
                (int(1), int(3)),
                (int(3), int(-257)),
                (int(-1), Cbor::Bytes(key.n().to_bytes_be())),
                (int(-2), Cbor::Bytes(key.e().to_bytes_be())),
            ],
        };
        cbor(&Cbor::Map(entries))
    }

    fn sign(&self, data: &[u8]) -> Vec<u8> {
        match self {
            Self::Ed25519(key) => ed25519_dalek::Signer::sign(key, data).to_bytes().to_vec(),
            Self::Rs256(key) => rsa::pkcs1v15::SigningKey::<Sha256>::new(key.clone())
                .sign(data)
                .to_vec(),
        }
    }
}

fn cbor(value: &Cbor) -> Vec<u8> {
    let mut out = Vec::new();
    ciborium::into_writer(value, &mut out).expect("CBOR");
    out
}

#[tokio::test]
async fn ed25519_and_rs256_passkeys_register_and_sign_in() {
    let auth = common::sqlite_auth("1:passkey-secret-passkey-secret-passkey").await;
    let rsa_key = rsa::RsaPrivateKey::from_pkcs1_pem(RSA_KEY).expect("RSA key");
    let keys = [
        (
            "ed",
            Key::Ed25519(ed25519_dalek::SigningKey::from_bytes(&[7; 32])),
        ),
        ("rsa", Key::Rs256(rsa_key)),
    ];
    for (name, key) in keys {
        let email = format!("passkey-{name}@example.com");
        let body = json!({ "name": name, "email": email, "password": "passkey password 1" });
        let signed_up = send(&auth, "POST", "/sign-up/email", &[], Some(&body)).await;
        assert_eq!(signed_up.status, 200, "{name}: {:?}", signed_up.body);
        let session = cookie(&signed_up, "better-auth.session_token");

        let options = send(
            &auth,
            "GET",
            "/passkey/generate-register-options",
            &[&session],
            None,
        )
        .await;
        assert_eq!(options.status, 200, "{name}: {:?}", options.body);
        let ceremony = cookie(&options, "better-auth.better-auth-passkey");
        let options = options.body.expect("options");
        let rp_id = options["rp"]["id"].as_str().expect("rp id");
        let credential_id = format!("{name}-credential").into_bytes();
        let created_data = client_data("webauthn.create", &options["challenge"]);
        let mut auth_data = authenticator_data(rp_id, 0x45, 0);
        auth_data.extend_from_slice(&[0x11; 16]);
        auth_data.extend_from_slice(
            &u16::try_from(credential_id.len())
                .expect("length")
                .to_be_bytes(),
        );
        auth_data.extend_from_slice(&credential_id);
        auth_data.extend_from_slice(&key.cose());
        let attestation = cbor(&Cbor::Map(vec![
            (Cbor::Text("fmt".into()), Cbor::Text("none".into())),
            (Cbor::Text("attStmt".into()), Cbor::Map(Vec::new())),
            (Cbor::Text("authData".into()), Cbor::Bytes(auth_data)),
        ]));
        let id = B64URL.encode(&credential_id);
        let created = json!({
            "id": id, "rawId": id, "type": "public-key",
            "response": {
                "clientDataJSON": B64URL.encode(&created_data),
                "attestationObject": B64URL.encode(&attestation),
                "transports": ["usb"],
            },
            "clientExtensionResults": {},
        });
        let registered = send(
            &auth,
            "POST",
            "/passkey/verify-registration",
            &[&session, &ceremony],
            Some(&json!({ "response": created })),
        )
        .await;
        assert_eq!(registered.status, 200, "{name}: {:?}", registered.body);
        let passkey = registered.body.expect("passkey");
        assert_eq!(
            passkey["aaguid"], "11111111-1111-1111-1111-111111111111",
            "{name}"
        );
        assert_eq!(passkey["transports"], "usb", "{name}");
        assert_eq!(passkey["deviceType"], "singleDevice", "{name}");

        // Signed out: a sign-in, then one whose signature covers other data.
        for (forged, status) in [(false, 200), (true, 401)] {
            let options = send(
                &auth,
                "GET",
                "/passkey/generate-authenticate-options",
                &[],
                None,
            )
            .await;
            let ceremony = cookie(&options, "better-auth.better-auth-passkey");
            let options = options.body.expect("options");
            let signed_data = client_data("webauthn.get", &options["challenge"]);
            let auth_data = authenticator_data(rp_id, 0x05, 0);
            let mut signed = auth_data.clone();
            signed.extend_from_slice(&Sha256::digest(&signed_data));
            if forged {
                signed.push(0);
            }
            let asserted = json!({
                "id": id, "rawId": id, "type": "public-key",
                "response": {
                    "clientDataJSON": B64URL.encode(&signed_data),
                    "authenticatorData": B64URL.encode(&auth_data),
                    "signature": B64URL.encode(key.sign(&signed)),
                },
                "clientExtensionResults": {},
            });
            let reply = send(
                &auth,
                "POST",
                "/passkey/verify-authentication",
                &[&ceremony],
                Some(&json!({ "response": asserted })),
            )
            .await;
            assert_eq!(
                reply.status, status,
                "{name}, forged {forged}: {:?}",
                reply.body
            );
            if !forged {
                let body = reply.body.expect("session");
                assert_eq!(body["user"]["email"], email.as_str(), "{name}");
            }
        }
    }
}

fn client_data(kind: &str, challenge: &Value) -> Vec<u8> {
    json!({ "type": kind, "challenge": challenge, "origin": ORIGIN, "crossOrigin": false })
        .to_string()
        .into_bytes()
}

/// The RP id hash, the flags and the counter.
fn authenticator_data(rp_id: &str, flags: u8, counter: u32) -> Vec<u8> {
    let mut data = Sha256::digest(rp_id.as_bytes()).to_vec();
    data.push(flags);
    data.extend_from_slice(&counter.to_be_bytes());
    data
}

/// `name=value` of the cookie the response sets.
fn cookie(response: &Response, name: &str) -> String {
    let set = response
        .set_cookies
        .iter()
        .find(|c| c.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} cookie: {:?}", response.set_cookies));
    set.split(';').next().unwrap_or_default().to_owned()
}

async fn send(
    auth: &Auth,
    method: &str,
    path: &str,
    cookies: &[&str],
    body: Option<&Value>,
) -> Response {
    let mut headers = vec![("origin".to_owned(), ORIGIN.to_owned())];
    if !cookies.is_empty() {
        headers.push(("cookie".to_owned(), cookies.join("; ")));
    }
    if body.is_some() {
        headers.push(("content-type".to_owned(), "application/json".to_owned()));
    }
    auth.handle(&Request {
        method: method.into(),
        path: path.into(),
        headers,
        body: body.map(|b| b.to_string().into_bytes()).unwrap_or_default(),
        ..Request::default()
    })
    .await
}
