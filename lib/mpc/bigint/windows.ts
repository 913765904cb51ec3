/**
 * Sliding-window schedules shared by the BigInt and WebAssembly backends.
 *
 * A schedule for exponents e_0..e_{k-1} is a list of steps from the most significant bit
 * down; at each bit position the accumulator is squared, then multiplied by the odd power
 * g_i^v for every window of exponent i whose lowest bit sits at that position. One squaring
 * chain serves all exponents (Straus/Shamir simultaneous exponentiation).
 */

/** Sliding-window width that minimises work for an exponent of the given size. */
export function slidingWindowBits(expBits: number): number {
  if (expBits <= 8) return 1;
  if (expBits <= 24) return 2;
  if (expBits <= 80) return 3;
  if (expBits <= 240) return 4;
  if (expBits <= 672) return 5;
  if (expBits <= 1792) return 6;
  return 7;
}

/**
 * Fixed-window width for the constant-time (secret-exponent) path, chosen from the public modulus
 * size: every window costs one product plus a read of all 2^w table entries.
 */
export function fixedWindowBits(modulusBits: number): number {
  return modulusBits <= 2048 ? 4 : 5;
}

/** Odd powers g^1, g^3, …, g^(2^w − 1) are stored at index (v − 1) / 2. */
export function oddPowerCount(windowBits: number): number {
  return 1 << (windowBits - 1);
}

export interface WindowSchedule {
  /** Number of bit positions (max bit length over the exponents). */
  readonly topBits: number;
  /**
   * Flattened multiplications, sorted by position descending: for step s,
   * positions[s] is the bit index, bases[s] the base index and digits[s] the odd window value.
   */
  readonly positions: Int32Array;
  readonly bases: Int32Array;
  readonly digits: Int32Array;
}

/** exps must be non-negative. */
export function buildWindowSchedule(exps: readonly bigint[], windowBits: readonly number[]): WindowSchedule {
  type Step = { pos: number; base: number; digit: number };
  const steps: Step[] = [];
  let topBits = 0;
  exps.forEach((e, baseIndex) => {
    if (e === 0n) return;
    const bits = e.toString(2);
    const len = bits.length;
    if (len > topBits) topBits = len;
    const w = windowBits[baseIndex] ?? 1;
    let i = 0; // index into bits string: position = len - 1 - i
    while (i < len) {
      if (bits.charCodeAt(i) === 48) {
        i++;
        continue;
      }
      let j = Math.min(len - 1, i + w - 1);
      while (bits.charCodeAt(j) === 48) j--;
      const digit = Number.parseInt(bits.slice(i, j + 1), 2);
      steps.push({ pos: len - 1 - j, base: baseIndex, digit });
      i = j + 1;
    }
  });
  steps.sort((a, b) => b.pos - a.pos || a.base - b.base);
  const positions = new Int32Array(steps.length);
  const bases = new Int32Array(steps.length);
  const digits = new Int32Array(steps.length);
  steps.forEach((s, k) => {
    positions[k] = s.pos;
    bases[k] = s.base;
    digits[k] = s.digit;
  });
  return { topBits, positions, bases, digits };
}
