import { requireActive } from "@/lib/agents/model";
import { recordAudit, type AuditContext } from "@/lib/audit/record";
import { appendDecision } from "@/lib/tlog/append";
import type { Db } from "@/lib/db/client";
import { BadRequestError, NotFoundError } from "@/lib/http/errors";
import { PasskeyRequiredError, verifyApprovalAssertion } from "./binding";
import { driveAcceptedRequest } from "./execute";
import { newId } from "./ids";
import { requestJson } from "./present";
import { decideRelayRequest } from "./relay";
import { getApprovalSettings, passkeyRequired } from "./settings";
import { statusAfterResponse } from "./state";
import { driveTurnkeyRequest, rejectTurnkeyActivity } from "@/lib/turnkey/execute";
import { turnkeyStatusAfterResponse } from "@/lib/turnkey/state";

export type ResponseInput = {
  notificationId: string;
  response: "accepted" | "rejected";
  messageLength?: number;
  source?: "sw_action" | "app_ui" | "unknown";
  rawAction?: string;
  interpretedAction?: string;
};

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * POST /api/responses. Reject always goes through. Accept above the organization's passkey
 * threshold needs a passkey assertion bound to this request (401 without, 403 for one made for
 * something else); at or below it an accept from the notification's action is enough. An assertion
 * that is sent is always verified. Then: rejected → rejected_by_human; accepted → proposing, and
 * the Safe transaction is confirmed by the provider key and executed (lib/approvals/execute.ts).
 */
export async function respond(
  db: Db,
  input: { organizationId: string; userId: string; body: ResponseInput; assertionHeader: string | null; userAgent: string | null; deviceId: string | null; audit: AuditContext },
) {
  const { body } = input;
  const n = await db.approvalNotification.findFirst({
    where: { id: body.notificationId, organizationId: input.organizationId },
    include: { request: true, response: true },
  });
  if (!n) throw new NotFoundError("Notification not found");
  const request = n.request;

  if (n.response) {
    if (n.response.response === body.response) return present(db, n.response.id);
    throw new BadRequestError(`This request was already ${n.response.response}`);
  }
  if (request.status !== "pending_human") throw new BadRequestError(`This request is ${request.status} and can no longer be decided`);
  if (body.response === "accepted") {
    // The kill switch: a paused or retired agent's waiting requests can still be rejected, never executed.
    const pairing = await db.approvalAgent.findUnique({ where: { id: request.agentId }, select: { agentRecord: { select: { status: true } } } });
    requireActive(pairing?.agentRecord?.status);
  }

  let binding: { passkeyId: string; challengeId: string } | null = null;
  if (body.response === "accepted") {
    const settings = await getApprovalSettings(db, input.organizationId);
    if (input.assertionHeader) {
      binding = await verifyApprovalAssertion(db, { organizationId: input.organizationId, userId: input.userId, requestId: request.id, subjectHash: request.subjectHash, header: input.assertionHeader });
    } else if (passkeyRequired(request.valueWei, settings.passkeyThresholdWei, { callsContract: callsContract(request.intent) })) {
      throw new PasskeyRequiredError(request.valueWei, settings.passkeyThresholdWei);
    }
  }

  let deviceId: string | null = null;
  if (input.deviceId && UUID_RE.test(input.deviceId)) {
    const device = await db.device.findFirst({ where: { id: input.deviceId, organizationId: input.organizationId }, select: { id: true } });
    deviceId = device?.id ?? null;
  }

  // relay: the parked signing request is decided first, so a session that expired or was decided
  // elsewhere answers 409/410 and nothing is recorded here.
  if (request.mode === "relay" && request.signingRequestId) {
    await decideRelayRequest(db, { organizationId: input.organizationId, signingRequestId: request.signingRequestId, userId: input.userId, response: body.response });
  }

  const now = new Date();
  const responseId = await db.$transaction(async (tx) => {
    const moved = await tx.approvalRequest.updateMany({ where: { id: request.id, status: "pending_human" }, data: { status: request.mode === "turnkey" ? turnkeyStatusAfterResponse(body.response) : statusAfterResponse(body.response), respondedAt: now } });
    if (moved.count !== 1) throw new BadRequestError("This request was decided meanwhile");
    const row = await tx.approvalResponse.create({
      data: {
        id: newId("rsp"),
        organizationId: input.organizationId,
        notificationId: n.id,
        userId: input.userId,
        response: body.response,
        source: body.source ?? "unknown",
        deviceId,
        rawAction: body.rawAction ?? null,
        interpretedAction: body.interpretedAction ?? null,
        userAgent: input.userAgent?.slice(0, 512) ?? null,
        messageLength: body.messageLength ?? null,
        passkeyId: binding?.passkeyId ?? null,
        challengeId: binding?.challengeId ?? null,
        createdAt: now,
      },
    });
    await recordAudit(tx, {
      organizationId: input.organizationId,
      actor: { type: "user", id: input.userId },
      action: body.response === "accepted" ? "approval.accepted" : "approval.rejected",
      resourceType: "approval_request",
      resourceId: request.id,
      details: { notificationId: n.id, source: body.source ?? "unknown", deviceId, passkey: binding !== null, subjectHash: request.subjectHash },
      context: input.audit,
    });
    await appendDecision(tx, { kind: "approval.decision", organizationId: input.organizationId, decisionId: request.id, decision: body.response, actor: { type: "user", id: input.userId }, digest: request.subjectHash, subject: { type: "approval_request", id: request.id }, details: { passkey: binding !== null }, time: now });
    return row.id;
  });

  if (request.mode === "turnkey") {
    // Turnkey: accept → the provider approves the agent's activity, then broadcast; reject → REJECT_ACTIVITY.
    if (body.response === "accepted") await driveTurnkeyRequest(db, request.id);
    else await rejectTurnkeyActivity(db, request.id);
  } else if (body.response === "accepted") {
    if (request.mode === "relay") await db.approvalRequest.updateMany({ where: { id: request.id, status: "proposing" }, data: { status: "proposed" } });
    else await driveAcceptedRequest(db, request.id);
  }
  return present(db, responseId);
}

async function present(db: Db, responseId: string) {
  const r = await db.approvalResponse.findUniqueOrThrow({ where: { id: responseId }, include: { notification: { include: { request: { include: { agent: { select: { address: true } } } } } } } });
  return { id: r.id, response: r.response as "accepted" | "rejected", respondedAt: r.createdAt.getTime(), request: requestJson(r.notification.request) };
}

/** Any action with calldata (a contract call) — the threshold measures native value only. */
function callsContract(intent: unknown): boolean {
  const actions = (intent as { actions?: { data?: string }[] } | null)?.actions ?? [];
  return actions.some((a) => (a.data ?? "0x") !== "0x");
}
