/** Deliberately naive reference arithmetic the suites compare the library against. */
export function refModPow(base: bigint, exp: bigint, m: bigint): bigint {
  if (m === 1n) return 0n;
  let b = ((base % m) + m) % m;
  let e = exp;
  let r = 1n;
  while (e > 0n) {
    if ((e & 1n) === 1n) r = (r * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return r;
}

/** Inverse by brute-force-free Fermat-free method: extended Euclid written independently. */
export function refInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) throw new Error("not invertible");
  return ((oldS % m) + m) % m;
}

/** Signed exponent: negative means inverse first. */
export function refModPowSigned(base: bigint, exp: bigint, m: bigint): bigint {
  return exp < 0n ? refModPow(refInverse(base, m), -exp, m) : refModPow(base, exp, m);
}

/** Random odd modulus with exactly `bits` bits. */
export function oddModulus(bits: number, rnd: (bits: number) => bigint): bigint {
  return rnd(bits) | (1n << BigInt(bits - 1)) | 1n;
}
