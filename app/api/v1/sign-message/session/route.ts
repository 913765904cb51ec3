import { signMessageSession } from "@/lib/api/signing";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { signerOfKey } from "@/lib/signing/agent-principal";
import { mpcProfile } from "@/lib/signing/profile";
import { startSignSession, type SignInput } from "@/lib/signing/sign-sessions";

export const POST = handle(signMessageSession, async ({ body, principal, ctx }) => {
  const { organizationId, signerId } = signerOfKey(principal);
  const sign: SignInput = "typedData" in body ? { kind: "typed_data", typedData: body.typedData as never } : { kind: "message", message: body.message };
  const s = await startSignSession(db(), { organizationId, signerId, mode: "signer_server", sign, clientNonce: body.clientNonce, profile: mpcProfile() });
  await recordAudit(db(), { organizationId, actor: actorOf(principal), action: "signing.session_started", resourceType: "signer", resourceId: signerId, details: { sessionId: s.sessionId, mode: "signer_server", kind: sign.kind, messageHash: s.messageHash }, context: ctx });
  const { signer: _signer, ...view } = s;
  return { status: 201, body: view };
});
