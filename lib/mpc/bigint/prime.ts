import { assertNonNegativeInteger } from "./basic";
import { modPow } from "./pow";
import { randomInRange } from "./random";
import { loadWasmKernels } from "./wasm-kernels";

function sieve(limit: number): number[] {
  const composite = new Uint8Array(limit + 1);
  const out: number[] = [];
  for (let i = 2; i <= limit; i++) {
    if (composite[i] === 1) continue;
    out.push(i);
    for (let j = i * i; j <= limit; j += i) composite[j] = 1;
  }
  return out;
}

/** Odd and even primes below 2000, used for trial division before Miller–Rabin. */
export const SMALL_PRIMES: readonly number[] = sieve(2000);
const SMALL_PRIMES_BIG: readonly bigint[] = SMALL_PRIMES.map(BigInt);
const LARGEST_SMALL_PRIME = SMALL_PRIMES_BIG[SMALL_PRIMES_BIG.length - 1] ?? 2n;

/**
 * Miller–Rabin with `rounds` uniformly random bases after trial division by the primes < 2000.
 * Error probability ≤ 4^−rounds for composites.
 */
export function isProbablePrime(n: bigint, rounds = 40): boolean {
  assertNonNegativeInteger(rounds, "rounds");
  if (n < 2n) return false;
  for (const p of SMALL_PRIMES_BIG) {
    if (n === p) return true;
    if (n % p === 0n) return false;
  }
  if (n <= LARGEST_SMALL_PRIME * LARGEST_SMALL_PRIME) return true;
  const nMinus1 = n - 1n;
  let d = nMinus1;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s++;
  }
  witness: for (let i = 0; i < rounds; i++) {
    const a = randomInRange(2n, nMinus1);
    let x = modPow(a, d, n);
    if (x === 1n || x === nMinus1) continue;
    for (let r = 1; r < s; r++) {
      x = (x * x) % n;
      if (x === nMinus1) continue witness;
      if (x === 1n) return false;
    }
    return false;
  }
  return true;
}

/** The safe-prime sieve divides by every odd prime below this bound. */
export const SAFE_SIEVE_BOUND = 1 << 21;

let safeSieve: Uint32Array | null = null;

/**
 * The odd primes below 2^21 (155,610 of them): the safe-prime sieve's divisors, built on first use
 * (about 10 ms). Sieving this deep leaves 58 % of the Fermat tests that the primes below 2^16 left
 * (expected tests per 1536-bit safe prime ≈ 1,690 instead of ≈ 2,900) for a sieve pass that stays
 * under 10 % of the search.
 */
export function safeSievePrimes(): Uint32Array {
  safeSieve ??= Uint32Array.from(sieve(SAFE_SIEVE_BOUND - 1).slice(1));
  return safeSieve;
}

/**
 * Flags for the safe-prime candidates q = q0 + 2k, k < count (q0 odd): 1 where an odd prime
 * below min(2^21, q0) divides q or 2q + 1. WebAssembly kernel when it loads, else the same
 * interval sieve in JavaScript (sieveSafeJs); both give identical flags.
 */
export function sieveSafe(q0: bigint, count: number): Uint8Array {
  const primes = sievePrimesBelow(q0);
  const k = loadWasmKernels();
  return k !== null ? k.sieveSafe(q0, primes, count) : sieveSafeJs(q0, primes, count);
}

function sievePrimesBelow(q0: bigint): Uint32Array {
  const all = safeSievePrimes();
  if (q0 > BigInt(SAFE_SIEVE_BOUND)) return all;
  const limit = Number(q0);
  let n = 0;
  while (n < all.length && (all[n] ?? limit) < limit) n++;
  return all.subarray(0, n);
}

/** The JavaScript interval sieve (reference for the kernel and fallback without WebAssembly). */
export function sieveSafeJs(q0: bigint, primes: Uint32Array, count: number): Uint8Array {
  const flags = new Uint8Array(count);
  for (const r of primes) {
    const res = Number(q0 % BigInt(r));
    const inv2 = (r + 1) / 2;
    const half = (r - 1) / 2;
    const k0 = (((r - res) % r) * inv2) % r;
    const k1 = (((half + r - res) % r) * inv2) % r;
    for (let k = k0; k < count; k += r) flags[k] = 1;
    for (let k = k1; k < count; k += r) flags[k] = 1;
  }
  return flags;
}
