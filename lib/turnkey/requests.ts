import { getAddress, keccak256, type Hex } from "viem";
import { recordAudit, type AuditContext } from "@/lib/audit/record";
import type { ClearSigningJson, IntentAction } from "@/lib/approvals/clear-signing";
import { newId } from "@/lib/approvals/ids";
import { notifyDevices, totalValue } from "@/lib/approvals/requests";
import type { Db, DbOrTx } from "@/lib/db/client";
import { BadRequestError, ConflictError, GoneError, NotFoundError, ServiceUnavailableError } from "@/lib/http/errors";
import { hex0x, providerClient, turnkeyCode, turnkeyMessage, type TurnkeyActivity } from "./client";
import { turnkeyConfig } from "./config";
import { SIGN_ACTIVITY } from "./setup";
import { turnkeyRequestJson } from "./present";

function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: string }).code === "P2002";
}

/**
 * Why an activity is not the drafted transaction awaiting the provider's vote, or null when it is
 * (pure): a sign-transaction activity, CONSENSUS_NEEDED, with this fingerprint, signing exactly the
 * drafted unsigned transaction with the wallet, created (first vote) by the agent's Turnkey user.
 */
export function activityMismatch(
  a: Pick<TurnkeyActivity, "status" | "type" | "fingerprint" | "intent" | "votes">,
  expected: { fingerprint: string; unsignedTransaction: string; walletAddress: string; agentUserId: string },
): { status: 400 | 409; message: string } | null {
  if (a.fingerprint !== expected.fingerprint) return { status: 400, message: "The fingerprint is not the activity's fingerprint" };
  if (a.type !== SIGN_ACTIVITY) return { status: 400, message: `The activity is ${a.type}, not ${SIGN_ACTIVITY}` };
  const intent = a.intent.signTransactionIntentV2;
  if (!intent || intent.type !== "TRANSACTION_TYPE_ETHEREUM") return { status: 400, message: "The activity does not sign an Ethereum transaction" };
  if (intent.signWith.toLowerCase() !== expected.walletAddress.toLowerCase()) return { status: 400, message: `The activity signs with ${intent.signWith}, not the paired wallet ${expected.walletAddress}` };
  if (hex0x(intent.unsignedTransaction) !== hex0x(expected.unsignedTransaction)) return { status: 400, message: "The activity signs another transaction than the draft's unsignedTransaction" };
  const creator = a.votes[0];
  if (!creator || creator.userId !== expected.agentUserId || creator.selection !== "VOTE_SELECTION_APPROVED") return { status: 400, message: "The activity was not created by the agent's Turnkey user" };
  if (a.status !== "ACTIVITY_STATUS_CONSENSUS_NEEDED") return { status: 409, message: `The activity is ${a.status}, not ACTIVITY_STATUS_CONSENSUS_NEEDED` };
  return null;
}

/**
 * POST /api/turnkey/requests: reads the agent's activity from Turnkey (as the provider, a root user of
 * the sub-organization), checks it (activityMismatch), and creates the approval request
 * (pending_human) and its notification in one transaction; then pushes to the organization's devices.
 */
export async function submitTurnkeyRequest(db: Db, organizationId: string, body: { draftId: string; activityId: string; fingerprint: string }, context: { audit: AuditContext; now?: Date }) {
  const now = context.now ?? new Date();
  const cfg = turnkeyConfig();
  const draft = await db.turnkeyDraft.findFirst({ where: { id: body.draftId, organizationId } });
  if (!draft) throw new NotFoundError("Draft not found");
  if (draft.requestId) throw new ConflictError(`Draft ${draft.id} was already submitted (request ${draft.requestId})`);
  if (draft.expiresAt <= now) throw new GoneError(`Draft ${draft.id} expired at ${draft.expiresAt.toISOString()}; create a new draft`);
  const session = await db.turnkeySetupSession.findUniqueOrThrow({ where: { id: draft.setupSessionId } });
  const subOrganizationId = session.subOrganizationId!;
  const walletAddress = getAddress(session.walletAddress!);

  let activity: TurnkeyActivity;
  try {
    activity = (await providerClient(cfg).getActivity({ organizationId: subOrganizationId, activityId: body.activityId })).activity;
  } catch (err) {
    if (turnkeyCode(err) === 5) throw new NotFoundError(`Turnkey has no activity ${body.activityId} in sub-organization ${subOrganizationId}`);
    throw new ServiceUnavailableError(`Turnkey get_activity failed: ${turnkeyMessage(err)}`);
  }
  const mismatch = activityMismatch(activity, { fingerprint: body.fingerprint, unsignedTransaction: draft.unsignedTransaction, walletAddress, agentUserId: session.agentUserId! });
  if (mismatch?.status === 409) throw new ConflictError(mismatch.message);
  if (mismatch) throw new BadRequestError(mismatch.message);

  const intent = draft.intent as { actions: IntentAction[] };
  const clearSigning = draft.clearSigning as ClearSigningJson;
  const agentVote = activity.votes[0]!;
  let created;
  try {
    created = await db.$transaction(async (tx) => {
      const request = await tx.approvalRequest.create({
        data: {
          id: newId("req"),
          organizationId,
          agentId: session.approvalAgentId!,
          mode: "turnkey",
          status: "pending_human",
          chainId: draft.chainId,
          intent: draft.intent as object,
          clearSigning: draft.clearSigning as object,
          subjectHash: keccak256(draft.unsignedTransaction as Hex),
          valueWei: totalValue(intent.actions).toString(),
          agentSignature: /^0x(?:[0-9a-fA-F]{2})*$/.test(agentVote.signature) ? agentVote.signature : hex0x(agentVote.signature.replace(/[^0-9a-fA-F]/g, "")),
          createdAt: now,
        },
      });
      await tx.turnkeyRequest.create({
        data: { id: request.id, organizationId, draftId: draft.id, subOrganizationId, walletAddress, activityId: activity.id, fingerprint: activity.fingerprint, unsignedTransaction: draft.unsignedTransaction, createdAt: now },
      });
      const claimed = await tx.turnkeyDraft.updateMany({ where: { id: draft.id, requestId: null }, data: { requestId: request.id } });
      if (claimed.count !== 1) throw new ConflictError(`Draft ${draft.id} was already submitted`);
      const notification = await tx.approvalNotification.create({ data: { id: newId("ntf"), organizationId, requestId: request.id, message: clearSigning.aggregatedDescription, createdAt: now } });
      await recordAudit(tx, {
        organizationId,
        actor: { type: "credential", label: `turnkey agent ${session.agentLabel ?? session.agentPublicKey}` },
        action: "approval.requested",
        resourceType: "approval_request",
        resourceId: request.id,
        details: { mode: "turnkey", draftId: draft.id, subOrganizationId, walletAddress, activityId: activity.id, fingerprint: activity.fingerprint, description: clearSigning.aggregatedDescription },
        context: context.audit,
      });
      return { request, notification };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(`Activity ${activity.id} or draft ${draft.id} was already submitted`);
    throw err;
  }
  await notifyDevices(db, organizationId, created.notification.id, created.request.id, clearSigning.aggregatedDescription);
  return { requestId: created.request.id, status: "pending_human" as const, description: clearSigning.aggregatedDescription, createdAt: created.request.createdAt.getTime() };
}

/** GET /api/turnkey/requests/:id */
export async function getTurnkeyRequest(db: DbOrTx, organizationId: string, id: string) {
  const [request, turnkey] = await Promise.all([
    db.approvalRequest.findFirst({ where: { id, organizationId, mode: "turnkey" } }),
    db.turnkeyRequest.findFirst({ where: { id, organizationId } }),
  ]);
  if (!request || !turnkey) throw new NotFoundError("Request not found");
  return turnkeyRequestJson(request, turnkey);
}
