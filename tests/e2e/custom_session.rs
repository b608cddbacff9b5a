//! Custom-session plugin: the application fills `customize` in its override of the plugin's
//! template (`rauth templates eject`), `rauth generate` renders it; the signed-in
//! `/get-session` answer and each `/multi-session/list-device-sessions` entry carry the new
//! fields, and a signed-out answer stays `null`.

use serde_json::json;

use crate::db::{self, TestDb};
use crate::{ONE_APP_AT_A_TIME, ORIGIN, build_small_app_edited, sign_up, start_with};

/// What the test's application writes into `customize`.
const FILLED: &str = r#"pub async fn customize(auth: &Auth, answer: &mut SessionAnswer) -> Result<(), AuthError> {
    let _ = auth;
    let email = answer["user"]["email"].as_str().unwrap_or_default().to_owned();
    answer.insert("roles".into(), serde_json::json!(["member"]));
    answer.insert("greeting".into(), format!("hello {email}").into());
    Ok(())
}"#;

#[test]
fn the_session_answer_carries_the_applications_fields() {
    if db::skipped() {
        return;
    }
    let _turn = ONE_APP_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let template = "app/.rauth/templates/plugins/custom-session/mod.rs.j2";
    let module = "app/src/auth/plugins/custom_session.rs";
    let (project, binary) = build_small_app_edited(
        "e2e_custom_session",
        ("axum", "sqlite"),
        "[plugins.multi-session]\n[plugins.custom-session]\nlist_device_sessions = true\n",
        "",
        "custom-session-axum.lock",
        |project| {
            project
                .rauth(&[
                    "-c",
                    "app/rauth.toml",
                    "templates",
                    "eject",
                    "plugins/custom-session/mod.rs.j2",
                ])
                .success();
            let ejected = project.read(template);
            let start = ejected.find("pub async fn customize(").unwrap();
            let end = start + ejected[start..].find("\n}\n").unwrap() + 2;
            let filled = format!("{}{FILLED}{}", &ejected[..start], &ejected[end..]);
            project.write(template, &filled);
            project
                .rauth(&["-c", "app/rauth.toml", "generate"])
                .success();
            assert!(
                project.read(module).contains("hello {email}"),
                "the override is not rendered"
            );
            // And again: the module is the override's rendering, nothing to refuse.
            project
                .rauth(&["-c", "app/rauth.toml", "generate"])
                .success();
        },
    );
    let db = TestDb::create("sqlite");
    let app = start_with(&binary, &project.file("app"), &db.url, &[]);
    let c = &app.client;

    let signed_out = c.get("/api/auth/get-session", &[]).unwrap();
    assert_eq!(signed_out.body.trim(), "null");
    let signed_up = sign_up(c, "custom@example.com", "custom password 1");
    let cookie = signed_up.cookie("better-auth.session_token").unwrap();
    let session = c
        .get("/api/auth/get-session", &[("cookie", &cookie)])
        .unwrap()
        .json();
    assert_eq!(session["roles"], json!(["member"]), "{session}");
    assert_eq!(session["greeting"], "hello custom@example.com", "{session}");
    assert_eq!(session["user"]["email"], "custom@example.com", "{session}");
    assert!(session["session"]["token"].is_string(), "{session}");

    // Every cookie the sign-up set: the session's and multi-session's own.
    let multi_cookie = signed_up
        .headers
        .iter()
        .filter(|(k, _)| k == "set-cookie")
        .map(|(_, v)| v.split(';').next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("; ");
    let sessions = c
        .get(
            "/api/auth/multi-session/list-device-sessions",
            &[("cookie", &multi_cookie), ORIGIN],
        )
        .unwrap()
        .json();
    assert_eq!(sessions[0]["roles"], json!(["member"]), "{sessions}");
}
