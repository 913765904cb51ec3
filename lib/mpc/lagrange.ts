/**
 * From t-of-n Shamir shares to t additive shares (spec §3.3). Keygen index i is evaluated at I(i) = i + 1;
 * signers are listed in ascending keygen-index order and position p refers to signers[p].
 */
import { mulPublic, Point, type Point as PointT } from "./curve";
import { ParameterError } from "./errors";

const Fn = Point.Fn;

/** Check a signer set: distinct, ascending, non-negative integers below n. */
export function assertSignerSet(signers: readonly number[], n: number): void {
  if (signers.length < 1) throw new ParameterError("empty signer set");
  for (let p = 0; p < signers.length; p++) {
    const s = signers[p]!;
    if (!Number.isSafeInteger(s) || s < 0 || s >= n) throw new ParameterError(`signer index ${s} outside [0, ${n})`);
    if (p > 0 && s <= signers[p - 1]!) throw new ParameterError("signers must be distinct and ascending");
  }
}

/** λ_p = Π_{m≠p} I(S(m)) / (I(S(m)) − I(S(p))) mod q. */
export function lagrangeCoefficient(signers: readonly number[], position: number): bigint {
  const own = signers[position];
  if (own === undefined) throw new ParameterError(`position ${position} outside the signer set`);
  let num = 1n;
  let den = 1n;
  for (let m = 0; m < signers.length; m++) {
    if (m === position) continue;
    const xm = BigInt(signers[m]! + 1);
    num = Fn.mul(num, xm);
    den = Fn.mul(den, Fn.create(xm - BigInt(own + 1)));
  }
  return Fn.mul(num, Fn.inv(den));
}

export interface AdditiveShares {
  signers: number[];
  position: number;
  /** x̃ = λ·x for this signer. */
  secret: bigint;
  /** X̃_p = λ_p·X_{S(p)} for every position p. */
  publicShares: PointT[];
}

/**
 * Map this party's Shamir share to its additive share for `signers`, and every signer's public share
 * likewise; checks Σ X̃_p = pk.
 */
export function toAdditive(
  share: { index: number; n: number; threshold: number; secret: bigint; publicKey: PointT; publicShares: readonly PointT[] },
  signers: readonly number[],
): AdditiveShares {
  assertSignerSet(signers, share.n);
  if (signers.length !== share.threshold) {
    throw new ParameterError(`exactly t = ${share.threshold} signers are required, got ${signers.length}`);
  }
  const position = signers.indexOf(share.index);
  if (position < 0) throw new ParameterError(`party ${share.index} is not in the signer set`);
  const publicShares = signers.map((s, p) => {
    const X = share.publicShares[s];
    if (!X) throw new ParameterError(`missing public share ${s}`);
    return mulPublic(X, lagrangeCoefficient(signers, p));
  });
  const sum = publicShares.reduce((a, b) => a.add(b), Point.ZERO);
  if (!sum.equals(share.publicKey)) throw new ParameterError("additive public shares do not sum to the public key");
  return {
    signers: [...signers],
    position,
    secret: Fn.mul(lagrangeCoefficient(signers, position), share.secret),
    publicShares,
  };
}
