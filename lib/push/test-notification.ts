import type { DbOrTx } from "@/lib/db/client";
import { ForbiddenError } from "@/lib/http/errors";
import { enqueueDeliveries, processDueDeliveries, type DeliveryOptions } from "./deliveries";
import { getDevice, listDevices } from "./devices";

/**
 * "Send a test notification" from the devices page: enqueue for one of the caller's own devices (or
 * all of them), send right away, and report each outcome (retries continue in the worker). Nobody
 * sends test pushes to another member's devices.
 */
export async function sendTestNotification(db: DbOrTx, input: { organizationId: string; userId: string; deviceId?: string }, opts: DeliveryOptions = {}) {
  const devices = input.deviceId ? [await getDevice(db, input.organizationId, input.deviceId)] : (await listDevices(db, input.organizationId)).filter((d) => d.userId === input.userId);
  if (devices.some((d) => d.userId !== input.userId)) throw new ForbiddenError("You can send test notifications only to your own devices");
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
