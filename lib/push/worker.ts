import { db } from "@/lib/db/client";
import { keyStoreStatus } from "@/lib/keystore";
import { log } from "@/lib/log/logger";
import { processDueDeliveries } from "./deliveries";
import { vapidKeys } from "./vapid";

/**
 * The in-process push worker: every few seconds (and right away when woken) it sends due push
 * deliveries. Started once per server instance from instrumentation.ts; several instances may run
 * it at once (deliveries are claimed with a compare-and-set). Not started in tests, which call
 * processDueDeliveries directly.
 */
const INTERVAL_MS = 5_000;
const state = globalThis as unknown as { __countersignPushWorker?: { timer: NodeJS.Timeout; running: boolean; again: boolean } };

async function tick() {
  const w = state.__countersignPushWorker;
  if (!w) return;
  if (w.running) {
    w.again = true;
    return;
  }
  w.running = true;
  try {
    do {
      w.again = false;
      if (keyStoreStatus().sealed) return;
      await processDueDeliveries(db());
    } while (w.again);
  } catch (err) {
    log.error("push worker tick failed", { error: err instanceof Error ? err.message : String(err) });
  } finally {
    w.running = false;
  }
}

export function startPushWorker() {
  if (state.__countersignPushWorker) return;
  const timer = setInterval(() => void tick(), INTERVAL_MS);
  timer.unref();
  state.__countersignPushWorker = { timer, running: false, again: false };
  // VAPID keys exist from the first start, so the first device can subscribe with them at once.
  setImmediate(() => {
    if (keyStoreStatus().sealed) return;
    vapidKeys(db()).catch((err: Error) => log.warn("VAPID keys could not be prepared at start", { error: err.message }));
  });
}

/** Sends due deliveries now instead of at the next interval (no-op where the worker is not running). */
export function wakePushWorker() {
  if (state.__countersignPushWorker) setImmediate(() => void tick());
}

export function stopPushWorker() {
  const w = state.__countersignPushWorker;
  if (w) clearInterval(w.timer);
  state.__countersignPushWorker = undefined;
}
