import { assertCanAdd } from "@/lib/billing/limits";
import type { DbOrTx } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { canAssignRole } from "@/lib/auth/permissions";
import { ConflictError, ForbiddenError, NotFoundError } from "@/lib/http/errors";
import { normalizeEmail } from "@/lib/auth/accounts";

export async function listMembers(db: DbOrTx, organizationId: string) {
  const [members, invitations] = await Promise.all([
    db.membership.findMany({ where: { organizationId }, include: { user: true }, orderBy: { createdAt: "asc" } }),
    db.invitation.findMany({ where: { organizationId, acceptedAt: null }, orderBy: { createdAt: "asc" } }),
  ]);
  return {
    members: members.map(publicMember),
    invitations: invitations.map((i) => ({ id: i.id, email: i.email, role: i.role, createdAt: i.createdAt.toISOString() })),
  };
}

function publicMember(m: { userId: string; role: Role; createdAt: Date; user: { email: string | null; name: string | null } }) {
  return { userId: m.userId, email: m.user.email, name: m.user.name, role: m.role, joinedAt: m.createdAt.toISOString() };
}

/**
 * Adds a verified user directly; anyone else gets an invitation that becomes a membership when
 * that address is verified (so nobody joins an organization by typing someone else's email).
 */
export async function addMember(db: DbOrTx, input: { organizationId: string; actorRole: Role; actorId: string; email: string; role: Role }) {
  if (!canAssignRole(input.actorRole, input.role)) throw new ForbiddenError("Only an owner can grant the owner role");
  await assertCanAdd(db, input.organizationId, "members");
  const email = normalizeEmail(input.email);
  const user = await db.user.findUnique({ where: { email } });
  if (user?.emailVerifiedAt) {
    const existing = await db.membership.findUnique({ where: { organizationId_userId: { organizationId: input.organizationId, userId: user.id } } });
    if (existing) throw new ConflictError("This person is already a member");
    const m = await db.membership.create({ data: { organizationId: input.organizationId, userId: user.id, role: input.role }, include: { user: true } });
    return { member: publicMember(m), invitation: null };
  }
  const existing = await db.invitation.findUnique({ where: { organizationId_email: { organizationId: input.organizationId, email } } });
  if (existing && !existing.acceptedAt) throw new ConflictError("This address already has a pending invitation");
  const inv = existing
    ? await db.invitation.update({ where: { id: existing.id }, data: { role: input.role, acceptedAt: null, invitedById: input.actorId } })
    : await db.invitation.create({ data: { organizationId: input.organizationId, email, role: input.role, invitedById: input.actorId } });
  return { member: null, invitation: { id: inv.id, email: inv.email, role: inv.role, createdAt: inv.createdAt.toISOString() } };
}

/**
 * The owners left, counted under a lock on the organization's row: two demotions or removals of the
 * last two owners, each in its own transaction, are serialized, so the second sees one owner and is
 * refused (callers run these in a transaction, which the lock lasts until).
 */
async function ownerCount(db: DbOrTx, organizationId: string) {
  await db.$queryRaw`SELECT 1 FROM "organizations" WHERE "id" = ${organizationId}::uuid FOR UPDATE`;
  return db.membership.count({ where: { organizationId, role: "owner" } });
}

export async function updateMemberRole(db: DbOrTx, input: { organizationId: string; actorRole: Role; userId: string; role: Role }) {
  const m = await db.membership.findUnique({ where: { organizationId_userId: { organizationId: input.organizationId, userId: input.userId } } });
  if (!m) throw new NotFoundError("Member not found");
  if (!canAssignRole(input.actorRole, m.role) || !canAssignRole(input.actorRole, input.role)) throw new ForbiddenError("Only an owner can change an owner's role or grant it");
  if (m.role === "owner" && input.role !== "owner" && (await ownerCount(db, input.organizationId)) <= 1) throw new ConflictError("An organization needs at least one owner");
  const updated = await db.membership.update({ where: { id: m.id }, data: { role: input.role }, include: { user: true } });
  return { before: m.role, member: publicMember(updated) };
}

export async function removeMember(db: DbOrTx, input: { organizationId: string; actorRole: Role; userId: string }) {
  const m = await db.membership.findUnique({ where: { organizationId_userId: { organizationId: input.organizationId, userId: input.userId } } });
  if (!m) throw new NotFoundError("Member not found");
  if (!canAssignRole(input.actorRole, m.role)) throw new ForbiddenError("Only an owner can remove an owner");
  if (m.role === "owner" && (await ownerCount(db, input.organizationId)) <= 1) throw new ConflictError("The last owner cannot be removed");
  await db.membership.delete({ where: { id: m.id } });
  // Sessions pointing at this organization fall back to another membership on their next request.
  return m;
}
