/**
 * Shared helpers for the proofs: symmetric sampling (half-range convention of spec §0.3),
 * check helpers and the wire codec of spec §5.2.
 *
 * Wire codec (JSON-safe):
 *  - signed integer: hex of (sign byte 00|01 ‖ minimal big-endian magnitude); zero is "00",
 *    "-0" ("01") and leading zero bytes are rejected; a bit-length cap applies before any use.
 *  - element modulo M (Z*_N, Z*_N̂ or ciphertext mod N²): hex of exactly byteLength(M) bytes, < M.
 *  - point / scalar: curve.ts (33-byte compressed / 32-byte), hex.
 */
import { bytesToHex } from "@noble/hashes/utils.js";
import { bitLength, fromBytesBE, randomBelow, toBytesBE } from "../bigint";
import { strictHexToBytes } from "../curve";
import { EncodingError, ProofError } from "../errors";
import type { SecurityProfile } from "../params";
import type { PedersenContext, PedersenMask, RingPedersenParams } from "../ring-pedersen";
import { T, type TValue } from "../transcript";

/** Uniform on ±M = {−⌊M/2⌋, …, ⌊M/2⌋}. */
export function sampleSymmetric(M: bigint): bigint {
  const half = M / 2n;
  return randomBelow(2n * half + 1n) - half;
}

/**
 * A prover's ring-Pedersen commitment s^x·t^y mod N̂ with its mask y uniform on ±2^rangeBits·N̂:
 * from `mask` when one was drawn ahead for that range (lib/mpc/nonces.ts keys masks by it), else
 * drawn now. x is secret with |x| < 2^xBits (a public bound). Returns y for the proof's response.
 */
export function maskedCommit(ped: PedersenContext, x: bigint, xBits: number, rangeBits: number, mask?: PedersenMask): { y: bigint; commitment: bigint } {
  if (mask !== undefined) return { y: mask.y, commitment: ped.commitMasked(x, xBits, mask.ty) };
  const y = sampleSymmetric(pow2(rangeBits) * ped.params.N);
  return { y, commitment: ped.commit(x, y, [xBits, rangeBits + bitLength(ped.params.N)]) };
}

/** z ∈ ±M, i.e. |z| ≤ ⌊M/2⌋. */
export function inSymmetric(z: bigint, M: bigint): boolean {
  const half = M / 2n;
  return z >= -half && z <= half;
}

export function pow2(bits: number): bigint {
  return 1n << BigInt(bits);
}

/** ⌊√n⌋ for n ≥ 0 (Newton iteration from a power-of-two upper bound). */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new RangeError("isqrt of a negative number");
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(bitLength(n) / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** Jacobi symbol (a | n) for odd n > 0 (binary algorithm; no exponentiation). */
export function jacobi(a: bigint, n: bigint): -1 | 0 | 1 {
  if (n <= 0n || n % 2n === 0n) throw new RangeError("Jacobi symbol needs an odd positive modulus");
  let x = a % n;
  if (x < 0n) x += n;
  let m = n;
  let result: -1 | 1 = 1;
  while (x !== 0n) {
    while ((x & 1n) === 0n) {
      x >>= 1n;
      const r = m & 7n;
      if (r === 3n || r === 5n) result = result === 1 ? -1 : 1;
    }
    [x, m] = [m, x];
    if ((x & 3n) === 3n && (m & 3n) === 3n) result = result === 1 ? -1 : 1;
    x %= m;
  }
  return m === 1n ? result : 0;
}

/** Throws ProofError(proof, check) unless ok. */
export function check(ok: boolean, proof: string, check: string): void {
  if (!ok) throw new ProofError(proof, check);
}

export function byteLength(modulus: bigint): number {
  return Math.ceil(bitLength(modulus) / 8);
}

// ---- wire codec -------------------------------------------------------------------------------

export function encodeSigned(x: bigint): string {
  const mag = toBytesBE(x < 0n ? -x : x);
  const out = new Uint8Array(1 + mag.length);
  out[0] = x < 0n ? 1 : 0;
  out.set(mag, 1);
  return bytesToHex(out);
}

export function decodeSigned(w: unknown, field: string, maxBits: number): bigint {
  // Length cap on the raw string first, so oversized input is never even converted.
  if (typeof w === "string" && w.length > 2 * (1 + Math.ceil(maxBits / 8))) {
    throw new EncodingError(field, `longer than ${maxBits} bits`);
  }
  const bytes = strictHexToBytes(w, field);
  if (bytes.length === 0) throw new EncodingError(field, "empty signed integer");
  if (bytes.length - 1 > Math.ceil(maxBits / 8)) throw new EncodingError(field, `longer than ${maxBits} bits`);
  const sign = bytes[0];
  if (sign !== 0 && sign !== 1) throw new EncodingError(field, "bad sign byte");
  if (bytes.length > 1 && bytes[1] === 0) throw new EncodingError(field, "non-minimal magnitude");
  const mag = fromBytesBE(bytes.subarray(1));
  if (sign === 1 && mag === 0n) throw new EncodingError(field, "negative zero");
  if (bitLength(mag) > maxBits) throw new EncodingError(field, `longer than ${maxBits} bits`);
  return sign === 1 ? -mag : mag;
}

export function encodeModElement(x: bigint, modulus: bigint, field: string): string {
  if (x < 0n || x >= modulus) throw new EncodingError(field, "element out of range");
  return bytesToHex(toBytesBE(x, byteLength(modulus)));
}

export function decodeModElement(w: unknown, field: string, modulus: bigint): bigint {
  const width = byteLength(modulus);
  if (typeof w === "string" && w.length !== 2 * width) throw new EncodingError(field, `expected ${width} bytes`);
  const bytes = strictHexToBytes(w, field);
  if (bytes.length !== width) throw new EncodingError(field, `expected ${width} bytes`);
  const x = fromBytesBE(bytes);
  if (x >= modulus) throw new EncodingError(field, "element not below its modulus");
  return x;
}

/** The object with exactly the given keys. */
export function asRecord(w: unknown, field: string, keys: readonly string[]): Record<string, unknown> {
  if (typeof w !== "object" || w === null || Array.isArray(w)) throw new EncodingError(field, "expected an object");
  const o = w as Record<string, unknown>;
  const actual = Object.keys(o).sort();
  const expected = [...keys].sort();
  if (actual.length !== expected.length || actual.some((k, i) => k !== expected[i])) {
    throw new EncodingError(field, `expected fields ${expected.join(", ")}`);
  }
  return o;
}

export function asArray(w: unknown, field: string, length: number): unknown[] {
  if (!Array.isArray(w)) throw new EncodingError(field, "expected an array");
  if (w.length !== length) throw new EncodingError(field, `expected ${length} entries, got ${w.length}`);
  return w;
}

// ---- transcript fragments ---------------------------------------------------------------------

export function auxValue(aux: RingPedersenParams): TValue {
  return T.struct([
    ["N", T.int(aux.N)],
    ["s", T.int(aux.s)],
    ["t", T.int(aux.t)],
  ]);
}

export function rangeParamsValue(profile: SecurityProfile, withEllPrime = false): TValue {
  return T.struct([
    ["ell", T.int(profile.ell)],
    ["epsilon", T.int(profile.epsilon)],
    ...(withEllPrime ? ([["ellPrime", T.int(profile.ellPrime)]] as const) : []),
  ]);
}

/** Decode cap for z = γ + e·μ-style responses: extraBits + bits(modulus) + 2. */
export function bitLengthCap(extraBits: number, modulus: bigint): number {
  return extraBits + bitLength(modulus) + 2;
}
