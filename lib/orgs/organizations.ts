import type { DbOrTx } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";

export async function createOrganization(db: DbOrTx, input: { name: string; ownerId: string }) {
  return db.organization.create({
    data: { name: input.name, memberships: { create: { userId: input.ownerId, role: "owner" } } },
  });
}

export function personalOrganizationName(user: { name: string | null; email: string | null; walletAddress: string | null }): string {
  const who = user.name?.trim() || user.email?.split("@")[0] || (user.walletAddress ? `${user.walletAddress.slice(0, 6)}…${user.walletAddress.slice(-4)}` : "My");
  return `${who}'s organization`;
}

/** Turns pending invitations for a verified email into memberships. */
export async function acceptInvitations(db: DbOrTx, user: { id: string; email: string }, now = new Date()) {
  const invitations = await db.invitation.findMany({ where: { email: user.email.toLowerCase(), acceptedAt: null } });
  const joined: { organizationId: string; role: Role }[] = [];
  for (const inv of invitations) {
    await db.membership.upsert({
      where: { organizationId_userId: { organizationId: inv.organizationId, userId: user.id } },
      create: { organizationId: inv.organizationId, userId: user.id, role: inv.role },
      update: {},
    });
    await db.invitation.update({ where: { id: inv.id }, data: { acceptedAt: now } });
    joined.push({ organizationId: inv.organizationId, role: inv.role });
  }
  return joined;
}
