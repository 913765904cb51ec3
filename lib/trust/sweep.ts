/**
 * The daily trust sweep: writes an `inactivity` history event for every agent that entered a new
 * whole week of inactivity (lib/trust/store.ts `sweepInactivity`; reads apply the same decay lazily,
 * so the sweep only makes it visible in the history). Runs in every instance; a week already
 * recorded is skipped.
 */
import { db } from "@/lib/db/client";
import { log } from "@/lib/log/logger";
import { runPeriodically } from "@/lib/ops/periodic";
import { sweepInactivity } from "./store";

export const TRUST_SWEEP_INTERVAL_MS = 86_400_000;

export function startTrustSweep(opts: { intervalMs?: number } = {}): () => void {
  return runPeriodically("trust inactivity sweep", opts.intervalMs ?? TRUST_SWEEP_INTERVAL_MS, async () => {
    const written = await sweepInactivity(db());
    if (written > 0) log.info("trust inactivity sweep", { agents: written });
  });
}
