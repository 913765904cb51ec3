import { db } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { generateSafePrimeNative } from "@/lib/mpc/primes-native";
import { keyGenerationRunning, PRODUCTION_PRIME_BITS, topUpPrimePool } from "./prime-pool";
import { startRefillLoop } from "./refill-loop";

const REFILL_INTERVAL_MS = 30_000;

/**
 * Keeps the server prime pool at COUNTERSIGN_PRIME_POOL_TARGET, one prime at a time (OpenSSL in
 * libuv's thread pool, so request handling is not blocked). Started once per server process from
 * instrumentation.ts. Every instance may run it; claims are atomic, so extra primes are harmless.
 * While a key generation runs and the pool still holds a key's worth, it waits (a prime takes a
 * core for seconds; the ceremony's server steps need both).
 */
export function startPrimePoolFiller(): () => void {
  const target = env().COUNTERSIGN_PRIME_POOL_TARGET;
  if (target === 0) return () => undefined;
  return startRefillLoop("server prime pool", REFILL_INTERVAL_MS, (signal) => topUpPrimePool(db(), { bits: PRODUCTION_PRIME_BITS, target, generate: generateSafePrimeNative, signal, defer: () => keyGenerationRunning(db()) }), { target });
}
