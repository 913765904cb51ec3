import { signComplete } from "@/lib/api/signing";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { signerOfKey } from "@/lib/signing/agent-principal";
import { PARTY } from "@/lib/signing/ceremonies";
import { completeSignSession } from "@/lib/signing/sign-sessions";

export const POST = handle(signComplete, async ({ body, principal, ctx }) => {
  const { organizationId, signerId } = signerOfKey(principal);
  const r = await completeSignSession(db(), { organizationId, signerId, sessionId: body.sessionId, clientParty: PARTY.agent, expect: "transaction" });
  if (r.kind !== "transaction") throw new Error("unreachable");
  if (!r.alreadyBroadcast) {
    await recordAudit(db(), { organizationId, actor: actorOf(principal), action: "signing.broadcast", resourceType: "signer", resourceId: signerId, details: { sessionId: body.sessionId, txHash: r.txHash }, context: ctx });
  }
  return { status: 200, body: { txHash: r.txHash, signature: r.signature, from: r.signer.address!, chainId: r.signer.chainId } };
});
