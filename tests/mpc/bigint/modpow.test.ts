import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  getBackend,
  modPow,
  modPowPublic,
  multiExp,
  multiExpSecretModulus,
  NotInvertibleError,
  InvalidModulusError,
  InvalidArgumentError,
  randomBelow,
  randomBits,
  randomUnit,
  setBackend,
  type BackendName,
} from "@/lib/mpc/bigint";
import { oddModulus, refModPow, refModPowSigned } from "./reference";

const SIZES = [256, 1024, 2048, 3072, 6144] as const;

describe.each<BackendName>(["bigint", "wasm", "openssl"])("modPow / multiExp on the %s backend", (name) => {
  let previous: BackendName;
  beforeAll(() => {
    previous = getBackend().name;
    setBackend(name);
  });
  afterAll(() => {
    setBackend(previous);
  });

  it("uses the requested backend", () => {
    expect(getBackend().name).toBe(name);
  });

  it.each(SIZES)("agrees with square-and-multiply on random %i-bit inputs", (bits) => {
    const m = oddModulus(bits, randomBits);
    // Full-size exponents except at 6144 bits, where the naive reference would dominate the run.
    const expBits = bits === 6144 ? 1024 : bits;
    for (let i = 0; i < 2; i++) {
      const base = randomBelow(m);
      const exp = randomBits(expBits);
      expect(modPow(base, exp, m)).toBe(refModPow(base, exp, m));
    }
  });

  it.each(SIZES)("modPowPublic agrees with modPow on %i-bit inputs, signed exponents and edge bases included", (bits) => {
    const m = oddModulus(bits, randomBits);
    const expBits = bits === 6144 ? 1024 : bits;
    const x = randomUnit(m);
    const e = randomBits(expBits);
    expect(modPowPublic(x, e, m)).toBe(refModPow(x, e, m));
    expect(modPowPublic(x, -e, m)).toBe(refModPowSigned(x, -e, m));
    for (const base of [0n, 1n, m - 1n, m + 2n]) expect(modPowPublic(base, e, m), `base ${base}`).toBe(modPow(base, e, m));
    expect(modPowPublic(x, 0n, m)).toBe(1n);
    expect(modPowPublic(x, 5n, 1n)).toBe(0n);
  });

  it.each([512, 1024, 1536, 2048, 3072, 4096])(
    "multiExpSecretModulus agrees with the reference mod a %i-bit prime square: exponents below, a few bits above and far above the modulus",
    (bits) => {
      const p = oddModulus(bits >> 1, randomBits);
      const m = p * p;
      const wide = p * (p + 2n ** BigInt(bits >> 2)); // a little above m, like N against the smaller of p², q²
      const bases = [randomBelow(m), randomBelow(m), m + 5n, randomBelow(m)];
      const exps = [randomBits(bits - 8), wide, randomBits(300), randomBits(bits * 2)];
      const expected = bases.reduce((acc, b, i) => (acc * refModPow(b, exps[i] ?? 0n, m)) % m, 1n);
      expect(multiExpSecretModulus(bases, exps, m)).toBe(expected);
      for (const e of exps) expect(multiExpSecretModulus([bases[0] ?? 0n], [e], m)).toBe(refModPow(bases[0] ?? 0n, e, m));
      // edge bases and exponents
      expect(multiExpSecretModulus([0n, bases[1] ?? 0n], [5n, 7n], m)).toBe(0n);
      expect(multiExpSecretModulus([1n, m - 1n], [wide, 3n], m)).toBe(m - 1n);
      expect(multiExpSecretModulus([bases[0] ?? 0n], [0n], m)).toBe(1n);
      expect(multiExpSecretModulus([bases[0] ?? 0n], [1n], m)).toBe(bases[0]);
      expect(multiExpSecretModulus([], [], m)).toBe(1n);
      expect(multiExpSecretModulus([bases[0] ?? 0n], [2n ** 20n], m)).toBe(refModPow(bases[0] ?? 0n, 2n ** 20n, m));
    },
  );

  it("multiExpSecretModulus refuses negative exponents: nothing is inverted modulo a secret modulus", () => {
    const m = oddModulus(1024, randomBits);
    expect(() => multiExpSecretModulus([3n], [-1n], m)).toThrow(InvalidArgumentError);
    expect(() => multiExpSecretModulus([3n], [1n, 2n], m)).toThrow(InvalidArgumentError);
    expect(() => multiExpSecretModulus([3n], [1n], 0n)).toThrow(InvalidModulusError);
  });

  it("handles edge bases and exponents", () => {
    const m = oddModulus(1024, randomBits);
    const x = randomBelow(m);
    const e = randomBits(512);
    expect(modPow(0n, e, m)).toBe(0n);
    expect(modPow(0n, 0n, m)).toBe(1n);
    expect(modPow(1n, e, m)).toBe(1n);
    expect(modPow(x, 0n, m)).toBe(1n);
    expect(modPow(x, 1n, m)).toBe(x);
    expect(modPow(m - 1n, 2n, m)).toBe(1n);
    expect(modPow(m - 1n, 3n, m)).toBe(m - 1n);
    expect(modPow(m - 1n, e, m)).toBe(refModPow(m - 1n, e, m));
    expect(modPow(m + x, e, m)).toBe(refModPow(x, e, m));
    expect(modPow(-x, e, m)).toBe(refModPow(m - x, e, m));
    expect(modPow(x, 1n, 1n)).toBe(0n);
    expect(modPow(x, 0n, 1n)).toBe(0n);
  });

  it("accepts exponents larger than the modulus", () => {
    const m = oddModulus(512, randomBits);
    const base = randomBelow(m);
    const exp = randomBits(1800) | (1n << 1799n);
    expect(modPow(base, exp, m)).toBe(refModPow(base, exp, m));
  });

  it("inverts the base for negative exponents", () => {
    const m = oddModulus(2048, randomBits);
    const base = randomUnit(m);
    const exp = randomBits(700);
    const r = modPow(base, -exp, m);
    expect(r).toBe(refModPowSigned(base, -exp, m));
    expect((r * modPow(base, exp, m)) % m).toBe(1n);
    expect(modPow(base, -1n, m)).toBe(refModPowSigned(base, -1n, m));
  });

  it("throws NotInvertibleError for a negative exponent of a non-unit", () => {
    const p = 1000003n;
    const m = p * 999983n;
    expect(() => modPow(p * 5n, -3n, m)).toThrow(NotInvertibleError);
    expect(() => modPow(0n, -1n, m)).toThrow(NotInvertibleError);
  });

  it("rejects non-positive moduli", () => {
    expect(() => modPow(2n, 3n, 0n)).toThrow(InvalidModulusError);
    expect(() => modPow(2n, 3n, -7n)).toThrow(InvalidModulusError);
  });

  it("handles even and small moduli", () => {
    const even = randomBits(1024) | (1n << 1023n);
    const evenM = even - (even & 1n);
    const base = randomBelow(evenM);
    const exp = randomBits(300);
    expect(modPow(base, exp, evenM)).toBe(refModPow(base, exp, evenM));
    expect(modPow(3n, 200n, 1000n)).toBe(refModPow(3n, 200n, 1000n));
    expect(modPow(5n, 117n, 97n)).toBe(refModPow(5n, 117n, 97n));
    expect(modPow(2n, 10n, 2n)).toBe(0n);
  });

  it("is correct across modulus sizes around limb boundaries", () => {
    for (let bits = 120; bits <= 1100; bits += 13) {
      const m = oddModulus(bits, randomBits);
      const base = randomBelow(m);
      const exp = randomBits(96);
      expect(modPow(base, exp, m), `bits=${bits}`).toBe(refModPow(base, exp, m));
    }
    // All-ones moduli maximise carries and the Montgomery bound.
    for (const bits of [255, 256, 1024, 3072, 3073]) {
      const m = (1n << BigInt(bits)) - 1n;
      const base = m - 2n;
      const exp = randomBits(128);
      expect(modPow(base, exp, m), `2^${bits}-1`).toBe(refModPow(base, exp, m));
    }
  });

  it("multiExp equals the product of modPows, with signed exponents", () => {
    for (const bits of [256, 2048, 3072]) {
      const m = oddModulus(bits, randomBits);
      const bases = [randomBelow(m), randomUnit(m), randomBelow(m)];
      const exps = [randomBits(bits), -randomBits(bits >> 1), randomBits(40)];
      const expected = bases.reduce((acc, b, i) => (acc * refModPowSigned(b, exps[i] ?? 0n, m)) % m, 1n);
      expect(multiExp(bases, exps, m)).toBe(expected);
      expect(multiExp(bases.slice(0, 2), exps.slice(0, 2), m)).toBe(
        (refModPowSigned(bases[0] ?? 0n, exps[0] ?? 0n, m) * refModPowSigned(bases[1] ?? 0n, exps[1] ?? 0n, m)) % m,
      );
    }
  });

  it("multiExp edge cases", () => {
    const m = oddModulus(1024, randomBits);
    const a = randomUnit(m);
    const b = randomBelow(m);
    expect(multiExp([], [], m)).toBe(1n);
    expect(multiExp([a, b], [0n, 0n], m)).toBe(1n);
    expect(multiExp([a, 0n], [5n, 3n], m)).toBe(0n);
    expect(multiExp([a, 1n], [5n, -3n], m)).toBe(refModPow(a, 5n, m));
    expect(multiExp([a, b], [7n, 0n], m)).toBe(refModPow(a, 7n, m));
    expect(multiExp([a, a], [7n, -7n], m)).toBe(1n);
    expect(() => multiExp([a], [1n, 2n], m)).toThrow(InvalidArgumentError);
    expect(() => multiExp([0n, a], [-1n, 2n], m)).toThrow(NotInvertibleError);
  });
});
