import { assertModulus, assertNonNegativeInteger, bitLength, gcd } from "./basic";
import { fromBytesBE } from "./bytes";
import { InvalidArgumentError } from "./errors";

const MAX_GET_RANDOM_VALUES = 65536;

/** n bytes from crypto.getRandomValues (the only randomness source of this layer). */
export function randomBytes(n: number): Uint8Array {
  assertNonNegativeInteger(n, "n");
  const out = new Uint8Array(n);
  for (let off = 0; off < n; off += MAX_GET_RANDOM_VALUES) {
    crypto.getRandomValues(out.subarray(off, Math.min(n, off + MAX_GET_RANDOM_VALUES)));
  }
  return out;
}

/** Uniform integer in [0, 2^bits). */
export function randomBits(bits: number): bigint {
  assertNonNegativeInteger(bits, "bits");
  if (bits === 0) return 0n;
  const bytes = randomBytes(Math.ceil(bits / 8));
  const excess = bytes.length * 8 - bits;
  bytes[0] = (bytes[0] ?? 0) & (0xff >> excess);
  return fromBytesBE(bytes);
}

/** Uniform integer in [0, n) by rejection sampling. */
export function randomBelow(n: bigint): bigint {
  if (n <= 0n) throw new InvalidArgumentError("randomBelow needs n > 0");
  if (n === 1n) return 0n;
  const bits = bitLength(n - 1n);
  for (;;) {
    const r = randomBits(bits);
    if (r < n) return r;
  }
}

/** Uniform integer in the half-open range [lo, hi). */
export function randomInRange(lo: bigint, hi: bigint): bigint {
  if (hi <= lo) throw new InvalidArgumentError("randomInRange needs lo < hi");
  return lo + randomBelow(hi - lo);
}

/**
 * Uniform on ±2^bits in the half-range convention of the CGGMP24 spec (§0.3):
 * {−2^(bits−1), …, 2^(bits−1)}, i.e. |x| ≤ 2^(bits−1).
 */
export function randomSymmetric(bits: number): bigint {
  assertNonNegativeInteger(bits, "bits");
  if (bits === 0) return 0n;
  const half = 1n << BigInt(bits - 1);
  return randomBelow(2n * half + 1n) - half;
}

/** Uniform element of Z*_n (0 < x < n, gcd(x, n) = 1). */
export function randomUnit(n: bigint): bigint {
  assertModulus(n);
  if (n < 2n) throw new InvalidArgumentError("Z*_n needs n ≥ 2");
  for (;;) {
    const r = randomBelow(n);
    if (r !== 0n && gcd(r, n) === 1n) return r;
  }
}
