import { signMessageComplete } from "@/lib/api/signing";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { signerOfKey } from "@/lib/signing/agent-principal";
import { PARTY } from "@/lib/signing/ceremonies";
import { completeSignSession } from "@/lib/signing/sign-sessions";

export const POST = handle(signMessageComplete, async ({ body, principal }) => {
  const { organizationId, signerId } = signerOfKey(principal);
  const r = await completeSignSession(db(), { organizationId, signerId, sessionId: body.sessionId, clientParty: PARTY.agent, expect: "message" });
  if (r.kind !== "message") throw new Error("unreachable");
  return { status: 200, body: { v: r.v, r: r.r, s: r.s, signature: r.signature, address: r.signer.address! } };
});
