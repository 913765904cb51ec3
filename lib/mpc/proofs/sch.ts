/** Π^sch — Schnorr proof of knowledge of x with X = x·G (spec §2.7). */
import { IDENTITY, mulG, mulGPublic, mulPublic, pointFromHex, pointToHex, q, randomScalar, scalarFromHex, scalarToHex, toScalar, type Point } from "../curve";
import { ProofError } from "../errors";
import { asRecord } from "./common";
import { challengeXof, T, type SharedState } from "../transcript";

export const SCH = "sch";

export interface SchSecret {
  readonly tau: bigint;
}

export interface SchProof {
  readonly A: Point;
  readonly z: bigint;
}

export interface SchProofWire {
  readonly A: string;
  readonly z: string;
}

/** First move: nonce τ and commitment A = τ·G (keygen hash-commits A in round 1). */
export function schCommit(): { secret: SchSecret; A: Point } {
  const tau = randomScalar();
  return { secret: { tau }, A: mulG(tau) };
}

/** e ∈ Z_q bound to the shared state (keygen puts rid in `ss.context`), X and A. */
export function schChallenge(ss: SharedState, X: Point, A: Point): bigint {
  return challengeXof(SCH, ss, [
    ["X", T.point(X)],
    ["A", T.point(A)],
  ]).scalar();
}

/** Response z = τ + e·x mod q for an earlier commitment. */
export function schRespond(ss: SharedState, X: Point, x: bigint, secret: SchSecret, A: Point): SchProof {
  const e = schChallenge(ss, X, A);
  return { A, z: toScalar(secret.tau + e * x) };
}

export function schProve(ss: SharedState, X: Point, x: bigint): SchProof {
  const { secret, A } = schCommit();
  return schRespond(ss, X, x, secret, A);
}

/** Throws ProofError naming the failed check; returns normally if the proof is valid. */
export function schVerify(ss: SharedState, X: Point, proof: SchProof): void {
  if (X.equals(IDENTITY)) throw new ProofError(SCH, "X_nonzero");
  if (proof.A.equals(IDENTITY)) throw new ProofError(SCH, "A_nonzero");
  if (proof.z < 0n || proof.z >= q) throw new ProofError(SCH, "z_range");
  const e = schChallenge(ss, X, proof.A);
  if (!mulGPublic(proof.z).equals(proof.A.add(mulPublic(X, e)))) throw new ProofError(SCH, "equation");
}

export function encodeSchProof(p: SchProof): SchProofWire {
  return { A: pointToHex(p.A, "sch.A"), z: scalarToHex(p.z, "sch.z") };
}

export function decodeSchProof(w: unknown): SchProof {
  const o = asRecord(w, "sch", ["A", "z"]);
  return { A: pointFromHex(o.A, "sch.A"), z: scalarFromHex(o.z, "sch.z") };
}

/** Aliases following the proveX / verifyX naming of the other proofs. */
export const proveSch = schProve;
export const verifySch = schVerify;
