import { recordAudit, type AuditActor, type AuditContext } from "@/lib/audit/record";
import { issueCredential, publicCredential, revokeCredential } from "@/lib/auth/credentials";
import { db } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { NotFoundError } from "@/lib/http/errors";
import { roleForGroupName } from "./members";
import { scimBaseUrl } from "./service";
import { mapGroupRole } from "./store";

/**
 * Settings → Provisioning (owners only): the SCIM tokens an identity provider uses (shown once,
 * only SHA-256 stored, scoped to this organization and to SCIM), and which role each custom group grants.
 */

export async function listTokens(organizationId: string) {
  const rows = await db().credential.findMany({ where: { organizationId, kind: "scim_token" }, orderBy: { createdAt: "desc" } });
  return { tokens: rows.map(publicCredential), baseUrl: scimBaseUrl() };
}

export async function createToken(input: { organizationId: string; userId: string; name: string; actor: AuditActor; context: AuditContext }) {
  const { credential, secret } = await db().$transaction(async (tx) => {
    const issued = await issueCredential(tx, { organizationId: input.organizationId, kind: "scim_token", name: input.name, scopes: ["scim"], createdById: input.userId });
    await recordAudit(tx, { organizationId: input.organizationId, actor: input.actor, action: "scim_token.created", resourceType: "credential", resourceId: issued.credential.id, details: { name: input.name, prefix: issued.credential.prefix }, context: input.context });
    return issued;
  });
  return { token: publicCredential(credential), secret, baseUrl: scimBaseUrl() };
}

export async function revokeToken(input: { organizationId: string; id: string; actor: AuditActor; context: AuditContext }) {
  await db().$transaction(async (tx) => {
    const row = await tx.credential.findFirst({ where: { id: input.id, organizationId: input.organizationId, kind: "scim_token" } });
    if (!row) throw new NotFoundError("SCIM token not found");
    await revokeCredential(tx, input.organizationId, input.id);
    await recordAudit(tx, { organizationId: input.organizationId, actor: input.actor, action: "scim_token.revoked", resourceType: "credential", resourceId: input.id, details: { prefix: row.prefix }, context: input.context });
  });
}

function mapping(g: { id: string; displayName: string; externalId: string | null; role: Role | null; _count: { members: number } }) {
  return { id: g.id, displayName: g.displayName, externalId: g.externalId, role: g.role, byName: roleForGroupName(g.displayName) !== null, members: g._count.members };
}

export async function listGroupMappings(organizationId: string) {
  const [groups, total, active] = await Promise.all([
    db().scimGroup.findMany({ where: { organizationId }, orderBy: { displayName: "asc" }, include: { _count: { select: { members: true } } }, take: 500 }),
    db().scimUser.count({ where: { organizationId } }),
    db().scimUser.count({ where: { organizationId, active: true } }),
  ]);
  return { groups: groups.map(mapping), users: { total, active } };
}

export async function setGroupRole(input: { organizationId: string; id: string; role: Role | null; actor: AuditActor; context: AuditContext }) {
  return db().$transaction(async (tx) => {
    const r = await mapGroupRole(tx, input.organizationId, input.id, input.role);
    await recordAudit(tx, { organizationId: input.organizationId, actor: input.actor, action: "scim.group.role_mapped", resourceType: "scim_group", resourceId: input.id, details: { displayName: r.row.displayName, role: input.role }, context: input.context });
    for (const c of r.membership) {
      const target = "userId" in c ? { resourceType: "membership", resourceId: c.userId } : { resourceType: "invitation", resourceId: c.invitationId };
      await recordAudit(tx, { organizationId: input.organizationId, actor: input.actor, action: c.kind, ...target, details: { role: c.role, via: "scim" }, context: input.context });
    }
    const g = await tx.scimGroup.findUniqueOrThrow({ where: { id: input.id }, include: { _count: { select: { members: true } } } });
    return { group: mapping(g) };
  });
}
