import { listAnomalies as contract } from "@/lib/api/gateway";
import { db } from "@/lib/db/client";
import { listAnomalies } from "@/lib/gateway/checks";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";

export const GET = handle(contract, async ({ query, principal }) => {
  const anomalies = await listAnomalies(db(), orgOf(principal), { minScore: query.min_score, agentId: query.agent_id, decision: query.decision, limit: query.limit, offset: query.offset });
  return { status: 200, body: { anomalies } };
});
