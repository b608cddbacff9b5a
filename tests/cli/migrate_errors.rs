//! `rauth migrate` errors that need no database: URLs that are not database URLs, and a server
//! that refuses the connection.

use crate::support::Project;

#[test]
fn a_url_that_is_not_a_database_url_shows_the_accepted_forms() {
    let project = Project::new("[database]\ndialect = \"postgres\"\n");
    for url in ["foo://bar/baz", "not a url"] {
        let run = project.rauth(&["migrate", "--database-url", url]).failure();
        assert!(
            run.stderr
                .starts_with(&format!("error: `{url}` is not a database URL")),
            "{}",
            run.stderr
        );
        for form in ["postgres://", "mysql://", "mariadb://", "sqlite://"] {
            assert!(run.stderr.contains(form), "{form} in {}", run.stderr);
        }
        assert!(!run.stderr.contains("says `dialect"), "{}", run.stderr);
    }
    // A database URL of another dialect is still the contradiction it is.
    let run = project
        .rauth(&["migrate", "--database-url", "mysql://root@127.0.0.1/x"])
        .failure();
    assert!(
        run.stderr.contains("says `dialect = \"postgres\"`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_refused_connection_says_its_cause_once() {
    let project = Project::new("[database]\ndialect = \"postgres\"\n");
    let run = project
        .rauth(&[
            "migrate",
            "--database-url",
            "postgres://app@127.0.0.1:1/app",
        ])
        .failure();
    assert!(
        run.stderr
            .contains("cannot connect to postgres://app@127.0.0.1:1/app"),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr.matches("Connection refused").count(),
        1,
        "{}",
        run.stderr
    );
}
