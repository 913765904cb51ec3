import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getBackend, modPow, randomSymmetric, randomUnit, setBackend, type BackendName } from "@/lib/mpc/bigint";
import { freshMask, maskSlots } from "@/lib/mpc/nonces";
import { G, mulG, randomScalar, toSigned } from "@/lib/mpc/curve";
import { affine, decrypt, encrypt, encryptWithNonce, precomputeNonce } from "@/lib/mpc/paillier";
import { decodeAffGProof, encodeAffGProof, proveAffG, verifyAffG, type AffGProof, type AffGStatement } from "@/lib/mpc/proofs/aff-g";
import {
  expectCheck,
  expectDecodeError,
  prime,
  profile,
  proverPaillier,
  proverPaillierPub,
  ss,
  ssVariants,
  verifierAux,
  verifierAuxPub,
  verifierPaillier,
  verifierPaillierPub,
} from "./helpers";

const Kj = encrypt(verifierPaillierPub, toSigned(randomScalar())).ciphertext;

/** Statement as the prover sees it (public Nj, secret Ni) and as the verifier sees it. */
function makeStatement(x: bigint, y: bigint, opts: { Xoffset?: boolean; Yplus?: bigint } = {}) {
  const rho = randomUnit(verifierPaillierPub.N);
  const rhoY = randomUnit(proverPaillier.N);
  const D = affine(verifierPaillierPub, Kj, x, y, rho);
  const Y = encryptWithNonce(proverPaillier, y + (opts.Yplus ?? 0n), rhoY);
  const X = opts.Xoffset ? mulG(x).add(G) : mulG(x);
  const forProver: AffGStatement = { Nj: verifierPaillierPub, Ni: proverPaillier, C: Kj, D, Y, X };
  const forVerifier: AffGStatement = { Nj: verifierPaillier, Ni: proverPaillierPub, C: Kj, D, Y, X };
  return { forProver, forVerifier, wit: { x, y, rho, rhoY } };
}

// The verifier's checks over its own key take OpenSSL's RSA route on the openssl backend (p², q²).
describe.each<BackendName>(["bigint", "openssl"])("Π^aff-g on the %s backend", (backend) => {
  let previous: BackendName;
  beforeAll(() => {
    previous = getBackend().name;
    setBackend(backend);
  });
  afterAll(() => setBackend(previous));
  const x = toSigned(randomScalar());
  const y = -randomSymmetric(profile.ellPrime);
  const { forProver, forVerifier: st, wit } = makeStatement(x, y);
  const proof = proveAffG(ss, profile, verifierAuxPub, forProver, wit);
  const verify = (p: AffGProof = proof, s: AffGStatement = st, shared = ss) => verifyAffG(shared, profile, verifierAux, s, p);

  it("honest proof verifies (CRT and public verifier keys) and survives the wire codec", () => {
    expect(decrypt(verifierPaillier, st.D)).toBe(x * decrypt(verifierPaillier, Kj) + y);
    expect(() => verify()).not.toThrow();
    expect(() => verifyAffG(ss, profile, verifierAuxPub, { ...st, Nj: verifierPaillierPub }, proof)).not.toThrow();
    const wire = JSON.parse(JSON.stringify(encodeAffGProof(proof, verifierPaillierPub, proverPaillierPub, verifierAuxPub)));
    expect(() => verify(decodeAffGProof(wire, profile, verifierPaillierPub, proverPaillierPub, verifierAuxPub))).not.toThrow();
  });

  it("a precomputed mask nonce gives a valid proof", () => {
    const nonce = precomputeNonce(verifierPaillierPub);
    const pre = proveAffG(ss, profile, verifierAuxPub, forProver, wit, { nonceNj: nonce });
    expect(() => verify(pre)).not.toThrow();
    // w = r·ρ^e must be built from the same r as the precomputed power.
    expectCheck(() => verify(proveAffG(ss, profile, verifierAuxPub, forProver, wit, { nonceNj: { ...nonce, r: 2n } })), "affine_eq");
  });

  it("precomputed ring-Pedersen masks (nonces.ts) commit with their y, and a mask whose power is not t^y breaks the proof", () => {
    const slots = maskSlots(verifierAuxPub, profile);
    const masks = { gamma: freshMask(slots.ellEps), delta: freshMask(slots.ellEps), m: freshMask(slots.ell), mu: freshMask(slots.ell) };
    const pre = proveAffG(ss, profile, verifierAuxPub, forProver, wit, { masks });
    expect(() => verify(pre)).not.toThrow();
    const N = verifierAux.N;
    expect(pre.S).toBe((modPow(verifierAux.s, wit.x, N) * masks.m.ty) % N);
    expect(pre.T).toBe((modPow(verifierAux.s, wit.y, N) * masks.mu.ty) % N);
    expect((pre.z3 - masks.gamma.y) % masks.m.y).toBe(0n);
    expect((pre.z4 - masks.delta.y) % masks.mu.y).toBe(0n);
    const off = (k: { y: bigint; ty: bigint }) => ({ ...k, ty: (k.ty * verifierAux.t) % N });
    expectCheck(() => verify(proveAffG(ss, profile, verifierAuxPub, forProver, wit, { masks: { ...masks, gamma: off(masks.gamma) } })), "pedersen_x_eq");
    expectCheck(() => verify(proveAffG(ss, profile, verifierAuxPub, forProver, wit, { masks: { ...masks, mu: off(masks.mu) } })), "pedersen_y_eq");
  });

  it("domain checks reject 0, N, multiples of a factor and values ≥ N²", () => {
    const badJ = [0n, verifierPaillierPub.N, prime(4) * 5n, verifierPaillierPub.N2];
    const badI = [0n, proverPaillierPub.N, prime(1) * 5n, proverPaillierPub.N2];
    for (const bad of badJ) {
      expectCheck(() => verify(proof, { ...st, C: bad }), "C_domain");
      expectCheck(() => verify(proof, { ...st, D: bad }), "D_domain");
      expectCheck(() => verify({ ...proof, A: bad }), "A_domain");
    }
    for (const bad of badI) {
      expectCheck(() => verify(proof, { ...st, Y: bad }), "Y_domain");
      expectCheck(() => verify({ ...proof, By: bad }), "By_domain");
    }
    for (const bad of [0n, verifierAux.N, prime(3)]) {
      expectCheck(() => verify({ ...proof, E: bad }), "E_domain");
      expectCheck(() => verify({ ...proof, S: bad }), "S_domain");
      expectCheck(() => verify({ ...proof, F: bad }), "F_domain");
      expectCheck(() => verify({ ...proof, T: bad }), "T_domain");
    }
    for (const bad of [0n, verifierPaillierPub.N, prime(5)]) expectCheck(() => verify({ ...proof, w: bad }), "w_domain");
    for (const bad of [0n, proverPaillierPub.N, prime(0)]) expectCheck(() => verify({ ...proof, wy: bad }), "wy_domain");
  });

  it("each equation fails on its tamper", () => {
    expectCheck(() => verify({ ...proof, z1: proof.z1 + 1n }), "affine_eq");
    expectCheck(() => verify({ ...proof, w: (proof.w * 2n) % verifierPaillierPub.N }), "affine_eq");
    expectCheck(() => verify({ ...proof, wy: (proof.wy * 2n) % proverPaillierPub.N }), "enc_eq");
    expectCheck(() => verify({ ...proof, z3: proof.z3 + 1n }), "pedersen_x_eq");
    expectCheck(() => verify({ ...proof, z4: proof.z4 - 1n }), "pedersen_y_eq");
    const badX = makeStatement(x, y, { Xoffset: true });
    expectCheck(() => verify(proveAffG(ss, profile, verifierAuxPub, badX.forProver, badX.wit), badX.forVerifier), "group_eq");
    const badY = makeStatement(x, y, { Yplus: 1n });
    expectCheck(() => verify(proveAffG(ss, profile, verifierAuxPub, badY.forProver, badY.wit), badY.forVerifier), "enc_eq");
  });

  it("witnesses just outside their ranges fail the range checks", () => {
    const bigX = makeStatement((1n << BigInt(profile.ell + profile.epsilon - 1)) + 1n, y);
    expectCheck(() => verify(proveAffG(ss, profile, verifierAuxPub, bigX.forProver, bigX.wit), bigX.forVerifier), "z1_range");
    const bigY = makeStatement(x, (1n << BigInt(profile.ellPrime + profile.epsilon - 1)) + 1n);
    expectCheck(() => verify(proveAffG(ss, profile, verifierAuxPub, bigY.forProver, bigY.wit), bigY.forVerifier), "z2_range");
  });

  it("statement and shared-state changes alter the challenge", () => {
    expectCheck(() => verify(proof, { ...st, X: st.X.add(G) }), "affine_eq");
    expectCheck(() => verify({ ...proof, Bx: proof.Bx.add(G) }), "affine_eq");
    expectCheck(() => verify(proof, { ...st, Y: (st.Y * (1n + proverPaillierPub.N)) % proverPaillierPub.N2 }), "affine_eq");
    for (const v of ssVariants) expectCheck(() => verify(proof, st, v), "affine_eq");
  });

  it("decoder enforces widths and bit caps", () => {
    const w = encodeAffGProof(proof, verifierPaillierPub, proverPaillierPub, verifierAuxPub);
    const dec = (o: unknown) => decodeAffGProof(o, profile, verifierPaillierPub, proverPaillierPub, verifierAuxPub);
    expectDecodeError(() => dec({ ...w, z3: "00" + "ff".repeat(1250) }));
    expectDecodeError(() => dec({ ...w, z2: "00" + "ff".repeat(300) }));
    expectDecodeError(() => dec({ ...w, A: w.A + "00" }));
    expectDecodeError(() => dec({ ...w, wy: "ff".repeat(w.wy.length / 2) }));
    expectDecodeError(() => dec({ ...w, Bx: "00".repeat(33) }));
  });
});
