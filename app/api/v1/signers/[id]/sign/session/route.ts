import { userSignSession } from "@/lib/api/signing";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";
import { mpcProfile } from "@/lib/signing/profile";
import { startSignSession, type SignInput } from "@/lib/signing/sign-sessions";

export const POST = handle(userSignSession, async ({ params, body, principal, ctx }) => {
  const organizationId = orgOf(principal);
  const sign: SignInput = "transaction" in body ? { kind: "transaction", transaction: body.transaction } : "typedData" in body ? { kind: "typed_data", typedData: body.typedData as never } : { kind: "message", message: body.message };
  const s = await startSignSession(db(), { organizationId, signerId: params.id, mode: "user_server", sign, clientNonce: body.clientNonce, profile: mpcProfile() });
  await recordAudit(db(), { organizationId, actor: actorOf(principal), action: "signing.session_started", resourceType: "signer", resourceId: params.id, details: { sessionId: s.sessionId, mode: "user_server", kind: sign.kind, messageHash: s.messageHash }, context: ctx });
  const { signer: _signer, ...view } = s;
  return { status: 201, body: view };
});
