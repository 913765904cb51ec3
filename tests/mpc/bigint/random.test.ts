import { describe, expect, it } from "vitest";
import {
  bitLength,
  gcd,
  InvalidArgumentError,
  randomBelow,
  randomBits,
  randomBytes,
  randomInRange,
  randomSymmetric,
  randomUnit,
} from "@/lib/mpc/bigint";

describe("randomness", () => {
  it("randomBytes returns the requested length, also above the getRandomValues limit", () => {
    expect(randomBytes(0).length).toBe(0);
    const big = randomBytes(70_000);
    expect(big.length).toBe(70_000);
    expect(big.subarray(65_536).some((b) => b !== 0)).toBe(true);
  });

  it("randomBits stays below 2^bits and reaches the top bit", () => {
    expect(randomBits(0)).toBe(0n);
    let sawTop = false;
    for (let i = 0; i < 64; i++) {
      const x = randomBits(13);
      expect(x >= 0n && x < 1n << 13n).toBe(true);
      if (bitLength(x) === 13) sawTop = true;
    }
    expect(sawTop).toBe(true);
  });

  it("randomBelow stays in range and hits both ends for tiny n", () => {
    expect(randomBelow(1n)).toBe(0n);
    for (const n of [2n, 3n, 5n, 6n]) {
      const seen = new Set<bigint>();
      for (let i = 0; i < 400; i++) {
        const x = randomBelow(n);
        expect(x >= 0n && x < n).toBe(true);
        seen.add(x);
      }
      expect(seen.has(0n)).toBe(true);
      expect(seen.has(n - 1n)).toBe(true);
      expect(seen.size).toBe(Number(n));
    }
    expect(() => randomBelow(0n)).toThrow(InvalidArgumentError);
    const n = (1n << 3071n) + 12345n;
    for (let i = 0; i < 20; i++) expect(randomBelow(n) < n).toBe(true);
  });

  it("randomInRange is half-open [lo, hi)", () => {
    const seen = new Set<bigint>();
    for (let i = 0; i < 300; i++) {
      const x = randomInRange(-2n, 2n);
      expect(x >= -2n && x < 2n).toBe(true);
      seen.add(x);
    }
    expect([...seen].sort()).toEqual([-2n, -1n, 0n, 1n].sort());
    expect(() => randomInRange(3n, 3n)).toThrow(InvalidArgumentError);
  });

  it("randomSymmetric(bits) is uniform on |x| ≤ 2^(bits−1) and reaches both bounds", () => {
    const seen = new Set<bigint>();
    for (let i = 0; i < 500; i++) {
      const x = randomSymmetric(3);
      expect(x >= -4n && x <= 4n).toBe(true);
      seen.add(x);
    }
    expect(seen.size).toBe(9);
    for (let i = 0; i < 20; i++) {
      const x = randomSymmetric(256);
      expect(x <= 1n << 255n && x >= -(1n << 255n)).toBe(true);
    }
    expect(randomSymmetric(0)).toBe(0n);
  });

  it("randomUnit returns units", () => {
    const n = 2n * 3n * 5n * 7n * 11n;
    for (let i = 0; i < 50; i++) {
      const u = randomUnit(n);
      expect(u > 0n && u < n).toBe(true);
      expect(gcd(u, n)).toBe(1n);
    }
    expect(() => randomUnit(1n)).toThrow(InvalidArgumentError);
  });
});
