//! Config errors that point into the file: `file:line:col`, the source line and a caret.
//!
//! Semantic checks report a key path (`["session", "same_site"]`); this module finds that key in
//! the TOML text, so checks stay pure and never carry spans themselves.

use std::fmt::{self, Write as _};
use std::ops::Range;

use toml::de::{DeTable, DeValue};

/// A problem found in the config, located by its key path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub path: Vec<String>,
    pub message: String,
    pub help: Option<String>,
}

impl Issue {
    pub fn new(path: &[&str], message: impl Into<String>) -> Self {
        Self {
            path: path.iter().map(|s| (*s).to_owned()).collect(),
            message: message.into(),
            help: None,
        }
    }

    /// An issue at a key path built at runtime.
    pub fn at(path: Vec<String>, message: impl Into<String>) -> Self {
        Self {
            path,
            message: message.into(),
            help: None,
        }
    }

    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// A problem with a resolved position.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub message: String,
    pub span: Option<Range<usize>>,
    pub help: Option<String>,
}

/// A config file that failed to load or validate. Displays every diagnostic with its snippet.
#[derive(Debug)]
pub struct ConfigError {
    pub file: String,
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
}

impl std::error::Error for ConfigError {}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                f.write_str("\nerror: ")?;
            }
            f.write_str(&render(&self.file, &self.text, d))?;
        }
        if self.diagnostics.len() > 1 {
            write!(
                f,
                "\n\n{} problems in {}",
                self.diagnostics.len(),
                self.file
            )?;
        }
        Ok(())
    }
}

/// The source text of a config file, for locating issues.
#[derive(Debug, Clone)]
pub struct Source {
    pub file: String,
    pub text: String,
}

impl Source {
    /// Whether the file holds no setting: nothing but blanks and comments.
    pub fn is_blank(&self) -> bool {
        self.text
            .lines()
            .map(str::trim)
            .all(|line| line.is_empty() || line.starts_with('#'))
    }

    /// Non-fatal issues, each rendered with its position, for printing as warnings.
    pub fn warnings(&self, issues: Vec<Issue>) -> Vec<String> {
        issues
            .into_iter()
            .map(|issue| {
                let d = Diagnostic {
                    span: locate(&self.text, &issue.path),
                    message: issue.message,
                    help: issue.help,
                };
                render(&self.file, &self.text, &d)
            })
            .collect()
    }

    /// Turns issues into an error with positions.
    pub fn error(&self, issues: Vec<Issue>) -> ConfigError {
        self.diagnosed(
            issues
                .into_iter()
                .map(|issue| Diagnostic {
                    span: locate(&self.text, &issue.path),
                    message: issue.message,
                    help: issue.help,
                })
                .collect(),
        )
    }

    /// An error of this file with located diagnostics.
    pub(super) fn diagnosed(&self, diagnostics: Vec<Diagnostic>) -> ConfigError {
        ConfigError {
            file: self.file.clone(),
            text: self.text.clone(),
            diagnostics,
        }
    }
}

/// Byte range of the value at `path`, or of the deepest ancestor that exists.
pub(super) fn locate(text: &str, path: &[String]) -> Option<Range<usize>> {
    let doc = DeTable::parse(text).ok()?;
    let mut table = doc.get_ref();
    let mut found = None;
    for (depth, key) in path.iter().enumerate() {
        let Some((k, v)) = table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key.as_str())
        else {
            break;
        };
        let is_last = depth + 1 == path.len();
        // A key whose value is a table (`[session]`) is best shown by its key; a leaf by its value.
        found = Some(match v.get_ref() {
            DeValue::Table(_) => k.span(),
            _ => v.span(),
        });
        match v.get_ref() {
            DeValue::Table(t) if !is_last => table = t,
            _ => break,
        }
    }
    found
}

/// 1-based line and column (in characters) of a byte offset.
pub(super) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..offset].chars().count() + 1)
}

/// Renders one diagnostic the way rustc and cargo do.
pub(super) fn render(file: &str, text: &str, d: &Diagnostic) -> String {
    let mut out = d.message.clone();
    if let Some(span) = &d.span {
        let start = span.start.min(text.len());
        let (line, col) = line_col(text, start);
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let source_line = text[line_start..line_end].trim_end_matches('\r');
        let end = span.end.clamp(start, line_end);
        let width = text[start..end].chars().count().max(1);
        let gutter = " ".repeat(line.to_string().len());
        let pad: String = source_line
            .chars()
            .take(col - 1)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let _ = write!(
            out,
            "\n{gutter}--> {file}:{line}:{col}\n{gutter} |\n{line} | {source_line}\n{gutter} | {pad}{}",
            "^".repeat(width)
        );
    } else {
        let _ = write!(out, "\n  --> {file}");
    }
    if let Some(help) = &d.help {
        let _ = write!(out, "\n  = help: {help}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "[app]\nname = \"Acme\"\n\n[session]\nsame_site = \"none\"\n";

    fn path(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn locates_a_leaf_value() {
        let span = locate(TEXT, &path(&["session", "same_site"])).unwrap();
        assert_eq!(&TEXT[span.clone()], "\"none\"");
        assert_eq!(line_col(TEXT, span.start), (5, 13));
    }

    #[test]
    fn locates_a_table_by_its_header_key() {
        let span = locate(TEXT, &path(&["session"])).unwrap();
        assert_eq!(&TEXT[span], "session");
    }

    #[test]
    fn falls_back_to_the_deepest_existing_key() {
        let span = locate(TEXT, &path(&["session", "secure"])).unwrap();
        assert_eq!(&TEXT[span], "session");
        assert_eq!(locate(TEXT, &path(&["database"])), None);
    }

    #[test]
    fn renders_file_line_col_and_caret() {
        let d = Diagnostic {
            message: "`same_site = \"none\"` needs `secure = true`".into(),
            span: locate(TEXT, &path(&["session", "same_site"])),
            help: Some("add `secure = true`".into()),
        };
        let shown = render("rauth.toml", TEXT, &d);
        assert_eq!(
            shown,
            "`same_site = \"none\"` needs `secure = true`\n --> rauth.toml:5:13\n  |\n5 | same_site = \"none\"\n  |             ^^^^^^\n  = help: add `secure = true`"
        );
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        assert_eq!(line_col("é = 1", 2), (1, 2));
    }
}
