import type { DbOrTx } from "@/lib/db/client";
import { enqueueDeliveries, processDueDeliveries, type DeliveryOptions } from "./deliveries";
import { getDevice, listDevices } from "./devices";

/**
 * "Send a test notification" from the devices page: enqueue for one device (or all of the
 * organization's), send right away, and report each outcome (retries continue in the worker).
 */
export async function sendTestNotification(db: DbOrTx, input: { organizationId: string; deviceId?: string }, opts: DeliveryOptions = {}) {
  const devices = input.deviceId ? [await getDevice(db, input.organizationId, input.deviceId)] : await listDevices(db, input.organizationId);
  const rows = await enqueueDeliveries(db, {
    organizationId: input.organizationId,
    devices,
    payload: { title: "Countersign test notification", body: "Push works on this device. Approval requests will arrive like this.", url: "/settings/devices", notificationId: null, requestId: null, tag: "countersign-test" },
    urgency: "normal",
    ttlSeconds: 300,
    now: opts.now,
  });
  const results = await processDueDeliveries(db, { ...opts, ids: rows.map((r) => r.id) });
  return results.map((r) => ({ deviceId: r.deviceId, status: r.status, error: r.error }));
}
