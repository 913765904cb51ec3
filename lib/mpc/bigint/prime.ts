import { assertNonNegativeInteger, bitLength } from "./basic";
import { modPow } from "./pow";
import { randomInRange } from "./random";
import { loadWasmKernels } from "./wasm-kernels";

/** Odd and even primes below 2000, used for trial division before Miller–Rabin. */
export const SMALL_PRIMES: readonly number[] = [2, ...oddPrimesBelow(2000)];
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

/** How deep the safe-prime sieve divides and how many candidates one pass covers. */
export interface SafeSieve {
  /** Every odd prime below this bound divides. */
  readonly bound: number;
  /** Candidates q0 + 2k, k < interval, per pass (one random start each). */
  readonly interval: number;
}

/**
 * Below 1536 bits (fast-test's 1024-bit primes, tests): the odd primes below 2^21 (155,610) over
 * 2^16 candidates; a pass costs tens of milliseconds, so small primes never wait for a deep sieve.
 */
export const SHALLOW_SAFE_SIEVE: SafeSieve = { bound: 1 << 21, interval: 1 << 16 };
/**
 * From 1536 bits: the odd primes below 2^24 (1,077,870) over 2^20 candidates. They leave ∏(1 − 2/r)
 * 0.77 times the survivors the primes below 2^21 do, so a 1536-bit safe prime needs about a quarter
 * fewer Fermat tests (the Hardy–Littlewood estimate says 1,290 against 1,680; 1,618 were measured
 * over 14 primes — the estimate runs low, as at 384 bits). The pass (~0.25 s, the residues of q0
 * modulo a million primes) is spread over ~3,100 survivors, ~0.08 ms each against ~2.5 ms per test.
 */
export const DEEP_SAFE_SIEVE: SafeSieve = { bound: 1 << 24, interval: 1 << 20 };

export function safeSieveFor(bits: number): SafeSieve {
  return bits >= 1536 ? DEEP_SAFE_SIEVE : SHALLOW_SAFE_SIEVE;
}

/** Odd primes below `limit` (Eratosthenes over the odd numbers only). */
function oddPrimesBelow(limit: number): Uint32Array {
  const half = limit >>> 1; // index i stands for 2i + 1
  const composite = new Uint8Array(half);
  let count = 0;
  for (let i = 1; i < half; i++) {
    if (composite[i] === 1) continue;
    count++;
    const p = 2 * i + 1;
    for (let j = (p * p - 1) / 2; j < half; j += p) composite[j] = 1; // p² is exact as a double below 2^53
  }
  const out = new Uint32Array(count);
  for (let i = 1, n = 0; i < half; i++) if (composite[i] === 0) out[n++] = 2 * i + 1;
  return out;
}

const safeSieves = new Map<number, Uint32Array>();

/**
 * The odd primes below `bound` (a SafeSieve's), built on first use and kept: the shallow list in
 * about 10 ms, the deep one in about 0.1 s.
 */
export function safeSievePrimes(bound: number = SHALLOW_SAFE_SIEVE.bound): Uint32Array {
  let primes = safeSieves.get(bound);
  if (primes === undefined) {
    primes = oddPrimesBelow(bound);
    safeSieves.set(bound, primes);
  }
  return primes;
}

/**
 * Flags for the safe-prime candidates q = q0 + 2k, k < count (q0 odd): 1 where an odd prime
 * below min(bound, q0) divides q or 2q + 1, the bound being safeSieveFor(the size of p = 2q + 1)'s.
 * WebAssembly kernel when it loads, else the same interval sieve in JavaScript (sieveSafeJs);
 * both give identical flags.
 */
export function sieveSafe(q0: bigint, count: number): Uint8Array {
  const primes = sievePrimesBelow(q0);
  const k = loadWasmKernels();
  return k !== null ? k.sieveSafe(q0, primes, count) : sieveSafeJs(q0, primes, count);
}

/** The primes sieveSafe divides q0's interval by. */
export function sievePrimesBelow(q0: bigint): Uint32Array {
  const bound = safeSieveFor(bitLength(q0) + 1).bound;
  const all = safeSievePrimes(bound);
  if (q0 > BigInt(bound)) return all;
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
