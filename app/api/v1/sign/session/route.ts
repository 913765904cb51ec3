import { signSession } from "@/lib/api/signing";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { signerOfKey } from "@/lib/signing/agent-principal";
import { mpcProfile } from "@/lib/signing/profile";
import { startSignSession } from "@/lib/signing/sign-sessions";

export const POST = handle(signSession, async ({ body, principal, ctx }) => {
  const { organizationId, signerId } = signerOfKey(principal);
  try {
    const s = await startSignSession(db(), { organizationId, signerId, mode: "signer_server", sign: { kind: "transaction", transaction: body.transaction }, clientNonce: body.clientNonce, profile: mpcProfile() });
    await recordAudit(db(), { organizationId, actor: actorOf(principal), action: "signing.session_started", resourceType: "signer", resourceId: signerId, details: { sessionId: s.sessionId, mode: "signer_server", messageHash: s.messageHash, to: s.transaction?.to, value: s.transaction?.value }, context: ctx });
    const { signer: _signer, ...view } = s;
    return { status: 201, body: view };
  } catch (err) {
    if (err instanceof ApiError && (err.status === 403 || err.status === 409)) {
      await recordAudit(db(), { organizationId, actor: actorOf(principal), action: "signing.refused", resourceType: "signer", resourceId: signerId, outcome: "denied", details: { reason: err.message, violations: err.violations ?? [] }, context: ctx });
    }
    throw err;
  }
});
