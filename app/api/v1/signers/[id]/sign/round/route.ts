import { userSignRound } from "@/lib/api/signing";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";
import type { Message } from "@/lib/mpc";
import { PARTY } from "@/lib/signing/ceremonies";
import type { AuthenticatedBlame } from "@/lib/signing/message-auth";
import { signRound } from "@/lib/signing/round";

export const POST = handle(userSignRound, async ({ params, body, principal }) => {
  const view = await signRound(db(), { organizationId: orgOf(principal), signerId: params.id, clientParty: PARTY.user, sessionId: body.sessionId, seq: body.seq, messages: body.messages as Message[], after: body.after, abort: body.abort as AuthenticatedBlame | undefined, identityCertificate: body.identityCertificate });
  return { status: 200, body: view };
});
