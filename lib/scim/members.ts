import { assertCanAdd } from "@/lib/billing/limits";
import type { DbOrTx } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { ConflictError } from "@/lib/http/errors";
import { env } from "@/lib/config/env";
import { sendMail } from "@/lib/mail/mailer";

/**
 * What a SCIM User means for the organization (conflict C14): a membership whose role comes from
 * the user's groups. A user without a verified account is an invitation (it becomes the membership
 * when the person signs up with a passkey and verifies the address, lib/orgs/organizations.ts
 * `acceptInvitations`); `active: false` and DELETE remove the membership and end the sessions that
 * were working in this organization at once. The last owner is never removed or demoted (409).
 */

export const ROLE_RANK: Record<Role, number> = { viewer: 1, approver: 2, admin: 3, owner: 4 };
export const ROLES: Role[] = ["owner", "admin", "approver", "viewer"];
/** Without a group that maps to a role, a provisioned user reads. */
export const DEFAULT_ROLE: Role = "viewer";

/** A group named like a role (any case) grants that role by itself. */
export function roleForGroupName(name: string): Role | null {
  const n = name.trim().toLowerCase();
  return (ROLES as string[]).includes(n) ? (n as Role) : null;
}

/** The highest role among the groups', or null when none of them grants one. */
export function highestRole(roles: (Role | null)[]): Role | null {
  return roles.filter((r): r is Role => r !== null).sort((a, b) => ROLE_RANK[b] - ROLE_RANK[a])[0] ?? null;
}

export type MembershipChange =
  | { kind: "member.added" | "member.role_changed" | "member.removed"; userId: string; role: Role; from?: Role }
  | { kind: "member.invited" | "invitation.updated" | "invitation.revoked"; invitationId: string; role: Role };

async function assertOtherOwner(db: DbOrTx, organizationId: string, userId: string) {
  const others = await db.membership.count({ where: { organizationId, role: "owner", userId: { not: userId } } });
  if (others === 0) throw new ConflictError("The last owner of the organization cannot be removed or demoted");
}

/** The user's role from their groups right now (null: no group grants one). */
export async function roleOfScimUser(db: DbOrTx, scimUserId: string): Promise<Role | null> {
  const groups = await db.scimGroupMember.findMany({ where: { userId: scimUserId }, select: { group: { select: { role: true } } } });
  return highestRole(groups.map((g) => g.group.role));
}

/** Removes the membership (or pending invitation) of `email` and revokes the sessions working in this organization. */
export async function deprovision(db: DbOrTx, organizationId: string, email: string, now = new Date()): Promise<MembershipChange[]> {
  const out: MembershipChange[] = [];
  const user = await db.user.findUnique({ where: { email } });
  if (user) {
    const m = await db.membership.findUnique({ where: { organizationId_userId: { organizationId, userId: user.id } } });
    if (m) {
      if (m.role === "owner") await assertOtherOwner(db, organizationId, user.id);
      await db.membership.delete({ where: { id: m.id } });
      await db.session.updateMany({ where: { userId: user.id, activeOrganizationId: organizationId, revokedAt: null }, data: { revokedAt: now } });
      out.push({ kind: "member.removed", userId: user.id, role: m.role });
    }
  }
  const inv = await db.invitation.findUnique({ where: { organizationId_email: { organizationId, email } } });
  if (inv && !inv.acceptedAt) {
    await db.invitation.delete({ where: { id: inv.id } });
    out.push({ kind: "invitation.revoked", invitationId: inv.id, role: inv.role });
  }
  return out;
}

/**
 * The role a person had before the identity provider linked them (their membership's, else a pending
 * invitation's, else DEFAULT_ROLE): it stays theirs while none of their groups grants a role, so
 * linking the owner's own account does not demote them.
 */
export async function baseRoleOf(db: DbOrTx, organizationId: string, email: string): Promise<Role> {
  const m = await db.membership.findFirst({ where: { organizationId, user: { email, emailVerifiedAt: { not: null } } }, select: { role: true } });
  if (m) return m.role;
  const inv = await db.invitation.findFirst({ where: { organizationId, email, acceptedAt: null }, select: { role: true } });
  return inv?.role ?? DEFAULT_ROLE;
}

/**
 * Makes the organization's membership of `email` match the SCIM user: present with the role of its
 * groups (its base role when none grants one) when active (an invitation, mailed once, until the
 * address belongs to a verified account), absent when not.
 */
export async function provision(db: DbOrTx, organizationId: string, su: { email: string; active: boolean; baseRole: Role }, groupRole: Role | null): Promise<MembershipChange[]> {
  if (!su.active) return deprovision(db, organizationId, su.email);
  const role = groupRole ?? su.baseRole;
  const user = await db.user.findUnique({ where: { email: su.email } });
  if (user?.emailVerifiedAt) {
    const m = await db.membership.findUnique({ where: { organizationId_userId: { organizationId, userId: user.id } } });
    if (!m) {
      await assertCanAdd(db, organizationId, "members");
      await db.membership.create({ data: { organizationId, userId: user.id, role } });
      await db.invitation.updateMany({ where: { organizationId, email: su.email, acceptedAt: null }, data: { acceptedAt: new Date() } });
      return [{ kind: "member.added", userId: user.id, role }];
    }
    if (m.role === role) return [];
    if (m.role === "owner") await assertOtherOwner(db, organizationId, user.id);
    await db.membership.update({ where: { id: m.id }, data: { role } });
    return [{ kind: "member.role_changed", userId: user.id, role, from: m.role }];
  }
  const inv = await db.invitation.findUnique({ where: { organizationId_email: { organizationId, email: su.email } } });
  if (inv && !inv.acceptedAt) {
    if (inv.role === role) return [];
    await db.invitation.update({ where: { id: inv.id }, data: { role } });
    return [{ kind: "invitation.updated", invitationId: inv.id, role }];
  }
  await assertCanAdd(db, organizationId, "members");
  const row = inv
    ? await db.invitation.update({ where: { id: inv.id }, data: { role, acceptedAt: null, invitedById: null } })
    : await db.invitation.create({ data: { organizationId, email: su.email, role } });
  const org = await db.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { name: true } });
  await sendMail(db, {
    to: su.email,
    subject: `You have been added to ${org.name} on Countersign`,
    text:
      `Your identity provider added you to the organization "${org.name}" on Countersign as ${role}.\n\n` +
      `Create your account with a passkey at ${env().origin}/sign-up using this address (${su.email}), then confirm the address from the mail that follows; ` +
      `the membership is waiting for you.`,
  });
  return [{ kind: "member.invited", invitationId: row.id, role }];
}
