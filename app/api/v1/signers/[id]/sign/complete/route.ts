import { userSignComplete } from "@/lib/api/signing";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";
import { loadCeremony, PARTY } from "@/lib/signing/ceremonies";
import { completeSignSession } from "@/lib/signing/sign-sessions";

export const POST = handle(userSignComplete, async ({ params, body, principal, ctx }) => {
  const organizationId = orgOf(principal);
  const c = await loadCeremony(db(), body.sessionId, organizationId);
  const kind = (c.context as { kind?: string }).kind === "transaction" ? "transaction" : "message";
  const r = await completeSignSession(db(), { organizationId, signerId: params.id, sessionId: body.sessionId, clientParty: PARTY.user, expect: kind });
  if (r.kind === "transaction") {
    if (!r.alreadyBroadcast) await recordAudit(db(), { organizationId, actor: actorOf(principal), action: "signing.broadcast", resourceType: "signer", resourceId: params.id, details: { sessionId: body.sessionId, txHash: r.txHash, mode: "user_server" }, context: ctx });
    return { status: 200, body: { kind: "transaction" as const, txHash: r.txHash, signature: r.signature, from: r.signer.address!, chainId: r.signer.chainId } };
  }
  return { status: 200, body: { kind: "message" as const, v: r.v, r: r.r, s: r.s, signature: r.signature, address: r.signer.address! } };
});
