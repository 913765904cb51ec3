import { check } from "@/lib/api/gateway";
import { db } from "@/lib/db/client";
import { runCheck } from "@/lib/gateway/checks";
import { checkResponse } from "@/lib/gateway/present";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";

export const POST = handle(check, async ({ body, principal }) => {
  const { view } = await runCheck(db(), {
    organizationId: orgOf(principal),
    agentRef: body.agent_id,
    toolName: body.tool_name,
    arguments: body.arguments ?? {},
    tokenAgentId: principal.type === "agent" ? principal.agentId : null,
  });
  return { status: 200, body: checkResponse(view) };
});
