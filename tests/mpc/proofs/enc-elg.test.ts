import { describe, expect, it } from "vitest";
import { mul, mulG, q, randomScalar, toSigned, G } from "@/lib/mpc/curve";
import { encrypt, encryptWithNonce } from "@/lib/mpc/paillier";
import { decodeEncElgProof, encodeEncElgProof, proveEncElg, verifyEncElg, type EncElgProof, type EncElgStatement } from "@/lib/mpc/proofs/enc-elg";
import { modPow, randomUnit } from "@/lib/mpc/bigint";
import { freshMask, maskSlots } from "@/lib/mpc/nonces";
import {
  expectCheck,
  expectDecodeError,
  profile,
  proverPaillier,
  proverPaillierPub,
  ss,
  ssVariants,
  verifierAux,
  verifierAuxPub,
  prime,
} from "./helpers";

function makeStatement(x: bigint) {
  const rho = randomUnit(proverPaillier.N);
  const b = randomScalar();
  const A = mulG(randomScalar());
  const st: EncElgStatement = {
    N0: proverPaillierPub,
    C: encryptWithNonce(proverPaillier, x, rho),
    A,
    B: mulG(b),
    X: mul(A, b).add(mulG(x)),
  };
  return { st, wit: { x, rho, b } };
}

describe("Π^enc-elg", () => {
  const k = toSigned(randomScalar());
  const { st, wit } = makeStatement(k);
  const proof = proveEncElg(ss, profile, verifierAuxPub, { ...st, N0: proverPaillier }, wit);
  const verify = (p: EncElgProof = proof, s: EncElgStatement = st, shared = ss) => verifyEncElg(shared, profile, verifierAux, s, p);

  it("honest proof verifies with CRT and public aux, and through the wire codec", () => {
    expect(() => verify()).not.toThrow();
    expect(() => verifyEncElg(ss, profile, verifierAuxPub, st, proof)).not.toThrow();
    const wire = JSON.parse(JSON.stringify(encodeEncElgProof(proof, proverPaillierPub, verifierAuxPub)));
    expect(() => verify(decodeEncElgProof(wire, profile, proverPaillierPub, verifierAuxPub))).not.toThrow();
  });

  it("precomputed ring-Pedersen masks (nonces.ts) commit with their y, and a mask whose power is not t^y breaks the proof", () => {
    const slots = maskSlots(verifierAuxPub, profile);
    const mu = freshMask(slots.ell);
    const gamma = freshMask(slots.ellEps);
    const pre = proveEncElg(ss, profile, verifierAuxPub, { ...st, N0: proverPaillier }, wit, { masks: { mu, gamma } });
    expect(() => verify(pre)).not.toThrow();
    const N = verifierAux.N;
    // S = s^x·t^μ and T = s^α·t^γ with the pooled powers; z3 = γ + e·μ with the pooled exponents.
    expect(pre.S).toBe((modPow(verifierAux.s, wit.x, N) * mu.ty) % N);
    expect((pre.z3 - gamma.y) % mu.y).toBe(0n);
    expect(mu.ty).toBe(modPow(verifierAux.t, mu.y, N));
    expectCheck(() => verify(proveEncElg(ss, profile, verifierAuxPub, { ...st, N0: proverPaillier }, wit, { masks: { mu: { ...mu, ty: (mu.ty * verifierAux.t) % N } } })), "pedersen_eq");
  });

  it("domain checks reject 0, N, multiples of p and values ≥ N²", () => {
    const N = proverPaillierPub.N;
    for (const bad of [0n, N, prime(0) * 3n, proverPaillierPub.N2, proverPaillierPub.N2 + 5n]) {
      expectCheck(() => verify(proof, { ...st, C: bad }), "C_domain");
      expectCheck(() => verify({ ...proof, D: bad }), "D_domain");
    }
    for (const bad of [0n, verifierAux.N, prime(2)]) {
      expectCheck(() => verify({ ...proof, S: bad }), "S_domain");
      expectCheck(() => verify({ ...proof, T: bad }), "T_domain");
    }
    for (const bad of [0n, N, prime(1)]) expectCheck(() => verify({ ...proof, z2: bad }), "z2_domain");
    expectCheck(() => verify({ ...proof, w: q }), "w_domain");
  });

  it("each equation fails on its tamper", () => {
    const N = proverPaillierPub.N;
    expectCheck(() => verify({ ...proof, z1: proof.z1 + 1n }), "paillier_eq");
    expectCheck(() => verify({ ...proof, z2: (proof.z2 * 2n) % N }), "paillier_eq");
    expectCheck(() => verify({ ...proof, D: (proof.D * (1n + N)) % proverPaillierPub.N2 }), "paillier_eq");
    expectCheck(() => verify({ ...proof, Y: proof.Y.add(G) }), "paillier_eq"); // changes the challenge
    expectCheck(() => verify({ ...proof, w: (proof.w + 1n) % q }), "elgamal_eq");
    expectCheck(() => verify({ ...proof, z3: proof.z3 + 1n }), "pedersen_eq");
  });

  it("the El-Gamal checks catch a prover whose points do not match its witness", () => {
    // Consistent Paillier part, but X does not match (x, b): elgamal_eq must catch it.
    const fake = makeStatement(k);
    const badX = { ...fake.st, X: fake.st.X.add(G) };
    const p1 = proveEncElg(ss, profile, verifierAuxPub, { ...badX, N0: proverPaillier }, fake.wit);
    expectCheck(() => verify(p1, badX), "elgamal_eq");
    // B does not match b: commitment_eq.
    const badB = { ...fake.st, B: fake.st.B.add(G), X: fake.st.X };
    const p2 = proveEncElg(ss, profile, verifierAuxPub, { ...badB, N0: proverPaillier }, fake.wit);
    expectCheck(() => verify(p2, badB), "commitment_eq");
    // Swapping in another proof's S changes the challenge, so the first equation already fails.
    const p3 = proveEncElg(ss, profile, verifierAuxPub, { ...fake.st, N0: proverPaillier }, fake.wit);
    const otherS = proveEncElg(ss, profile, verifierAuxPub, { ...fake.st, N0: proverPaillier }, fake.wit).S;
    expectCheck(() => verify({ ...p3, S: otherS }, fake.st), "paillier_eq");
  });

  it("witness just outside the range fails z1_range", () => {
    const x = (1n << BigInt(profile.ell + profile.epsilon - 1)) + 1n;
    const big = makeStatement(x);
    const p = proveEncElg(ss, profile, verifierAuxPub, { ...big.st, N0: proverPaillier }, big.wit);
    expectCheck(() => verify(p, big.st), "z1_range");
  });

  it("statement and shared-state changes alter the challenge", () => {
    expectCheck(() => verify(proof, { ...st, X: st.X.add(G) }), "paillier_eq");
    expectCheck(() => verify(proof, { ...st, A: st.A.add(G) }), "paillier_eq");
    expectCheck(() => verify(proof, { ...st, B: st.B.add(G) }), "paillier_eq");
    expectCheck(() => verify(proof, { ...st, C: encrypt(proverPaillierPub, k).ciphertext }), "paillier_eq");
    for (const v of ssVariants) expectCheck(() => verify(proof, st, v), "paillier_eq");
  });

  it("decoder enforces widths and bit caps", () => {
    const w = encodeEncElgProof(proof, proverPaillierPub, verifierAuxPub);
    const dec = (x: unknown) => decodeEncElgProof(x, profile, proverPaillierPub, verifierAuxPub);
    expectDecodeError(() => dec({ ...w, z3: "00" + "ff".repeat(1250) })); // 10 000-bit z3
    expectDecodeError(() => dec({ ...w, z1: "00" + "ff".repeat(200) }));
    expectDecodeError(() => dec({ ...w, z1: "01" })); // −0
    expectDecodeError(() => dec({ ...w, z1: "0000ff" })); // non-minimal
    expectDecodeError(() => dec({ ...w, D: w.D.slice(2) }));
    expectDecodeError(() => dec({ ...w, S: "ff".repeat(w.S.length / 2) }));
    expectDecodeError(() => dec({ ...w, extra: "00" }));
    expectDecodeError(() => dec({ ...w, w: "ff".repeat(32) }));
  });
});
