//! The checks the plugins that call an outside service share (`captcha`,
//! `have-i-been-pwned`): its address, and the environment variables that hold its secret or
//! replace its address.

use crate::config::diagnostic::Issue;

/// Pushes an issue at `[plugins.<plugin>] <key>` unless `url` is an http(s) URL with a host.
pub fn check_service_url(plugin: &str, key: &str, url: &str, issues: &mut Vec<Issue>) {
    let host = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or_default());
    if host.is_none_or(str::is_empty) || url.contains(char::is_whitespace) {
        issues.push(Issue::new(
            &["plugins", plugin, key],
            format!("`{url}` is not an http(s) URL"),
        ));
    }
}

/// Pushes an issue at `[plugins.<plugin>] <key>` unless `name` may name an environment
/// variable (letters, digits, `_`, not starting with a digit).
pub fn check_env_name(plugin: &str, key: &str, name: &str, issues: &mut Vec<Issue>) {
    let valid = name.bytes().next().is_some_and(|b| !b.is_ascii_digit())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if !valid {
        issues.push(
            Issue::new(
                &["plugins", plugin, key],
                format!(
                    "`{key}` must name an environment variable (letters, digits, `_`), not `{name}`"
                ),
            )
            .help("put the value itself in the environment, never in rauth.toml"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_variable_names() {
        let mut issues = Vec::new();
        check_service_url("p", "url", "https://api.example.com", &mut issues);
        check_service_url("p", "url", "http://127.0.0.1:8080/x", &mut issues);
        check_env_name("p", "env", "HIBP_API_URL", &mut issues);
        assert!(issues.is_empty(), "{issues:?}");
        for bad in ["ftp://x", "https://", "api.example.com", "https://a b"] {
            check_service_url("p", "url", bad, &mut issues);
        }
        for bad in ["", "1ABC", "A-B", "A B"] {
            check_env_name("p", "env", bad, &mut issues);
        }
        assert_eq!(issues.len(), 8, "{issues:?}");
    }
}
