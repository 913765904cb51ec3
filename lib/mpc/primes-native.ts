/** Node-only safe-prime generation through OpenSSL. Never import from isomorphic or browser code. */
import { fork, type ChildProcess } from "node:child_process";
import { generatePrime } from "node:crypto";
import { availableParallelism } from "node:os";
import { bitLength } from "./bigint";
import { ParameterError } from "./errors";
import { MIN_SAFE_PRIME_BITS } from "./primes";

function opensslSafePrime(bits: number): Promise<bigint> {
  return new Promise((resolve, reject) => {
    generatePrime(bits, { safe: true, bigint: true }, (err, prime) => (err ? reject(err) : resolve(prime)));
  });
}

/** A safe prime of exactly `bits` bits (OpenSSL sets the top bit; re-drawn if it ever does not). */
export async function generateSafePrimeNative(bits: number): Promise<bigint> {
  if (!Number.isInteger(bits) || bits < MIN_SAFE_PRIME_BITS) {
    throw new ParameterError(`safe primes need at least ${MIN_SAFE_PRIME_BITS} bits`);
  }
  for (;;) {
    const p = await opensslSafePrime(bits);
    if (bitLength(p) === bits && p % 4n === 3n) return p;
  }
}

export type SafePrimeSearchOptions = {
  /** Path of lib/mpc/safe-prime-search.mjs (resolved by the caller, which knows where the source tree is). */
  script: string;
  /** Searches running at once (default: the machine's available parallelism, at least 2). */
  lanes?: number;
  /** Called with the number of primes found so far, after each new one. */
  onPrime?: (found: number) => void;
  /** Stops every search; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
};

/** A search lane exited or failed before the primes were found. */
export class SafePrimeSearchError extends Error {
  override name = "SafePrimeSearchError";
}

/**
 * `count` distinct safe primes of exactly `bits` bits, from `lanes` OpenSSL searches in child
 * processes that all keep searching until the last prime is in (as the browser's prime workers do).
 * A search is memoryless, so racing every lane for the last primes instead of one dedicated search
 * per prime shortens the wait whenever a core would otherwise idle, and the lanes still running at
 * the end are killed rather than left computing beside whatever runs next.
 */
export function searchSafePrimesNative(count: number, bits: number, opts: SafePrimeSearchOptions): Promise<bigint[]> {
  if (!Number.isInteger(bits) || bits < MIN_SAFE_PRIME_BITS) return Promise.reject(new ParameterError(`safe primes need at least ${MIN_SAFE_PRIME_BITS} bits`));
  if (!Number.isSafeInteger(count) || count < 1) return Promise.reject(new ParameterError("count must be a positive integer"));
  const lanes = opts.lanes ?? Math.max(2, availableParallelism());
  if (!Number.isSafeInteger(lanes) || lanes < 1) return Promise.reject(new ParameterError("lanes must be a positive integer"));
  return new Promise<bigint[]>((resolve, reject) => {
    const found = new Map<string, bigint>();
    const children: ChildProcess[] = [];
    let settled = false;
    const stopAll = () => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
      opts.signal?.removeEventListener("abort", onAbort);
    };
    const finish = (err: Error | null) => {
      if (settled) return;
      settled = true;
      stopAll();
      if (err) reject(err);
      else resolve([...found.values()]);
    };
    const onAbort = () => finish(opts.signal!.reason instanceof Error ? opts.signal!.reason : new Error("The safe-prime search was stopped"));
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    for (let i = 0; i < lanes; i++) {
      // No inherited loaders or flags (tsx, inspector): the lane is plain JavaScript.
      const child = fork(opts.script, [String(bits)], { execArgv: [], stdio: ["ignore", "ignore", "pipe", "ipc"], serialization: "json" });
      children.push(child);
      let stderr = "";
      child.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
      child.on("message", (m: unknown) => {
        if (settled) return;
        const p = typeof m === "string" && /^[0-9a-f]+$/.test(m) ? BigInt(`0x${m}`) : null;
        // OpenSSL sets the top bit and makes safe primes ≡ 3 mod 4 (p = 2q + 1 with q odd); anything else is re-drawn, as by generateSafePrimeNative.
        if (p === null || bitLength(p) !== bits || p % 4n !== 3n || found.has(m as string)) return;
        found.set(m as string, p);
        opts.onPrime?.(found.size);
        if (found.size >= count) finish(null);
      });
      child.on("error", (err) => finish(new SafePrimeSearchError(`A safe-prime search could not run: ${err.message}`)));
      child.on("exit", (code, signal) => {
        if (!settled) finish(new SafePrimeSearchError(`A safe-prime search ended early (${signal ?? `exit code ${code}`})${stderr ? `: ${stderr.trim()}` : ""}`));
      });
    }
  });
}
