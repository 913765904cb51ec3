import { deletePolicy as deleteContract, updatePolicy as updateContract } from "@/lib/api/policies";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { deleteToolPolicy, findToolPolicy, updateToolPolicy } from "@/lib/gateway/policies";
import { BadRequestError, NotFoundError } from "@/lib/http/errors";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";
import { deletePolicy, publicPolicy, updatePolicy } from "@/lib/policy/store";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TOOL_FIELDS = ["name", "description", "policy_schema", "risk_level", "on_match"] as const;

/** Which kind owns the id in this organization: a signer policy (seed 000) or a tool policy (seed 002). Ids never collide. */
async function kindOf(organizationId: string, id: string): Promise<"signer" | "tool"> {
  if (UUID.test(id) && (await db().policy.count({ where: { id, organizationId, deletedAt: null } })) > 0) return "signer";
  if (await findToolPolicy(db(), organizationId, id)) return "tool";
  throw new NotFoundError("Policy not found");
}

export const PATCH = handle(updateContract, async ({ params, body, principal, ctx }) => {
  const organizationId = orgOf(principal);
  if ((await kindOf(organizationId, params.id)) === "tool") {
    if (body.config !== undefined) throw new BadRequestError("A tool policy has no config; send policy_schema", [{ field: "body.config", path: ["body", "config"], message: "Not a field of a tool policy" }]);
    const p = await db().$transaction(async (tx) => {
      const updated = await updateToolPolicy(tx, organizationId, params.id, { ...body, config: undefined } as Parameters<typeof updateToolPolicy>[3]);
      await recordAudit(tx, { organizationId, actor: actorOf(principal), action: "gateway.policy.updated", resourceType: "gateway_policy", resourceId: updated.id, details: { version: updated.version, changed: Object.keys(body).filter((k) => (body as Record<string, unknown>)[k] !== undefined) }, context: ctx });
      return updated;
    });
    return { status: 200, body: { policy: p } };
  }
  const extra = TOOL_FIELDS.find((k) => body[k] !== undefined);
  if (extra) throw new BadRequestError(`A signer policy has no ${extra}`, [{ field: `body.${extra}`, path: ["body", extra], message: "Not a field of a signer policy" }]);
  if (body.config === undefined && body.enabled === undefined) throw new BadRequestError("Nothing to update", [{ field: "body", message: "Nothing to update" }]);
  const p = await db().$transaction(async (tx) => {
    const updated = await updatePolicy(tx, organizationId, params.id, { config: body.config, enabled: body.enabled });
    await recordAudit(tx, { organizationId, actor: actorOf(principal), action: "policy.updated", resourceType: "policy", resourceId: updated.id, details: { signerId: updated.signerId, type: updated.type, version: updated.version, config: body.config, enabled: body.enabled }, context: ctx });
    return updated;
  });
  return { status: 200, body: { policy: publicPolicy(p) } };
});

export const DELETE = handle(deleteContract, async ({ params, principal, ctx }) => {
  const organizationId = orgOf(principal);
  const kind = await kindOf(organizationId, params.id);
  await db().$transaction(async (tx) => {
    if (kind === "tool") {
      const { effect } = await deleteToolPolicy(tx, organizationId, params.id);
      await recordAudit(tx, { organizationId, actor: actorOf(principal), action: "gateway.policy.deleted", resourceType: "gateway_policy", resourceId: params.id, details: { effect }, context: ctx });
      return;
    }
    const p = await deletePolicy(tx, organizationId, params.id);
    await recordAudit(tx, { organizationId, actor: actorOf(principal), action: "policy.deleted", resourceType: "policy", resourceId: p.id, details: { signerId: p.signerId, type: p.type }, context: ctx });
  });
  return { status: 204, body: undefined };
});
