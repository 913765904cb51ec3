import { getPairingInfo as contract } from "@/lib/api/approvals";
import { agentOf, assertSameAgent, pairingInfo } from "@/lib/approvals/agents";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { NotFoundError } from "@/lib/http/errors";
import { orgOf } from "@/lib/http/scope";
import { getAddress } from "viem";

export const GET = handle(contract, async ({ query, principal }) => {
  let agent;
  if (principal.type === "credential") {
    agent = await agentOf(db(), principal);
    assertSameAgent(agent, query.agent);
  } else {
    agent = await db().approvalAgent.findFirst({ where: { organizationId: orgOf(principal), address: getAddress(query.agent) } });
    if (!agent) throw new NotFoundError(`No agent ${getAddress(query.agent)} is paired`);
  }
  return { status: 200, body: pairingInfo(agent, query.mode) };
});
