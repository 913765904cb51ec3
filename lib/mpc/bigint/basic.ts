import { InvalidArgumentError, InvalidModulusError, NotInvertibleError } from "./errors";

export function assertModulus(m: bigint): void {
  if (m <= 0n) throw new InvalidModulusError(`modulus must be positive, got ${m}`);
}

/** a mod m in [0, m). */
export function mod(a: bigint, m: bigint): bigint {
  assertModulus(m);
  const r = a % m;
  return r < 0n ? r + m : r;
}

export function modAdd(a: bigint, b: bigint, m: bigint): bigint {
  return mod(a + b, m);
}

export function modSub(a: bigint, b: bigint, m: bigint): bigint {
  return mod(a - b, m);
}

export function modMul(a: bigint, b: bigint, m: bigint): bigint {
  return mod(a * b, m);
}

export function abs(a: bigint): bigint {
  return a < 0n ? -a : a;
}

/**
 * Lehmer's step (Knuth, TAOCP vol. 2, 4.5.2, Algorithm L) for x ≥ y > 0: runs Euclid on the leading
 * LEHMER_BITS bits of both and returns the cofactors [A, B, C, D] of the quotients on which the
 * leading bits agree with the full numbers, so (A·x + B·y, C·x + D·y) is where as many full
 * Euclid steps would lead; null when not one quotient is certain (the caller then takes a full
 * step). Every intermediate stays below 2^51, exact in doubles, and each floor division of integers
 * below 2^50 is exact too. Variable time: for public values (and the callers' existing uses).
 */
const LEHMER_BITS = 50;

function lehmerCofactors(x: bigint, y: bigint): [number, number, number, number] | null {
  const shift = BigInt(Math.max(0, bitLength(x) - LEHMER_BITS));
  let xh = Number(x >> shift);
  let yh = Number(y >> shift);
  let A = 1;
  let B = 0;
  let C = 0;
  let D = 1;
  for (;;) {
    if (yh + C === 0 || yh + D === 0) break;
    const q = Math.floor((xh + A) / (yh + C));
    if (q !== Math.floor((xh + B) / (yh + D))) break;
    [A, C] = [C, A - q * C];
    [B, D] = [D, B - q * D];
    [xh, yh] = [yh, xh - q * yh];
  }
  return B === 0 ? null : [A, B, C, D];
}

/** Below this size the remaining steps are plain Euclid. */
const LEHMER_MIN = 1n << 64n;

/** Greatest common divisor, always non-negative; gcd(0, 0) = 0. */
export function gcd(a: bigint, b: bigint): bigint {
  let x = abs(a);
  let y = abs(b);
  if (x < y) [x, y] = [y, x];
  while (y >= LEHMER_MIN) {
    const m = lehmerCofactors(x, y);
    if (m === null) {
      [x, y] = [y, x % y];
      continue;
    }
    const [A, B, C, D] = m.map(BigInt) as [bigint, bigint, bigint, bigint];
    [x, y] = [A * x + B * y, C * x + D * y];
  }
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/**
 * Membership test for Z*_n over many values at the cost of about one gcd: the returned predicate
 * answers 0 < x < bound (default n) ∧ gcd(x, n) = 1. If the product of `xs` mod n is coprime to n,
 * so is every factor (a prime of n dividing one would divide the product), and no further gcd is
 * needed; otherwise each asked value gets its own gcd, so a failing check still names its value.
 */
export function unitsModulo(n: bigint, xs: readonly bigint[]): (x: bigint, bound?: bigint) => boolean {
  if (n <= 1n) return () => false; // Z*_n is empty (n = 1) or undefined
  let product = 1n;
  for (const x of xs) product = (product * mod(x, n)) % n;
  const allCoprime = gcd(product, n) === 1n;
  return (x, bound = n) => x > 0n && x < bound && (allCoprime || gcd(x, n) === 1n);
}

/** Least common multiple, non-negative; lcm(x, 0) = 0. */
export function lcm(a: bigint, b: bigint): bigint {
  if (a === 0n || b === 0n) return 0n;
  return abs((a / gcd(a, b)) * b);
}

/** Number of bits in |a| (0 for 0). */
export function bitLength(a: bigint): number {
  const v = abs(a);
  if (v === 0n) return 0;
  const hex = v.toString(16);
  const top = Number.parseInt(hex[0] ?? "0", 16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(top));
}

/**
 * Inverse of a modulo m in [0, m); throws NotInvertibleError when gcd(a, m) ≠ 1. Extended Euclid
 * with Lehmer's steps (see gcd): the invariant r_i ≡ t_i·a (mod m) holds through each cofactor step.
 */
export function modInv(a: bigint, m: bigint): bigint {
  assertModulus(m);
  if (m === 1n) throw new NotInvertibleError("no inverse modulo 1");
  let r0 = m;
  let r1 = mod(a, m);
  let t0 = 0n;
  let t1 = 1n;
  while (r1 >= LEHMER_MIN) {
    const c = lehmerCofactors(r0, r1);
    if (c === null) {
      const q = r0 / r1;
      [r0, r1] = [r1, r0 - q * r1];
      [t0, t1] = [t1, t0 - q * t1];
      continue;
    }
    const [A, B, C, D] = c.map(BigInt) as [bigint, bigint, bigint, bigint];
    [r0, r1] = [A * r0 + B * r1, C * r0 + D * r1];
    [t0, t1] = [A * t0 + B * t1, C * t0 + D * t1];
  }
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  if (r0 !== 1n) throw new NotInvertibleError("value is not invertible modulo m");
  t0 %= m;
  return t0 < 0n ? t0 + m : t0;
}

export function assertNonNegativeInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new InvalidArgumentError(`${what} must be a non-negative safe integer, got ${n}`);
  }
}
