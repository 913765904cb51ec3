import { listRequests as listContract, submitRequest as submitContract } from "@/lib/api/approvals";
import { agentOf, assertSameAgent } from "@/lib/approvals/agents";
import { listRequests, submitRequest } from "@/lib/approvals/requests";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";

export const POST = handle(submitContract, async ({ body, principal, ctx }) => {
  const agent = await agentOf(db(), principal);
  return { status: 202, body: await submitRequest(db(), agent, body, { audit: ctx }) };
});

export const GET = handle(listContract, async ({ query, principal }) => {
  if (principal.type === "credential") {
    const agent = await agentOf(db(), principal);
    if (query.agent) assertSameAgent(agent, query.agent);
    return { status: 200, body: await listRequests(db(), agent.organizationId, { agentId: agent.id }) };
  }
  return { status: 200, body: await listRequests(db(), orgOf(principal), { agentAddress: query.agent }) };
});
