import { describe, expect, it } from "vitest";
import {
  abs,
  bitLength,
  fromBytesBE,
  fromHex,
  gcd,
  InvalidArgumentError,
  InvalidModulusError,
  lcm,
  mod,
  modAdd,
  modInv,
  modMul,
  modSub,
  NotInvertibleError,
  randomBits,
  randomBytes,
  toBytesBE,
  toHex,
  unitsModulo,
} from "@/lib/mpc/bigint";
import { oddModulus } from "./reference";

describe("modular basics", () => {
  it("unitsModulo answers 0 < x < bound ∧ gcd(x, n) = 1 like one gcd per value, with or without a culprit in the batch", () => {
    const p = 1000003n;
    const q = 998244353n;
    const n = p * q;
    const units = [2n, 12345n, n - 1n, n + 5n];
    const mixed = [...units, 7n * p, q, 0n];
    for (const batch of [units, mixed]) {
      const isUnit = unitsModulo(n, batch);
      for (const x of batch) expect(isUnit(x, n * n)).toBe(x > 0n && x < n * n && gcd(x, n) === 1n);
      expect(isUnit(n + 5n)).toBe(false); // beyond the default bound n
      expect(isUnit(-3n, n * n)).toBe(false);
    }
    expect(unitsModulo(n, mixed)(7n * p)).toBe(false);
    expect(unitsModulo(n, mixed)(12345n)).toBe(true);
    expect(unitsModulo(1n, [1n])(0n)).toBe(false);
    expect(unitsModulo(0n, [1n])(1n)).toBe(false);
  });

  it("mod is non-negative", () => {
    expect(mod(-1n, 7n)).toBe(6n);
    expect(mod(-14n, 7n)).toBe(0n);
    expect(mod(15n, 7n)).toBe(1n);
    expect(() => mod(3n, 0n)).toThrow(InvalidModulusError);
  });

  it("modAdd / modSub / modMul reduce into [0, m)", () => {
    expect(modAdd(5n, 4n, 7n)).toBe(2n);
    expect(modSub(2n, 5n, 7n)).toBe(4n);
    expect(modMul(-3n, 5n, 7n)).toBe(6n);
  });

  it("gcd, lcm, abs", () => {
    expect(gcd(12n, 18n)).toBe(6n);
    expect(gcd(-12n, 18n)).toBe(6n);
    expect(gcd(0n, 5n)).toBe(5n);
    expect(gcd(0n, 0n)).toBe(0n);
    expect(lcm(4n, 6n)).toBe(12n);
    expect(lcm(-4n, 6n)).toBe(12n);
    expect(lcm(0n, 6n)).toBe(0n);
    expect(abs(-5n)).toBe(5n);
    expect(abs(5n)).toBe(5n);
  });

  it("gcd and modInv (Lehmer's steps) agree with plain Euclid across sizes and on its worst cases", () => {
    const euclid = (a: bigint, b: bigint): bigint => {
      let [x, y] = [a < 0n ? -a : a, b < 0n ? -b : b];
      while (y !== 0n) [x, y] = [y, x % y];
      return x;
    };
    // Consecutive Fibonacci numbers: every quotient 1, the longest Euclid for their size.
    const fib: bigint[] = [0n, 1n];
    while (fib.length < 4500) fib.push(fib.at(-1)! + fib.at(-2)!);
    const pairs: [bigint, bigint][] = [
      [fib[4499]!, fib[4498]!],
      [fib[3000]!, fib[2999]!],
      [(1n << 3072n) - 1n, (1n << 3071n) - 1n],
      [1n << 4000n, 1n << 3000n],
      [(1n << 64n) + 1n, 1n << 64n],
      [(1n << 64n) - 1n, (1n << 63n) + 7n],
    ];
    for (const bits of [64, 65, 100, 1024, 1536, 3072, 6144]) {
      for (let i = 0; i < 8; i++) {
        const g = randomBits(i % 2 === 0 ? 1 : 300) | 1n;
        pairs.push([randomBits(bits) * g, randomBits(bits - (i % 3) * 17) * g], [randomBits(bits), randomBits(Math.max(1, bits >> 1))]);
      }
    }
    for (const [a, b] of pairs) {
      const g = euclid(a, b);
      expect(gcd(a, b)).toBe(g);
      expect(gcd(b, a)).toBe(g);
      expect(gcd(-a, b)).toBe(g);
      if (b > 1n) {
        if (g === 1n) {
          const inv = modInv(a, b);
          expect(inv >= 0n && inv < b).toBe(true);
          expect(mod(a * inv, b)).toBe(1n);
          expect(modInv(-a, b)).toBe(mod(-inv, b));
        } else {
          expect(() => modInv(a, b)).toThrow(NotInvertibleError);
        }
      }
    }
  });

  it("bitLength", () => {
    expect(bitLength(0n)).toBe(0);
    expect(bitLength(1n)).toBe(1);
    expect(bitLength(255n)).toBe(8);
    expect(bitLength(256n)).toBe(9);
    expect(bitLength(-256n)).toBe(9);
    expect(bitLength((1n << 3071n) | 5n)).toBe(3072);
    for (let b = 1; b < 80; b++) expect(bitLength((1n << BigInt(b)) - 1n)).toBe(b);
  });

  it("modInv gives the inverse and throws NotInvertibleError for non-units", () => {
    const m = oddModulus(2048, randomBits);
    for (let i = 0; i < 5; i++) {
      const a = randomBits(2047);
      if (gcd(a, m) !== 1n) continue;
      expect(mod(a * modInv(a, m), m)).toBe(1n);
    }
    expect(modInv(3n, 7n)).toBe(5n);
    expect(modInv(-3n, 7n)).toBe(2n);
    expect(() => modInv(6n, 9n)).toThrow(NotInvertibleError);
    expect(() => modInv(0n, 7n)).toThrow(NotInvertibleError);
    expect(() => modInv(1n, 1n)).toThrow(NotInvertibleError);
    expect(() => modInv(1n, 0n)).toThrow(InvalidModulusError);
  });
});

describe("byte and hex encodings", () => {
  it("round-trips random values", () => {
    for (const bits of [1, 7, 8, 9, 255, 256, 3072]) {
      const x = randomBits(bits);
      expect(fromBytesBE(toBytesBE(x))).toBe(x);
      expect(fromHex(toHex(x))).toBe(x);
      expect(fromBytesBE(toBytesBE(x, 400))).toBe(x);
    }
    const raw = randomBytes(33);
    expect(toBytesBE(fromBytesBE(raw), 33)).toEqual(raw);
  });

  it("uses big-endian, fixed-length padding", () => {
    expect(toBytesBE(0x0102n)).toEqual(new Uint8Array([1, 2]));
    expect(toBytesBE(0x0102n, 4)).toEqual(new Uint8Array([0, 0, 1, 2]));
    expect(toBytesBE(0n)).toEqual(new Uint8Array([]));
    expect(toBytesBE(0n, 2)).toEqual(new Uint8Array([0, 0]));
    expect(fromBytesBE(new Uint8Array([0, 0, 0xff]))).toBe(255n);
    expect(fromBytesBE(new Uint8Array([]))).toBe(0n);
  });

  it("hex uses even-length lower case and accepts 0x", () => {
    expect(toHex(0n)).toBe("00");
    expect(toHex(0xabcn)).toBe("0abc");
    expect(fromHex("0xFF")).toBe(255n);
    expect(fromHex("")).toBe(0n);
    expect(() => fromHex("xyz")).toThrow(InvalidArgumentError);
  });

  it("rejects negatives and values that do not fit", () => {
    expect(() => toBytesBE(-1n)).toThrow(InvalidArgumentError);
    expect(() => toBytesBE(0x10000n, 2)).toThrow(InvalidArgumentError);
    expect(() => toHex(-1n)).toThrow(InvalidArgumentError);
  });
});
