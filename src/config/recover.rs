//! Deserializing the config with recovery, so one run reports every problem of the file.
//!
//! serde stops at the first error. The document is parsed once into a spanned tree; on an error,
//! the entry it is about (the deepest key whose key or value contains the error's span) is
//! recorded and taken out of the tree, and the rest is deserialized again — until it succeeds,
//! an error cannot be placed, or [`MAX_ERRORS`] were found.

use std::ops::Range;

use serde::Deserialize as _;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::diagnostic::Diagnostic;
use super::model::Config;
use super::suggest;

/// Enough for any real file; bounds the retries on a pathological one.
const MAX_ERRORS: usize = 50;

/// What deserialization found.
#[derive(Debug)]
pub(super) struct Recovered {
    /// The config of what could be read; `None` when an error could not be placed.
    pub config: Option<Config>,
    pub diagnostics: Vec<Diagnostic>,
    /// Tables (key paths) holding a value that could not be read: their other values were read
    /// with a default in its place, so checks that compare values there would mislead.
    pub unreadable: Vec<Vec<String>>,
}

impl Recovered {
    /// Whether a semantic issue at `path` may stem from a value that was left out.
    pub fn may_mislead(&self, path: &[String]) -> bool {
        self.unreadable.iter().any(|table| path.starts_with(table))
    }
}

/// Deserializes `doc`, collecting every error it can place.
pub(super) fn deserialize(mut doc: Spanned<DeTable<'_>>) -> Recovered {
    let mut found = Recovered {
        config: None,
        diagnostics: Vec::new(),
        unreadable: Vec::new(),
    };
    let mut removed: Vec<Vec<String>> = Vec::new();
    while found.diagnostics.len() < MAX_ERRORS {
        let error = match Config::deserialize(toml::de::Deserializer::from(doc.clone())) {
            Ok(config) => {
                found.config = Some(config);
                break;
            }
            Err(error) => error,
        };
        let (message, help) = suggest::explain_serde_message(error.message());
        let span = error.span();
        let path = span
            .as_ref()
            .and_then(|span| remove_entry(doc.get_mut(), span));
        // A required key whose bad value was already reported is not also missing.
        let echo = missing_field(&message).is_some_and(|key| {
            path.as_ref()
                .is_some_and(|p| removed.contains(&[p.as_slice(), &[key.to_owned()]].concat()))
        });
        if !echo {
            let unknown = message.starts_with("unknown key");
            found.diagnostics.push(Diagnostic {
                message,
                span,
                help,
            });
            if let Some(p) = path.as_ref().filter(|_| !unknown) {
                found.unreadable.push(table_of(p));
            }
        }
        match path {
            Some(p) => removed.push(p),
            None => break,
        }
    }
    found
}

/// The key named by serde's "missing field `key`".
fn missing_field(message: &str) -> Option<&str> {
    message
        .strip_prefix("missing field `")?
        .split_once('`')
        .map(|(key, _)| key)
}

/// The table an entry sits in; a top-level entry is its own table.
fn table_of(path: &[String]) -> Vec<String> {
    match path.split_last() {
        Some((_, parent)) if !parent.is_empty() => parent.to_vec(),
        _ => path.to_vec(),
    }
}

fn covers(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// Removes the deepest entry of `table` whose key or value covers `span`; its key path.
fn remove_entry(table: &mut DeTable<'_>, span: &Range<usize>) -> Option<Vec<String>> {
    let mut hit = None;
    for (key, value) in table.iter_mut() {
        let name = key.get_ref().to_string();
        if let DeValue::Table(inner) = value.get_mut()
            && let Some(mut path) = remove_entry(inner, span)
        {
            path.insert(0, name);
            return Some(path);
        }
        if hit.is_none() && (covers(&key.span(), span) || covers(&value.span(), span)) {
            hit = Some(name);
        }
    }
    let name = hit?;
    table.remove(name.as_str());
    Some(vec![name])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recover(text: &str) -> Recovered {
        deserialize(DeTable::parse(text).unwrap())
    }

    fn messages(r: &Recovered) -> Vec<&str> {
        r.diagnostics.iter().map(|d| d.message.as_str()).collect()
    }

    #[test]
    fn every_error_is_found_in_one_pass() {
        let text = "[app]\nnaem = \"x\"\nbase_ur = \"y\"\n\n[email_and_password]\nmin_password_length = \"8\"\n\n[session]\nsecure = \"yes\"\n\n[plugins.two-factr]\n[plugins.usernam]\n";
        let r = recover(text);
        assert_eq!(
            messages(&r),
            [
                "unknown key `naem`",
                "unknown key `base_ur`",
                "invalid type: string \"8\", expected a whole number",
                "invalid type: string \"yes\", expected a boolean",
                "unknown key `two-factr`",
                "unknown key `usernam`",
            ]
        );
        let spans: Vec<&str> = r
            .diagnostics
            .iter()
            .map(|d| &text[d.span.clone().unwrap()])
            .collect();
        assert_eq!(
            spans,
            [
                "naem",
                "base_ur",
                "\"8\"",
                "\"yes\"",
                "two-factr",
                "usernam"
            ]
        );
        assert!(r.config.is_some());
        assert_eq!(
            r.unreadable,
            [
                vec!["email_and_password".to_owned()],
                vec!["session".to_owned()]
            ]
        );
        assert!(r.may_mislead(&["session".into(), "same_site".into()]));
        assert!(!r.may_mislead(&["app".into(), "base_url".into()]));
    }

    #[test]
    fn a_bad_required_value_is_not_also_missing() {
        let r = recover("[social.github]\nclient_id_env = 5\nclient_secret_env = \"S\"\n");
        assert_eq!(
            messages(&r),
            ["invalid type: integer `5`, expected a string"]
        );
    }

    #[test]
    fn a_clean_file_has_no_diagnostics() {
        let r = recover("[plugins.username]\n");
        assert!(r.diagnostics.is_empty());
        assert!(r.config.is_some());
    }
}
