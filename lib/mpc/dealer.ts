/**
 * TESTS ONLY: trusted-dealer split of a known secret into t-of-n Shamir shares, and aux info built
 * directly from given primes. A dealer learns every secret; never use this for real keys.
 */
import { G, Point, randomScalar } from "./curve";
import { ParameterError } from "./errors";
import { KEY_SHARE_VERSION, type AuxInfo, type CoreKeyShare } from "./key-share";
import { encodeNat, encodePoint, encodeScalar } from "./wire";

const Fn = Point.Fn;

export interface DealOptions {
  /** Secret key in [1, q). */
  secret: bigint;
  threshold: number;
  n: number;
}

/** Random polynomial of degree t−1 with constant term `secret`, evaluated at I(j) = j + 1. */
export function dealCoreShares({ secret, threshold: t, n }: DealOptions): CoreKeyShare[] {
  if (secret <= 0n || secret >= Fn.ORDER) throw new ParameterError("secret must be in [1, q)");
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(t) || t < 2 || t > n) throw new ParameterError("need 2 ≤ t ≤ n");
  const coeffs = [secret, ...Array.from({ length: t - 1 }, () => randomScalar())];
  const shares = Array.from({ length: n }, (_, j) => {
    const x = BigInt(j + 1);
    let acc = 0n;
    for (let k = coeffs.length - 1; k >= 0; k--) acc = Fn.add(Fn.mul(acc, x), coeffs[k]!);
    if (acc === 0n) throw new ParameterError("dealt a zero share; deal again");
    return acc;
  });
  const publicShares = shares.map((x) => encodePoint(G.multiply(x)));
  const publicKey = encodePoint(G.multiply(secret));
  return shares.map((x, index) => ({
    v: KEY_SHARE_VERSION,
    curve: "secp256k1",
    index,
    threshold: t,
    n,
    publicKey,
    publicShares,
    secretShare: encodeScalar(x),
    rid: "00".repeat(48),
  }));
}

export interface DealtAuxParty {
  p: bigint;
  q: bigint;
  pHat: bigint;
  qHat: bigint;
  /** Ring-Pedersen parameters over N̂ = p̂·q̂. */
  s: bigint;
  t: bigint;
}

/** Aux info of every party from their primes and ring-Pedersen parameters (no proofs exchanged). */
export function dealAuxInfo(parties: readonly DealtAuxParty[]): AuxInfo[] {
  const publics = parties.map((e) => ({
    N: encodeNat(e.p * e.q),
    NHat: encodeNat(e.pHat * e.qHat),
    s: encodeNat(e.s),
    t: encodeNat(e.t),
  }));
  return parties.map((e, index) => ({
    v: KEY_SHARE_VERSION,
    index,
    n: parties.length,
    p: encodeNat(e.p),
    q: encodeNat(e.q),
    pHat: encodeNat(e.pHat),
    qHat: encodeNat(e.qHat),
    parties: publics,
  }));
}
