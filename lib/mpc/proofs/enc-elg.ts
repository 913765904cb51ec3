/**
 * Π^enc-elg — Paillier range proof tied to an El-Gamal commitment (spec §4.1).
 * Statement: N0, C = enc_N0(x; ρ), points A, B = b·G, X = b·A + x·G. Witness x ∈ ±2^ℓ, ρ, b.
 * Proves x ∈ ±2^(ℓ+ε). Ring-Pedersen parameters are the verifier's.
 */
import { bitLength, mod, randomUnit, unitsModulo } from "../bigint";
import { mul, mulG, mulGPublic, mulPublic, pointFromHex, pointToHex, q, randomScalar, scalarFromHex, scalarToHex, toScalar, type Point } from "../curve";
import { holdsModN2, multiPowN, multiPowN2, type NoncePower, type PaillierPublicKey } from "../paillier";
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

export const ENC_ELG = "enc_elg";

export interface EncElgStatement {
  /** Prover's Paillier key (pass the secret key when proving to use CRT). */
  readonly N0: PaillierPublicKey;
  readonly C: bigint;
  readonly A: Point;
  readonly B: Point;
  readonly X: Point;
}

export interface EncElgWitness {
  readonly x: bigint;
  readonly rho: bigint;
  readonly b: bigint;
}

export interface EncElgProof {
  readonly S: bigint;
  readonly T: bigint;
  readonly D: bigint;
  readonly Y: Point;
  readonly Z: Point;
  readonly z1: bigint;
  readonly z2: bigint;
  readonly z3: bigint;
  readonly w: bigint;
}

function challenge(ss: SharedState, profile: SecurityProfile, aux: RingPedersenParams, st: EncElgStatement, p: Pick<EncElgProof, "S" | "T" | "D" | "Y" | "Z">): bigint {
  return challengeXof(ENC_ELG, ss, [
    ["aux", auxValue(aux)],
    ["params", rangeParamsValue(profile)],
    ["N0", T.int(st.N0.N)],
    ["C", T.int(st.C)],
    ["A", T.point(st.A)],
    ["B", T.point(st.B)],
    ["X", T.point(st.X)],
    ["S", T.int(p.S)],
    ["T", T.int(p.T)],
    ["D", T.int(p.D)],
    ["Y", T.point(p.Y)],
    ["Z", T.point(p.Z)],
  ]).symmetricQ();
}

export interface EncElgProveOptions {
  /** Precomputed mask nonce under N0 (lib/mpc/nonces.ts): saves the exponentiation r^N0 mod N0². */
  readonly nonce?: NoncePower;
  /** Precomputed ring-Pedersen masks under the verifier's parameters: μ (range ℓ) for S, γ (range ℓ + ε) for T. */
  readonly masks?: { readonly mu?: PedersenMask; readonly gamma?: PedersenMask };
}

export function proveEncElg(
  ss: SharedState,
  profile: SecurityProfile,
  aux: RingPedersenParams,
  st: EncElgStatement,
  wit: EncElgWitness,
  options: EncElgProveOptions = {},
): EncElgProof {
  const { ell, epsilon } = profile;
  const N0 = st.N0;
  const ped = pedersenContext(aux, profile);
  const alpha = sampleSymmetric(pow2(ell + epsilon));
  const { r, rN } = options.nonce ?? { r: randomUnit(N0.N), rN: null };
  const beta = randomScalar();
  // Public bounds of the secret exponents: the masks' half ranges (|x| ≤ M/2 for M = 2^a or 2^a·N̂);
  // the witness gets ε bits of slack, so one outside its range still gives a proof to reject.
  const S = maskedCommit(ped, wit.x, ell + epsilon, ell, options.masks?.mu);
  const T = maskedCommit(ped, alpha, ell + epsilon, ell + epsilon, options.masks?.gamma);
  const mu = S.y;
  const gamma = T.y;
  const commitment = {
    S: S.commitment,
    T: T.commitment,
    D: ((1n + mod(alpha, N0.N) * N0.N) * (rN ?? multiPowN2(N0, [r], [N0.N]))) % N0.N2,
    Y: mul(st.A, beta).add(mulG(alpha)),
    Z: mulG(beta),
  };
  const e = challenge(ss, profile, aux, st, commitment);
  return {
    ...commitment,
    z1: alpha + e * wit.x,
    z2: (r * multiPowN(N0, [wit.rho], [e])) % N0.N,
    z3: gamma + e * mu,
    w: toScalar(beta + e * wit.b),
  };
}

/** Throws ProofError naming the failed check. Pass the verifier's own secret aux to use CRT. */
export function verifyEncElg(
  ss: SharedState,
  profile: SecurityProfile,
  aux: RingPedersenParams,
  st: EncElgStatement,
  proof: EncElgProof,
): void {
  const N0 = st.N0;
  const ped = pedersenContext(aux, profile);
  const unitN0 = unitsModulo(N0.N, [st.C, proof.D, proof.z2]);
  const unitAux = unitsModulo(aux.N, [proof.S, proof.T]);
  check(unitN0(st.C, N0.N2), ENC_ELG, "C_domain");
  check(unitAux(proof.S), ENC_ELG, "S_domain");
  check(unitAux(proof.T), ENC_ELG, "T_domain");
  check(unitN0(proof.D, N0.N2), ENC_ELG, "D_domain");
  check(unitN0(proof.z2), ENC_ELG, "z2_domain");
  check(proof.w >= 0n && proof.w < q, ENC_ELG, "w_domain");
  check(inSymmetric(proof.z1, pow2(profile.ell + profile.epsilon)), ENC_ELG, "z1_range");
  const e = challenge(ss, profile, aux, st, proof);
  // enc(z1; z2) = D·C^e  ⇔  (1 + z1·N)·z2^N·C^(−e) = D
  check(holdsModN2(N0, 1n + mod(proof.z1, N0.N) * N0.N, [proof.z2, st.C], [N0.N, -e], proof.D), ENC_ELG, "paillier_eq");
  check(mulPublic(st.A, proof.w).add(mulGPublic(proof.z1)).equals(proof.Y.add(mulPublic(st.X, e))), ENC_ELG, "elgamal_eq");
  check(mulGPublic(proof.w).equals(proof.Z.add(mulPublic(st.B, e))), ENC_ELG, "commitment_eq");
  check(ped.holds([aux.s, aux.t, proof.S], [proof.z1, proof.z3, -e], proof.T), ENC_ELG, "pedersen_eq");
}

export interface EncElgProofWire {
  readonly S: string;
  readonly T: string;
  readonly D: string;
  readonly Y: string;
  readonly Z: string;
  readonly z1: string;
  readonly z2: string;
  readonly z3: string;
  readonly w: string;
}

export function encodeEncElgProof(p: EncElgProof, N0: PaillierPublicKey, aux: RingPedersenParams): EncElgProofWire {
  return {
    S: encodeModElement(p.S, aux.N, "enc_elg.S"),
    T: encodeModElement(p.T, aux.N, "enc_elg.T"),
    D: encodeModElement(p.D, N0.N2, "enc_elg.D"),
    Y: pointToHex(p.Y, "enc_elg.Y"),
    Z: pointToHex(p.Z, "enc_elg.Z"),
    z1: encodeSigned(p.z1),
    z2: encodeModElement(p.z2, N0.N, "enc_elg.z2"),
    z3: encodeSigned(p.z3),
    w: scalarToHex(p.w, "enc_elg.w"),
  };
}

/** Strict decode: fixed widths for modular elements, bit caps on z1, z3 before any arithmetic. */
export function decodeEncElgProof(w: unknown, profile: SecurityProfile, N0: PaillierPublicKey, aux: RingPedersenParams): EncElgProof {
  const o = asRecord(w, "enc_elg", ["S", "T", "D", "Y", "Z", "z1", "z2", "z3", "w"]);
  const { ell, epsilon } = profile;
  return {
    S: decodeModElement(o.S, "enc_elg.S", aux.N),
    T: decodeModElement(o.T, "enc_elg.T", aux.N),
    D: decodeModElement(o.D, "enc_elg.D", N0.N2),
    Y: pointFromHex(o.Y, "enc_elg.Y"),
    Z: pointFromHex(o.Z, "enc_elg.Z"),
    z1: decodeSigned(o.z1, "enc_elg.z1", ell + epsilon + 1),
    z2: decodeModElement(o.z2, "enc_elg.z2", N0.N),
    z3: decodeSigned(o.z3, "enc_elg.z3", bitLengthCap(ell + epsilon, aux.N)),
    w: scalarFromHex(o.w, "enc_elg.w"),
  };
}

