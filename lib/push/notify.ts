import type { DbOrTx } from "@/lib/db/client";
import { enqueueDeliveries } from "./deliveries";
import { wakePushWorker } from "./worker";

/**
 * Tells every device of an organization that a human decision is waiting. Enqueues one push
 * delivery per device (persisted, so a restart loses nothing) and wakes this instance's worker;
 * delivery and retries happen outside the caller's request. Returns the number of devices notified.
 */
export async function notifyOrganization(
  db: DbOrTx,
  input: { organizationId: string; notificationId: string; title: string; body: string; url: string; requestId?: string | null },
): Promise<{ deliveries: number }> {
  const devices = await db.device.findMany({ where: { organizationId: input.organizationId } });
  if (devices.length === 0) return { deliveries: 0 };
  const rows = await enqueueDeliveries(db, {
    organizationId: input.organizationId,
    devices,
    payload: {
      title: input.title,
      body: input.body,
      url: input.url,
      notificationId: input.notificationId,
      requestId: input.requestId ?? null,
      tag: `approval-${input.notificationId}`,
    },
    urgency: "high",
  });
  wakePushWorker();
  return { deliveries: rows.length };
}
