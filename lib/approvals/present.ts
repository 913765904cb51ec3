import { getAddress } from "viem";
import type { SafeTransactionJson } from "@/lib/safe/transaction";
import type { ClearSigningJson, IntentAction } from "./clear-signing";
import type { RequestStatus } from "./state";

/** seed 004 JSON for stored rows (pure). Timestamps are Unix milliseconds. */
export type SafeInfoJson = { chainId: number; safeAddress: string; version: string | null; threshold: number; owners: string[] };
export type SafeTransactionWithHash = Omit<SafeTransactionJson, "refundReceiver"> & { refundReceiver: string | null; safeTxHash: string };

type DraftRow = {
  id: string;
  safeAddress: string;
  intent: unknown;
  clearSigning: unknown;
  safe: unknown;
  safeTransaction: unknown;
  safeTxHash: string;
  createdAt: Date;
  expiresAt: Date;
};

export function withHash(safeTransaction: unknown, safeTxHash: string): SafeTransactionWithHash {
  return { ...(safeTransaction as Omit<SafeTransactionWithHash, "safeTxHash">), safeTxHash };
}

export function draftJson(d: DraftRow, agentAddress: string) {
  return {
    draftId: d.id,
    agentAddress: getAddress(agentAddress),
    safeAddress: getAddress(d.safeAddress),
    intent: d.intent as { actions: IntentAction[] },
    clearSigning: d.clearSigning as ClearSigningJson,
    safe: d.safe as SafeInfoJson,
    safeTransaction: withHash(d.safeTransaction, d.safeTxHash),
    createdAt: d.createdAt.getTime(),
    expiresAt: d.expiresAt.getTime(),
  };
}

export type RequestRow = {
  id: string;
  mode: string;
  status: string;
  safeAddress: string | null;
  intent: unknown;
  clearSigning: unknown;
  safe: unknown;
  safeTransaction: unknown;
  subjectHash: string;
  agentSignature: string;
  providerConfirmation: unknown;
  txHash: string | null;
  error: string | null;
  createdAt: Date;
  respondedAt: Date | null;
  executedAt: Date | null;
  agent: { address: string };
};

/** Only safe-mode requests have the seed's request shape (relay requests have no Safe). */
export function requestJson(r: RequestRow) {
  if (r.mode !== "safe" || !r.safeAddress) return null;
  return {
    requestId: r.id,
    status: r.status as RequestStatus,
    agentAddress: getAddress(r.agent.address),
    safeAddress: getAddress(r.safeAddress),
    intent: r.intent as { actions: IntentAction[] },
    clearSigning: r.clearSigning as ClearSigningJson,
    safe: r.safe as SafeInfoJson,
    safeTransaction: withHash(r.safeTransaction, r.subjectHash),
    agentSignature: r.agentSignature,
    providerConfirmation: (r.providerConfirmation as { sender: string; signature: string } | null) ?? null,
    txHash: r.txHash,
    error: r.error,
    createdAt: r.createdAt.getTime(),
    respondedAt: r.respondedAt?.getTime() ?? null,
    executedAt: r.executedAt?.getTime() ?? null,
  };
}

type NotificationRow = {
  id: string;
  requestId: string;
  message: string;
  createdAt: Date;
  response: { response: string; source: string; rawAction: string | null; interpretedAction: string | null; userAgent: string | null; deviceId: string | null; createdAt: Date } | null;
};

/**
 * A notification goes to every device of the organization; `deviceId` is the device that answered
 * it ("" while nobody has, or when the answer came from a browser that is not a registered device).
 */
export function notificationJson(n: NotificationRow) {
  const r = n.response;
  return {
    id: n.id,
    deviceId: r?.deviceId ?? "",
    requestId: n.requestId,
    message: n.message,
    response: (r?.response as "accepted" | "rejected" | undefined) ?? null,
    responseSource: (r?.source as "sw_action" | "app_ui" | "unknown" | undefined) ?? null,
    responseRawAction: r?.rawAction ?? null,
    responseInterpretedAction: r?.interpretedAction ?? null,
    responseUserAgent: r?.userAgent ?? null,
    createdAt: n.createdAt.getTime(),
    respondedAt: r?.createdAt.getTime() ?? null,
  };
}

/** GET /api/notifications/:id's approval context (null for relay requests: no Safe transaction; kind "turnkey" for Turnkey requests). */
export function approvalContext(r: RequestRow) {
  // Turnkey (C15): the agent's transaction is at Turnkey, so no safeTransaction.
  if (r.mode === "turnkey") return { kind: "turnkey" as const, intent: r.intent as { actions: IntentAction[] }, clearSigning: r.clearSigning as ClearSigningJson };
  if (r.mode !== "safe") return null;
  return {
    kind: "safe" as const,
    intent: r.intent as { actions: IntentAction[] },
    clearSigning: r.clearSigning as ClearSigningJson,
    ...(r.safeTransaction ? { safeTransaction: withHash(r.safeTransaction, r.subjectHash) } : {}),
  };
}
