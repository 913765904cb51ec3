import { db as appDb, type Db } from "@/lib/db/client";
import { keyStoreStatus } from "@/lib/keystore";
import { runPeriodically } from "@/lib/ops/periodic";
import { needsPublish, publish } from "./store";

/** How often an instance looks for unsequenced leaves (the issue asks for a checkpoint within 1 s). */
export const CHECKPOINT_INTERVAL_MS = 500;

/**
 * Sequences new leaves and signs a checkpoint whenever leaves arrived, every CHECKPOINT_INTERVAL_MS
 * (one pass at a time). Every instance may run it: the sequencer's advisory lock orders them and a
 * pass with nothing new signs nothing. Started from instrumentation.ts; returns a stop function.
 */
export function startCheckpointer(opts: { db?: () => Db; intervalMs?: number } = {}): () => void {
  const getDb = opts.db ?? appDb;
  // The log key is sealed under the master key: nothing can be signed until it is configured.
  return runPeriodically("transparency log checkpoint", opts.intervalMs ?? CHECKPOINT_INTERVAL_MS, async () => {
    if (!keyStoreStatus().sealed && (await needsPublish(getDb()))) await publish(getDb());
  });
}
