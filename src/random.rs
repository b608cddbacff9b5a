//! Random ids, tokens and bytes from the operating system's generator, in Better Auth's
//! alphabets, for what the CLI writes into a database itself.

use anyhow::anyhow;

/// Better Auth's `generateId()`: 32 characters of `[a-zA-Z0-9]`, unbiased.
pub fn generate_id() -> anyhow::Result<String> {
    string(
        32,
        b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    )
}

/// `len` letters (`[a-zA-Z]`, unbiased): Better Auth's OAuth client ids, secrets and tokens.
pub fn letters(len: usize) -> anyhow::Result<String> {
    string(len, b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
}

/// `len` characters of `alphabet` (at most 256 of them), each as likely as the others.
fn string(len: usize, alphabet: &[u8]) -> anyhow::Result<String> {
    // Bytes at or above the largest multiple of the alphabet's size would favour its first
    // characters: they are drawn again.
    let limit = 256 - 256 % alphabet.len();
    let mut out = String::with_capacity(len);
    while out.len() < len {
        for byte in bytes::<64>()? {
            if usize::from(byte) < limit && out.len() < len {
                out.push(char::from(alphabet[usize::from(byte) % alphabet.len()]));
            }
        }
    }
    Ok(out)
}

/// `N` random bytes.
pub fn bytes<const N: usize>() -> anyhow::Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes)
        .map_err(|e| anyhow!("the operating system's random generator failed: {e}"))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_letters_have_their_length_and_alphabet() {
        let id = generate_id().unwrap();
        assert!(
            id.len() == 32 && id.bytes().all(|b| b.is_ascii_alphanumeric()),
            "{id}"
        );
        let token = letters(32).unwrap();
        assert!(
            token.len() == 32 && token.bytes().all(|b| b.is_ascii_alphabetic()),
            "{token}"
        );
        assert_ne!(letters(32).unwrap(), token);
    }
}
