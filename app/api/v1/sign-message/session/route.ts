import { signMessageSession } from "@/lib/api/signing";
import { openSignSession } from "@/lib/approvals/open-session";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { signerOfKey } from "@/lib/signing/agent-principal";
import { mpcProfile } from "@/lib/signing/profile";
import type { SignInput } from "@/lib/signing/sign-sessions";

export const POST = handle(signMessageSession, async ({ body, principal, ctx }) => {
  const { organizationId, signerId } = signerOfKey(principal);
  const sign: SignInput = "typedData" in body ? { kind: "typed_data", typedData: body.typedData as never } : { kind: "message", message: body.message };
  return openSignSession(db(), { organizationId, signerId, mode: "signer_server", sign, clientNonce: body.clientNonce, identityKey: body.identityKey, identityCertificate: body.identityCertificate, profile: mpcProfile(), audit: { actor: actorOf(principal), context: ctx } });
});
