/** Conversions between BigInt and little-endian limbs of `bits` bits (bits ≤ 30). */

export function writeLimbs(view: Uint32Array, offset: number, value: bigint, n: number, bits: number): void {
  const mask = (1n << BigInt(bits)) - 1n;
  const shift = BigInt(bits);
  let v = value;
  for (let i = 0; i < n; i++) {
    view[offset + i] = Number(v & mask);
    v >>= shift;
  }
}

export function readLimbs(view: Uint32Array, offset: number, n: number, bits: number): bigint {
  const shift = BigInt(bits);
  let v = 0n;
  for (let i = n - 1; i >= 0; i--) v = (v << shift) | BigInt(view[offset + i] ?? 0);
  return v;
}

export interface LimbGeometry {
  readonly limbBits: number;
  readonly limbs: number;
}

const TWO_64 = 1n << 64n;

/**
 * Widest limb (≤ 30 bits) such that a full Montgomery column sum 2n·(2^w − 1)² plus a carry
 * below 2^(64−w) fits in u64, with R = 2^(w·n) > 4N (two spare bits).
 */
export function limbGeometry(modulusBits: number): LimbGeometry {
  for (let w = 30; w >= 16; w--) {
    const limbs = Math.ceil((modulusBits + 2) / w);
    const limbMax = (1n << BigInt(w)) - 1n;
    const bound = 2n * BigInt(limbs) * limbMax * limbMax + (1n << BigInt(64 - w));
    if (bound < TWO_64) return { limbBits: w, limbs };
  }
  return { limbBits: 16, limbs: Math.ceil((modulusBits + 2) / 16) };
}
