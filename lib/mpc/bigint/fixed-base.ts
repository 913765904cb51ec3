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
    negativeOffset = modInv(powerOfTwoPower({ powers, m, windowBits }, maxExpBits), m);
  } catch (e) {
    if (!(e instanceof NotInvertibleError)) throw e;
  }
  return { base: b, m, maxExpBits, windowBits, powers, negativeOffset };
}

/** base^(2^bits) for bits ≤ maxExpBits: a few squarings past the entry base^(2^(w·k)) with w·k ≤ bits. */
function powerOfTwoPower(t: Pick<FixedBaseTable, "powers" | "m" | "windowBits">, bits: number): bigint {
  const k = Math.min(t.powers.length - 1, Math.floor(bits / t.windowBits));
  return modPow(t.powers[k] ?? 0n, 1n << BigInt(bits - t.windowBits * k), t.m);
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

/** base^(−2^bits) per table and bound, computed once (bounds come from the profile: a handful). */
const secretOffsets = new WeakMap<FixedBaseTable, Map<number, bigint>>();

function secretOffset(t: FixedBaseTable, bits: number): bigint {
  let byBits = secretOffsets.get(t);
  if (byBits === undefined) secretOffsets.set(t, (byBits = new Map()));
  let offset = byBits.get(bits);
  if (offset === undefined) {
    try {
      offset = modInv(powerOfTwoPower(t, bits), t.m);
    } catch (e) {
      if (e instanceof NotInvertibleError) throw new InvalidArgumentError("fixedBaseMultiPowSecret needs bases that are units");
      throw e;
    }
    byBits.set(bits, offset);
  }
  return offset;
}

/**
 * Π tables[i].base^exps[i] mod m for SECRET signed exponents (a prover's witnesses and masks) with
 * PUBLIC bounds |exps[i]| < 2^bits[i] (default maxExpBits − 1; bits[i] + 1 ≤ maxExpBits). Every
 * exponent is shifted by 2^bits[i] into [0, 2^(bits[i]+1)), so its sign chooses nothing; all of its
 * ⌈(bits[i]+1)/w⌉ digits go through the backend's fixedBaseProductSecret, zeros included, and the
 * shift is divided out, always. What the schedule shows is the bounds, not the exponents.
 */
export function fixedBaseMultiPowSecret(tables: readonly FixedBaseTable[], exps: readonly bigint[], bits?: readonly number[]): bigint {
  if (tables.length !== exps.length || tables.length === 0 || (bits !== undefined && bits.length !== exps.length)) {
    throw new InvalidArgumentError("fixedBaseMultiPowSecret needs equally many (≥ 1) tables, exponents and bounds");
  }
  const { m, windowBits } = tables[0] as FixedBaseTable;
  let extra = 1n % m;
  const digits = tables.map((t, i) => {
    if (t.m !== m || t.windowBits !== windowBits) throw new InvalidArgumentError("fixedBaseMultiPowSecret tables must share modulus and window");
    const bound = bits?.[i] ?? t.maxExpBits - 1;
    if (!Number.isInteger(bound) || bound < 0 || bound + 1 > t.maxExpBits) throw new InvalidArgumentError(`secret exponent bound ${bound} does not fit a table of ${t.maxExpBits} bits`);
    const shift = 1n << BigInt(bound);
    const e = exps[i] ?? 0n;
    if (e <= -shift || e >= shift) throw new InvalidArgumentError(`secret exponent beyond ±2^${bound}`);
    extra = (extra * secretOffset(t, bound)) % m;
    return fixedDigits(e + shift, windowBits, Math.ceil((bound + 1) / windowBits));
  });
  return (getBackend().fixedBaseProductSecret(tables, digits) * extra) % m;
}

/** Exactly `count` radix-2^w digits of 0 ≤ x < 2^(w·count), least significant first. */
function fixedDigits(x: bigint, windowBits: number, count: number): Uint16Array {
  const out = new Uint16Array(count);
  const mask = BigInt((1 << windowBits) - 1);
  const step = BigInt(windowBits);
  let v = x;
  for (let k = 0; k < count; k++) {
    out[k] = Number(v & mask);
    v >>= step;
  }
  return out;
}

/** table.base^exp mod table.m; negative exponents need the base to be a unit. */
export function fixedBasePow(table: FixedBaseTable, exp: bigint): bigint {
  return fixedBaseMultiPow([table], [exp]);
}
