//! `[plugins.organization]`: organizations, members, invitations, teams and roles.

use schemars::JsonSchema;
use serde::Deserialize;

use super::contract::{Context, PluginOptions};
use crate::config::diagnostic::Issue;
use crate::config::duration::Seconds;
use crate::config::literal::{optional_number, rust_bool, rust_str};

/// `[plugins.organization]`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct OrganizationOptions {
    /// Teams inside organizations (`team`, `teamMember` tables).
    pub teams: bool,
    /// Roles defined at runtime (`organizationRole` table).
    pub dynamic_access_control: bool,
    /// Any user may create an organization.
    pub allow_user_to_create_organization: bool,
    /// Organizations per user (none = unlimited).
    pub organization_limit: Option<u32>,
    /// Members per organization.
    pub membership_limit: u32,
    /// Role of an organization's creator.
    pub creator_role: String,
    /// Invitation lifetime.
    pub invitation_expires_in: Seconds,
    /// Only users with a verified email may accept, reject or read an invitation (Better
    /// Auth's `requireEmailVerificationOnInvitation`).
    pub require_email_verification_on_invitation: bool,
    /// With `teams`: create a team named after each new organization, with its creator in it.
    pub default_team: bool,
    /// With `teams`: teams per organization (none = unlimited).
    pub maximum_teams: Option<u32>,
    /// With `teams`: members per team (none = unlimited).
    pub maximum_members_per_team: Option<u32>,
    /// With `teams`: an organization's last team may be removed.
    pub allow_removing_all_teams: bool,
    /// With `dynamic_access_control`: roles an organization may define (none = unlimited).
    pub maximum_roles_per_organization: Option<u32>,
}

impl Default for OrganizationOptions {
    fn default() -> Self {
        Self {
            teams: false,
            dynamic_access_control: false,
            allow_user_to_create_organization: true,
            organization_limit: None,
            membership_limit: 100,
            creator_role: "owner".into(),
            invitation_expires_in: Seconds(48 * 3600),
            require_email_verification_on_invitation: false,
            default_team: true,
            maximum_teams: None,
            maximum_members_per_team: None,
            allow_removing_all_teams: false,
            maximum_roles_per_organization: None,
        }
    }
}

impl PluginOptions for OrganizationOptions {
    fn schema_flags(&self) -> Vec<&'static str> {
        let mut on = Vec::new();
        if self.teams {
            on.push("organization.teams");
        }
        if self.dynamic_access_control {
            on.push("organization.dynamic_access_control");
        }
        on
    }

    /// The limits, the creator's role and the invitation lifetime, then the team and role options.
    fn check(&self, _: &Context, issues: &mut Vec<Issue>) {
        if self.membership_limit == 0 {
            issues.push(Issue::new(
                &["plugins", "organization", "membership_limit"],
                "`membership_limit` must be at least 1 (the creator is a member)",
            ));
        }
        if self.creator_role.trim().is_empty() {
            issues.push(Issue::new(
                &["plugins", "organization", "creator_role"],
                "`creator_role` must not be empty",
            ));
        } else if !["owner", "admin", "member"].contains(&self.creator_role.as_str()) {
            issues.push(
                Issue::new(
                    &["plugins", "organization", "creator_role"],
                    format!("unknown creator role `{}`", self.creator_role),
                )
                .help("the roles are Better Auth's built-in `owner`, `admin` and `member`"),
            );
        }
        if self.invitation_expires_in.0 == 0 {
            issues.push(Issue::new(
                &["plugins", "organization", "invitation_expires_in"],
                "`invitation_expires_in` must be longer than 0s",
            ));
        }
        self.check_features(issues);
    }

    fn template_values(&self, _: &Context) -> serde_json::Value {
        serde_json::json!({
            "allow_user_to_create_organization": rust_bool(self.allow_user_to_create_organization),
            "organization_limit": optional_number(self.organization_limit),
            "membership_limit": self.membership_limit,
            "creator_role": rust_str(&self.creator_role),
            "invitation_expires_in": self.invitation_expires_in.0,
            "require_email_verification_on_invitation": rust_bool(self.require_email_verification_on_invitation),
            "teams": self.teams,
            "default_team": self.default_team,
            "maximum_teams": optional_number(self.maximum_teams),
            "maximum_members_per_team": optional_number(self.maximum_members_per_team),
            "allow_removing_all_teams": rust_bool(self.allow_removing_all_teams),
            "dynamic_access_control": self.dynamic_access_control,
            "maximum_roles_per_organization": optional_number(self.maximum_roles_per_organization),
        })
    }
}

impl OrganizationOptions {
    /// The team and role options: limits of at least 1, each only with its feature on.
    fn check_features(&self, issues: &mut Vec<Issue>) {
        let limits = [
            ("maximum_teams", self.maximum_teams),
            ("maximum_members_per_team", self.maximum_members_per_team),
            (
                "maximum_roles_per_organization",
                self.maximum_roles_per_organization,
            ),
        ];
        for (key, limit) in limits {
            if limit == Some(0) {
                issues.push(
                    Issue::new(
                        &["plugins", "organization", key],
                        format!("`{key}` must be at least 1"),
                    )
                    .help(format!("remove `{key}` for no limit")),
                );
            }
        }
        if !self.teams {
            let defaults = Self::default();
            let set = [
                ("default_team", self.default_team != defaults.default_team),
                ("maximum_teams", self.maximum_teams.is_some()),
                (
                    "maximum_members_per_team",
                    self.maximum_members_per_team.is_some(),
                ),
                (
                    "allow_removing_all_teams",
                    self.allow_removing_all_teams != defaults.allow_removing_all_teams,
                ),
            ];
            for (key, _) in set.into_iter().filter(|(_, set)| *set) {
                issues.push(
                    Issue::new(
                        &["plugins", "organization", key],
                        format!("`{key}` is a team option, and teams are off"),
                    )
                    .help("add `teams = true`, or remove the option"),
                );
            }
        }
        if !self.dynamic_access_control && self.maximum_roles_per_organization.is_some() {
            issues.push(
                Issue::new(
                    &["plugins", "organization", "maximum_roles_per_organization"],
                    "`maximum_roles_per_organization` limits roles defined at runtime, and dynamic access control is off",
                )
                .help("add `dynamic_access_control = true`, or remove the option"),
            );
        }
    }
}
