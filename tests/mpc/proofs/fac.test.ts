import { describe, expect, it } from "vitest";
import { isProbablePrime } from "@/lib/mpc/bigint";
import { EncodingError } from "@/lib/mpc/errors";
import { isqrt } from "@/lib/mpc/proofs/common";
import { decodeFacProof, encodeFacProof, proveFac, verifyFac, type FacProof } from "@/lib/mpc/proofs/fac";
import { expectCheck, prime, profile, ss, ssVariants, verifierAux, verifierAuxPub } from "./helpers";

function nextPrime(start: bigint): bigint {
  let n = start | 1n;
  while (!isProbablePrime(n)) n += 2n;
  return n;
}

describe("Π^fac", () => {
  const p = prime(0);
  const q = prime(1);
  const N = p * q;
  const proof = proveFac(ss, profile, verifierAuxPub, p, q);
  const verify = (pr: FacProof = proof, n = N, shared = ss) => verifyFac(shared, profile, verifierAux, n, pr);

  it("honest proof verifies (CRT and public aux) and survives the codec", () => {
    expect(() => verify()).not.toThrow();
    expect(() => verifyFac(ss, profile, verifierAuxPub, N, proof)).not.toThrow();
    const wire = JSON.parse(JSON.stringify(encodeFacProof(proof, verifierAuxPub)));
    expect(decodeFacProof(wire, profile, verifierAuxPub, N)).toEqual(proof);
  });

  it("a factor of ℓ/2 bits is rejected", () => {
    const small = nextPrime(1n << BigInt(profile.ell / 2 - 1));
    // The cofactor need not be prime for the attack (nor for the proof's algebra).
    const big = ((1n << 2047n) / small) | 1n;
    const Nbad = small * big;
    const bad = proveFac(ss, profile, verifierAuxPub, small, big);
    expectCheck(() => verify(bad, Nbad), "z2_range");
  });

  it("N shorter than 4ℓ bits is rejected", () => {
    const a = nextPrime(1n << 400n);
    const b = nextPrime(1n << 500n);
    const short = proveFac(ss, profile, verifierAuxPub, a, b);
    expectCheck(() => verify(short, a * b), "N_size");
  });

  it("each check fails on its tamper", () => {
    for (const bad of [0n, verifierAux.N, prime(2)]) {
      for (const k of ["P", "Q", "A", "B", "T"] as const) expectCheck(() => verify({ ...proof, [k]: bad }), `${k}_domain`);
    }
    const bound = (1n << BigInt(profile.ell + profile.epsilon - 1)) * isqrt(N);
    expectCheck(() => verify({ ...proof, z1: bound + 1n }), "z1_range");
    expectCheck(() => verify({ ...proof, z2: -bound - 1n }), "z2_range");
    expectCheck(() => verify({ ...proof, w1: proof.w1 + 1n }), "P_eq");
    expectCheck(() => verify({ ...proof, z1: proof.z1 + 1n }), "P_eq");
    expectCheck(() => verify({ ...proof, w2: proof.w2 + 1n }), "Q_eq");
    expectCheck(() => verify({ ...proof, z2: proof.z2 - 1n }), "Q_eq");
    expectCheck(() => verify({ ...proof, v: proof.v + 1n }), "T_eq");
    expectCheck(() => verify({ ...proof, T: (proof.T * verifierAux.t) % verifierAux.N }), "P_eq"); // new challenge
    expectCheck(() => verify(proof, N + 2n), "P_eq");
    for (const v of ssVariants) expectCheck(() => verify(proof, N, v), "P_eq");
  });

  it("decoder enforces widths and bit caps", () => {
    const w = encodeFacProof(proof, verifierAuxPub);
    const dec = (o: unknown) => decodeFacProof(o, profile, verifierAuxPub, N);
    expect(() => dec({ ...w, v: "00" + "ff".repeat(1250) })).toThrow(EncodingError);
    expect(() => dec({ ...w, z1: "00" + "ff".repeat(300) })).toThrow(EncodingError);
    expect(() => dec({ ...w, P: w.P.slice(2) })).toThrow(EncodingError);
    expect(() => dec({ ...w, w1: "01" })).toThrow(EncodingError);
  });
});
