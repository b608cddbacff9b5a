//! An organization member's roles: every spelling of a list read into one.

use crate::auth_sqlite::plugins::organization::Roles;

/// The roles of `lists`, in their stored form.
fn canonical(lists: &[&str]) -> Option<String> {
    Roles::parse(lists.iter().copied()).map(|roles| roles.to_string())
}

#[test]
fn roles_are_parsed_into_one_spelling() {
    assert_eq!(canonical(&["admin, owner"]).as_deref(), Some("admin,owner"));
    assert_eq!(
        canonical(&["admin", " owner"]).as_deref(),
        Some("admin,owner")
    );
    assert_eq!(canonical(&[" owner "]).as_deref(), Some("owner"));
    assert_eq!(
        canonical(&[",member,, member ,admin,", "admin"]).as_deref(),
        Some("member,admin")
    );
    assert_eq!(canonical(&["owner\t"]).as_deref(), Some("owner"));
    for empty in [&[][..], &[""], &[" , ,"], &["", " "]] {
        assert_eq!(canonical(empty), None, "{empty:?}");
    }
    // " owner" is the creator's role: every check sees the same list.
    let roles = Roles::parse(["admin, owner"]).expect("roles");
    assert!(roles.is_creator());
    assert!(roles.contains("owner") && roles.contains("admin"));
    assert!(!roles.contains(" owner") && !roles.contains("admin, owner"));
    assert_eq!(roles.iter().collect::<Vec<_>>(), ["admin", "owner"]);
    let admin = Roles::parse(["admin"]).expect("roles");
    assert!(!admin.is_creator());
    assert!(
        !Roles::parse(["owners", "Owner"])
            .expect("roles")
            .is_creator()
    );
}
