/**
 * Π^prm — ring-Pedersen parameters are well formed: s ∈ ⟨t⟩ (spec §4.4). m parallel repetitions
 * with one challenge bit each. The verifier uses cached fixed-base tables for s and t.
 */
import { bitLength, crtCombine, gcd, mod, modPowSecret, randomBelow } from "../bigint";
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

/** Proves knowledge of λ with s = t^λ, using the factorisation (CRT) for the m commitments. */
export function provePrm(ss: SharedState, profile: SecurityProfile, secret: RingPedersenSecret): PrmProof {
  const { p, q, t } = secret;
  // The a_k are secret (z_k = a_k + e_k·λ): constant-time exponentiation modulo each prime, then CRT.
  const a = Array.from({ length: profile.m }, () => randomBelow(secret.phi));
  const A = a.map((ak) =>
    crtCombine(modPowSecret(t % p, ak % (p - 1n), p, bitLength(p)), p, modPowSecret(t % q, ak % (q - 1n), q, bitLength(q)), q),
  );
  const e = challengeBits(ss, secret, A, profile.m);
  const z = a.map((ak, k) => mod(ak + BigInt(e[k] ?? 0) * secret.lambda, secret.phi));
  return { A, z };
}

export function verifyPrm(ss: SharedState, profile: SecurityProfile, st: RingPedersenParams, proof: PrmProof): void {
  const { N, s, t } = st;
  const isUnit = (x: bigint) => x > 0n && x < N && gcdIsOne(x, N);
  check(N % 2n === 1n && isUnit(s) && isUnit(t), PRM, "st_domain");
  check(proof.A.length === profile.m && proof.z.length === profile.m, PRM, "length");
  check(proof.A.every(isUnit), PRM, "A_domain");
  check(proof.z.every((zk) => zk >= 0n && zk < N), PRM, "z_range");
  const e = challengeBits(ss, st, proof.A, profile.m);
  const ped = pedersenContext(st, profile);
  for (let k = 0; k < profile.m; k++) {
    // t^z_k = A_k·s^e_k  ⇔  s^(−e_k)·t^z_k = A_k
    check(ped.commit(-BigInt(e[k] ?? 0), proof.z[k] ?? 0n) === proof.A[k], PRM, "equation");
  }
}

function gcdIsOne(a: bigint, b: bigint): boolean {
  return gcd(a, b) === 1n;
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
