import { getAddress, keccak256, type Hex } from "viem";
import type { AuditContext } from "@/lib/audit/record";
import type { ClearSigningJson, IntentAction } from "@/lib/approvals/clear-signing";
import { openPendingRequest } from "@/lib/approvals/requests";
import type { Db, DbOrTx } from "@/lib/db/client";
import { BadRequestError, ConflictError, GoneError, NotFoundError, ServiceUnavailableError } from "@/lib/http/errors";
import { hex0x, providerClient, turnkeyCode, turnkeyMessage, type TurnkeyActivity } from "./client";
import { turnkeyConfig } from "./config";
import { SIGN_ACTIVITY } from "./setup";
import { turnkeyRequestJson } from "./present";

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
  return openPendingRequest(db, {
    organizationId,
    agentId: session.approvalAgentId!,
    mode: "turnkey",
    chainId: draft.chainId,
    intent,
    clearSigning,
    subjectHash: keccak256(draft.unsignedTransaction as Hex),
    agentSignature: /^0x(?:[0-9a-fA-F]{2})*$/.test(agentVote.signature) ? agentVote.signature : hex0x(agentVote.signature.replace(/[^0-9a-fA-F]/g, "")),
    actorLabel: `turnkey agent ${session.agentLabel ?? session.agentPublicKey}`,
    auditDetails: { mode: "turnkey", draftId: draft.id, subOrganizationId, walletAddress, activityId: activity.id, fingerprint: activity.fingerprint, description: clearSigning.aggregatedDescription },
    conflict: `Activity ${activity.id} or draft ${draft.id} was already submitted`,
    audit: context.audit,
    now,
    alsoWrite: async (tx, requestId) => {
      await tx.turnkeyRequest.create({
        data: { id: requestId, organizationId, draftId: draft.id, subOrganizationId, walletAddress, activityId: activity.id, fingerprint: activity.fingerprint, unsignedTransaction: draft.unsignedTransaction, createdAt: now },
      });
      const claimed = await tx.turnkeyDraft.updateMany({ where: { id: draft.id, requestId: null }, data: { requestId } });
      if (claimed.count !== 1) throw new ConflictError(`Draft ${draft.id} was already submitted`);
    },
  });
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
