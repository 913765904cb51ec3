import { describe, expect, it } from "vitest";
import {
  G,
  IDENTITY,
  decodePoint,
  decodeScalar,
  encodePoint,
  encodeScalar,
  mul,
  mulG,
  mulGPublic,
  mulPublic,
  pointFromHex,
  q,
  scalarFromHex,
  toScalar,
  toSigned,
} from "@/lib/mpc/curve";
import { EncodingError } from "@/lib/mpc/errors";

describe("curve helpers", () => {
  it("mulPublic / mulGPublic (variable time, public scalars) agree with mul / mulG, identity and negatives included", () => {
    const P = mulG(0xabcdefn);
    for (const k of [0n, 1n, 2n, q - 1n, q, -5n, q + 7n, 0x1234567890abcdefn ** 3n]) {
      expect(mulPublic(P, k).equals(mul(P, k))).toBe(true);
      expect(mulGPublic(k).equals(mulG(k))).toBe(true);
      expect(mulPublic(IDENTITY, k).equals(IDENTITY)).toBe(true);
    }
  });

  it("q is the secp256k1 order", () => {
    expect(q).toBe(0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n);
  });

  it("toSigned / toScalar map to centred and canonical representatives", () => {
    const half = (q - 1n) / 2n;
    expect(toSigned(half)).toBe(half);
    expect(toSigned(half + 1n)).toBe(half + 1n - q);
    expect(toSigned(q - 1n)).toBe(-1n);
    expect(toSigned(0n)).toBe(0n);
    expect(toScalar(-1n)).toBe(q - 1n);
    expect(toScalar(q)).toBe(0n);
    expect(toScalar(toSigned(12345n))).toBe(12345n);
  });

  it("point round trip and strict decoding", () => {
    const P = mulG(7n);
    const b = encodePoint(P);
    expect(b.length).toBe(33);
    expect(decodePoint(b).equals(P)).toBe(true);
    expect(() => encodePoint(IDENTITY)).toThrow(EncodingError);
    expect(() => decodePoint(new Uint8Array(33))).toThrow(EncodingError);
    expect(() => decodePoint(P.toBytes(false))).toThrow(EncodingError);
    // Flipping single bits of x of the fixed point 7·G leaves the curve for some of them; every
    // failure must surface as an EncodingError.
    let offCurve = 0;
    for (let k = 0; k < 8; k++) {
      const bad = Uint8Array.from(b);
      bad[32] = (bad[32] ?? 0) ^ (1 << k);
      try {
        decodePoint(bad);
      } catch (e) {
        expect(e).toBeInstanceOf(EncodingError);
        offCurve++;
      }
    }
    expect(offCurve).toBeGreaterThan(0);
    expect(() => pointFromHex("02" + "ff".repeat(32))).toThrow(EncodingError); // x ≥ field prime
    expect(() => pointFromHex("02" + "00".repeat(32))).toThrow(EncodingError);
    expect(() => pointFromHex("XYZ")).toThrow(EncodingError);
  });

  it("scalar encoding is strict", () => {
    expect(decodeScalar(encodeScalar(q - 1n))).toBe(q - 1n);
    expect(() => encodeScalar(q)).toThrow(EncodingError);
    expect(() => encodeScalar(-1n)).toThrow(EncodingError);
    expect(() => decodeScalar(new Uint8Array(32).fill(0xff))).toThrow(EncodingError);
    expect(() => decodeScalar(new Uint8Array(31))).toThrow(EncodingError);
    expect(() => decodeScalar(new Uint8Array(32), "x", { nonZero: true })).toThrow(EncodingError);
    expect(() => scalarFromHex("AB".repeat(32))).toThrow(EncodingError);
  });

  it("identity-safe multiplication", () => {
    expect(mulG(0n).equals(IDENTITY)).toBe(true);
    expect(mulG(q).equals(IDENTITY)).toBe(true);
    expect(mul(G, -1n).equals(G.negate())).toBe(true);
    expect(mul(IDENTITY, 5n).equals(IDENTITY)).toBe(true);
  });
});
