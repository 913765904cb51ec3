import { describe, expect, it } from "vitest";
import { modPow } from "@/lib/mpc/bigint";
import { EncodingError } from "@/lib/mpc/errors";
import { generateRingPedersen, publicRingPedersen } from "@/lib/mpc/ring-pedersen";
import { decodePrmProof, encodePrmProof, provePrm, verifyPrm, type PrmProof } from "@/lib/mpc/proofs/prm";
import { expectCheck, prime, profile, ss, ssVariants, verifierAux } from "./helpers";

describe("Π^prm", () => {
  const pub = publicRingPedersen(verifierAux);
  const proof = provePrm(ss, profile, verifierAux);
  const verify = (p: PrmProof = proof, st = pub, shared = ss) => verifyPrm(shared, profile, st, p);

  it("honest proof verifies and survives the codec", () => {
    expect(proof.A.length).toBe(128);
    expect(() => verify()).not.toThrow();
    const wire = JSON.parse(JSON.stringify(encodePrmProof(proof, pub.N)));
    expect(() => verify(decodePrmProof(wire, profile, pub.N))).not.toThrow();
  });

  it("s = t^λ + 1 is rejected", () => {
    const bad = { ...verifierAux, s: (modPow(verifierAux.t, verifierAux.lambda, verifierAux.N) + 1n) % verifierAux.N };
    expectCheck(() => verify(provePrm(ss, profile, bad), publicRingPedersen(bad)), "equation");
  });

  it("each check fails on its tamper", () => {
    const N = pub.N;
    for (const bad of [0n, N, prime(2)]) {
      expectCheck(() => verify(proof, { ...pub, s: bad }), "st_domain");
      expectCheck(() => verify(proof, { ...pub, t: bad }), "st_domain");
    }
    expectCheck(() => verify(proof, { ...pub, N: N + 1n }), "st_domain");
    expectCheck(() => verify({ ...proof, A: proof.A.slice(1) }), "length");
    expectCheck(() => verify({ ...proof, z: [...proof.z, 1n] }), "length");
    for (const bad of [0n, N, prime(3)]) expectCheck(() => verify({ ...proof, A: [bad, ...proof.A.slice(1)] }), "A_domain");
    expectCheck(() => verify({ ...proof, z: [N, ...proof.z.slice(1)] }), "z_range");
    expectCheck(() => verify({ ...proof, z: [-1n, ...proof.z.slice(1)] }), "z_range");
    // z_k + φ is an equivalent exponent but still < N̂: the equation holds, so use z_k + 1.
    expectCheck(() => verify({ ...proof, z: [(proof.z[0]! + 1n) % N, ...proof.z.slice(1)] }), "equation");
    const A = [...proof.A];
    A[5] = (A[5]! * pub.t) % N;
    expectCheck(() => verify({ ...proof, A }), "equation");
    for (const v of ssVariants) expectCheck(() => verify(proof, pub, v), "equation");
    const other = publicRingPedersen(generateRingPedersen(prime(2), prime(3)));
    expectCheck(() => verify(proof, other), "equation");
  });

  it("decoder enforces counts and widths", () => {
    const w = encodePrmProof(proof, pub.N);
    expect(() => decodePrmProof({ ...w, A: w.A.slice(1) }, profile, pub.N)).toThrow(EncodingError);
    expect(() => decodePrmProof({ ...w, z: ["ff".repeat(256), ...w.z.slice(1)] }, profile, pub.N)).toThrow(EncodingError);
    expect(() => decodePrmProof({ ...w, z: ["00", ...w.z.slice(1)] }, profile, pub.N)).toThrow(EncodingError);
  });
});
