import { describe, expect, it } from "vitest";
import { IDENTITY, mulG, q, randomScalar } from "@/lib/mpc/curve";
import { EncodingError, ProofError } from "@/lib/mpc/errors";
import { decodeSchProof, encodeSchProof, schCommit, schProve, schRespond, schVerify, type SchProof } from "@/lib/mpc/proofs/sch";
import { T, type SharedState } from "@/lib/mpc/transcript";

const ss: SharedState = { sid: new Uint8Array(32).fill(7), prover: 1, verifier: null, label: "keygen.schnorr_pok", context: [["rid", T.bytes(new Uint8Array(48))]] };

function expectCheck(fn: () => void, check: string) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ProofError);
    expect((e as ProofError).check).toBe(check);
    return;
  }
  throw new Error(`expected ProofError ${check}`);
}

describe("Π^sch", () => {
  const x = randomScalar();
  const X = mulG(x);
  const proof = schProve(ss, X, x);

  it("honest proof verifies, also via commit/respond and the wire codec", () => {
    expect(() => schVerify(ss, X, proof)).not.toThrow();
    const { secret, A } = schCommit();
    expect(() => schVerify(ss, X, schRespond(ss, X, x, secret, A))).not.toThrow();
    const wire = JSON.parse(JSON.stringify(encodeSchProof(proof)));
    expect(() => schVerify(ss, X, decodeSchProof(wire))).not.toThrow();
  });

  it("each check fails on its tamper", () => {
    expectCheck(() => schVerify(ss, IDENTITY, proof), "X_nonzero");
    expectCheck(() => schVerify(ss, X, { ...proof, A: IDENTITY }), "A_nonzero");
    expectCheck(() => schVerify(ss, X, { ...proof, z: q }), "z_range");
    expectCheck(() => schVerify(ss, X, { ...proof, z: (proof.z + 1n) % q }), "equation");
    expectCheck(() => schVerify(ss, X, { ...proof, A: proof.A.add(mulG(1n)) }), "equation");
    expectCheck(() => schVerify(ss, mulG(x + 1n), proof), "equation");
  });

  it("binds every shared-state field", () => {
    for (const other of [
      { ...ss, sid: new Uint8Array(32) },
      { ...ss, prover: 2 },
      { ...ss, verifier: 0 },
      { ...ss, label: "other" },
      { ...ss, context: [["rid", T.bytes(new Uint8Array(48).fill(1))]] as const },
    ]) {
      expectCheck(() => schVerify(other, X, proof), "equation");
    }
  });

  it("decoder is strict", () => {
    const w = encodeSchProof(proof);
    expect(() => decodeSchProof({ ...w, z: "ff".repeat(32) })).toThrow(EncodingError);
    expect(() => decodeSchProof({ ...w, A: w.A.slice(2) })).toThrow(EncodingError);
    expect(() => decodeSchProof(null)).toThrow(EncodingError);
    expect(() => decodeSchProof({ ...w, extra: 1 })).toThrow(EncodingError);
    const bad: SchProof = decodeSchProof(w);
    expect(bad.z).toBe(proof.z);
  });
});
