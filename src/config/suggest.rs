//! "Did you mean" for misspelled keys and values, and friendlier wording of serde's messages.

/// The closest candidate, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::damerau_levenshtein(&input.to_lowercase(), &c.to_lowercase()),
                c,
            )
        })
        .filter(|(distance, c)| *distance <= (c.chars().count() / 3).max(1))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

/// Rewrites serde's "unknown field `x`, expected one of `a`, `b`" (and the same for variants)
/// into a short message and a help line with a suggestion.
pub(super) fn explain_serde_message(message: &str) -> (String, Option<String>) {
    let message = message.trim();
    for (prefix, noun) in [("unknown field `", "key"), ("unknown variant `", "value")] {
        let Some(rest) = message.strip_prefix(prefix) else {
            continue;
        };
        let Some((given, rest)) = rest.split_once('`') else {
            continue;
        };
        let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
        let headline = format!("unknown {noun} `{given}`");
        let help = match did_you_mean(given, expected.iter().copied()) {
            Some(best) => Some(format!("did you mean `{best}`?")),
            None if expected.is_empty() => None,
            None => Some(format!(
                "expected one of {}",
                expected
                    .iter()
                    .map(|e| format!("`{e}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        };
        return (headline, help);
    }
    // serde names Rust types; say what to write instead.
    let plain = message
        .replace("expected u32", "expected a whole number")
        .replace("expected u64", "expected a whole number");
    (plain, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_matches_only() {
        assert_eq!(did_you_mean("naem", ["name", "base_url"]), Some("name"));
        assert_eq!(
            did_you_mean("two-factr", ["username", "two-factor"]),
            Some("two-factor")
        );
        assert_eq!(
            did_you_mean("postgress", ["postgres", "mysql", "sqlite"]),
            Some("postgres")
        );
        assert_eq!(did_you_mean("zzz", ["name", "base_url"]), None);
    }

    #[test]
    fn explains_unknown_fields_with_a_suggestion() {
        let (msg, help) =
            explain_serde_message("unknown field `naem`, expected one of `name`, `base_url`");
        assert_eq!(msg, "unknown key `naem`");
        assert_eq!(help.as_deref(), Some("did you mean `name`?"));
    }

    #[test]
    fn lists_the_choices_when_nothing_is_close() {
        let (msg, help) = explain_serde_message(
            "unknown variant `oracle`, expected one of `postgres`, `mysql`, `sqlite`",
        );
        assert_eq!(msg, "unknown value `oracle`");
        assert_eq!(
            help.as_deref(),
            Some("expected one of `postgres`, `mysql`, `sqlite`")
        );
    }

    #[test]
    fn leaves_other_messages_alone() {
        assert_eq!(
            explain_serde_message("invalid type: string \"x\", expected a boolean\n").0,
            "invalid type: string \"x\", expected a boolean"
        );
    }
}
