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

/** Greatest common divisor, always non-negative; gcd(0, 0) = 0. */
export function gcd(a: bigint, b: bigint): bigint {
  let x = abs(a);
  let y = abs(b);
  while (y !== 0n) {
    const t = x % y;
    x = y;
    y = t;
  }
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

/** Inverse of a modulo m in [0, m); throws NotInvertibleError when gcd(a, m) ≠ 1. */
export function modInv(a: bigint, m: bigint): bigint {
  assertModulus(m);
  if (m === 1n) throw new NotInvertibleError("no inverse modulo 1");
  let r0 = m;
  let r1 = mod(a, m);
  let t0 = 0n;
  let t1 = 1n;
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  if (r0 !== 1n) throw new NotInvertibleError("value is not invertible modulo m");
  return t0 < 0n ? t0 + m : t0;
}

export function assertNonNegativeInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new InvalidArgumentError(`${what} must be a non-negative safe integer, got ${n}`);
  }
}
