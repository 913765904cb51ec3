import { getRequest as contract } from "@/lib/api/approvals";
import { agentOf } from "@/lib/approvals/agents";
import { getRequest } from "@/lib/approvals/requests";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";

export const GET = handle(contract, async ({ params, principal }) => {
  if (principal.type === "credential") {
    const agent = await agentOf(db(), principal);
    return { status: 200, body: await getRequest(db(), agent.organizationId, params.id, agent.id) };
  }
  return { status: 200, body: await getRequest(db(), orgOf(principal), params.id) };
});
