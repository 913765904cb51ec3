import { removeMember, updateMember } from "@/lib/api/organizations";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf, roleOf } from "@/lib/http/scope";
import { removeMember as remove, updateMemberRole } from "@/lib/orgs/members";

export const PATCH = handle(updateMember, async ({ params, body, principal, ctx }) => {
  const organizationId = orgOf(principal);
  const member = await db().$transaction(async (tx) => {
    const r = await updateMemberRole(tx, { organizationId, actorRole: roleOf(principal), userId: params.userId, role: body.role });
    await recordAudit(tx, { organizationId, actor: actorOf(principal), action: "member.role_changed", resourceType: "membership", resourceId: params.userId, details: { from: r.before, to: body.role }, context: ctx });
    return r.member;
  });
  return { status: 200, body: { member } };
});

export const DELETE = handle(removeMember, async ({ params, principal, ctx }) => {
  const organizationId = orgOf(principal);
  await db().$transaction(async (tx) => {
    const m = await remove(tx, { organizationId, actorRole: roleOf(principal), userId: params.userId });
    await recordAudit(tx, { organizationId, actor: actorOf(principal), action: "member.removed", resourceType: "membership", resourceId: params.userId, details: { role: m.role }, context: ctx });
  });
  return { status: 204, body: undefined };
});
