import { getAddress } from "viem";
import type { Db } from "@/lib/db/client";
import { NotFoundError } from "@/lib/http/errors";
import type { ClearSigningJson, IntentAction } from "./clear-signing";
import { resumeStalledRequests } from "./execute";
import { syncRelayApprovals } from "./relay";
import type { RequestStatus } from "./state";
import type { TurnkeyStatus } from "@/lib/turnkey/state";

/**
 * The dashboard's approvals inbox (GET /api/v1/approvals/inbox): every seed 004 request with the
 * facts the seed's public shapes leave out — the agent (and its signer in relay mode), the native
 * value, who decided, from which device, with or without a passkey. Pure presentation and ordering
 * first, then the queries.
 */

export type InboxDecision = {
  response: "accepted" | "rejected";
  decidedAt: string;
  decidedBy: { id: string; name: string | null; email: string | null } | null;
  source: "sw_action" | "app_ui" | "unknown";
  device: { id: string; name: string | null } | null;
  userAgent: string | null;
  withPasskey: boolean;
};

export type InboxItem = {
  notificationId: string;
  requestId: string;
  mode: "safe" | "relay" | "turnkey";
  status: RequestStatus | TurnkeyStatus;
  description: string;
  agent: { address: string; signerId: string | null; signerName: string | null };
  chainId: number;
  safeAddress: string | null;
  valueWei: string;
  intent: { actions: IntentAction[] };
  clearSigning: ClearSigningJson;
  subjectHash: string;
  signingRequestId: string | null;
  txHash: string | null;
  error: string | null;
  createdAt: string;
  executedAt: string | null;
  decision: InboxDecision | null;
};

export type InboxRow = {
  id: string;
  message: string;
  createdAt: Date;
  request: {
    id: string;
    mode: string;
    status: string;
    chainId: number;
    safeAddress: string | null;
    valueWei: string;
    intent: unknown;
    clearSigning: unknown;
    subjectHash: string;
    signingRequestId: string | null;
    txHash: string | null;
    error: string | null;
    executedAt: Date | null;
    agent: { address: string; signerId: string | null };
  };
  response: { response: string; source: string; userId: string; deviceId: string | null; userAgent: string | null; passkeyId: string | null; createdAt: Date } | null;
};

export type InboxLookups = {
  users: Map<string, { id: string; name: string | null; email: string | null }>;
  devices: Map<string, { id: string; name: string | null }>;
  signers: Map<string, string>;
};

const SOURCES = new Set(["sw_action", "app_ui", "unknown"]);

/** One stored notification (with its request and response) as an inbox item (pure). */
export function inboxItemJson(n: InboxRow, lookups: InboxLookups): InboxItem {
  const r = n.request;
  const resp = n.response;
  const clearSigning = r.clearSigning as ClearSigningJson;
  const signerId = r.agent.signerId;
  return {
    notificationId: n.id,
    requestId: r.id,
    mode: r.mode === "relay" || r.mode === "turnkey" ? r.mode : "safe",
    status: r.status as RequestStatus | TurnkeyStatus,
    description: clearSigning?.aggregatedDescription || n.message,
    agent: { address: getAddress(r.agent.address), signerId, signerName: signerId ? (lookups.signers.get(signerId) ?? null) : null },
    chainId: r.chainId,
    safeAddress: r.safeAddress ? getAddress(r.safeAddress) : null,
    valueWei: r.valueWei,
    intent: r.intent as { actions: IntentAction[] },
    clearSigning,
    subjectHash: r.subjectHash,
    signingRequestId: r.signingRequestId,
    txHash: r.txHash,
    error: r.error,
    createdAt: n.createdAt.toISOString(),
    executedAt: r.executedAt?.toISOString() ?? null,
    decision: resp
      ? {
          response: resp.response === "accepted" ? "accepted" : "rejected",
          decidedAt: resp.createdAt.toISOString(),
          decidedBy: lookups.users.get(resp.userId) ?? null,
          source: (SOURCES.has(resp.source) ? resp.source : "unknown") as InboxDecision["source"],
          device: resp.deviceId ? (lookups.devices.get(resp.deviceId) ?? { id: resp.deviceId, name: null }) : null,
          userAgent: resp.userAgent,
          withPasskey: resp.passkeyId !== null,
        }
      : null,
  };
}

/** Waiting for a human: nobody answered and the request still stands at pending_human. */
export function isPendingItem(item: Pick<InboxItem, "status" | "decision">): boolean {
  return item.decision === null && item.status === "pending_human";
}

/** Pending first (newest first), then the rest by latest decision (or creation) first (pure). */
export function sortInbox<T extends Pick<InboxItem, "status" | "decision" | "createdAt">>(items: T[]): T[] {
  const at = (i: T) => i.decision?.decidedAt ?? i.createdAt;
  return [...items].sort((a, b) => {
    const pa = isPendingItem(a);
    const pb = isPendingItem(b);
    if (pa !== pb) return pa ? -1 : 1;
    return pa ? b.createdAt.localeCompare(a.createdAt) : at(b).localeCompare(at(a));
  });
}

const include = {
  request: {
    select: {
      id: true,
      mode: true,
      status: true,
      chainId: true,
      safeAddress: true,
      valueWei: true,
      intent: true,
      clearSigning: true,
      subjectHash: true,
      signingRequestId: true,
      txHash: true,
      error: true,
      executedAt: true,
      agent: { select: { address: true, signerId: true } },
    },
  },
  response: { select: { response: true, source: true, userId: true, deviceId: true, userAgent: true, passkeyId: true, createdAt: true } },
} as const;

async function lookupsFor(db: Db, organizationId: string, rows: InboxRow[]): Promise<InboxLookups> {
  const userIds = [...new Set(rows.flatMap((n) => (n.response ? [n.response.userId] : [])))];
  const deviceIds = [...new Set(rows.flatMap((n) => (n.response?.deviceId ? [n.response.deviceId] : [])))];
  const signerIds = [...new Set(rows.flatMap((n) => (n.request.agent.signerId ? [n.request.agent.signerId] : [])))];
  const [users, devices, signers] = await Promise.all([
    userIds.length ? db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true, email: true } }) : [],
    // Devices and signers of this organization only.
    deviceIds.length ? db.device.findMany({ where: { organizationId, id: { in: deviceIds.filter((id) => /^[0-9a-f-]{36}$/i.test(id)) } }, select: { id: true, name: true } }) : [],
    signerIds.length ? db.signer.findMany({ where: { organizationId, id: { in: signerIds } }, select: { id: true, name: true } }) : [],
  ]);
  return {
    users: new Map(users.map((u) => [u.id, u])),
    devices: new Map(devices.map((d) => [d.id, d])),
    signers: new Map(signers.map((s) => [s.id, s.name])),
  };
}

/**
 * The inbox: up to `limit` waiting requests and up to `limit` decided ones, ordered by sortInbox.
 * Like GET /api/notifications, it first gives parked relay-mode signing sessions their request.
 */
export async function listInbox(db: Db, organizationId: string, limit = 100): Promise<InboxItem[]> {
  await syncRelayApprovals(db, organizationId);
  await resumeStalledRequests(db, organizationId);
  const [pending, decided] = await Promise.all([
    db.approvalNotification.findMany({ where: { organizationId, response: null, request: { status: "pending_human" } }, include, orderBy: { createdAt: "desc" }, take: limit }),
    db.approvalNotification.findMany({ where: { organizationId, OR: [{ response: { isNot: null } }, { request: { status: { not: "pending_human" } } }] }, include, orderBy: { createdAt: "desc" }, take: limit }),
  ]);
  const rows = [...pending, ...decided] as InboxRow[];
  const lookups = await lookupsFor(db, organizationId, rows);
  return sortInbox(rows.map((n) => inboxItemJson(n, lookups)));
}

/** One item of the organization's inbox; another organization's notification is not found. */
export async function getInboxItem(db: Db, organizationId: string, notificationId: string): Promise<InboxItem> {
  const n = (await db.approvalNotification.findFirst({ where: { id: notificationId, organizationId }, include })) as InboxRow | null;
  if (!n) throw new NotFoundError("Notification not found");
  return inboxItemJson(n, await lookupsFor(db, organizationId, [n]));
}
