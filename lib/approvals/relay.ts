import { getAddress, type Address } from "viem";
import { getNetwork } from "@/lib/chain/network-registry";
import type { Db } from "@/lib/db/client";
import { log } from "@/lib/log/logger";
import { approveSigningRequest, rejectSigningRequest } from "@/lib/signing/approvals";
import { mpcProfile } from "@/lib/signing/profile";
import type { StoredRequest } from "@/lib/signing/spend-ledger";
import { clearSign, type ClearSigningJson, type IntentAction } from "./clear-signing";
import { newId } from "./ids";
import { notifyDevices } from "./requests";

/**
 * relay mode: the agent is a Countersign signer paired in relay mode, and the human step is the
 * guardrails' require_approval outcome. Each parked signing request (status pending_approval) of
 * such a signer gets a seed 004 request + notification; accepting it approves the signing request
 * (the server's party starts and the session resumes), rejecting it rejects the signing request.
 */
function describeMessage(stored: StoredRequest): string {
  if (stored.kind === "message") {
    const text = typeof stored.message === "string" ? stored.message : stored.message.raw;
    return `Sign message "${text.length > 60 ? `${text.slice(0, 60)}…` : text}"`;
  }
  return "Sign typed data";
}

async function relayIntent(db: Db, stored: StoredRequest, from: Address, organizationId: string): Promise<{ intent: { actions: IntentAction[] }; clearSigning: ClearSigningJson; valueWei: string }> {
  if (stored.kind !== "transaction" || !stored.to) {
    const line = stored.kind === "transaction" ? "Deploy a contract" : describeMessage(stored);
    return { intent: { actions: [] }, clearSigning: { actionResults: [], aggregatedDescription: line }, valueWei: stored.kind === "transaction" ? stored.value : "0" };
  }
  const action: IntentAction = { chainId: stored.chainId, to: getAddress(stored.to), data: stored.data, value: stored.value };
  const network = await getNetwork(db, action.chainId).catch(() => null);
  const clearSigning = network
    ? (await clearSign(network, [action], from, { db, organizationId })).json
    : { actionResults: [{ resolved: false as const, reason: `network ${action.chainId} is not configured` }], aggregatedDescription: `Call ${action.to}` };
  return { intent: { actions: [action] }, clearSigning, valueWei: stored.value };
}

/** Creates the seed 004 request for one parked signing request (idempotent). Returns its id, or null when not applicable. */
export async function createRelayApproval(db: Db, input: { organizationId: string; signingRequestId: string }): Promise<string | null> {
  const sr = await db.signingRequest.findFirst({ where: { id: input.signingRequestId, organizationId: input.organizationId } });
  if (!sr || sr.status !== "pending_approval") return null;
  const existing = await db.approvalRequest.findUnique({ where: { signingRequestId: sr.id } });
  if (existing) return existing.id;
  const agent = await db.approvalAgent.findFirst({ where: { organizationId: input.organizationId, signerId: sr.signerId, mode: "relay" } });
  if (!agent) return null;
  const stored = sr.request as unknown as StoredRequest;
  const { intent, clearSigning, valueWei } = await relayIntent(db, stored, getAddress(agent.address), input.organizationId);
  try {
    const created = await db.$transaction(async (tx) => {
      const request = await tx.approvalRequest.create({
        data: {
          id: newId("req"),
          organizationId: input.organizationId,
          agentId: agent.id,
          mode: "relay",
          signingRequestId: sr.id,
          status: "pending_human",
          chainId: stored.chainId ?? agent.chainId,
          intent,
          clearSigning,
          subjectHash: sr.messageHash ?? sr.id,
          valueWei,
          agentSignature: "0x",
        },
      });
      const notification = await tx.approvalNotification.create({ data: { id: newId("ntf"), organizationId: input.organizationId, requestId: request.id, message: clearSigning.aggregatedDescription } });
      return { request, notification };
    });
    await notifyDevices(db, input.organizationId, created.notification.id, created.request.id, clearSigning.aggregatedDescription);
    return created.request.id;
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") return (await db.approvalRequest.findUnique({ where: { signingRequestId: sr.id } }))?.id ?? null;
    throw err;
  }
}

/**
 * Creates seed 004 requests for every parked signing request of the organization's relay agents,
 * and moves approved ones along with their signing request: committed → executed (with its
 * txHash); released/aborted before a signature → execution_failed.
 */
export async function syncRelayApprovals(db: Db, organizationId: string): Promise<void> {
  await reconcileRelayRequests(db, organizationId);
  const agents = await db.approvalAgent.findMany({ where: { organizationId, mode: "relay", signerId: { not: null } }, select: { signerId: true } });
  if (agents.length === 0) return;
  const parked = await db.signingRequest.findMany({
    where: { organizationId, status: "pending_approval", signerId: { in: agents.map((a) => a.signerId!) } },
    select: { id: true },
  });
  const known = new Set(
    (await db.approvalRequest.findMany({ where: { signingRequestId: { in: parked.map((p) => p.id) } }, select: { signingRequestId: true } })).map((r) => r.signingRequestId),
  );
  for (const p of parked) {
    if (known.has(p.id)) continue;
    try {
      await createRelayApproval(db, { organizationId, signingRequestId: p.id });
    } catch (err) {
      log.warn("relay approval could not be created", { signingRequestId: p.id, error: (err as Error).message });
    }
  }
}

/** Runs the human's decision on the parked signing request (throws 409/410 from lib/signing when it can no longer be decided). */
export async function decideRelayRequest(db: Db, input: { organizationId: string; signingRequestId: string; userId: string; response: "accepted" | "rejected" }) {
  if (input.response === "accepted") {
    await approveSigningRequest(db, { organizationId: input.organizationId, signingRequestId: input.signingRequestId, userId: input.userId, profile: mpcProfile() });
  } else {
    await rejectSigningRequest(db, { organizationId: input.organizationId, signingRequestId: input.signingRequestId, userId: input.userId, reason: "Rejected from an approval notification" });
  }
}

async function reconcileRelayRequests(db: Db, organizationId: string) {
  const open = await db.approvalRequest.findMany({ where: { organizationId, mode: "relay", status: { in: ["proposed", "executing"] }, signingRequestId: { not: null } }, select: { id: true, status: true, signingRequestId: true } });
  if (open.length === 0) return;
  const srs = new Map((await db.signingRequest.findMany({ where: { id: { in: open.map((o) => o.signingRequestId!) } }, select: { id: true, status: true, txHash: true } })).map((r) => [r.id, r]));
  for (const o of open) {
    const sr = srs.get(o.signingRequestId!);
    if (!sr) continue;
    if (sr.status === "committed") {
      await db.approvalRequest.updateMany({ where: { id: o.id, status: o.status }, data: { status: "executed", txHash: sr.txHash, executedAt: new Date() } });
    } else if (sr.status === "released" || sr.status === "rejected" || sr.status === "denied") {
      await db.approvalRequest.updateMany({ where: { id: o.id, status: o.status }, data: { status: "execution_failed", error: `The signing session ended without a signature (${sr.status})` } });
    }
  }
}
