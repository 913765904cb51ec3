import { describe, expect, it } from "vitest";
import {
  createCrtContext,
  crtCombine,
  crtMultiExpWith,
  crtPow,
  crtPowWith,
  InvalidArgumentError,
  modPow,
  multiExp,
  NotInvertibleError,
  randomBelow,
  randomBits,
  randomSymmetric,
} from "@/lib/mpc/bigint";
import { refModPowSigned } from "./reference";

// Primes: 2^127 − 1, 2^89 − 1 (Mersenne) and two 256-bit primes (secp256k1 field and order).
const P1 = (1n << 127n) - 1n;
const Q1 = (1n << 89n) - 1n;
const P2 = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn;
const Q2 = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

describe("CRT", () => {
  it("crtCombine solves the congruences", () => {
    expect(crtCombine(2n, 3n, 3n, 5n)).toBe(8n);
    const x = randomBelow(P2 * Q2);
    expect(crtCombine(x % P2, P2, x % Q2, Q2)).toBe(x);
    expect(crtCombine(-1n, 7n, 0n, 11n)).toBe(55n);
    expect(() => crtCombine(1n, 6n, 1n, 9n)).toThrow(NotInvertibleError);
  });

  it("crtPow equals direct modPow for primes, including negative and huge exponents", () => {
    for (const [p, q] of [
      [P1, Q1],
      [P2, Q2],
    ] as const) {
      const n = p * q;
      for (const exp of [0n, 1n, randomBits(600), -randomBits(300), randomSymmetric(1024)]) {
        const base = randomBelow(n);
        expect(crtPow({ base, exp, p, q })).toBe(refModPowSigned(base, exp, n));
      }
    }
  });

  it("handles bases divisible by one prime", () => {
    const n = P2 * Q2;
    const base = P2 * 12345n;
    const exp = randomBits(400);
    expect(crtPow({ base, exp, p: P2, q: Q2 })).toBe(modPow(base, exp, n));
    expect(crtPow({ base, exp: 0n, p: P2, q: Q2 })).toBe(1n);
    expect(() => crtPow({ base, exp: -3n, p: P2, q: Q2 })).toThrow(NotInvertibleError);
  });

  it("supports prime-square moduli with phi = P(P−1) (Paillier N²)", () => {
    const ctx = createCrtContext(P2 * P2, Q2 * Q2, { phiP: P2 * (P2 - 1n), phiQ: Q2 * (Q2 - 1n) });
    const n2 = P2 * P2 * Q2 * Q2;
    const r = randomBelow(P2 * Q2);
    const nExp = P2 * Q2;
    expect(crtPowWith(ctx, r, nExp)).toBe(modPow(r, nExp, n2));
    const nonUnit = P2 * 7n;
    expect(crtPowWith(ctx, nonUnit, 5n)).toBe(modPow(nonUnit, 5n, n2));
    const e = -randomBits(200);
    expect(crtPowWith(ctx, r, e)).toBe(modPow(r, e, n2));
  });

  it("without primality or phi it skips exponent reduction but stays correct", () => {
    const ctx = createCrtContext(9n * 25n, 49n, { prime: false });
    expect(crtPowWith(ctx, 10n, 12345n)).toBe(modPow(10n, 12345n, 9n * 25n * 49n));
  });

  it("crtMultiExpWith equals direct multiExp, with signed exponents and non-unit bases", () => {
    const ctx = createCrtContext(P2, Q2);
    const n = P2 * Q2;
    const bases = [randomBelow(n), randomBelow(n)];
    const exps = [randomSymmetric(1500), randomBits(900)];
    expect(crtMultiExpWith(ctx, bases, exps)).toBe(multiExp(bases, exps, n));
    const withNonUnit = [P2 * 3n, randomBelow(n)];
    const positive = [randomBits(700), randomBits(700)];
    expect(crtMultiExpWith(ctx, withNonUnit, positive)).toBe(multiExp(withNonUnit, positive, n));
    expect(() => crtMultiExpWith(ctx, withNonUnit, [-1n, 1n])).toThrow(NotInvertibleError);
    expect(() => crtMultiExpWith(ctx, bases, [1n])).toThrow(InvalidArgumentError);
  });

  it("rejects non-coprime moduli", () => {
    expect(() => createCrtContext(6n, 9n)).toThrow(InvalidArgumentError);
    expect(() => createCrtContext(1n, 9n)).toThrow(InvalidArgumentError);
  });
});
