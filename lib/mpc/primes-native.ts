/** Node-only safe-prime generation through OpenSSL. Never import from isomorphic or browser code. */
import { generatePrime } from "node:crypto";
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
