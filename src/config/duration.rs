//! Durations written as `"7d"`, `"10s"`, `"90m"` (or a bare number of seconds), as in Better Auth's
//! docs. Parsing is pure so it can be tested without a file.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// A whole number of seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Seconds(pub u64);

const UNITS: [(char, u64); 5] = [
    ('s', 1),
    ('m', 60),
    ('h', 3600),
    ('d', 86_400),
    ('w', 604_800),
];

impl Seconds {
    /// Parses `"<n><unit>"` with unit `s`, `m`, `h`, `d` or `w`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let Some(unit) = text.chars().last() else {
            return Err("empty duration: write a number and a unit, like \"10s\" or \"7d\"".into());
        };
        let Some(&(_, factor)) = UNITS.iter().find(|(u, _)| *u == unit) else {
            return Err(format!(
                "`{text}` has no unit: write a number and one of s, m, h, d, w (like \"10s\" or \"7d\")"
            ));
        };
        let digits = &text[..text.len() - unit.len_utf8()];
        let n: u64 = digits.parse().map_err(|_| {
            format!("`{text}` is not a duration: write a whole number and a unit, like \"10s\"")
        })?;
        n.checked_mul(factor)
            .map(Seconds)
            .ok_or_else(|| format!("`{text}` is too long"))
    }
}

impl fmt::Display for Seconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (unit, factor) = UNITS
            .iter()
            .rev()
            .find(|(_, factor)| self.0 != 0 && self.0.is_multiple_of(*factor))
            .copied()
            .unwrap_or(('s', 1));
        write!(f, "{}{unit}", self.0 / factor)
    }
}

impl<'de> Deserialize<'de> for Seconds {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl de::Visitor<'_> for Visitor {
            type Value = Seconds;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a duration like \"10s\", \"15m\", \"1h\", \"7d\" or a number of seconds",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Seconds, E> {
                Seconds::parse(v).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Seconds, E> {
                u64::try_from(v)
                    .map(Seconds)
                    .map_err(|_| E::custom("a duration cannot be negative"))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Seconds, E> {
                Ok(Seconds(v))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl Serialize for Seconds {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

impl JsonSchema for Seconds {
    fn schema_name() -> Cow<'static, str> {
        "Duration".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A duration: a whole number and a unit (s, m, h, d, w), like \"10s\" or \"7d\"; or a number of seconds.",
            "anyOf": [
                { "type": "string", "pattern": "^[0-9]+[smhdw]$" },
                { "type": "integer", "minimum": 0 }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_unit() {
        assert_eq!(Seconds::parse("10s"), Ok(Seconds(10)));
        assert_eq!(Seconds::parse("15m"), Ok(Seconds(900)));
        assert_eq!(Seconds::parse("1h"), Ok(Seconds(3600)));
        assert_eq!(Seconds::parse("7d"), Ok(Seconds(604_800)));
        assert_eq!(Seconds::parse("2w"), Ok(Seconds(1_209_600)));
    }

    #[test]
    fn rejects_what_is_not_a_duration() {
        assert!(Seconds::parse("").is_err());
        assert!(Seconds::parse("7").is_err());
        assert!(Seconds::parse("d").is_err());
        assert!(Seconds::parse("-1d").is_err());
        assert!(Seconds::parse("1.5h").is_err());
        assert!(Seconds::parse("7ü").is_err());
        assert!(Seconds::parse("99999999999999999999w").is_err());
    }

    #[test]
    fn displays_in_the_largest_whole_unit() {
        assert_eq!(Seconds(604_800).to_string(), "1w");
        assert_eq!(Seconds(86_400).to_string(), "1d");
        assert_eq!(Seconds(90).to_string(), "90s");
        assert_eq!(Seconds(0).to_string(), "0s");
    }
}
