import { signSession } from "@/lib/api/signing";
import { openSignSession } from "@/lib/approvals/open-session";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { signerOfKey } from "@/lib/signing/agent-principal";
import { mpcProfile } from "@/lib/signing/profile";

export const POST = handle(signSession, async ({ body, principal, ctx }) => {
  const { organizationId, signerId } = signerOfKey(principal);
  return openSignSession(db(), { organizationId, signerId, mode: "signer_server", sign: { kind: "transaction", transaction: body.transaction }, clientNonce: body.clientNonce, identityKey: body.identityKey, identityCertificate: body.identityCertificate, profile: mpcProfile(), audit: { actor: actorOf(principal), context: ctx } });
});
