/**
 * Π^prm — ring-Pedersen parameters are well formed: s ∈ ⟨t⟩ (spec §4.4). m parallel repetitions
 * with one challenge bit each. The verifier uses cached fixed-base tables for s and t.
 */
import { bitLength, crtCombine, mod, modPowSecret, randomBelow, unitsModulo } from "../bigint";
import { ParameterError } from "../errors";
import type { SecurityProfile } from "../params";
import { pedersenContext, type RingPedersenParams, type RingPedersenSecret } from "../ring-pedersen";
import { challengeXof, T, type SharedState } from "../transcript";
import { asArray, asRecord, check, decodeModElement, encodeModElement } from "./common";

export const PRM = "prm";

export interface PrmProof {
  readonly A: readonly bigint[];
  readonly z: readonly bigint[];
}

function challengeBits(ss: SharedState, st: RingPedersenParams, A: readonly bigint[], m: number): (0 | 1)[] {
  return challengeXof(PRM, ss, [
    ["N", T.int(st.N)],
    ["s", T.int(st.s)],
    ["t", T.int(st.t)],
    ["A", T.ints(A)],
  ]).bits(m);
}

/** The secret nonces a_1…a_m of a proof (z_k = a_k + e_k·λ). */
export function prmNonces(secret: RingPedersenSecret, m: number): bigint[] {
  return Array.from({ length: m }, () => randomBelow(secret.phi));
}

/** A_k = t^a_k for some of the nonces (any range): each depends only on (p, q, t, a_k). */
export function prmCommitments(secret: Pick<RingPedersenSecret, "p" | "q" | "t">, a: readonly bigint[]): bigint[] {
  const { p, q, t } = secret;
  // The a_k are secret: constant-time exponentiation modulo each prime, then CRT.
  return a.map((ak) =>
    crtCombine(modPowSecret(t % p, ak % (p - 1n), p, bitLength(p)), p, modPowSecret(t % q, ak % (q - 1n), q, bitLength(q)), q),
  );
}

/** The proof from the nonces and all m commitments: the challenge bits, then the responses. */
export function finishPrm(ss: SharedState, profile: SecurityProfile, secret: RingPedersenSecret, a: readonly bigint[], A: readonly bigint[]): PrmProof {
  if (a.length !== profile.m || A.length !== profile.m) throw new ParameterError(`Π^prm needs ${profile.m} nonces and commitments`);
  const e = challengeBits(ss, secret, A, profile.m);
  const z = a.map((ak, k) => mod(ak + BigInt(e[k] ?? 0) * secret.lambda, secret.phi));
  return { A: [...A], z };
}

/** Proves knowledge of λ with s = t^λ, using the factorisation (CRT) for the m commitments. */
export function provePrm(ss: SharedState, profile: SecurityProfile, secret: RingPedersenSecret): PrmProof {
  const a = prmNonces(secret, profile.m);
  return finishPrm(ss, profile, secret, a, prmCommitments(secret, a));
}

/** The verifier's checks before the repetitions, in order; returns the challenge bits. */
export function verifyPrmHead(ss: SharedState, profile: SecurityProfile, st: RingPedersenParams, proof: PrmProof): (0 | 1)[] {
  const { N, s, t } = st;
  const isUnit = unitsModulo(N, [s, t, ...proof.A]);
  check(N % 2n === 1n && isUnit(s) && isUnit(t), PRM, "st_domain");
  check(proof.A.length === profile.m && proof.z.length === profile.m, PRM, "length");
  check(proof.A.every((a) => isUnit(a)), PRM, "A_domain");
  check(proof.z.every((zk) => zk >= 0n && zk < N), PRM, "z_range");
  return challengeBits(ss, st, proof.A, profile.m);
}

/** The equations t^z_k = A_k·s^e_k for a range of repetitions (A, z and e of equal length), in order. */
export function verifyPrmItems(profile: SecurityProfile, st: RingPedersenParams, A: readonly bigint[], z: readonly bigint[], e: readonly (0 | 1)[]): void {
  const ped = pedersenContext(st, profile);
  for (let k = 0; k < A.length; k++) {
    // t^z_k = A_k·s^e_k  ⇔  s^(−e_k)·t^z_k = A_k
    check(ped.commitPublic(-BigInt(e[k] ?? 0), z[k] ?? 0n) === A[k], PRM, "equation");
  }
}

export function verifyPrm(ss: SharedState, profile: SecurityProfile, st: RingPedersenParams, proof: PrmProof): void {
  const e = verifyPrmHead(ss, profile, st, proof);
  verifyPrmItems(profile, st, proof.A, proof.z, e);
}

export interface PrmProofWire {
  readonly A: readonly string[];
  readonly z: readonly string[];
}

export function encodePrmProof(p: PrmProof, N: bigint): PrmProofWire {
  return {
    A: p.A.map((x) => encodeModElement(x, N, "prm.A")),
    z: p.z.map((x) => encodeModElement(x, N, "prm.z")),
  };
}

export function decodePrmProof(w: unknown, profile: SecurityProfile, N: bigint): PrmProof {
  const o = asRecord(w, "prm", ["A", "z"]);
  return {
    A: asArray(o.A, "prm.A", profile.m).map((x) => decodeModElement(x, "prm.A", N)),
    z: asArray(o.z, "prm.z", profile.m).map((x) => decodeModElement(x, "prm.z", N)),
  };
}
