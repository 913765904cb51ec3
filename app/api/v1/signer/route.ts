import { signerStatus } from "@/lib/api/signing";
import { identifiersOf } from "@/lib/agents/model";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { signerOfKey } from "@/lib/signing/agent-principal";
import { getSigner } from "@/lib/signing/signers";

export const GET = handle(signerStatus, async ({ principal }) => {
  const { organizationId, signerId } = signerOfKey(principal);
  const s = await getSigner(db(), organizationId, signerId);
  const a = s.agentId ? await db().agent.findUnique({ where: { id: s.agentId } }) : null;
  const agent = a ? { id: a.id, name: a.name, description: a.description, status: a.status, identifiers: identifiersOf(a), pausedAt: a.pausedAt?.toISOString() ?? null } : null;
  return { status: 200, body: { signer: { id: s.id, name: s.name, status: s.status, chainId: s.chainId, address: s.address, agentId: s.agentId }, agent } };
});
