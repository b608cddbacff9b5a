//! `rauth oauth-client create`: what it refuses before it connects to anything (the e2e tier
//! registers clients with it on each database and signs users in through them).

use crate::support::Project;

const PROVIDER: &str = "[plugins.jwt]\n[plugins.oauth-provider]\n";

#[test]
fn refused_registrations_say_why_and_write_nothing() {
    let cases: [(&str, &[&str], &str); 4] = [
        (
            "",
            &["--name", "App", "--redirect-uri", "https://app.example/cb"],
            "does not enable the OAuth provider: add `[plugins.oauth-provider]`",
        ),
        (
            PROVIDER,
            &["--name", "App", "--redirect-uri", "http://app.example/cb"],
            "`http://app.example/cb`: web clients need https away from loopback",
        ),
        (
            PROVIDER,
            &["--name", "App"],
            "give the client a `--redirect-uri`",
        ),
        (
            PROVIDER,
            &[
                "--name",
                "App",
                "--public",
                "--client-credentials-scope",
                "api",
            ],
            "a public client cannot use the client credentials grant",
        ),
    ];
    for (config, args, why) in cases {
        let project = Project::new(config);
        let url = format!("sqlite://{}", project.file("auth.db").display());
        let mut all = vec!["oauth-client", "create", "--database-url", &url];
        all.extend_from_slice(args);
        let run = project.rauth(&all);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(why), "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
        assert!(
            !project.file("auth.db").exists(),
            "{args:?}: connected anyway"
        );
    }
}
