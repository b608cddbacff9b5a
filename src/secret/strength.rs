//! What makes a secret weak: too short, too predictable, or Better Auth's well-known default.

use std::collections::HashMap;
use std::fmt;

/// The secret Better Auth falls back to when none is set (public, so worthless).
pub const BETTER_AUTH_DEFAULT: &str = "better-auth-secret-12345678901234567890";
/// Better Auth's minimum length for a secret.
pub const MIN_BYTES: usize = 32;
/// Better Auth's entropy threshold: length × log2(distinct characters).
pub const MIN_BITS: f64 = 120.0;
/// Below this many bits per character (Shannon), a secret repeats itself: random hex has about 4.
pub const MIN_BITS_PER_CHAR: f64 = 3.0;

/// One reason a secret is weak.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weakness {
    Default,
    Short { bytes: usize },
    LowEntropy,
}

impl fmt::Display for Weakness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Default => f.write_str("is Better Auth's default secret, which everyone knows"),
            Self::Short { bytes } => {
                write!(f, "is {bytes} bytes long, under the {MIN_BYTES} required")
            }
            Self::LowEntropy => f.write_str("has low entropy: it does not look random"),
        }
    }
}

/// Every weakness of `value`; empty for a good secret.
pub fn weaknesses(value: &str) -> Vec<Weakness> {
    if value == BETTER_AUTH_DEFAULT {
        return vec![Weakness::Default];
    }
    let mut found = Vec::new();
    if value.len() < MIN_BYTES {
        found.push(Weakness::Short { bytes: value.len() });
    }
    if better_auth_bits(value) < MIN_BITS || bits_per_char(value) < MIN_BITS_PER_CHAR {
        found.push(Weakness::LowEntropy);
    }
    found
}

/// Better Auth's estimate: length × log2(number of distinct characters).
pub fn better_auth_bits(value: &str) -> f64 {
    let distinct = value
        .chars()
        .collect::<std::collections::HashSet<_>>()
        .len();
    if distinct == 0 {
        return 0.0;
    }
    count(value.chars().count()) * count(distinct).log2()
}

/// Shannon entropy of the characters of `value`, in bits per character.
pub fn bits_per_char(value: &str) -> f64 {
    let mut counts: HashMap<char, usize> = HashMap::new();
    for c in value.chars() {
        *counts.entry(c).or_default() += 1;
    }
    let total = count(value.chars().count());
    counts
        .values()
        .map(|&n| {
            let p = count(n) / total;
            -p * p.log2()
        })
        .sum()
}

/// A count as a float; secrets are far shorter than 2^52 characters.
#[allow(clippy::cast_precision_loss)]
fn count(n: usize) -> f64 {
    n as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_secrets_pass() {
        for good in [
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V0sFbDDtVs",
        ] {
            assert_eq!(weaknesses(good), [], "{good}");
        }
    }

    #[test]
    fn better_auths_default_is_refused_alone() {
        assert_eq!(weaknesses(BETTER_AUTH_DEFAULT), [Weakness::Default]);
    }

    #[test]
    fn short_and_repetitive_secrets_are_weak() {
        assert_eq!(
            weaknesses("hunter2"),
            [Weakness::Short { bytes: 7 }, Weakness::LowEntropy]
        );
        // Long enough, but two characters repeated: Better Auth's estimate is 64 bits.
        assert_eq!(weaknesses(&"ab".repeat(32)), [Weakness::LowEntropy]);
        // Many distinct characters, but one dominates.
        let skewed = format!("{}{}", "a".repeat(60), "bcdefghijklmnopqrstuvwxyz");
        assert!(better_auth_bits(&skewed) > MIN_BITS);
        assert_eq!(weaknesses(&skewed), [Weakness::LowEntropy]);
    }

    #[test]
    fn entropy_estimates() {
        assert!((better_auth_bits("abcd") - 8.0).abs() < 1e-9);
        assert!((bits_per_char("abcd") - 2.0).abs() < 1e-9);
        assert!(bits_per_char("").abs() < 1e-9);
        assert!(better_auth_bits("").abs() < 1e-9);
    }
}
