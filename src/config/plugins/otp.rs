//! The checks `email-otp` and `phone-number` share: their one-time code options.

use crate::config::diagnostic::Issue;
use crate::config::duration::Seconds;

/// `otp_length`, `expires_in` and `allowed_attempts` of `[plugins.<plugin>]`.
pub fn check_code_options(
    plugin: &str,
    otp_length: u32,
    expires_in: Seconds,
    allowed_attempts: u32,
    issues: &mut Vec<Issue>,
) {
    if !(4..=10).contains(&otp_length) {
        issues.push(Issue::new(
            &["plugins", plugin, "otp_length"],
            format!("`otp_length` must be between 4 and 10, not {otp_length}"),
        ));
    }
    if expires_in.0 == 0 {
        issues.push(Issue::new(
            &["plugins", plugin, "expires_in"],
            "`expires_in` must be longer than 0s",
        ));
    }
    if allowed_attempts == 0 {
        issues.push(Issue::new(
            &["plugins", plugin, "allowed_attempts"],
            "`allowed_attempts` must be at least 1",
        ));
    }
}
