/**
 * Safe-prime generation (spec §2.1, §6.5). Isomorphic: runs in Node, browsers and Web Workers.
 * Candidates p' are scanned incrementally from a random start; small-prime residues of p' are
 * updated with Number arithmetic, so the sieve costs almost nothing per candidate.
 */
import { bitLength, isProbablePrime, modPow, randomBits } from "./bigint";
import { ParameterError, PrimeGenerationAborted } from "./errors";

/** The first 135 odd primes (3 … 769). */
export const SIEVE_PRIMES: readonly number[] = (() => {
  const out: number[] = [];
  for (let n = 3; out.length < 135; n += 2) {
    if (out.every((p) => n % p !== 0)) out.push(n);
  }
  return out;
})();

export const MIN_SAFE_PRIME_BITS = 16;
/** Miller–Rabin rounds for p' and for p (4^−40 error each). */
export const MR_ROUNDS = 40;
/** A fresh random start after this many increments keeps the scan from wandering far. */
const MAX_STEPS_PER_START = 1 << 14;

export interface SafePrimeProgress {
  /** Candidates p' examined so far (including those removed by the sieve). */
  readonly candidates: number;
  /** Candidates that passed the sieve and reached the base-2 Fermat tests. */
  readonly tested: number;
}

export interface SafePrimeOptions {
  readonly onProgress?: (progress: SafePrimeProgress) => void;
  readonly signal?: AbortSignal;
  /** Yield to the event loop after this many Fermat tests (default 4). */
  readonly yieldEvery?: number;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** r divides p' (residue 0) or divides 2p'+1 (residue (r−1)/2). */
function sieveRejects(residues: Int32Array): boolean {
  for (let i = 0; i < residues.length; i++) {
    const r = SIEVE_PRIMES[i] as number;
    const x = residues[i] as number;
    if (x === 0 || x === (r - 1) >> 1) return true;
  }
  return false;
}

function fermatBase2(n: bigint): boolean {
  return modPow(2n, n - 1n, n) === 1n;
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
  const yieldEvery = Math.max(1, options.yieldEvery ?? 4);
  const top = 1n << BigInt(bits - 2);
  const limit = 1n << BigInt(bits - 1);
  let candidates = 0;
  let tested = 0;
  const residues = new Int32Array(SIEVE_PRIMES.length);

  for (;;) {
    if (signal?.aborted) throw new PrimeGenerationAborted();
    // p' odd with exactly bits−1 bits, so p = 2p'+1 has exactly `bits` bits.
    let pp = randomBits(bits - 1) | top | 1n;
    SIEVE_PRIMES.forEach((r, i) => {
      residues[i] = Number(pp % BigInt(r));
    });
    for (let step = 0; step < MAX_STEPS_PER_START && pp < limit; step++, pp += 2n) {
      if (step > 0) {
        for (let i = 0; i < residues.length; i++) {
          const r = SIEVE_PRIMES[i] as number;
          residues[i] = ((residues[i] as number) + 2) % r;
        }
      }
      candidates++;
      if (sieveRejects(residues)) continue;
      tested++;
      const p = 2n * pp + 1n;
      const found = fermatBase2(pp) && fermatBase2(p) && isProbablePrime(pp, MR_ROUNDS) && isProbablePrime(p, MR_ROUNDS);
      if (found) {
        onProgress?.({ candidates, tested });
        return p;
      }
      if (tested % yieldEvery === 0) {
        onProgress?.({ candidates, tested });
        await yieldToEventLoop();
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
