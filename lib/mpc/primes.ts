/**
 * Safe-prime generation (spec §2.1, §6.5). Isomorphic: runs in Node, browsers and Web Workers.
 * From a random odd start q0, an interval sieve (WebAssembly kernel, lib/mpc/bigint sieveSafe)
 * strikes every q = q0 + 2k for which an odd prime below the sieve's bound divides q or 2q + 1 (2^24
 * for production's 1536-bit primes, 2^21 below: bigint/prime.ts safeSieveFor);
 * survivors get a base-2 Fermat test of q, then of p = 2q + 1 (Montgomery modexp in the kernel),
 * and the rare pair that passes both gets the final tests: Miller–Rabin on q at MR_ROUNDS and
 * Pocklington's criterion for p given q (a proof, not a probable-prime test).
 */
import { bitLength, isProbablePrime, modPow, randomBits, safeSieveFor, sieveSafe } from "./bigint";
import { ParameterError, PrimeGenerationAborted } from "./errors";

export { DEEP_SAFE_SIEVE, SHALLOW_SAFE_SIEVE, safeSieveFor, safeSievePrimes } from "./bigint";

export const MIN_SAFE_PRIME_BITS = 16;
/** Miller–Rabin rounds for p' (4^−40 error; the spec's GMP reference uses 25). */
export const MR_ROUNDS = 40;

export interface SafePrimeProgress {
  /** Candidates p' examined so far (including those removed by the sieve). */
  readonly candidates: number;
  /** Candidates that passed the sieve and reached the base-2 Fermat tests. */
  readonly tested: number;
}

export interface SafePrimeOptions {
  readonly onProgress?: (progress: SafePrimeProgress) => void;
  readonly signal?: AbortSignal;
  /**
   * Yield to the event loop (report progress, check `signal`) after this many Fermat tests; by
   * default after YIELD_MS of work instead. A count would cost a browser dearly: a Worker's
   * setTimeout(0) sleeps at least 4 ms once nested, a third of the time for four tests.
   */
  readonly yieldEvery?: number;
}

/** Default time between yields: progress twenty times a second, cancellation within 50 ms of Fermat tests (a deep sieve pass, ~0.25 s, runs whole). */
const YIELD_MS = 50;

/** A macrotask without timer clamping (MessageChannel), falling back to setTimeout. */
function yieldToEventLoop(): Promise<void> {
  if (typeof MessageChannel === "undefined") return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

function fermatBase2(n: bigint): boolean {
  return modPow(2n, n - 1n, n) === 1n;
}

/**
 * p = 2q + 1 is prime when q is: Pocklington with witness 2 (p − 1 = 2q, q > √p):
 * 2^(p−1) ≡ 1 (mod p) and gcd(2^2 − 1, p) = 1.
 */
function pocklington(p: bigint): boolean {
  return modPow(2n, p - 1n, p) === 1n && p % 3n !== 0n;
}

/**
 * A random safe prime p = 2p' + 1 of exactly `bits` bits. Cancellable through `signal`
 * (rejects with PrimeGenerationAborted) and yields to the event loop so a Worker stays responsive.
 */
export async function generateSafePrime(bits: number, options: SafePrimeOptions = {}): Promise<bigint> {
  if (!Number.isInteger(bits) || bits < MIN_SAFE_PRIME_BITS) {
    throw new ParameterError(`safe primes need at least ${MIN_SAFE_PRIME_BITS} bits`);
  }
  const { onProgress, signal } = options;
  const yieldEvery = options.yieldEvery === undefined ? null : Math.max(1, options.yieldEvery);
  let lastYield = performance.now();
  // Each pass sieves `interval` candidates from a fresh random start, so the scan never wanders far.
  const { interval } = safeSieveFor(bits);
  const top = 1n << BigInt(bits - 2);
  const limit = 1n << BigInt(bits - 1);
  let candidates = 0;
  let tested = 0;

  for (;;) {
    if (signal?.aborted) throw new PrimeGenerationAborted();
    // p' odd with exactly bits−1 bits, so p = 2p'+1 has exactly `bits` bits.
    const q0 = randomBits(bits - 1) | top | 1n;
    const struck = sieveSafe(q0, interval);
    for (let k = 0; k < interval; k++) {
      const q = q0 + 2n * BigInt(k);
      if (q >= limit) break;
      candidates++;
      if (struck[k] === 1) continue;
      tested++;
      const p = 2n * q + 1n;
      if (fermatBase2(q) && fermatBase2(p) && isProbablePrime(q, MR_ROUNDS) && pocklington(p)) {
        onProgress?.({ candidates, tested });
        return p;
      }
      if (yieldEvery === null ? performance.now() - lastYield >= YIELD_MS : tested % yieldEvery === 0) {
        onProgress?.({ candidates, tested });
        await yieldToEventLoop();
        lastYield = performance.now();
        if (signal?.aborted) throw new PrimeGenerationAborted();
      }
    }
  }
}

/**
 * Re-checks a safe prime a party is about to use as its own (aux primes from a pool, a worker or a
 * stored copy): exact bit length, p ≡ 3 mod 4, p' = (p−1)/2 passes `rounds` Miller–Rabin rounds with
 * random bases, and p itself is proven prime given p' by Pocklington's criterion with witness 2
 * (p−1 = 2p' with p' > √p: 2^(p−1) ≡ 1 mod p and gcd(2² − 1, p) = 1), one exponentiation instead
 * of another round of Miller–Rabin. Cheap next to generation: under a second for four 1536-bit primes.
 */
export function verifySafePrime(p: bigint, bits: number, rounds = RECHECK_MR_ROUNDS): boolean {
  if (p < 7n || p % 4n !== 3n || bitLength(p) !== bits) return false;
  if (!isProbablePrime((p - 1n) / 2n, rounds)) return false;
  return modPow(2n, p - 1n, p) === 1n && p % 3n !== 0n;
}

/** Miller–Rabin rounds when re-checking p' (the spec's GMP reference uses 25). */
export const RECHECK_MR_ROUNDS = 25;

/** p and (p−1)/2 both (probable) primes; checks p ≡ 3 mod 4 and, if given, the exact bit length. */
export function isSafePrime(p: bigint, bits?: number): boolean {
  if (p < 7n || p % 4n !== 3n) return false;
  if (bits !== undefined && bitLength(p) !== bits) return false;
  return isProbablePrime((p - 1n) / 2n, MR_ROUNDS) && isProbablePrime(p, MR_ROUNDS);
}
