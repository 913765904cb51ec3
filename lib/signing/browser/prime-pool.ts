/**
 * Main-thread coordinator of the prime workers: the wizard needs four safe primes per client party
 * (Paillier p, q; ring-Pedersen p̂, q̂). Each prime is generated in its own Web Worker, a few at a
 * time; this file only hands out jobs and collects results (no arithmetic on the main thread).
 */
import type { AuxPrimesHex, PrimeWorkerResponse } from "@/lib/mpc/worker/messages";
import { FAST_TEST, PRODUCTION } from "@/lib/mpc/params";

export function primeBitsFor(profile: string): number {
  if (profile === FAST_TEST.name) return FAST_TEST.primeBits;
  if (profile === PRODUCTION.name) return PRODUCTION.primeBits;
  throw new Error(`The server announced an unknown security profile: ${profile}`);
}

export type PrimeProgress = { done: number; total: number };

export class PrimeGenerationCancelled extends Error {
  constructor() {
    super("Prime generation was cancelled");
    this.name = "PrimeGenerationCancelled";
  }
}

/** `count` distinct safe primes of `bits` bits as hex, `concurrency` workers at once. */
export async function generatePrimes(opts: {
  count: number;
  bits: number;
  concurrency: number;
  makeWorker: () => Worker;
  onProgress?: (p: PrimeProgress) => void;
  signal?: AbortSignal;
}): Promise<string[]> {
  const found = new Set<string>();
  const live = new Set<Worker>();
  const stopAll = () => {
    for (const w of live) w.terminate();
    live.clear();
  };
  opts.signal?.addEventListener("abort", stopAll, { once: true });
  const one = () =>
    new Promise<string>((resolve, reject) => {
      if (opts.signal?.aborted) return reject(new PrimeGenerationCancelled());
      const w = opts.makeWorker();
      live.add(w);
      const finish = () => {
        live.delete(w);
        w.terminate();
      };
      opts.signal?.addEventListener("abort", () => reject(new PrimeGenerationCancelled()), { once: true });
      w.onmessage = (ev: MessageEvent) => {
        const m = ev.data as PrimeWorkerResponse;
        if (m.type === "prime") {
          finish();
          resolve(m.prime);
        } else if (m.type === "error") {
          finish();
          reject(new Error(`A prime worker failed: ${m.message}`));
        }
      };
      w.onerror = (ev) => {
        finish();
        reject(new Error(`A prime worker failed to start: ${ev.message || "unknown error"}`));
      };
      w.postMessage({ type: "prime", bits: opts.bits });
    });
  const lane = async () => {
    while (found.size < opts.count) {
      const p = await one();
      if (found.size < opts.count && !found.has(p)) {
        found.add(p);
        opts.onProgress?.({ done: found.size, total: opts.count });
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, opts.count)) }, lane));
  } catch (err) {
    stopAll();
    throw err;
  }
  return [...found].slice(0, opts.count);
}

export function asAuxPrimes(primes: string[], offset: number): AuxPrimesHex {
  const [p, q, pHat, qHat] = primes.slice(offset, offset + 4);
  if (!p || !q || !pHat || !qHat) throw new Error("Not enough primes");
  return { p, q, pHat, qHat };
}
