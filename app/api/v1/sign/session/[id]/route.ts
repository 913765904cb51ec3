import { signSessionStatus as contract } from "@/lib/api/signing";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { signerOfKey } from "@/lib/signing/agent-principal";
import { PARTY } from "@/lib/signing/ceremonies";
import { signSessionStatus } from "@/lib/signing/sign-sessions";

export const GET = handle(contract, async ({ params, principal }) => {
  const { organizationId, signerId } = signerOfKey(principal);
  return { status: 200, body: await signSessionStatus(db(), { organizationId, signerId, sessionId: params.id, clientParty: PARTY.agent }) };
});
