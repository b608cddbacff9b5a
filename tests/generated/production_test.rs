//! `Auth::check_production`: in production, Better Auth's default secret and the development
//! senders (dev inbox, dev SMS directory) are refused, until real senders are set.

mod common;

use std::sync::Arc;

use rauth_generated_check::auth_sqlite::{Email, EmailSender, ProductionError, SmsSender};

/// A provider that is not the development one.
#[derive(Debug)]
struct Provider;

impl EmailSender for Provider {
    fn send(&self, _: Email) {}
}

impl SmsSender for Provider {
    fn send(&self, _: &str, _: &str) {}
}

#[tokio::test]
async fn dev_senders_are_refused_in_production() {
    let auth = common::sqlite_auth("1:production-secret-production-secret-pr").await;
    assert_eq!(auth.check_production(false), Ok(()));
    let refused = auth.check_production(true).expect_err("the dev inbox");
    assert!(
        matches!(
            refused,
            ProductionError::DevSender {
                fix: "Auth::with_email_sender",
                ..
            }
        ),
        "{refused}"
    );
    let auth = auth.with_email_sender(Arc::new(Provider));
    let refused = auth
        .check_production(true)
        .expect_err("the dev SMS directory");
    assert!(
        matches!(
            refused,
            ProductionError::DevSender {
                fix: "Auth::with_sms_sender",
                ..
            }
        ),
        "{refused}"
    );
    let auth = auth.with_sms_sender(Arc::new(Provider));
    assert_eq!(auth.check_production(true), Ok(()));

    let default = common::sqlite_auth("1:better-auth-secret-12345678901234567890")
        .await
        .with_email_sender(Arc::new(Provider))
        .with_sms_sender(Arc::new(Provider));
    assert!(matches!(
        default.check_production(true),
        Err(ProductionError::Secret(_))
    ));
    assert_eq!(default.check_production(false), Ok(()));
}
