import { assertNonNegativeInteger } from "./basic";
import { modPow } from "./pow";
import { randomInRange } from "./random";

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
