import { describe, expect, it } from "vitest";
import { modPow, randomBelow, randomBits } from "@/lib/mpc/bigint";
import { prime } from "./helpers";
import { EncodingError } from "@/lib/mpc/errors";
import * as proofs from "@/lib/mpc/proofs";
import { decodeModElement, decodeSigned, encodeModElement, encodeSigned, inSymmetric, isqrt, jacobi, sampleSymmetric } from "@/lib/mpc/proofs/common";

describe("proof helpers", () => {
  it("isqrt is exact for 0…9 and 1024-bit values", () => {
    expect([0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n].map(isqrt)).toEqual([0n, 1n, 1n, 1n, 2n, 2n, 2n, 2n, 2n, 3n]);
    for (let k = 0; k < 20; k++) {
      const n = randomBits(1024);
      const r = isqrt(n);
      expect(r * r <= n && (r + 1n) * (r + 1n) > n).toBe(true);
    }
    const sq = (1n << 1023n) + 12345n;
    expect(isqrt(sq * sq)).toBe(sq);
    expect(isqrt(sq * sq - 1n)).toBe(sq - 1n);
  });

  it("jacobi agrees with Euler's criterion and multiplies over factors", () => {
    const p = prime(0);
    const q = prime(1);
    const euler = (a: bigint, r: bigint) => {
      const v = modPow(a, (r - 1n) / 2n, r);
      return v === 1n ? 1 : v === 0n ? 0 : -1;
    };
    for (let k = 0; k < 20; k++) {
      const a = randomBelow(p * q);
      expect(jacobi(a, p)).toBe(euler(a, p));
      expect(jacobi(a, p * q)).toBe(euler(a, p) * euler(a, q));
    }
    expect(jacobi(p - 1n, p)).toBe(-1); // p ≡ 3 mod 4
    expect(jacobi(p * 5n, p)).toBe(0);
    expect(jacobi(2n, 7n)).toBe(1);
    expect(jacobi(3n, 7n)).toBe(-1);
    expect(jacobi(-1n, 5n)).toBe(1);
    expect(() => jacobi(3n, 8n)).toThrow(RangeError);
  });

  it("symmetric sampling uses the half range", () => {
    const seen = new Set<bigint>();
    for (let k = 0; k < 400; k++) {
      const x = sampleSymmetric(4n);
      expect(inSymmetric(x, 4n)).toBe(true);
      seen.add(x);
    }
    expect([...seen].sort((a, b) => Number(a - b))).toEqual([-2n, -1n, 0n, 1n, 2n]);
    expect(inSymmetric(3n, 4n)).toBe(false);
    expect(inSymmetric(-3n, 5n)).toBe(false);
  });

  it("signed codec is canonical and capped", () => {
    for (const x of [0n, 1n, -1n, 255n, -256n, (1n << 800n) - 1n]) expect(decodeSigned(encodeSigned(x), "x", 800)).toBe(x);
    expect(encodeSigned(0n)).toBe("00");
    expect(encodeSigned(-258n)).toBe("010102");
    expect(() => decodeSigned("01", "x", 8)).toThrow(EncodingError);
    expect(() => decodeSigned("0000", "x", 8)).toThrow(EncodingError);
    expect(() => decodeSigned("02ff", "x", 8)).toThrow(EncodingError);
    expect(() => decodeSigned("000100", "x", 8)).toThrow(EncodingError);
    expect(() => decodeSigned("", "x", 8)).toThrow(EncodingError);
    expect(() => decodeSigned("00FF", "x", 8)).toThrow(EncodingError);
    expect(() => decodeSigned(5, "x", 8)).toThrow(EncodingError);
  });

  it("modular-element codec has fixed width and range", () => {
    expect(encodeModElement(5n, 1000n, "x")).toBe("0005");
    expect(decodeModElement("03e7", "x", 1000n)).toBe(999n);
    expect(() => decodeModElement("03e8", "x", 1000n)).toThrow(EncodingError);
    expect(() => decodeModElement("05", "x", 1000n)).toThrow(EncodingError);
    expect(() => encodeModElement(1000n, 1000n, "x")).toThrow(EncodingError);
  });

  it("the index exports every proof", () => {
    for (const name of ["Sch", "EncElg", "AffG", "Elog", "Prm", "Mod", "Fac"]) {
      const api = proofs as Record<string, unknown>;
      for (const fn of [`prove${name}`, `verify${name}`, `encode${name}Proof`, `decode${name}Proof`]) {
        expect(typeof api[fn], fn).toBe("function");
      }
    }
  });
});
