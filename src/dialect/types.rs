//! Better Auth's type map (`get-migration.ts` `getType`, REFERENCE §2.5), per dialect.

use crate::config::{Dialect, FieldType};
use crate::schema::{Column, DefaultValue};

/// Length of MySQL strings in a multi-column index: Better Auth's default, which keeps two
/// utf8mb4 columns under InnoDB's 3072-byte key limit.
const MYSQL_TABLE_INDEX_VARCHAR: u32 = 191;

/// SQL type of the `id` primary key and of foreign keys to it.
pub(super) fn id_type(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Mysql => "varchar(36)",
        Dialect::Postgres | Dialect::Sqlite => "text",
    }
}

/// SQL type of a column.
pub fn column_type(dialect: Dialect, column: &Column) -> String {
    if column.references.as_ref().is_some_and(|r| r.column == "id") {
        return id_type(dialect).into();
    }
    let ty = match (column.kind, dialect) {
        (FieldType::String, Dialect::Mysql) => return mysql_string(column),
        (FieldType::String, _)
        | (FieldType::Json | FieldType::StringArray | FieldType::NumberArray, Dialect::Sqlite) => {
            "text"
        }
        (FieldType::Boolean, Dialect::Sqlite) => "integer",
        (FieldType::Boolean, _) => "boolean",
        (FieldType::Number, _) if column.bigint => "bigint",
        (FieldType::Number, _) => "integer",
        (FieldType::Date, Dialect::Postgres) => "timestamptz",
        (FieldType::Date, Dialect::Mysql) => "timestamp(3)",
        (FieldType::Date, Dialect::Sqlite) => "date",
        (FieldType::Json | FieldType::StringArray | FieldType::NumberArray, Dialect::Postgres) => {
            "jsonb"
        }
        (FieldType::Json | FieldType::StringArray | FieldType::NumberArray, Dialect::Mysql) => {
            "json"
        }
    };
    ty.into()
}

/// MySQL cannot index or default a TEXT column, so Better Auth sizes strings by their use.
fn mysql_string(column: &Column) -> String {
    let ty = if column.in_table_index {
        return format!("varchar({MYSQL_TABLE_INDEX_VARCHAR})");
    } else if column.unique {
        "varchar(255)"
    } else if column.references.is_some() {
        "varchar(36)"
    } else if column.sortable || column.indexed {
        "varchar(255)"
    } else {
        "text"
    };
    ty.into()
}

/// SQL default for a date column filled with the current time (none on SQLite, as Better Auth).
pub(super) fn now_default(dialect: Dialect) -> Option<&'static str> {
    match dialect {
        Dialect::Postgres => Some("CURRENT_TIMESTAMP"),
        Dialect::Mysql => Some("CURRENT_TIMESTAMP(3)"),
        Dialect::Sqlite => None,
    }
}

/// A static default as a sea-query value; SQLite stores booleans as 1/0.
pub(super) fn static_default(dialect: Dialect, value: &DefaultValue) -> sea_query::Value {
    match value {
        DefaultValue::Bool(b) if dialect == Dialect::Sqlite => {
            sea_query::Value::from(i64::from(*b))
        }
        DefaultValue::Bool(b) => sea_query::Value::from(*b),
        DefaultValue::Int(n) => sea_query::Value::from(*n),
        DefaultValue::Str(s) => sea_query::Value::from(s.clone()),
    }
}
