import { demoAgentToAgent as contract } from "@/lib/api/demo";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { agentToAgent } from "@/lib/demo/demo";

/** The body is sent exactly as the demo agent signed it. */
export const POST = handle(contract, async ({ req, principal }) => {
  if (principal.type !== "signed_agent") throw new Error("unreachable: the contract accepts signed agents only");
  const { body, headers } = await agentToAgent(db(), principal.agent, { method: req.method, url: req.url });
  return new Response(body, { status: 200, headers: { ...headers, "content-type": "application/json" } });
});
