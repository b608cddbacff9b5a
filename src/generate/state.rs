//! The schema already generated, recorded beside the migrations (`.rauth-schema.json`), so the
//! next migration is the delta from it and generation needs no database.

use serde::{Deserialize, Serialize};

use crate::config::Dialect;
use crate::schema::Schema;

/// File name inside the migrations directory. A dotfile: sqlx and diesel skip it.
pub const FILE_NAME: &str = ".rauth-schema.json";

/// Format version of the file, bumped on incompatible changes.
const FORMAT: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
pub struct Recorded {
    pub format: u32,
    pub dialect: Dialect,
    pub schema: Schema,
}

impl Recorded {
    pub fn new(dialect: Dialect, schema: Schema) -> Self {
        Self {
            format: FORMAT,
            dialect,
            schema,
        }
    }

    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    pub fn from_json(text: &str) -> Result<Self, String> {
        let recorded: Self = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if recorded.format != FORMAT {
            return Err(format!(
                "it has format {}, this rauth reads format {FORMAT}",
                recorded.format
            ));
        }
        Ok(recorded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let schema =
            crate::schema::build(&crate::config::parse("t", "[plugins.two-factor]\n").unwrap())
                .unwrap();
        let text = Recorded::new(Dialect::Mysql, schema.clone()).to_json();
        let back = Recorded::from_json(&text).unwrap();
        assert_eq!((back.dialect, back.schema), (Dialect::Mysql, schema));
    }

    #[test]
    fn refuses_other_formats() {
        assert!(
            Recorded::from_json(r#"{"format":99,"dialect":"sqlite","schema":{"tables":[]}}"#)
                .is_err()
        );
        assert!(Recorded::from_json("{").is_err());
    }
}
