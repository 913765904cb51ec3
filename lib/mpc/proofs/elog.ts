/**
 * Π^elog — discrete log with El-Gamal commitment (spec §4.3); pure curve arithmetic.
 * Statement: points L, M, X, Y, H. Witness (y, λ) with L = λ·G, M = y·G + λ·X, Y = y·H.
 */
import { mul, mulG, mulGPublic, mulPublic, pointFromHex, pointToHex, q, randomScalar, scalarFromHex, scalarToHex, toScalar, type Point } from "../curve";
import { challengeXof, T, type SharedState } from "../transcript";
import { asRecord, check } from "./common";

export const ELOG = "elog";

export interface ElogStatement {
  readonly L: Point;
  readonly M: Point;
  readonly X: Point;
  readonly Y: Point;
  readonly H: Point;
}

export interface ElogWitness {
  readonly y: bigint;
  readonly lambda: bigint;
}

export interface ElogProof {
  readonly A: Point;
  readonly N: Point;
  readonly B: Point;
  readonly z: bigint;
  readonly u: bigint;
}

function challenge(ss: SharedState, st: ElogStatement, c: Pick<ElogProof, "A" | "N" | "B">): bigint {
  return challengeXof(ELOG, ss, [
    ["L", T.point(st.L)],
    ["M", T.point(st.M)],
    ["X", T.point(st.X)],
    ["Y", T.point(st.Y)],
    ["H", T.point(st.H)],
    ["A", T.point(c.A)],
    ["N", T.point(c.N)],
    ["B", T.point(c.B)],
  ]).scalar();
}

export function proveElog(ss: SharedState, st: ElogStatement, wit: ElogWitness): ElogProof {
  const alpha = randomScalar();
  const m = randomScalar();
  const c = { A: mulG(alpha), N: mulG(m).add(mul(st.X, alpha)), B: mul(st.H, m) };
  const e = challenge(ss, st, c);
  return { ...c, z: toScalar(alpha + e * wit.lambda), u: toScalar(m + e * wit.y) };
}

/**
 * Throws ProofError naming the failed check. X (= Y_i), Y (= Γ_i or Δ_i) and H (= G or Γ) must be
 * non-identity in every use of this proof, so they are rejected here.
 */
export function verifyElog(ss: SharedState, st: ElogStatement, proof: ElogProof): void {
  check(!st.X.is0(), ELOG, "X_nonzero");
  check(!st.Y.is0(), ELOG, "Y_nonzero");
  check(!st.H.is0(), ELOG, "H_nonzero");
  check(proof.z >= 0n && proof.z < q, ELOG, "z_domain");
  check(proof.u >= 0n && proof.u < q, ELOG, "u_domain");
  const e = challenge(ss, st, proof);
  check(mulGPublic(proof.z).equals(proof.A.add(mulPublic(st.L, e))), ELOG, "L_eq");
  check(mulGPublic(proof.u).add(mulPublic(st.X, proof.z)).equals(proof.N.add(mulPublic(st.M, e))), ELOG, "M_eq");
  check(mulPublic(st.H, proof.u).equals(proof.B.add(mulPublic(st.Y, e))), ELOG, "Y_eq");
}

export interface ElogProofWire {
  readonly A: string;
  readonly N: string;
  readonly B: string;
  readonly z: string;
  readonly u: string;
}

export function encodeElogProof(p: ElogProof): ElogProofWire {
  return {
    A: pointToHex(p.A, "elog.A"),
    N: pointToHex(p.N, "elog.N"),
    B: pointToHex(p.B, "elog.B"),
    z: scalarToHex(p.z, "elog.z"),
    u: scalarToHex(p.u, "elog.u"),
  };
}

export function decodeElogProof(w: unknown): ElogProof {
  const o = asRecord(w, "elog", ["A", "N", "B", "z", "u"]);
  return {
    A: pointFromHex(o.A, "elog.A"),
    N: pointFromHex(o.N, "elog.N"),
    B: pointFromHex(o.B, "elog.B"),
    z: scalarFromHex(o.z, "elog.z"),
    u: scalarFromHex(o.u, "elog.u"),
  };
}
