import { createAgent as createContract, listAgents as listContract } from "@/lib/api/agents";
import { createAgent, listAgents, viewOf } from "@/lib/agents/registry";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";

export const GET = handle(listContract, async ({ query, principal }) => {
  const page = await listAgents(db(), { organizationId: orgOf(principal), status: query.status, cursor: query.cursor ?? null, limit: query.limit });
  return { status: 200, body: page };
});

export const POST = handle(createContract, async ({ body, principal, ctx }) => {
  const organizationId = orgOf(principal);
  const createdById = principal.type === "user" ? principal.userId : null;
  const agent = await db().$transaction(async (tx) => {
    const a = await createAgent(tx, { organizationId, createdById, name: body.name, description: body.description, ownerId: body.ownerId, identifiers: body.identifiers });
    await recordAudit(tx, { organizationId, actor: actorOf(principal), action: "agent.created", resourceType: "agent", resourceId: a.id, details: { name: a.name, identifiers: body.identifiers ?? {} }, context: ctx });
    return a;
  });
  return { status: 201, body: { agent: await viewOf(db(), agent) } };
});
