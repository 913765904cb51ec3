import { assertModulus, assertNonNegativeInteger, mod, modInv } from "./basic";
import { InvalidArgumentError, NotInvertibleError } from "./errors";
import { modPow } from "./pow";
import { bigintFixedBaseProduct } from "./fixed-base-bigint";
import { getBackend } from "./registry";

/**
 * Precomputed powers of a fixed base for Yao/BGMW fixed-base exponentiation
 * (CGGMP24 spec §2.3: a peer's ring-Pedersen s and t).
 *
 * powers[k] = base^(2^(windowBits·k)). With digits d_k of the exponent in radix 2^w, the result
 * Π_d (Π_{k: d_k = d} powers[k])^d takes ⌈bits/w⌉ + 2·2^w multiplications and no squarings.
 * Negative exponents x use x + 2^maxExpBits ≥ 0 and one extra factor base^(−2^maxExpBits).
 * The table holds plain BigInts; a backend may cache its own representation alongside.
 */
export interface FixedBaseTable {
  readonly base: bigint;
  readonly m: bigint;
  readonly maxExpBits: number;
  readonly windowBits: number;
  readonly powers: readonly bigint[];
  /** base^(−2^maxExpBits) mod m, or null when base is not a unit mod m. */
  readonly negativeOffset: bigint | null;
}

export const MAX_FIXED_BASE_WINDOW = 12;

/** Window width minimising ⌈bits/w⌉ + 2^(w+1) multiplications. */
export function defaultFixedBaseWindow(maxExpBits: number): number {
  let best = 1;
  let bestCost = Number.POSITIVE_INFINITY;
  for (let w = 1; w <= 10; w++) {
    const cost = Math.ceil((maxExpBits + 1) / w) + 2 ** (w + 1);
    if (cost < bestCost) {
      bestCost = cost;
      best = w;
    }
  }
  return best;
}

export function createFixedBaseTable(
  base: bigint,
  m: bigint,
  maxExpBits: number,
  windowBits: number = defaultFixedBaseWindow(maxExpBits),
): FixedBaseTable {
  assertModulus(m);
  assertNonNegativeInteger(maxExpBits, "maxExpBits");
  if (!Number.isInteger(windowBits) || windowBits < 1 || windowBits > MAX_FIXED_BASE_WINDOW) {
    throw new InvalidArgumentError(`windowBits must be in 1..${MAX_FIXED_BASE_WINDOW}, got ${windowBits}`);
  }
  const b = mod(base, m);
  // Exponents used with the table are < 2^maxExpBits (negative ones after the shift).
  const count = Math.max(1, Math.ceil(maxExpBits / windowBits));
  const backend = getBackend();
  let powers: bigint[];
  if (backend.fixedBasePowers !== undefined && m > 1n) {
    powers = backend.fixedBasePowers(b, m, count, windowBits);
  } else {
    const step = 1n << BigInt(windowBits);
    powers = [b];
    for (let k = 1; k < count; k++) powers.push(modPow(powers[k - 1] ?? 0n, step, m));
  }
  let negativeOffset: bigint | null = null;
  try {
    // base^(2^maxExpBits) is 0…w squarings past the last entry (w·(count−1) ≤ maxExpBits).
    const lastShift = BigInt(maxExpBits - windowBits * (count - 1));
    negativeOffset = modInv(modPow(powers[count - 1] ?? 0n, 1n << lastShift, m), m);
  } catch (e) {
    if (!(e instanceof NotInvertibleError)) throw e;
  }
  return { base: b, m, maxExpBits, windowBits, powers, negativeOffset };
}

/** Radix-2^w digits of a non-negative exponent, least significant first. */
function digitsOf(exp: bigint, windowBits: number, maxDigits: number): Uint16Array {
  const bits = exp.toString(2);
  const count = Math.ceil(bits.length / windowBits);
  if (count > maxDigits) throw new InvalidArgumentError("exponent exceeds the fixed-base table");
  const out = new Uint16Array(count);
  for (let k = 0; k < count; k++) {
    const end = bits.length - k * windowBits;
    out[k] = Number.parseInt(bits.slice(Math.max(0, end - windowBits), end), 2);
  }
  return out;
}

function fitsTable(table: FixedBaseTable, exp: bigint): boolean {
  const limit = 1n << BigInt(table.maxExpBits);
  return exp < 0n ? -exp <= limit && table.negativeOffset !== null : exp < limit;
}

/**
 * Π tables[i].base^exps[i] mod m in one bucket pass. All tables must share modulus and window.
 * Exponents beyond a table's maxExpBits fall back to plain exponentiation (correct, slower).
 */
export function fixedBaseMultiPow(tables: readonly FixedBaseTable[], exps: readonly bigint[]): bigint {
  if (tables.length !== exps.length || tables.length === 0) {
    throw new InvalidArgumentError("fixedBaseMultiPow needs equally many (≥ 1) tables and exponents");
  }
  const first = tables[0] as FixedBaseTable;
  const { m, windowBits } = first;
  for (const t of tables) {
    if (t.m !== m || t.windowBits !== windowBits) {
      throw new InvalidArgumentError("fixedBaseMultiPow tables must share modulus and window");
    }
  }
  let extra = 1n % m;
  const used: FixedBaseTable[] = [];
  const digits: Uint16Array[] = [];
  tables.forEach((t, i) => {
    const e = exps[i] ?? 0n;
    if (e === 0n) return;
    if (!fitsTable(t, e)) {
      extra = (extra * modPow(t.base, e, m)) % m;
      return;
    }
    let shifted = e;
    if (e < 0n) {
      shifted = e + (1n << BigInt(t.maxExpBits));
      extra = (extra * (t.negativeOffset ?? 1n)) % m;
    }
    used.push(t);
    digits.push(digitsOf(shifted, windowBits, t.powers.length));
  });
  if (used.length === 0) return extra;
  const backend = getBackend();
  const product =
    backend.fixedBaseProduct !== undefined
      ? backend.fixedBaseProduct(used, digits)
      : bigintFixedBaseProduct(used, digits, m);
  return (product * extra) % m;
}

/** table.base^exp mod table.m; negative exponents need the base to be a unit. */
export function fixedBasePow(table: FixedBaseTable, exp: bigint): bigint {
  return fixedBaseMultiPow([table], [exp]);
}
