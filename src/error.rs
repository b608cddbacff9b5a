//! The errors every command shares: which exit code an error means, and how its causes read
//! (each said once, and a database's message without what is about the server's own source).

use std::error::Error;

/// A usage problem found after parsing the flags (a missing flag without a terminal, an unknown
/// workspace member): exit code 2, like clap's own errors.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// The user interrupted a prompt (Ctrl-C): nothing was written.
#[derive(Debug, thiserror::Error)]
#[error("cancelled: nothing was written")]
pub struct Cancelled;

/// The process exit code for a command's error: 2 for usage, 130 for Ctrl-C, else 1.
pub fn exit_code(error: &anyhow::Error) -> u8 {
    if error.downcast_ref::<UsageError>().is_some() {
        2
    } else if error.downcast_ref::<Cancelled>().is_some() {
        130
    } else {
        1
    }
}

/// The causes of `error` to print under it, in order. A cause whose text the line above already
/// ends with (sqlx's "error communicating with database: X", then X) is skipped.
pub fn causes(error: &anyhow::Error) -> Vec<String> {
    let mut shown = Vec::new();
    let mut above = error.to_string();
    for cause in error.chain().skip(1) {
        let text = cause.to_string();
        if !above.ends_with(&text) {
            shown.push(describe(cause));
        }
        above = text;
    }
    shown
}

/// A cause's text; a database error without PostgreSQL's " at line N", which is a line of the
/// server's C source (its `line` field), not of the user's SQL or files.
fn describe(cause: &(dyn Error + 'static)) -> String {
    match cause.downcast_ref::<sqlx::Error>() {
        Some(sqlx::Error::Database(db)) => {
            format!("error returned from database: {}", db.message())
        }
        _ => cause.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cause_repeated_by_the_line_above_is_shown_once() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "Connection refused");
        let error = anyhow::Error::new(sqlx::Error::Io(io)).context("cannot connect");
        assert_eq!(
            causes(&error),
            ["error communicating with database: Connection refused"]
        );
    }

    #[test]
    fn other_causes_are_all_shown() {
        let error = anyhow::anyhow!("root").context("middle").context("top");
        assert_eq!(causes(&error), ["middle", "root"]);
    }
}
