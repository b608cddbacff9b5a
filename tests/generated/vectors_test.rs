//! Better Auth's own outputs (vectors.json, made with `better-auth/crypto`) against the
//! generated crypto.

use crate::auth_sqlite::Keyring;
use crate::auth_sqlite::core::crypto;

fn vectors() -> serde_json::Value {
    serde_json::from_str(include_str!("vectors.json")).expect("vectors.json")
}

fn text(v: &serde_json::Value) -> &str {
    v.as_str().expect("a string")
}

#[test]
fn better_auth_password_hashes_verify() {
    for v in vectors()["scrypt"].as_array().expect("scrypt vectors") {
        assert!(
            crypto::verify_password(text(&v["hash"]), text(&v["password"])),
            "{}",
            v["password"]
        );
        assert!(!crypto::verify_password(text(&v["hash"]), "wrong password"));
    }
}

#[test]
fn our_hashes_have_better_auths_format_and_verify() {
    let hash = crypto::hash_password("pässwörd-ünïcødé-✓");
    let (salt, key) = hash.split_once(':').expect("salt:key");
    assert_eq!((salt.len(), key.len()), (32, 128));
    assert!(crypto::verify_password(&hash, "pässwörd-ünïcødé-✓"));
    // NFKC: the "ﬁ" ligature is "fi".
    assert!(crypto::verify_password(
        &crypto::hash_password("\u{FB01}"),
        "fi"
    ));
}

#[test]
fn cookie_signatures_match_better_auths() {
    for v in vectors()["cookie_signature"]
        .as_array()
        .expect("cookie vectors")
    {
        let keyring = Keyring::parse(None, Some(text(&v["secret"]))).expect("keyring");
        assert_eq!(
            crypto::sign(keyring.current(), text(&v["value"])),
            text(&v["signature_base64"])
        );
        assert_eq!(
            crypto::signed_cookie_value(&keyring, text(&v["value"])),
            text(&v["cookie_value_urlencoded"])
        );
        let decoded = crypto::decode_uri_component(text(&v["cookie_value_urlencoded"]));
        assert_eq!(
            crypto::verify_signed(&keyring, &decoded),
            Some((text(&v["value"]).to_owned(), false))
        );
    }
}

#[test]
fn cookies_signed_with_an_older_version_verify_and_ask_for_resigning() {
    let old =
        Keyring::parse(Some("1:first-secret-first-secret-first-secret"), None).expect("keyring");
    let cookie =
        crypto::decode_uri_component(&crypto::signed_cookie_value(&old, "token123")).into_owned();
    let rotated = Keyring::parse(
        Some("2:second-secret-second-secret-second,1:first-secret-first-secret-first-secret"),
        None,
    )
    .expect("keyring");
    assert_eq!(
        crypto::verify_signed(&rotated, &cookie),
        Some(("token123".to_owned(), true))
    );
    let pruned =
        Keyring::parse(Some("2:second-secret-second-secret-second"), None).expect("keyring");
    assert_eq!(crypto::verify_signed(&pruned, &cookie), None);
    let tampered = cookie.replacen("token123", "token124", 1);
    assert_eq!(crypto::verify_signed(&rotated, &tampered), None);
}

#[test]
fn better_auth_ciphertexts_decrypt() {
    for v in vectors()["symmetric_encrypt"]
        .as_array()
        .expect("encryption vectors")
    {
        let keyring = Keyring::parse(None, Some(text(&v["secret"]))).expect("keyring");
        assert_eq!(
            crypto::decrypt(&keyring, text(&v["ciphertext_hex"])).as_deref(),
            Some(text(&v["data"]))
        );
    }
}

#[test]
fn encryption_is_versioned_and_survives_rotation() {
    let v1 =
        Keyring::parse(Some("1:one-one-one-one-one-one-one-one-one-one"), None).expect("keyring");
    let stored = crypto::encrypt(&v1, "JBSWY3DPEHPK3PXP");
    assert!(stored.starts_with("$ba$1$"), "{stored}");
    let v2 = Keyring::parse(
        Some("2:two-two-two-two-two-two-two-two-two-two,1:one-one-one-one-one-one-one-one-one-one"),
        None,
    )
    .expect("keyring");
    assert_eq!(
        crypto::decrypt(&v2, &stored).as_deref(),
        Some("JBSWY3DPEHPK3PXP")
    );
    assert!(crypto::encrypt(&v2, "x").starts_with("$ba$2$"));
    assert_eq!(crypto::decrypt(&v2, "$ba$9$00"), None);
}

#[test]
fn ids_are_32_alphanumerics() {
    let id = crypto::generate_id();
    assert_eq!(id.len(), 32);
    assert!(id.chars().all(|c| c.is_ascii_alphanumeric()));
    assert_ne!(id, crypto::generate_id());
}

#[test]
fn secrets_never_print() {
    let keyring =
        Keyring::parse(Some("1:super-secret-value-super-secret-value"), None).expect("keyring");
    let shown = format!("{keyring:?} {}", keyring.current());
    assert!(!shown.contains("super-secret"), "{shown}");
}

#[test]
fn better_auths_default_secret_is_refused_in_production() {
    let keyring =
        Keyring::parse(None, Some("better-auth-secret-12345678901234567890")).expect("keyring");
    assert!(keyring.check_production(true).is_err());
    assert!(keyring.check_production(false).is_ok());
    let rotated = Keyring::parse(
        Some("2:a-long-random-secret-a-long-random-secret"),
        Some("better-auth-secret-12345678901234567890"),
    )
    .expect("keyring");
    assert!(
        rotated.check_production(true).is_err(),
        "not even as the legacy secret"
    );
}
