/**
 * Π^aff-g — Paillier affine operation with group commitment (spec §4.2).
 * Statement: N_j (verifier's key; C, D under it), N_i (prover's key; Y under it), point X.
 * Witness x ∈ ±2^ℓ, y ∈ ±2^ℓ', ρ ∈ Z*_{N_j}, ρ_y ∈ Z*_{N_i} with D = (x ⊙ C) ⊕ enc_{N_j}(y; ρ),
 * Y = enc_{N_i}(y; ρ_y), X = x·G. Proves x ∈ ±2^(ℓ+ε), y ∈ ±2^(ℓ'+ε). Aux is the verifier's.
 */
import { bitLength, mod, randomUnit, unitsModulo } from "../bigint";
import { mulG, mulGPublic, mulPublic, pointFromHex, pointToHex, type Point } from "../curve";
import { holdsModN2, multiPowN, multiPowN2, powN2Secret, type NoncePower, type PaillierPublicKey } from "../paillier";
import type { SecurityProfile } from "../params";
import { pedersenContext, type PedersenMask, type RingPedersenParams } from "../ring-pedersen";
import { challengeXof, T, type SharedState } from "../transcript";
import {
  asRecord,
  auxValue,
  bitLengthCap,
  check,
  decodeModElement,
  decodeSigned,
  encodeModElement,
  encodeSigned,
  inSymmetric,
  pow2,
  rangeParamsValue,
  maskedCommit,
  sampleSymmetric,
} from "./common";

export const AFF_G = "aff_g";

export interface AffGStatement {
  /** Verifier's Paillier key (pass the secret key when verifying to use CRT). */
  readonly Nj: PaillierPublicKey;
  /** Prover's Paillier key (pass the secret key when proving to use CRT). */
  readonly Ni: PaillierPublicKey;
  readonly C: bigint;
  readonly D: bigint;
  readonly Y: bigint;
  readonly X: Point;
}

export interface AffGWitness {
  readonly x: bigint;
  readonly y: bigint;
  readonly rho: bigint;
  readonly rhoY: bigint;
}

export interface AffGProof {
  readonly A: bigint;
  readonly Bx: Point;
  readonly By: bigint;
  readonly E: bigint;
  readonly S: bigint;
  readonly F: bigint;
  readonly T: bigint;
  readonly z1: bigint;
  readonly z2: bigint;
  readonly z3: bigint;
  readonly z4: bigint;
  readonly w: bigint;
  readonly wy: bigint;
}

type Commitment = Pick<AffGProof, "A" | "Bx" | "By" | "E" | "S" | "F" | "T">;

function challenge(ss: SharedState, profile: SecurityProfile, aux: RingPedersenParams, st: AffGStatement, c: Commitment): bigint {
  return challengeXof(AFF_G, ss, [
    ["aux", auxValue(aux)],
    ["params", rangeParamsValue(profile, true)],
    ["Nj", T.int(st.Nj.N)],
    ["Ni", T.int(st.Ni.N)],
    ["C", T.int(st.C)],
    ["D", T.int(st.D)],
    ["Y", T.int(st.Y)],
    ["X", T.point(st.X)],
    ["A", T.int(c.A)],
    ["Bx", T.point(c.Bx)],
    ["By", T.int(c.By)],
    ["E", T.int(c.E)],
    ["S", T.int(c.S)],
    ["F", T.int(c.F)],
    ["T", T.int(c.T)],
  ]).symmetricQ();
}

/** (1 + m·N) mod N² — the g^m factor of a Paillier ciphertext. */
function gPow(key: PaillierPublicKey, m: bigint): bigint {
  return (1n + mod(m, key.N) * key.N) % key.N2;
}

export interface AffGProveOptions {
  /** Precomputed mask nonce under the verifier's N_j: saves the one full-size exponentiation mod N_j². */
  readonly nonceNj?: NoncePower;
  /** Precomputed mask nonce under the prover's N_i (for B_y). */
  readonly nonceNi?: NoncePower;
  /** Precomputed ring-Pedersen masks under the verifier's parameters: γ, δ (range ℓ + ε) for E, F; m, μ (range ℓ) for S, T. */
  readonly masks?: { readonly gamma?: PedersenMask; readonly delta?: PedersenMask; readonly m?: PedersenMask; readonly mu?: PedersenMask };
}

export function proveAffG(
  ss: SharedState,
  profile: SecurityProfile,
  aux: RingPedersenParams,
  st: AffGStatement,
  wit: AffGWitness,
  options: AffGProveOptions = {},
): AffGProof {
  const { ell, ellPrime, epsilon } = profile;
  const { Nj, Ni } = st;
  const ped = pedersenContext(aux, profile);
  const alpha = sampleSymmetric(pow2(ell + epsilon));
  const beta = sampleSymmetric(pow2(ellPrime + epsilon));
  const { r, rN } = options.nonceNj ?? { r: randomUnit(Nj.N), rN: null };
  const { r: ry, rN: ryN } = options.nonceNi ?? { r: randomUnit(Ni.N), rN: null };
  // Public bounds of the secret exponents: the masks' half ranges (|x| ≤ M/2 for M = 2^a or 2^a·N̂);
  // the witnesses get ε bits of slack, so a witness outside its range still gives a proof (for the
  // verifier to reject) rather than an exception.
  const masks = options.masks ?? {};
  const E = maskedCommit(ped, alpha, ell + epsilon, ell + epsilon, masks.gamma);
  const S = maskedCommit(ped, wit.x, ell + epsilon, ell, masks.m);
  const F = maskedCommit(ped, beta, ellPrime + epsilon, ell + epsilon, masks.delta);
  const T = maskedCommit(ped, wit.y, ellPrime + epsilon, ell, masks.mu);
  const [gamma, m, delta, mu] = [E.y, S.y, F.y, T.y];
  const c: Commitment = {
    // α is secret and Nj the verifier's public key: α goes through the constant-time schedule.
    A: (((gPow(Nj, beta) * powN2Secret(Nj, st.C, alpha, ell + epsilon)) % Nj.N2) * (rN ?? multiPowN2(Nj, [r], [Nj.N]))) % Nj.N2,
    Bx: mulG(alpha),
    By: (gPow(Ni, beta) * (ryN ?? multiPowN2(Ni, [ry], [Ni.N]))) % Ni.N2,
    E: E.commitment,
    S: S.commitment,
    F: F.commitment,
    T: T.commitment,
  };
  const e = challenge(ss, profile, aux, st, c);
  return {
    ...c,
    z1: alpha + e * wit.x,
    z2: beta + e * wit.y,
    z3: gamma + e * m,
    z4: delta + e * mu,
    w: (r * multiPowN(Nj, [wit.rho], [e])) % Nj.N,
    wy: (ry * multiPowN(Ni, [wit.rhoY], [e])) % Ni.N,
  };
}

/** Throws ProofError naming the failed check. The verifier passes its own secret Nj and aux. */
export function verifyAffG(ss: SharedState, profile: SecurityProfile, aux: RingPedersenParams, st: AffGStatement, proof: AffGProof): void {
  const { Nj, Ni } = st;
  const ped = pedersenContext(aux, profile);
  // Ciphertexts lie in Z*_{N²} (below N², coprime to N), w and wy in Z*_N, commitments in Z*_N̂.
  const unitNj = unitsModulo(Nj.N, [st.C, st.D, proof.A, proof.w]);
  const unitNi = unitsModulo(Ni.N, [st.Y, proof.By, proof.wy]);
  const unitAux = unitsModulo(aux.N, [proof.E, proof.S, proof.F, proof.T]);
  check(unitNj(st.C, Nj.N2), AFF_G, "C_domain");
  check(unitNj(st.D, Nj.N2), AFF_G, "D_domain");
  check(unitNi(st.Y, Ni.N2), AFF_G, "Y_domain");
  check(unitNj(proof.A, Nj.N2), AFF_G, "A_domain");
  check(unitNi(proof.By, Ni.N2), AFF_G, "By_domain");
  check(unitAux(proof.E), AFF_G, "E_domain");
  check(unitAux(proof.S), AFF_G, "S_domain");
  check(unitAux(proof.F), AFF_G, "F_domain");
  check(unitAux(proof.T), AFF_G, "T_domain");
  check(unitNj(proof.w), AFF_G, "w_domain");
  check(unitNi(proof.wy), AFF_G, "wy_domain");
  check(inSymmetric(proof.z1, pow2(profile.ell + profile.epsilon)), AFF_G, "z1_range");
  check(inSymmetric(proof.z2, pow2(profile.ellPrime + profile.epsilon)), AFF_G, "z2_range");
  const e = challenge(ss, profile, aux, st, proof);
  // (z1 ⊙ C) ⊕ enc_Nj(z2; w) = A ⊕ (e ⊙ D)  ⇔  C^z1·(1 + z2·Nj)·w^Nj·D^(−e) = A
  check(holdsModN2(Nj, gPow(Nj, proof.z2), [st.C, proof.w, st.D], [proof.z1, Nj.N, -e], proof.A), AFF_G, "affine_eq");
  check(mulGPublic(proof.z1).equals(proof.Bx.add(mulPublic(st.X, e))), AFF_G, "group_eq");
  // enc_Ni(z2; wy) = By ⊕ (e ⊙ Y)
  check(holdsModN2(Ni, gPow(Ni, proof.z2), [proof.wy, st.Y], [Ni.N, -e], proof.By), AFF_G, "enc_eq");
  check(ped.holds([aux.s, aux.t, proof.S], [proof.z1, proof.z3, -e], proof.E), AFF_G, "pedersen_x_eq");
  check(ped.holds([aux.s, aux.t, proof.T], [proof.z2, proof.z4, -e], proof.F), AFF_G, "pedersen_y_eq");
}

export interface AffGProofWire {
  readonly A: string;
  readonly Bx: string;
  readonly By: string;
  readonly E: string;
  readonly S: string;
  readonly F: string;
  readonly T: string;
  readonly z1: string;
  readonly z2: string;
  readonly z3: string;
  readonly z4: string;
  readonly w: string;
  readonly wy: string;
}

export function encodeAffGProof(p: AffGProof, Nj: PaillierPublicKey, Ni: PaillierPublicKey, aux: RingPedersenParams): AffGProofWire {
  return {
    A: encodeModElement(p.A, Nj.N2, "aff_g.A"),
    Bx: pointToHex(p.Bx, "aff_g.Bx"),
    By: encodeModElement(p.By, Ni.N2, "aff_g.By"),
    E: encodeModElement(p.E, aux.N, "aff_g.E"),
    S: encodeModElement(p.S, aux.N, "aff_g.S"),
    F: encodeModElement(p.F, aux.N, "aff_g.F"),
    T: encodeModElement(p.T, aux.N, "aff_g.T"),
    z1: encodeSigned(p.z1),
    z2: encodeSigned(p.z2),
    z3: encodeSigned(p.z3),
    z4: encodeSigned(p.z4),
    w: encodeModElement(p.w, Nj.N, "aff_g.w"),
    wy: encodeModElement(p.wy, Ni.N, "aff_g.wy"),
  };
}

export function decodeAffGProof(
  w: unknown,
  profile: SecurityProfile,
  Nj: PaillierPublicKey,
  Ni: PaillierPublicKey,
  aux: RingPedersenParams,
): AffGProof {
  const o = asRecord(w, "aff_g", ["A", "Bx", "By", "E", "S", "F", "T", "z1", "z2", "z3", "z4", "w", "wy"]);
  const { ell, ellPrime, epsilon } = profile;
  return {
    A: decodeModElement(o.A, "aff_g.A", Nj.N2),
    Bx: pointFromHex(o.Bx, "aff_g.Bx"),
    By: decodeModElement(o.By, "aff_g.By", Ni.N2),
    E: decodeModElement(o.E, "aff_g.E", aux.N),
    S: decodeModElement(o.S, "aff_g.S", aux.N),
    F: decodeModElement(o.F, "aff_g.F", aux.N),
    T: decodeModElement(o.T, "aff_g.T", aux.N),
    z1: decodeSigned(o.z1, "aff_g.z1", ell + epsilon + 1),
    z2: decodeSigned(o.z2, "aff_g.z2", ellPrime + epsilon + 1),
    z3: decodeSigned(o.z3, "aff_g.z3", bitLengthCap(ell + epsilon, aux.N)),
    z4: decodeSigned(o.z4, "aff_g.z4", bitLengthCap(ell + epsilon, aux.N)),
    w: decodeModElement(o.w, "aff_g.w", Nj.N),
    wy: decodeModElement(o.wy, "aff_g.wy", Ni.N),
  };
}
