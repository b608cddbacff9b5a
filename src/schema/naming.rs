//! Physical names: snake_case conversion and Better Auth's index names.

const MAX_INDEX_NAME_BYTES: usize = 63;

/// `emailVerified` → `email_verified`, `credentialID` → `credential_id`, `twoFactor` → `two_factor`.
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_is_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if prev.is_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_uppercase() && next_is_lower)
            {
                out.push('_');
            }
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// Better Auth's index name: `<table>_<col>[_<col>…]_idx|uidx`, shortened to 63 bytes with an
/// FNV-1a hash when longer (`packages/core/src/db/database-index.ts`), so both tools agree on it.
pub fn index_name(table: &str, columns: &[&str], unique: bool) -> String {
    bounded_name(table, columns, if unique { "uidx" } else { "idx" })
}

/// Name of the foreign key on `table.column`: PostgreSQL's own default (`<table>_<column>_fkey`),
/// given explicitly so every dialect uses it and down migrations can drop it.
pub fn foreign_key_name(table: &str, column: &str) -> String {
    bounded_name(table, &[column], "fkey")
}

fn bounded_name(table: &str, columns: &[&str], kind: &str) -> String {
    let full = format!("{table}_{}_{kind}", columns.join("_"));
    if full.len() <= MAX_INDEX_NAME_BYTES {
        return full;
    }
    let suffix = format!("_{:08x}_{kind}", fnv1a_utf16(&full));
    let stem = &full[..full.len() - kind.len() - 1];
    let mut cut = MAX_INDEX_NAME_BYTES - suffix.len();
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{suffix}", &stem[..cut])
}

/// 32-bit FNV-1a over UTF-16 code units, as JavaScript's `charCodeAt` loop computes it.
fn fnv1a_utf16(text: &str) -> u32 {
    text.encode_utf16().fold(0x811c_9dc5_u32, |hash, unit| {
        (hash ^ u32::from(unit)).wrapping_mul(0x0100_0193)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_cases_better_auth_names() {
        assert_eq!(snake_case("emailVerified"), "email_verified");
        assert_eq!(snake_case("credentialID"), "credential_id");
        assert_eq!(snake_case("requirePKCE"), "require_pkce");
        assert_eq!(snake_case("twoFactor"), "two_factor");
        assert_eq!(snake_case("apikey"), "apikey");
        assert_eq!(snake_case("oauthClientId"), "oauth_client_id");
        assert_eq!(snake_case("user"), "user");
    }

    #[test]
    fn short_index_names_are_plain() {
        assert_eq!(
            index_name("session", &["userId"], false),
            "session_userId_idx"
        );
        assert_eq!(
            index_name("user", &["username"], true),
            "user_username_uidx"
        );
    }

    #[test]
    fn long_index_names_fit_63_bytes() {
        let name = index_name(
            "oauthClientResource",
            &["clientIdentifierWithAVeryLongName", "resourceIdentifier"],
            true,
        );
        assert_eq!(name.len(), 63);
        assert!(name.ends_with("_uidx"));
        // Same input, same name: the hash is stable.
        assert_eq!(
            name,
            index_name(
                "oauthClientResource",
                &["clientIdentifierWithAVeryLongName", "resourceIdentifier"],
                true
            )
        );
    }

    #[test]
    fn fnv_matches_javascript() {
        // Math.imul-based FNV-1a of "a" in JavaScript: 0xe40c292c.
        assert_eq!(fnv1a_utf16("a"), 0xe40c_292c);
    }
}
