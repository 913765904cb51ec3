import type { Agent } from "node:https";
import webpush from "web-push";
import type { DbOrTx } from "@/lib/db/client";
import type { Device, PushDelivery } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log/logger";
import { recordPushDelivery } from "@/lib/ops/metrics";
import { subscriptionOf } from "./devices";
import { guardedAgent } from "./endpoint-guard";
import { backoffMs, classify, encodePayload, LEASE_MS, MAX_ATTEMPTS, type Outcome, type PushPayload } from "./policy";
import { vapidKeys } from "./vapid";

/**
 * Push deliveries live in push_deliveries: enqueue one row per device, then any instance sends the
 * due ones (claimed with a compare-and-set lease), applying lib/push/policy.ts to the answer:
 * sent; 404/410 → the device is removed; 5xx/429/network → retried with exponential backoff;
 * other 4xx → failed. `processDueDeliveries(db)` is what the worker and the tests call.
 */
export type DeliveryOptions = {
  /** Clock for tests (backoff without sleeping). */
  now?: Date;
  /** TLS agent for the push endpoint (tests: a receiver with a self-signed certificate). */
  agent?: Agent;
  /** Largest number of deliveries handled in one call. */
  limit?: number;
  /** Only these deliveries (e.g. the test notification just enqueued). */
  ids?: string[];
};

export type DeliveryResult = { id: string; deviceId: string; status: "sent" | "pending" | "gone" | "failed"; attempts: number; error: string | null };

export const DEFAULT_TTL_SECONDS = 24 * 3600;

export async function enqueueDeliveries(
  db: DbOrTx,
  input: { organizationId: string; devices: Device[]; payload: Omit<PushPayload, "actions" | "requireInteraction">; urgency?: "very-low" | "low" | "normal" | "high"; ttlSeconds?: number; now?: Date },
): Promise<PushDelivery[]> {
  const now = input.now ?? new Date();
  const out: PushDelivery[] = [];
  for (const d of input.devices) {
    const payload: PushPayload = { ...input.payload, actions: d.supportsNotificationActions, requireInteraction: d.supportsRequireInteraction };
    out.push(
      await db.pushDelivery.create({
        data: {
          deviceId: d.id,
          organizationId: input.organizationId,
          notificationId: input.payload.notificationId,
          payload,
          urgency: input.urgency ?? "high",
          ttlSeconds: input.ttlSeconds ?? DEFAULT_TTL_SECONDS,
          status: "pending",
          nextAttemptAt: now,
        },
      }),
    );
  }
  return out;
}

async function send(device: Device, delivery: PushDelivery, opts: DeliveryOptions, db: DbOrTx): Promise<Outcome> {
  try {
    const vapid = await vapidKeys(db);
    const res = await webpush.sendNotification(subscriptionOf(device), encodePayload(delivery.payload as unknown as PushPayload), {
      vapidDetails: vapid,
      TTL: delivery.ttlSeconds,
      urgency: delivery.urgency as webpush.Urgency,
      contentEncoding: "aes128gcm",
      topic: undefined,
      timeout: 15_000,
      ...(opts.agent ? { agent: opts.agent } : guardedAgent() ? { agent: guardedAgent() } : {}),
    });
    return classify(res.statusCode, "");
  } catch (err) {
    if (err instanceof webpush.WebPushError) return classify(err.statusCode, err.message);
    return classify(null, err instanceof Error ? err.message : String(err));
  }
}

async function deliverOne(db: DbOrTx, row: PushDelivery & { device: Device }, now: Date, opts: DeliveryOptions): Promise<DeliveryResult> {
  // Claim: only the instance whose compare-and-set succeeds sends this attempt.
  const claimed = await db.pushDelivery.updateMany({
    where: { id: row.id, status: "pending", nextAttemptAt: row.nextAttemptAt },
    data: { nextAttemptAt: new Date(now.getTime() + LEASE_MS) },
  });
  if (claimed.count !== 1) return { id: row.id, deviceId: row.deviceId, status: "pending", attempts: row.attempts, error: null };

  const outcome = await send(row.device, row, opts, db);
  const attempts = row.attempts + 1;
  const at = new Date();
  switch (outcome.kind) {
    case "sent":
      await db.pushDelivery.update({ where: { id: row.id }, data: { status: "sent", attempts, sentAt: at, lastError: null } });
      await db.device.update({ where: { id: row.deviceId }, data: { lastSuccessAt: at, failureCount: 0 } });
      recordPushDelivery("sent");
      return { id: row.id, deviceId: row.deviceId, status: "sent", attempts, error: null };
    case "gone":
      // The subscription is gone for good: remove the device (its deliveries go with it).
      log.info("push subscription gone; device removed", { deviceId: row.deviceId, organizationId: row.organizationId });
      await db.device.deleteMany({ where: { id: row.deviceId } });
      recordPushDelivery("gone");
      return { id: row.id, deviceId: row.deviceId, status: "gone", attempts, error: outcome.error };
    case "retry":
    case "fatal": {
      const final = outcome.kind === "fatal" || attempts >= MAX_ATTEMPTS;
      await db.pushDelivery.update({
        where: { id: row.id },
        data: { status: final ? "failed" : "pending", attempts, lastError: outcome.error, nextAttemptAt: final ? now : new Date(now.getTime() + backoffMs(attempts)) },
      });
      await db.device.update({ where: { id: row.deviceId }, data: { failureCount: { increment: 1 }, lastFailureAt: at } });
      log.warn("push delivery failed", { deliveryId: row.id, deviceId: row.deviceId, attempts, error: outcome.error, final });
      recordPushDelivery(final ? "failed" : "retry");
      return { id: row.id, deviceId: row.deviceId, status: final ? "failed" : "pending", attempts, error: outcome.error };
    }
  }
}

/** Sends every due pending delivery once (oldest first) and reports what happened to each. */
export async function processDueDeliveries(db: DbOrTx, opts: DeliveryOptions = {}): Promise<DeliveryResult[]> {
  const now = opts.now ?? new Date();
  const due = await db.pushDelivery.findMany({
    where: { status: "pending", nextAttemptAt: { lte: now }, ...(opts.ids ? { id: { in: opts.ids } } : {}) },
    orderBy: { nextAttemptAt: "asc" },
    take: opts.limit ?? 50,
    include: { device: true },
  });
  const results: DeliveryResult[] = [];
  for (const row of due) results.push(await deliverOne(db, row, now, opts));
  return results;
}
