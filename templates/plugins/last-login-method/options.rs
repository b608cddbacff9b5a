//! `[plugins.last-login-method]`: how a user last signed in.

use schemars::JsonSchema;
use serde::Deserialize;

use super::contract::{Context, PluginOptions};
use crate::config::diagnostic::Issue;
use crate::config::duration::Seconds;
use crate::config::literal::{rust_bool, rust_str};

/// `[plugins.last-login-method]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct LastLoginMethodOptions {
    /// The cookie's full name, read by the client (Better Auth: `cookieName`).
    pub cookie_name: String,
    /// The cookie's lifetime (Better Auth: `maxAge`, 30 days).
    pub max_age: Seconds,
    /// Also keep the method in the user's `lastLoginMethod` column (Better Auth:
    /// `storeInDatabase`).
    pub store_in_database: bool,
}

impl Default for LastLoginMethodOptions {
    fn default() -> Self {
        Self {
            cookie_name: "better-auth.last_used_login_method".to_owned(),
            max_age: Seconds(2_592_000),
            store_in_database: false,
        }
    }
}

/// Whether `name` may be a cookie's name (RFC 6265's token: no separators, controls or spaces).
fn valid_cookie_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?={}".contains(&b))
}

impl PluginOptions for LastLoginMethodOptions {
    fn check(&self, _: &Context, issues: &mut Vec<Issue>) {
        if !valid_cookie_name(&self.cookie_name) {
            issues.push(
                Issue::new(
                    &["plugins", "last-login-method", "cookie_name"],
                    format!("`{}` is not a valid cookie name", self.cookie_name),
                )
                .help("use letters, digits and `._-`"),
            );
        }
        if self.max_age.0 == 0 {
            issues.push(Issue::new(
                &["plugins", "last-login-method", "max_age"],
                "`max_age` must be longer than 0s",
            ));
        }
    }

    fn schema_flags(&self) -> Vec<&'static str> {
        if self.store_in_database {
            vec!["last-login-method.store_in_database"]
        } else {
            Vec::new()
        }
    }

    fn template_values(&self, _: &Context) -> serde_json::Value {
        serde_json::json!({
            "cookie_name": rust_str(&self.cookie_name),
            "max_age": self.max_age.0,
            "store_in_database": rust_bool(self.store_in_database),
            // A condition of the manifest, so a real boolean.
            "db": self.store_in_database,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_names_are_tokens() {
        assert!(valid_cookie_name("better-auth.last_used_login_method"));
        for bad in ["", "a b", "a;b", "a=b", "é", "a\"b"] {
            assert!(!valid_cookie_name(bad), "{bad:?}");
        }
    }
}
