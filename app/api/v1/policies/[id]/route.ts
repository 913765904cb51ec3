import { deletePolicy as deleteContract, updatePolicy as updateContract } from "@/lib/api/policies";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";
import { deletePolicy, publicPolicy, updatePolicy } from "@/lib/policy/store";

export const PATCH = handle(updateContract, async ({ params, body, principal, ctx }) => {
  const organizationId = orgOf(principal);
  const p = await db().$transaction(async (tx) => {
    const updated = await updatePolicy(tx, organizationId, params.id, body);
    await recordAudit(tx, { organizationId, actor: actorOf(principal), action: "policy.updated", resourceType: "policy", resourceId: updated.id, details: { signerId: updated.signerId, type: updated.type, version: updated.version, ...body }, context: ctx });
    return updated;
  });
  return { status: 200, body: { policy: publicPolicy(p) } };
});

export const DELETE = handle(deleteContract, async ({ params, principal, ctx }) => {
  const organizationId = orgOf(principal);
  await db().$transaction(async (tx) => {
    const p = await deletePolicy(tx, organizationId, params.id);
    await recordAudit(tx, { organizationId, actor: actorOf(principal), action: "policy.deleted", resourceType: "policy", resourceId: p.id, details: { signerId: p.signerId, type: p.type }, context: ctx });
  });
  return { status: 204, body: undefined };
});
