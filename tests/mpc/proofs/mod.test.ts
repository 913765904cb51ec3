import { describe, expect, it } from "vitest";
import { EncodingError, ParameterError } from "@/lib/mpc/errors";
import { gcd, isProbablePrime, modInv, modPow } from "@/lib/mpc/bigint";
import { decodeModProof, encodeModProof, modChallenges, proveMod, verifyMod, type ModProof } from "@/lib/mpc/proofs/mod";
import { expectCheck, prime, profile, ss, ssVariants } from "./helpers";

describe("Π^mod", () => {
  const p = prime(0);
  const q = prime(1);
  const N = p * q;
  const proof = proveMod(ss, profile, p, q);
  const verify = (pr: ModProof = proof, n = N, shared = ss) => verifyMod(shared, profile, n, pr);
  const withItem = (k: number, patch: Partial<ModProof["items"][number]>): ModProof => ({
    ...proof,
    items: proof.items.map((it, i) => (i === k ? { ...it, ...patch } : it)),
  });

  it("honest proof verifies and survives the codec", () => {
    expect(proof.items.length).toBe(128);
    expect(() => verify()).not.toThrow();
    const wire = JSON.parse(JSON.stringify(encodeModProof(proof, N)));
    expect(decodeModProof(wire, profile, N)).toEqual(proof);
  });

  it("rejects even and prime moduli", () => {
    expectCheck(() => verify(proof, N * 2n), "N_odd");
    expectCheck(() => verify(proof, p), "N_composite");
  });

  it("a factor ≡ 1 mod 4 cannot be proven", () => {
    // A prime ≡ 1 mod 4 from a small deterministic search.
    let p1 = (1n << 200n) + 1n;
    while (!(p1 % 4n === 1n && isProbablePrime(p1))) p1 += 4n;
    expect(() => proveMod(ss, profile, p1, q)).toThrow(ParameterError);
    // A prover that ignores the requirement and applies the generic fourth-root formula of the
    // spec, x = y'^(e²) with e = (φ+4)/8, produces roots that fail the verifier's x check.
    const Nbad = p1 * q;
    const phi = (p1 - 1n) * (q - 1n);
    const e = (phi + 4n) / 8n;
    let w = 2n;
    while (gcd(w, Nbad) !== 1n) w++;
    const y0 = modChallenges(ss, Nbad, w, profile.m)[0]!;
    // Only the first item is ever examined: verification stops at the first failing repetition.
    const item = { x: modPow(modPow(y0, e, Nbad), e, Nbad), a: 0 as const, b: 0 as const, z: modPow(y0, modInv(Nbad, phi), Nbad) };
    const forged: ModProof = { w, items: Array.from({ length: profile.m }, () => item) };
    expectCheck(() => verify(forged, Nbad), "x_eq");
  });

  it("each check fails on its tamper", () => {
    for (const bad of [0n, N, p]) expectCheck(() => verify({ ...proof, w: bad }), "w_domain");
    expectCheck(() => verify({ ...proof, items: proof.items.slice(1) }), "length");
    expectCheck(() => verify(withItem(0, { a: 2 as 0 })), "ab_domain");
    for (const bad of [0n, N, q * 3n]) {
      expectCheck(() => verify(withItem(3, { x: bad })), "x_domain");
      expectCheck(() => verify(withItem(3, { z: bad })), "z_domain");
    }
    expectCheck(() => verify(withItem(0, { z: (proof.items[0]!.z * 2n) % N })), "z_eq");
    expectCheck(() => verify(withItem(0, { x: (proof.items[0]!.x * 2n) % N })), "x_eq");
    expectCheck(() => verify(withItem(0, { a: (1 - proof.items[0]!.a) as 0 | 1 })), "x_eq");
    expectCheck(() => verify(withItem(0, { b: (1 - proof.items[0]!.b) as 0 | 1 })), "x_eq");
    expectCheck(() => verify({ ...proof, w: (proof.w * 4n) % N }), "z_eq"); // new challenges
    for (const v of ssVariants) expectCheck(() => verify(proof, N, v), "z_eq");
  });

  it("decoder enforces counts, bits and widths", () => {
    const w = encodeModProof(proof, N);
    expect(() => decodeModProof({ ...w, items: w.items.slice(1) }, profile, N)).toThrow(EncodingError);
    expect(() => decodeModProof({ ...w, items: [{ ...w.items[0]!, a: 2 }, ...w.items.slice(1)] }, profile, N)).toThrow(EncodingError);
    expect(() => decodeModProof({ ...w, w: w.w + "00" }, profile, N)).toThrow(EncodingError);
  });
});
