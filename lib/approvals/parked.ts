/**
 * Approving a parked signing request from the dashboard follows the same passkey rule as seed 004's
 * POST /api/responses: accepting needs an assertion bound to this request and its hash
 * (X-Countersign-Assertion, challenge from POST /api/v1/approvals/challenge { signingRequestId })
 * unless it is a plain native transfer at or below the organization's threshold. Rejecting never does.
 */
import type { AuditActor, AuditContext } from "@/lib/audit/record";
import type { Db } from "@/lib/db/client";
import { NotFoundError } from "@/lib/http/errors";
import type { SecurityProfile } from "@/lib/mpc";
import { approveSigningRequest } from "@/lib/signing/approvals";
import type { StoredRequest } from "@/lib/signing/spend-ledger";
import { PasskeyRequiredError, verifyApprovalAssertion } from "./binding";
import { getApprovalSettings, passkeyRequired } from "./settings";

/** Native value and whether it is anything but a plain transfer (a contract call, a message, typed data). */
export function approvalSubjectOf(request: StoredRequest): { valueWei: string; callsContract: boolean } {
  if (request.kind !== "transaction") return { valueWei: "0", callsContract: true };
  return { valueWei: request.value, callsContract: request.data !== "0x" && request.data !== "" };
}

export async function approveParkedRequest(
  db: Db,
  input: { organizationId: string; signingRequestId: string; userId: string; assertionHeader: string | null; profile: SecurityProfile; actor?: AuditActor; context?: AuditContext },
) {
  const sr = await db.signingRequest.findFirst({ where: { id: input.signingRequestId, organizationId: input.organizationId } });
  if (!sr) throw new NotFoundError("Signing request not found");
  if (sr.status === "pending_approval") {
    const subject = approvalSubjectOf(sr.request as unknown as StoredRequest);
    const { passkeyThresholdWei } = await getApprovalSettings(db, input.organizationId);
    if (input.assertionHeader) {
      await verifyApprovalAssertion(db, { organizationId: input.organizationId, userId: input.userId, requestId: sr.id, subjectHash: sr.messageHash ?? "", header: input.assertionHeader });
    } else if (passkeyRequired(subject.valueWei, passkeyThresholdWei, { callsContract: subject.callsContract })) {
      throw new PasskeyRequiredError(subject.valueWei, passkeyThresholdWei);
    }
  }
  // Anything no longer pending gets lib/signing's own 409/410 answer.
  return approveSigningRequest(db, input);
}
