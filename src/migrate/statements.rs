//! Splits a migration file into statements, remembering the line each starts on, so a failure
//! can name the file, the line and the statement.

/// One statement of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// 1-based line of the statement's first non-blank character.
    pub line: usize,
    pub sql: String,
}

/// Statements of `sql`, split on `;` outside strings, quoted identifiers, comments and
/// PostgreSQL dollar quotes. Comment-only pieces are dropped.
pub fn split(sql: &str) -> Vec<Statement> {
    let bytes = sql.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' | b'"' | b'`' => i = skip_quoted(bytes, i),
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                i = sql[i..].find('\n').map_or(bytes.len(), |n| i + n);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = sql[i + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |n| i + 2 + n + 2);
            }
            b'$' => i = skip_dollar_quoted(sql, i),
            b';' => {
                push(&mut out, sql, start, i);
                start = i + 1;
                i += 1;
            }
            _ => i += 1,
        }
    }
    push(&mut out, sql, start, bytes.len());
    out
}

fn push(out: &mut Vec<Statement>, sql: &str, start: usize, end: usize) {
    let piece = &sql[start..end];
    let Some(code) = code_start(piece) else {
        return;
    };
    let line = sql[..start + code].matches('\n').count() + 1;
    out.push(Statement {
        line,
        sql: piece[code..].trim_end().to_owned(),
    });
}

/// Offset of the first character that is not whitespace or a comment, if any.
fn code_start(piece: &str) -> Option<usize> {
    let mut at = 0;
    loop {
        let rest = &piece[at..];
        let trimmed = rest.trim_start();
        at += rest.len() - trimmed.len();
        if trimmed.starts_with("--") {
            at += trimmed.find('\n').unwrap_or(trimmed.len());
        } else if let Some(after) = trimmed.strip_prefix("/*") {
            at += after.find("*/").map_or(trimmed.len(), |n| n + 4);
        } else if trimmed.is_empty() {
            return None;
        } else {
            return Some(at);
        }
    }
}

/// Index just past a quoted run starting at `i` (a doubled quote stays inside).
fn skip_quoted(bytes: &[u8], i: usize) -> usize {
    let quote = bytes[i];
    let mut j = i + 1;
    while j < bytes.len() {
        if bytes[j] == b'\\' && quote == b'\'' {
            j += 2;
            continue;
        }
        if bytes[j] == quote {
            if bytes.get(j + 1) == Some(&quote) {
                j += 2;
                continue;
            }
            return j + 1;
        }
        j += 1;
    }
    bytes.len()
}

/// Index just past `$tag$ … $tag$` starting at `i`, or `i + 1` if `$` does not open one.
fn skip_dollar_quoted(sql: &str, i: usize) -> usize {
    let rest = &sql[i + 1..];
    let Some(close) = rest.find('$') else {
        return i + 1;
    };
    let tag = &rest[..close];
    if !tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        || tag.starts_with(|c: char| c.is_ascii_digit())
    {
        return i + 1;
    }
    let delimiter = format!("${tag}$");
    let body = i + delimiter.len();
    sql[body..]
        .find(&delimiter)
        .map_or(sql.len(), |n| body + n + delimiter.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_and_sql(sql: &str) -> Vec<(usize, String)> {
        split(sql).into_iter().map(|s| (s.line, s.sql)).collect()
    }

    #[test]
    fn splits_on_semicolons_with_lines() {
        let sql = "-- header\n\nCREATE TABLE a (x int);\n\nCREATE INDEX i ON a (x);\n";
        assert_eq!(
            lines_and_sql(sql),
            [
                (3, "CREATE TABLE a (x int)".into()),
                (5, "CREATE INDEX i ON a (x)".into())
            ]
        );
    }

    #[test]
    fn ignores_semicolons_in_strings_identifiers_and_comments() {
        let sql = "INSERT INTO \"a;b\" VALUES ('x;''y'); -- c;d\n/* e;f */ SELECT `g;h`;";
        let got = lines_and_sql(sql);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].1, "INSERT INTO \"a;b\" VALUES ('x;''y')");
        assert!(got[1].1.ends_with("SELECT `g;h`"));
    }

    #[test]
    fn keeps_dollar_quoted_bodies_whole() {
        let sql =
            "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\nSELECT $1;";
        let got = lines_and_sql(sql);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].1.contains("SELECT 1; $body$"));
    }

    #[test]
    fn comment_only_files_have_no_statements() {
        assert!(split("-- nothing\n/* here */\n").is_empty());
        assert!(split("").is_empty());
    }
}
