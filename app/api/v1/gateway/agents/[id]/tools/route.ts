import { getAgentTools as getContract, putAgentTools as putContract } from "@/lib/api/gateway";
import { db } from "@/lib/db/client";
import { getAgentTools, setAgentTools } from "@/lib/gateway/agent-tools";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";

export const GET = handle(getContract, async ({ params, principal }) => ({
  status: 200,
  body: await getAgentTools(db(), orgOf(principal), params.id, principal.type === "agent" ? principal.agentId : null),
}));

export const PUT = handle(putContract, async ({ params, body, principal, ctx }) => {
  const organizationId = orgOf(principal);
  const view = await db().$transaction((tx) => setAgentTools(tx, { organizationId, agentRef: params.id, allowedTools: body.allowed_tools, actor: actorOf(principal), context: ctx }));
  return { status: 200, body: view };
});
