import { createPolicy as createContract, listPolicies as listContract } from "@/lib/api/policies";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";
import { createPolicy, listPolicies, publicPolicy } from "@/lib/policy/store";
import { getSigner } from "@/lib/signing/signers";

export const GET = handle(listContract, async ({ params, principal }) => {
  const s = await getSigner(db(), orgOf(principal), params.id);
  return { status: 200, body: { policies: (await listPolicies(db(), s.id)).map(publicPolicy) } };
});

export const POST = handle(createContract, async ({ params, body, principal, ctx }) => {
  const organizationId = orgOf(principal);
  const s = await getSigner(db(), organizationId, params.id);
  const p = await db().$transaction(async (tx) => {
    const created = await createPolicy(tx, { organizationId, signerId: s.id, type: body.type, config: body.config, enabled: body.enabled, createdById: principal.type === "user" ? principal.userId : null });
    await recordAudit(tx, { organizationId, actor: actorOf(principal), action: "policy.created", resourceType: "policy", resourceId: created.id, details: { signerId: s.id, type: created.type, version: created.version, config: body.config }, context: ctx });
    return created;
  });
  return { status: 201, body: { policy: publicPolicy(p) } };
});
