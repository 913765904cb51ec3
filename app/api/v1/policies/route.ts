import { createToolPolicy as createContract, listToolPolicies as listContract } from "@/lib/api/gateway";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { createToolPolicy, listToolPolicies } from "@/lib/gateway/policies";
import { TEMPLATE_NAMES, templateInfo } from "@/lib/gateway/templates";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";

export const GET = handle(listContract, async ({ principal }) => {
  const policies = await listToolPolicies(db(), orgOf(principal));
  const templates = TEMPLATE_NAMES.map((n) => {
    const t = templateInfo(n);
    return { name: t.name, title: t.title, description: t.description, risk_level: t.risk_level, options: t.options as string[] };
  });
  return { status: 200, body: { policies, templates } };
});

export const POST = handle(createContract, async ({ body, principal, ctx }) => {
  const organizationId = orgOf(principal);
  const policy = await db().$transaction(async (tx) => {
    const p = await createToolPolicy(tx, organizationId, body, principal.type === "user" ? principal.userId : null);
    await recordAudit(tx, { organizationId, actor: actorOf(principal), action: "gateway.policy.created", resourceType: "gateway_policy", resourceId: p.id, details: { name: p.name, risk_level: p.risk_level, on_match: p.on_match, template: p.template, version: p.version }, context: ctx });
    return p;
  });
  return { status: 201, body: { policy } };
});
