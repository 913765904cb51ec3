import { userSignSessionStatus as contract } from "@/lib/api/signing";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";
import { PARTY } from "@/lib/signing/ceremonies";
import { signSessionStatus } from "@/lib/signing/sign-sessions";

export const GET = handle(contract, async ({ params, principal }) => {
  return { status: 200, body: await signSessionStatus(db(), { organizationId: orgOf(principal), signerId: params.id, sessionId: params.sessionId, clientParty: PARTY.user }) };
});
