//! Env files (`KEY=value` lines), parsed with the byte range of every value so that one value can
//! be replaced, or one line added, while every other byte of the file stays as it was.
//!
//! The syntax is dotenv's: blank lines, `#` comments, optional `export `, values bare (ending at
//! ` #` or the end of the line), in single quotes or backticks (literal), or in double quotes
//! (with `\n`, `\t`, `\r` and backslash escapes). Quoted values may span lines.

use std::ops::Range;

/// One `KEY=value` assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    /// The value as a program reading the file sees it: unquoted, escapes resolved.
    pub value: String,
    /// 1-based line of the key.
    pub line: usize,
    /// `export KEY=…`
    pub export: bool,
    /// The value as written, quotes included.
    value_span: Range<usize>,
    /// Where the entry's last line ends: before its line break, or at the end of the file.
    end: usize,
}

/// A parsed env file. The text is kept exactly as read.
#[derive(Debug, Clone)]
pub struct EnvFile {
    text: String,
    entries: Vec<Entry>,
}

/// Why a text is not an env file. It never quotes the text: env files hold secrets.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct ParseError {
    pub line: usize,
    pub reason: &'static str,
}

/// A key assigned twice: which of the two a program sees depends on the program.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{key}` is set twice, on lines {first} and {second}: keep one")]
pub struct Duplicate {
    pub key: String,
    pub first: usize,
    pub second: usize,
}

impl EnvFile {
    pub fn parse(text: String) -> Result<Self, ParseError> {
        let entries = Parser::new(&text).entries()?;
        Ok(Self { text, entries })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    #[cfg(test)]
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The assignment of `key`, if any; an error if there are two.
    pub fn get(&self, key: &str) -> Result<Option<&Entry>, Duplicate> {
        let mut found = self.entries.iter().filter(|e| e.key == key);
        let first = found.next();
        match (first, found.next()) {
            (Some(a), Some(b)) => Err(Duplicate {
                key: key.to_owned(),
                first: a.line,
                second: b.line,
            }),
            (first, _) => Ok(first),
        }
    }

    /// The text with `entry`'s value replaced by `raw`, written as is (quotes included). The key,
    /// `export`, spacing and a trailing comment stay.
    pub fn with_value(&self, entry: &Entry, raw: &str) -> String {
        let mut out = String::with_capacity(self.text.len() + raw.len());
        out.push_str(&self.text[..entry.value_span.start]);
        out.push_str(raw);
        out.push_str(&self.text[entry.value_span.end..]);
        out
    }

    /// The text with `line` added on a new line right after `entry`.
    pub fn with_line_after(&self, entry: &Entry, line: &str) -> String {
        let (before, after) = self.text.split_at(entry.end);
        format!("{before}{}{line}{after}", self.line_break())
    }

    /// The text with `line` added at the end (a file without a final line break stays without).
    pub fn with_line_appended(&self, line: &str) -> String {
        let text = &self.text;
        let eol = self.line_break();
        if text.is_empty() || text == "\u{feff}" || text.ends_with('\n') {
            format!("{text}{line}{eol}")
        } else {
            format!("{text}{eol}{line}")
        }
    }

    /// The file's own line break: `\r\n` if it uses it, else `\n`.
    fn line_break(&self) -> &'static str {
        if self.text.contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        }
    }
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        let pos = if text.starts_with('\u{feff}') { 3 } else { 0 };
        Self { text, pos, line: 1 }
    }

    fn entries(mut self) -> Result<Vec<Entry>, ParseError> {
        let mut out = Vec::new();
        loop {
            self.skip_blanks();
            match self.peek() {
                None => return Ok(out),
                Some(b'#') => self.skip_to_eol(),
                _ if self.at_eol() => {}
                Some(_) => out.push(self.entry()?),
            }
            self.skip_line_break();
        }
    }

    fn entry(&mut self) -> Result<Entry, ParseError> {
        let line = self.line;
        let export = self.text[self.pos..].starts_with("export")
            && matches!(self.byte_at(self.pos + 6), Some(b' ' | b'\t'));
        if export {
            self.pos += 6;
            self.skip_blanks();
        }
        let key_start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.')
        {
            self.pos += 1;
        }
        let key = &self.text[key_start..self.pos];
        if key.is_empty() || key.as_bytes()[0].is_ascii_digit() {
            return Err(self.error("expected `KEY=value`, a `#` comment or a blank line"));
        }
        self.skip_blanks();
        if self.peek() != Some(b'=') {
            return Err(self.error("expected `=` after the variable name"));
        }
        self.pos += 1;
        self.skip_blanks();
        let start = self.pos;
        let (value, span_end) = match self.peek() {
            Some(quote @ (b'"' | b'\'' | b'`')) => {
                let value = self.quoted(quote)?;
                let span_end = self.pos;
                self.skip_blanks();
                if self.peek() == Some(b'#') {
                    self.skip_to_eol();
                } else if !self.at_eol() {
                    return Err(self.error("unexpected text after the closing quote"));
                }
                (value, span_end)
            }
            _ => self.bare(),
        };
        self.skip_to_eol();
        let mut end = self.pos;
        if end < self.text.len() && self.byte_at(end - 1) == Some(b'\r') {
            end -= 1;
        }
        Ok(Entry {
            key: key.to_owned(),
            value,
            line,
            export,
            value_span: start..span_end,
            end,
        })
    }

    /// A quoted value, from its opening quote to past its closing one.
    fn quoted(&mut self, quote: u8) -> Result<String, ParseError> {
        let line = self.line;
        let unterminated = ParseError {
            line,
            reason: "a quoted value is never closed",
        };
        self.pos += 1;
        let mut value = String::new();
        loop {
            let c = self.next_char().ok_or_else(|| unterminated.clone())?;
            if c == char::from(quote) {
                return Ok(value);
            }
            if c == '\\' && quote == b'"' {
                let escaped = self.next_char().ok_or_else(|| unterminated.clone())?;
                value.push(match escaped {
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    other => other,
                });
            } else {
                value.push(c);
            }
        }
    }

    /// A bare value: up to a ` #` comment or the end of the line, trailing blanks trimmed.
    fn bare(&mut self) -> (String, usize) {
        let start = self.pos;
        self.skip_to_eol();
        let mut raw = self.text[start..self.pos].trim_end_matches('\r');
        if let Some(i) = raw
            .as_bytes()
            .windows(2)
            .position(|w| matches!(w[0], b' ' | b'\t') && w[1] == b'#')
        {
            raw = &raw[..i];
        }
        let raw = raw.trim_end_matches([' ', '\t']);
        (raw.to_owned(), start + raw.len())
    }

    fn next_char(&mut self) -> Option<char> {
        let c = self.text[self.pos..].chars().next()?;
        self.pos += c.len_utf8();
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn peek(&self) -> Option<u8> {
        self.byte_at(self.pos)
    }

    fn byte_at(&self, i: usize) -> Option<u8> {
        self.text.as_bytes().get(i).copied()
    }

    fn at_eol(&self) -> bool {
        match self.peek() {
            None | Some(b'\n') => true,
            Some(b'\r') => matches!(self.byte_at(self.pos + 1), None | Some(b'\n')),
            Some(_) => false,
        }
    }

    fn skip_blanks(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }

    fn skip_to_eol(&mut self) {
        while !matches!(self.peek(), None | Some(b'\n')) {
            self.pos += 1;
        }
    }

    /// Past the `\n` (or `\r\n`, or a final `\r`) the position is at, if any.
    fn skip_line_break(&mut self) {
        if self.peek() == Some(b'\r') && self.at_eol() {
            self.pos += 1;
        }
        if self.peek() == Some(b'\n') {
            self.pos += 1;
            self.line += 1;
        }
    }

    fn error(&self, reason: &'static str) -> ParseError {
        ParseError {
            line: self.line,
            reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> EnvFile {
        EnvFile::parse(text.to_owned()).unwrap()
    }

    fn values(text: &str) -> Vec<(String, String)> {
        parse(text)
            .entries()
            .iter()
            .map(|e| (e.key.clone(), e.value.clone()))
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn reads_every_quoting_style_and_export() {
        let text = "# comment\n\nA=bare\nexport B=\"double \\\"q\\\" \\n\"\n  C = 'single $x' # note\nD=bare value # comment\nE=\nF=x#y\nG=`tick`\n";
        assert_eq!(
            values(text),
            pairs(&[
                ("A", "bare"),
                ("B", "double \"q\" \n"),
                ("C", "single $x"),
                ("D", "bare value"),
                ("E", ""),
                ("F", "x#y"),
                ("G", "tick"),
            ])
        );
        let file = parse(text);
        assert!(file.entries()[1].export);
        assert_eq!(file.entries()[1].line, 4);
        assert_eq!(file.entries()[2].line, 5);
    }

    #[test]
    fn quoted_values_may_span_lines() {
        let file = parse("KEY=\"-----BEGIN\nabc\n-----END\"\nNEXT=1\n");
        assert_eq!(file.entries()[0].value, "-----BEGIN\nabc\n-----END");
        assert_eq!(file.entries()[1].line, 4);
    }

    #[test]
    fn crlf_files_parse_and_keep_their_line_breaks() {
        let file = parse("A=1\r\nB=\"2\"\r\n");
        assert_eq!(file.entries()[0].value, "1");
        assert_eq!(file.entries()[1].value, "2");
        let a = file.entries()[0].clone();
        assert_eq!(file.with_line_after(&a, "C=3"), "A=1\r\nC=3\r\nB=\"2\"\r\n");
        assert_eq!(file.with_line_appended("C=3"), "A=1\r\nB=\"2\"\r\nC=3\r\n");
    }

    #[test]
    fn malformed_lines_are_errors_with_their_line_and_without_their_text() {
        for (text, line) in [
            ("A=1\njust-a-secret-value\n", 2),
            ("A=1\nB\n", 2),
            ("A=\"open\nB=2\n", 1),
            ("A='x' trailing\n", 1),
            ("1A=x\n", 1),
            ("export\n", 1),
        ] {
            let err = EnvFile::parse(text.to_owned()).unwrap_err();
            assert_eq!(err.line, line, "{text:?}");
            assert!(!err.to_string().contains("secret-value"));
        }
    }

    #[test]
    fn replacing_a_value_keeps_every_other_byte() {
        let text = "# top\nexport  AUTH_SECRETS = '1:old'   # keep me\nOTHER=x";
        let file = parse(text);
        let entry = file.get("AUTH_SECRETS").unwrap().unwrap().clone();
        assert_eq!(
            file.with_value(&entry, "\"2:new,1:old\""),
            "# top\nexport  AUTH_SECRETS = \"2:new,1:old\"   # keep me\nOTHER=x"
        );
        let bare = parse("A=one # c\n");
        let entry = bare.entries()[0].clone();
        assert_eq!(bare.with_value(&entry, "two"), "A=two # c\n");
    }

    #[test]
    fn lines_are_added_after_an_entry_or_at_the_end() {
        let file = parse("A=1\nB=\"x\ny\" # c\nC=3");
        let b = file.entries()[1].clone();
        assert_eq!(
            file.with_line_after(&b, "N=1"),
            "A=1\nB=\"x\ny\" # c\nN=1\nC=3"
        );
        assert_eq!(
            file.with_line_appended("N=1"),
            "A=1\nB=\"x\ny\" # c\nC=3\nN=1"
        );
        assert_eq!(parse("A=1\n").with_line_appended("N=1"), "A=1\nN=1\n");
        assert_eq!(parse("").with_line_appended("N=1"), "N=1\n");
        let last = parse("A=1");
        let a = last.entries()[0].clone();
        assert_eq!(last.with_line_after(&a, "N=1"), "A=1\nN=1");
    }

    #[test]
    fn a_key_set_twice_is_reported() {
        let file = parse("K=1\nX=2\nK=3\n");
        assert_eq!(
            file.get("K").unwrap_err(),
            Duplicate {
                key: "K".into(),
                first: 1,
                second: 3
            }
        );
        assert!(file.get("X").unwrap().is_some());
        assert!(file.get("Y").unwrap().is_none());
    }

    #[test]
    fn a_byte_order_mark_is_kept_and_skipped() {
        let file = parse("\u{feff}A=1\n");
        assert_eq!(file.entries()[0].key, "A");
        let a = file.entries()[0].clone();
        assert_eq!(file.with_value(&a, "2"), "\u{feff}A=2\n");
    }
}
