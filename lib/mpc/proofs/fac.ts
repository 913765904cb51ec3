/**
 * Π^fac — no small factor (spec §4.6): both factors of the prover's N = pq exceed ≈ 2^ℓ.
 * Aux (N̂, s, t) is the verifier's; the verifier passes its secret parameters to use CRT.
 */
import { bitLength, unitsModulo } from "../bigint";
import type { SecurityProfile } from "../params";
import { pedersenContext, type RingPedersenParams } from "../ring-pedersen";
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
  isqrt,
  pow2,
  rangeParamsValue,
  sampleSymmetric,
} from "./common";

export const FAC = "fac";

export interface FacProof {
  readonly P: bigint;
  readonly Q: bigint;
  readonly A: bigint;
  readonly B: bigint;
  readonly T: bigint;
  readonly z1: bigint;
  readonly z2: bigint;
  readonly w1: bigint;
  readonly w2: bigint;
  readonly v: bigint;
}

type Commitment = Pick<FacProof, "P" | "Q" | "A" | "B" | "T">;

function challenge(ss: SharedState, profile: SecurityProfile, aux: RingPedersenParams, N: bigint, sqrtN: bigint, c: Commitment): bigint {
  return challengeXof(FAC, ss, [
    ["params", rangeParamsValue(profile)],
    ["aux", auxValue(aux)],
    ["N", T.int(N)],
    ["sqrtN", T.int(sqrtN)],
    ["P", T.int(c.P)],
    ["Q", T.int(c.Q)],
    ["A", T.int(c.A)],
    ["B", T.int(c.B)],
    ["T", T.int(c.T)],
  ]).symmetricPow2(profile.ell);
}

export function proveFac(ss: SharedState, profile: SecurityProfile, aux: RingPedersenParams, p: bigint, q: bigint): FacProof {
  const { ell, epsilon } = profile;
  const N = p * q;
  const sqrtN = isqrt(N);
  const ped = pedersenContext(aux, profile);
  const le = pow2(ell + epsilon);
  const alpha = sampleSymmetric(le * sqrtN);
  const beta = sampleSymmetric(le * sqrtN);
  const mu = sampleSymmetric(pow2(ell) * aux.N);
  const nu = sampleSymmetric(pow2(ell) * aux.N);
  const r = sampleSymmetric(le * N * aux.N);
  const xp = sampleSymmetric(le * aux.N);
  const yp = sampleSymmetric(le * aux.N);
  // Every exponent here is secret (the factors and their masks): constant-time path, with
  // public bounds taken from the sampling ranges.
  const { s, t } = aux;
  const boundPQ = Math.max(bitLength(N), ell + bitLength(aux.N)) + 1;
  const boundAB = ell + epsilon + bitLength(aux.N) + 1;
  const Q = ped.multiPowSecret([s, t], [q, nu], boundPQ);
  const c: Commitment = {
    P: ped.multiPowSecret([s, t], [p, mu], boundPQ),
    Q,
    A: ped.multiPowSecret([s, t], [alpha, xp], boundAB),
    B: ped.multiPowSecret([s, t], [beta, yp], boundAB),
    T: ped.multiPowSecret([Q, t], [alpha, r], ell + epsilon + bitLength(N) + bitLength(aux.N) + 1),
  };
  const e = challenge(ss, profile, aux, N, sqrtN, c);
  return {
    ...c,
    z1: alpha + e * p,
    z2: beta + e * q,
    w1: xp + e * mu,
    w2: yp + e * nu,
    v: r - e * nu * p,
  };
}

export function verifyFac(ss: SharedState, profile: SecurityProfile, aux: RingPedersenParams, N: bigint, proof: FacProof): void {
  const { ell, epsilon } = profile;
  const ped = pedersenContext(aux, profile);
  const unit = unitsModulo(aux.N, [proof.P, proof.Q, proof.A, proof.B, proof.T]);
  check(unit(proof.P), FAC, "P_domain");
  check(unit(proof.Q), FAC, "Q_domain");
  check(unit(proof.A), FAC, "A_domain");
  check(unit(proof.B), FAC, "B_domain");
  check(unit(proof.T), FAC, "T_domain");
  check(bitLength(N) >= 4 * ell, FAC, "N_size");
  const sqrtN = isqrt(N);
  const bound = pow2(ell + epsilon) * sqrtN;
  check(inSymmetric(proof.z1, bound), FAC, "z1_range");
  check(inSymmetric(proof.z2, bound), FAC, "z2_range");
  const e = challenge(ss, profile, aux, N, sqrtN, proof);
  const { s, t } = aux;
  check(ped.holds([s, t, proof.P], [proof.z1, proof.w1, -e], proof.A), FAC, "P_eq");
  check(ped.holds([s, t, proof.Q], [proof.z2, proof.w2, -e], proof.B), FAC, "Q_eq");
  // Q^z1·t^v = T·(s^N)^e  ⇔  Q^z1·t^v·s^(−N·e) = T
  check(ped.holds([proof.Q, t, s], [proof.z1, proof.v, -N * e], proof.T), FAC, "T_eq");
}

export interface FacProofWire {
  readonly P: string;
  readonly Q: string;
  readonly A: string;
  readonly B: string;
  readonly T: string;
  readonly z1: string;
  readonly z2: string;
  readonly w1: string;
  readonly w2: string;
  readonly v: string;
}

export function encodeFacProof(p: FacProof, aux: RingPedersenParams): FacProofWire {
  const el = (x: bigint, f: string) => encodeModElement(x, aux.N, `fac.${f}`);
  return {
    P: el(p.P, "P"),
    Q: el(p.Q, "Q"),
    A: el(p.A, "A"),
    B: el(p.B, "B"),
    T: el(p.T, "T"),
    z1: encodeSigned(p.z1),
    z2: encodeSigned(p.z2),
    w1: encodeSigned(p.w1),
    w2: encodeSigned(p.w2),
    v: encodeSigned(p.v),
  };
}

/** Bit caps: z ≤ ℓ+ε+bits(√N)+2, w ≤ ℓ+ε+bits(N̂)+2, v ≤ ℓ+ε+bits(N)+bits(N̂)+2. */
export function decodeFacProof(w: unknown, profile: SecurityProfile, aux: RingPedersenParams, N: bigint): FacProof {
  const o = asRecord(w, "fac", ["P", "Q", "A", "B", "T", "z1", "z2", "w1", "w2", "v"]);
  const le = profile.ell + profile.epsilon;
  const zCap = le + Math.ceil(bitLength(N) / 2) + 2;
  const wCap = bitLengthCap(le, aux.N);
  const vCap = bitLengthCap(le + bitLength(N), aux.N);
  const el = (x: unknown, f: string) => decodeModElement(x, `fac.${f}`, aux.N);
  return {
    P: el(o.P, "P"),
    Q: el(o.Q, "Q"),
    A: el(o.A, "A"),
    B: el(o.B, "B"),
    T: el(o.T, "T"),
    z1: decodeSigned(o.z1, "fac.z1", zCap),
    z2: decodeSigned(o.z2, "fac.z2", zCap),
    w1: decodeSigned(o.w1, "fac.w1", wCap),
    w2: decodeSigned(o.w2, "fac.w2", wCap),
    v: decodeSigned(o.v, "fac.v", vCap),
  };
}
