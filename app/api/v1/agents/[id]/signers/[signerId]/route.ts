import { attachSigner as contract } from "@/lib/api/agents";
import { attachSigner, viewOf } from "@/lib/agents/registry";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";

export const PUT = handle(contract, async ({ params, principal, ctx }) => {
  const organizationId = orgOf(principal);
  const agent = await db().$transaction(async (tx) => {
    const r = await attachSigner(tx, organizationId, params.id, params.signerId);
    await recordAudit(tx, { organizationId, actor: actorOf(principal), action: "agent.signer_attached", resourceType: "agent", resourceId: r.agent.id, details: { signerId: r.signer.id, signerName: r.signer.name, previousAgentId: r.previousAgentId }, context: ctx });
    return r.agent;
  });
  return { status: 200, body: { agent: await viewOf(db(), agent) } };
});
