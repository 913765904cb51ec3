import { listTraces as listContract, postTraces } from "@/lib/api/gateway";
import { db } from "@/lib/db/client";
import { resolveAgent } from "@/lib/gateway/checks";
import { ingestTraces, listTraces } from "@/lib/gateway/traces";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";

export const POST = handle(postTraces, async ({ body, principal }) => {
  const organizationId = orgOf(principal);
  const traces = "traces" in body ? body.traces : [body];
  if (principal.type === "agent") {
    // An agent token reports only its own agent's calls (403 otherwise).
    for (const ref of new Set(traces.map((t) => t.agent_id))) await resolveAgent(db(), organizationId, ref, principal.agentId);
  }
  const ids = await ingestTraces(db(), organizationId, traces);
  return { status: 201, body: { accepted: ids.length, ids } };
});

export const GET = handle(listContract, async ({ query, principal }) => {
  const organizationId = orgOf(principal);
  let agentId = query.agent_id;
  if (principal.type === "agent") {
    const own = await db().agent.findUniqueOrThrow({ where: { id: principal.agentId }, select: { aegisAgentId: true, id: true } });
    agentId = own.aegisAgentId ?? own.id;
  }
  const traces = await listTraces(db(), organizationId, {
    agentId,
    from: query.from ? new Date(query.from) : undefined,
    to: query.to ? new Date(query.to) : undefined,
    blocked: query.blocked === undefined ? undefined : query.blocked === "true",
    limit: query.limit,
    offset: query.offset,
  });
  return { status: 200, body: { traces, limit: query.limit, offset: query.offset } };
});
