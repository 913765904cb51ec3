import { getDecision } from "@/lib/api/gateway";
import { db } from "@/lib/db/client";
import { checkLeafIndex, waitForDecision } from "@/lib/gateway/checks";
import { decisionResponse } from "@/lib/gateway/present";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";

export const GET = handle(getDecision, async ({ req, params, query, principal }) => {
  const view = await waitForDecision(db(), orgOf(principal), params.id, query.wait ?? 0, principal.type === "agent" ? principal.agentId : null, req.signal);
  return { status: 200, body: decisionResponse(view, await checkLeafIndex(db(), view.check_id)) };
});
