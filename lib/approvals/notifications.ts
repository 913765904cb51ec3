import type { Db } from "@/lib/db/client";
import { NotFoundError } from "@/lib/http/errors";
import { approvalContext, notificationJson } from "./present";
import { resumeStalledRequests } from "./execute";
import { syncRelayApprovals } from "./relay";
import { turnkeyExecutionJson } from "@/lib/turnkey/present";

const include = { response: true, request: { include: { agent: { select: { address: true } } } } } as const;

/**
 * The organization's notifications, newest first. Every notification goes to all of the
 * organization's devices; `?deviceId=` keeps those still unanswered plus those answered from that
 * device. Parked relay-mode signing sessions get their notification here too (idempotent).
 */
export async function listNotifications(db: Db, organizationId: string, deviceId?: string) {
  await syncRelayApprovals(db, organizationId);
  await resumeStalledRequests(db, organizationId);
  const rows = await db.approvalNotification.findMany({
    where: { organizationId, ...(deviceId ? { OR: [{ response: null }, { response: { deviceId } }] } : {}) },
    include,
    orderBy: { createdAt: "desc" },
    take: 200,
  });
  return rows.map(notificationJson);
}

export async function getNotificationDetail(db: Db, organizationId: string, id: string) {
  const n = await db.approvalNotification.findFirst({ where: { id, organizationId }, include });
  if (!n) throw new NotFoundError("Notification not found");
  let turnkeyExecution = null;
  if (n.request.mode === "turnkey") {
    const network = await db.network.findUnique({ where: { chainId: n.request.chainId }, select: { explorerUrl: true } });
    turnkeyExecution = turnkeyExecutionJson(n.request, network?.explorerUrl ?? null);
  }
  return { ...notificationJson(n), approval: approvalContext(n.request), turnkeyExecution };
}
