import { dkgAgentConfirm } from "@/lib/api/signers";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { ConflictError } from "@/lib/http/errors";
import { handle } from "@/lib/http/handle";
import { authenticateAgent, confirmAgent } from "@/lib/signing/agent-join";
import { PUBLIC_KEY_MISMATCH, publicSigner } from "@/lib/signing/signers";

/** The agent confirms the public key; the signer's API key goes to the agent only (a lost answer may be re-asked briefly, revoking the unseen key). */
export const POST = handle(dkgAgentConfirm, async ({ req, body, ctx }) => {
  const agent = await authenticateAgent(db(), req);
  const actor = { type: "anonymous" as const, label: `agent with ceremony token ${agent.tokenPrefix}` };
  const { organizationId, signerId, id: ceremonyId } = agent.ceremony;
  const r = await db().$transaction(async (tx) => {
    const r = await confirmAgent(tx, agent, body.publicKey);
    if (r.kind === "mismatch") {
      await recordAudit(tx, { organizationId, actor, action: "signer.agent_confirmed", resourceType: "signer", resourceId: signerId, outcome: "failure", details: { ceremonyId, reason: "public key mismatch" }, context: ctx });
      return r;
    }
    await recordAudit(tx, { organizationId, actor, action: "signer.agent_confirmed", resourceType: "signer", resourceId: signerId, details: { ceremonyId, address: r.signer.address, signerKey: r.apiKey.prefix, ...(r.reissued ? { reissued: true } : {}) }, context: ctx });
    if (r.activated) await recordAudit(tx, { organizationId, actor, action: "signer.activated", resourceType: "signer", resourceId: signerId, details: { address: r.signer.address, agentParty: "remote" }, context: ctx });
    return r;
  });
  // The failed status is committed before answering.
  if (r.kind === "mismatch") throw new ConflictError(PUBLIC_KEY_MISMATCH);
  return { status: 200, body: { signer: publicSigner(r.signer), apiKey: r.apiKey }, headers: { "cache-control": "no-store" } };
});
