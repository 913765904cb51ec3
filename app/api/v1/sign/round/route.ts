import { signRound as contract } from "@/lib/api/signing";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import type { Message } from "@/lib/mpc";
import { signerOfKey } from "@/lib/signing/agent-principal";
import { PARTY } from "@/lib/signing/ceremonies";
import type { AuthenticatedBlame } from "@/lib/signing/message-auth";
import { signRound } from "@/lib/signing/round";

export const POST = handle(contract, async ({ body, principal }) => {
  const { organizationId, signerId } = signerOfKey(principal);
  const view = await signRound(db(), { organizationId, signerId, clientParty: PARTY.agent, sessionId: body.sessionId, seq: body.seq, messages: body.messages as Message[], after: body.after, abort: body.abort as AuthenticatedBlame | undefined, identityCertificate: body.identityCertificate });
  return { status: 200, body: view };
});
