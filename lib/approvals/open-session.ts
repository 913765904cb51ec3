/**
 * The one entry point the three session-start routes share (Signer+Server transactions, messages,
 * and User+Server from the dashboard): start the session through the guardrails, and when a rule
 * parks it for a human, create its seed 004 request so the organization's devices are notified at
 * once (relay mode). Lives here because lib/approvals builds on lib/signing, not the reverse.
 */
import { recordAudit } from "@/lib/audit/record";
import type { Db } from "@/lib/db/client";
import { log } from "@/lib/log/logger";
import { startSignSession } from "@/lib/signing/sign-sessions";
import { createRelayApproval } from "./relay";

type StartInput = Parameters<typeof startSignSession>[1];

export async function openSignSession(db: Db, input: StartInput) {
  const s = await startSignSession(db, input);
  const { signer: _signer, ...view } = s;
  if (s.status === "pending_approval") {
    await createRelayApproval(db, { organizationId: input.organizationId, signingRequestId: s.signingRequestId }).catch((err: Error) => {
      // The session stays parked and visible in the dashboard inbox; GET /api/notifications retries.
      log.warn("relay approval could not be created", { signingRequestId: s.signingRequestId, error: err.message });
    });
    return { status: 202 as const, body: view };
  }
  await recordAudit(db, {
    organizationId: input.organizationId,
    actor: input.audit.actor,
    action: "signing.session_started",
    resourceType: "signer",
    resourceId: input.signerId,
    details: { sessionId: s.sessionId, mode: input.mode, kind: input.sign.kind, messageHash: s.messageHash, to: s.transaction?.to, value: s.transaction?.value },
    context: input.audit.context,
  });
  return { status: 201 as const, body: view };
}
