//! Config values as Rust literals, the way templates print them: the plugins' template values
//! (`plugins/`) and the rest of `generate::code`'s context.

/// A Rust boolean literal (templates would print `True`).
pub fn rust_bool(value: bool) -> &'static str {
    if value { "true" } else { "false" }
}

/// A whole number as a Rust literal with `_` between groups of three digits, as clippy's
/// `unreadable_literal` wants it.
pub fn rust_int(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('_');
        }
        out.push(d);
    }
    out
}

/// An optional limit as a Rust `Option<i64>` expression: `None` or `Some(n)`.
pub fn optional_number(value: Option<u32>) -> String {
    value.map_or_else(|| "None".to_owned(), |n| format!("Some({n})"))
}

/// Text escaped to sit inside a Rust string literal.
pub fn rust_str(text: &str) -> String {
    text.escape_default().to_string()
}
