// Runs the organization main flow with Better Auth's own `organizationClient`: an owner creates an
// organization, a team (made active) and a role, and invites a user, who accepts from the mailed
// invitation (read from the server's dev inbox) once their address is verified with the code
// mailed at sign-up (the e2e apps require it), is re-roled and removed; the owner deletes the
// organization.
// usage: node organization.mjs <server base URL> <trusted origin> <dev inbox directory>
import { createAuthClient } from "better-auth/client";
import { browserFetch, newestMail } from "./browser.mjs";
import { emailOTPClient, organizationClient } from "better-auth/client/plugins";

const [baseURL, origin, inbox] = process.argv.slice(2);

// A browser of its own: its own cookie jar.
function browser() {
  const customFetchImpl = browserFetch(origin);
  return createAuthClient({ baseURL, plugins: [organizationClient(), emailOTPClient()], fetchOptions: { customFetchImpl } });
}

const stamp = Date.now();
const ownerEmail = `npm-org-owner-${stamp}@example.com`;
const inviteeEmail = `npm-org-invitee-${stamp}@example.com`;
const owner = browser();
const invitee = browser();
const out = {};
const errorOf = (r) => (r.error ? `${r.error.status} ${r.error.code}` : null);

const signedUp = await owner.signUp.email({ name: "Owner", email: ownerEmail, password: "npm org password" });
const ownerId = signedUp.data?.user?.id;
await invitee.signUp.email({ name: "Invitee", email: inviteeEmail, password: "npm org password" });
const verificationCode = newestMail(inbox, "email-verification-otp", inviteeEmail)?.code;
await invitee.emailOtp.verifyEmail({ email: inviteeEmail, otp: verificationCode });

let r = await owner.organization.create({ name: "Npm Org", slug: "npm-org" });
out.create = errorOf(r) ?? r.data.slug;
const organizationId = r.data?.id;
out.ownerRole = r.data?.members?.[0]?.role ?? null;
r = await owner.organization.checkSlug({ slug: "npm-org" });
out.checkSlug = errorOf(r) ?? r.data;
r = await owner.organization.list();
out.list = errorOf(r) ?? r.data.map((o) => o.slug);
// Teams and roles defined at runtime (the e2e apps turn both on).
r = await owner.organization.listTeams();
out.defaultTeam = errorOf(r) ?? r.data.map((t) => t.name);
r = await owner.organization.createTeam({ name: "Npm Team" });
out.createTeam = errorOf(r) ?? r.data.name;
const teamId = r.data?.id;
r = await owner.organization.addTeamMember({ teamId, userId: ownerId });
out.addTeamMember = errorOf(r) ?? r.data.teamId === teamId;
r = await owner.organization.setActiveTeam({ teamId });
out.setActiveTeam = errorOf(r) ?? r.data.name;
r = await owner.getSession();
out.activeTeam = r.data?.session?.activeTeamId === teamId;
r = await owner.organization.createRole({ role: "npm-role", permission: { member: ["update"] } });
out.createRole = errorOf(r) ?? r.data.roleData.role;
r = await owner.organization.listRoles();
out.listRoles = errorOf(r) ?? r.data.map((role) => role.role);
r = await owner.organization.inviteMember({ email: inviteeEmail, role: "admin" });
out.invite = errorOf(r) ?? r.data.status;

const invitationId = newestMail(inbox, "organization-invitation", inviteeEmail)?.url.split("/").pop();
r = await invitee.organization.getInvitation({ query: { id: invitationId } });
out.getInvitation = errorOf(r) ?? r.data.organizationName;
r = await invitee.organization.acceptInvitation({ invitationId });
out.accept = errorOf(r) ?? r.data.member.role;
r = await invitee.getSession();
out.activeOrganization = r.data?.session?.activeOrganizationId === organizationId;
r = await invitee.organization.getFullOrganization();
out.fullMembers = errorOf(r) ?? r.data.members.length;
r = await invitee.organization.getActiveMember();
out.activeMember = errorOf(r) ?? r.data.role;
r = await invitee.organization.hasPermission({ permissions: { invitation: ["create"] } });
out.canInvite = errorOf(r) ?? r.data.success;
r = await invitee.organization.hasPermission({ permissions: { organization: ["delete"] } });
out.canDelete = errorOf(r) ?? r.data.success;
r = await owner.organization.listMembers({ query: { organizationId } });
out.listMembers = errorOf(r) ?? r.data.total;
const memberId = r.data?.members?.find((m) => m.user.email === inviteeEmail)?.id;
r = await owner.organization.updateMemberRole({ memberId, role: "member" });
out.updateRole = errorOf(r) ?? r.data.role;
r = await owner.organization.removeMember({ memberIdOrEmail: inviteeEmail });
out.remove = errorOf(r) ?? r.data.member.id === memberId;
r = await invitee.organization.list();
out.listAfterRemoval = errorOf(r) ?? r.data.map((o) => o.slug);
r = await owner.organization.delete({ organizationId });
out.delete = errorOf(r) ?? r.data.slug;
console.log(JSON.stringify(out));
