import { db } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { keyStoreStatus } from "@/lib/keystore";
import { log } from "@/lib/log/logger";
import { generateSafePrimeNative } from "@/lib/mpc/primes-native";
import { PRODUCTION_PRIME_BITS, topUpPrimePool } from "./prime-pool";

const REFILL_INTERVAL_MS = 30_000;

/**
 * Keeps the server prime pool at COUNTERSIGN_PRIME_POOL_TARGET, one prime at a time (OpenSSL in
 * libuv's thread pool, so request handling is not blocked). Started once per server process from
 * instrumentation.ts. Every instance may run it; claims are atomic, so extra primes are harmless.
 */
export function startPrimePoolFiller(): () => void {
  const target = env().COUNTERSIGN_PRIME_POOL_TARGET;
  if (target === 0) return () => undefined;
  const ac = new AbortController();
  let running = false;
  const tick = async () => {
    if (running || ac.signal.aborted) return;
    if (keyStoreStatus().sealed) return;
    running = true;
    try {
      const added = await topUpPrimePool(db(), { bits: PRODUCTION_PRIME_BITS, target, generate: generateSafePrimeNative, signal: ac.signal });
      if (added) log.info("server prime pool topped up", { added, target });
    } catch (err) {
      log.warn("server prime pool refill failed", { error: err as Error });
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), REFILL_INTERVAL_MS);
  timer.unref();
  void tick();
  return () => {
    ac.abort();
    clearInterval(timer);
  };
}
