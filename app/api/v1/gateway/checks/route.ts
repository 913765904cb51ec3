import { listChecks as contract } from "@/lib/api/gateway";
import { db } from "@/lib/db/client";
import { listChecks } from "@/lib/gateway/checks";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";

export const GET = handle(contract, async ({ query, principal }) => {
  const items = await listChecks(db(), orgOf(principal), { agentId: query.agent_id, tool: query.tool, decision: query.decision, limit: query.limit, offset: query.offset });
  return { status: 200, body: { items } };
});
