//! Row-level SQL as each dialect takes it: identifiers quoted, placeholders, JSON columns and
//! literals, for the statements the CLI writes itself (a signing key, an OAuth client) and the
//! templates' `p`, `json_param` and `json_text`. Names come from the schema and values
//! are bound or formatted here, so nothing from outside reaches the SQL text.

use time::OffsetDateTime;
use time::macros::format_description;

use crate::config::Dialect;

/// `identifier` quoted for `dialect`.
pub fn quote(dialect: Dialect, identifier: &str) -> String {
    match dialect {
        Dialect::Mysql => format!("`{}`", identifier.replace('`', "``")),
        Dialect::Postgres | Dialect::Sqlite => format!("\"{}\"", identifier.replace('"', "\"\"")),
    }
}

/// The `n`th bound parameter: `$n` in PostgreSQL, `?` elsewhere.
pub fn placeholder(dialect: Dialect, n: u32) -> String {
    if dialect == Dialect::Postgres {
        format!("${n}")
    } else {
        "?".into()
    }
}

/// The `n`th bound parameter holding a JSON column's value as text: PostgreSQL's `jsonb` takes
/// text only through a cast.
pub fn json_placeholder(dialect: Dialect, n: u32) -> String {
    if dialect == Dialect::Postgres {
        format!("${n}::jsonb")
    } else {
        "?".into()
    }
}

/// A JSON column read as text (`jsonb` and MySQL's `json` do not decode as a Rust `String`).
pub fn json_as_text(dialect: Dialect, column: &str) -> String {
    match dialect {
        Dialect::Postgres => format!("{column}::text"),
        Dialect::Mysql => format!("CAST({column} AS CHAR)"),
        Dialect::Sqlite => column.to_owned(),
    }
}

/// A date as a SQL literal the dialect's date column takes, in UTC with milliseconds: SQLite
/// holds Better Auth's `toISOString()` text.
pub fn date_literal(dialect: Dialect, at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    let text = match dialect {
        Dialect::Sqlite => at.format(format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
        )),
        Dialect::Postgres => at.format(format_description!(
            "[year]-[month]-[day] [hour]:[minute]:[second].[subsecond digits:3]+00"
        )),
        Dialect::Mysql => at.format(format_description!(
            "[year]-[month]-[day] [hour]:[minute]:[second].[subsecond digits:3]"
        )),
    };
    format!("'{}'", text.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_each_dialect_stores_them() {
        let at = time::macros::datetime!(2026-11-27 09:05:07.123 UTC);
        assert_eq!(
            date_literal(Dialect::Sqlite, at),
            "'2026-11-27T09:05:07.123Z'"
        );
        assert_eq!(
            date_literal(Dialect::Postgres, at),
            "'2026-11-27 09:05:07.123+00'"
        );
        assert_eq!(
            date_literal(Dialect::Mysql, at),
            "'2026-11-27 09:05:07.123'"
        );
    }
}
