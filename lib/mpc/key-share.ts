/**
 * Key share types and their JSON codec (spec §3.1 output, §3.2 output and stored-share validation).
 * The stored form is JSON-safe (hex strings); `decodeCoreShare` / `decodeAuxInfo` validate and convert
 * to bigints and points.
 */
import { G, mulPublic, Point, type Point as PointT } from "./curve";
import { MpcError } from "./errors";
import type { SecurityProfile } from "./params";
import { bitLength, gcd } from "./bigint";
import { decodeNat, decodePoint, decodeScalar, encodeNat } from "./wire";

export const KEY_SHARE_VERSION = 1 as const;

/** Output of threshold keygen for party `index`. */
export interface CoreKeyShare {
  v: typeof KEY_SHARE_VERSION;
  curve: "secp256k1";
  index: number;
  threshold: number;
  n: number;
  /** Compressed public key (hex). */
  publicKey: string;
  /** X_0 … X_{n−1}, compressed (hex). */
  publicShares: string[];
  /** x_i as a 32-byte hex scalar. Secret. */
  secretShare: string;
  /** Joint randomness of the keygen run (hex), kept for audit. */
  rid: string;
}

/** Public aux data of one party: Paillier modulus N_j and ring-Pedersen parameters (N̂_j, s_j, t_j). */
export interface AuxPublic {
  N: string;
  NHat: string;
  s: string;
  t: string;
}

/** Output of aux-info generation for party `index`. */
export interface AuxInfo {
  v: typeof KEY_SHARE_VERSION;
  index: number;
  n: number;
  /** Own Paillier primes (hex). Secret. */
  p: string;
  q: string;
  /** Own ring-Pedersen primes (hex), kept for CRT verification. Secret. */
  pHat: string;
  qHat: string;
  parties: AuxPublic[];
}

export interface KeyShare {
  core: CoreKeyShare;
  aux: AuxInfo;
}

export class KeyShareError extends MpcError {}

export interface DecodedCoreShare {
  index: number;
  threshold: number;
  n: number;
  secret: bigint;
  publicKey: PointT;
  publicShares: PointT[];
}

export interface DecodedAuxPublic {
  N: bigint;
  NHat: bigint;
  s: bigint;
  t: bigint;
}

export interface DecodedAuxInfo {
  index: number;
  n: number;
  p: bigint;
  q: bigint;
  pHat: bigint;
  qHat: bigint;
  parties: DecodedAuxPublic[];
}

const Fn = Point.Fn;

/** Value at x = `at` of the polynomial through (I(k), Y_k) for k in `xs` (keygen indices). */
function interpolatePoints(xs: readonly number[], ys: readonly PointT[], at: bigint): PointT {
  let acc: PointT = Point.ZERO;
  for (let j = 0; j < xs.length; j++) {
    const xj = BigInt(xs[j]! + 1);
    let num = 1n;
    let den = 1n;
    for (let m = 0; m < xs.length; m++) {
      if (m === j) continue;
      const xm = BigInt(xs[m]! + 1);
      num = Fn.mul(num, Fn.create(at - xm));
      den = Fn.mul(den, Fn.create(xj - xm));
    }
    const c = Fn.mul(num, Fn.inv(den));
    acc = acc.add(mulPublic(ys[j]!, c)); // public coefficient
  }
  return acc;
}

/** Validate a stored core share (crate `key-share` rules) and decode it. */
export function decodeCoreShare(core: CoreKeyShare): DecodedCoreShare {
  if (core.v !== KEY_SHARE_VERSION || core.curve !== "secp256k1") throw new KeyShareError("unsupported key share version");
  const { n, threshold: t, index } = core;
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(t) || t < 2 || t > n) {
    throw new KeyShareError(`invalid threshold ${t} of ${n}`);
  }
  if (!Number.isSafeInteger(index) || index < 0 || index >= n) throw new KeyShareError(`index ${index} outside [0, ${n})`);
  if (!Array.isArray(core.publicShares) || core.publicShares.length !== n) throw new KeyShareError("need n public shares");
  const publicKey = decodePoint(core.publicKey, "publicKey");
  const publicShares = core.publicShares.map((h, k) => decodePoint(h, `publicShares[${k}]`));
  const secret = decodeScalar(core.secretShare, "secretShare", { nonZero: true });
  if (!G.multiply(secret).equals(publicShares[index]!)) throw new KeyShareError("x_i·G ≠ X_i");
  const firstT = Array.from({ length: t }, (_, k) => k);
  const ys = publicShares.slice(0, t);
  if (!interpolatePoints(firstT, ys, 0n).equals(publicKey)) throw new KeyShareError("public shares do not interpolate to pk");
  for (let m = t; m < n; m++) {
    if (!interpolatePoints(firstT, ys, BigInt(m + 1)).equals(publicShares[m]!)) {
      throw new KeyShareError(`public share ${m} is not on the degree-${t - 1} polynomial`);
    }
  }
  return { index, threshold: t, n, secret, publicKey, publicShares };
}

/** Validate stored aux info (crate rules plus the recommended extra checks of §3.2) and decode it. */
export function decodeAuxInfo(aux: AuxInfo, profile: SecurityProfile): DecodedAuxInfo {
  if (aux.v !== KEY_SHARE_VERSION) throw new KeyShareError("unsupported aux info version");
  const { n, index } = aux;
  if (!Array.isArray(aux.parties) || aux.parties.length !== n) throw new KeyShareError("need n aux entries");
  if (!Number.isSafeInteger(index) || index < 0 || index >= n) throw new KeyShareError("aux index out of range");
  const maxBits = profile.primeBits * 2 + 8;
  const parties = aux.parties.map((e, j) => ({
    N: decodeNat(e.N, maxBits, `aux[${j}].N`),
    NHat: decodeNat(e.NHat, maxBits, `aux[${j}].NHat`),
    s: decodeNat(e.s, maxBits, `aux[${j}].s`),
    t: decodeNat(e.t, maxBits, `aux[${j}].t`),
  }));
  const p = decodeNat(aux.p, profile.primeBits + 1, "aux.p");
  const qq = decodeNat(aux.q, profile.primeBits + 1, "aux.q");
  const pHat = decodeNat(aux.pHat, profile.primeBits + 1, "aux.pHat");
  const qHat = decodeNat(aux.qHat, profile.primeBits + 1, "aux.qHat");
  for (const [name, x] of [["p", p], ["q", qq], ["pHat", pHat], ["qHat", qHat]] as const) {
    if (bitLength(x) < profile.primeBits) throw new KeyShareError(`${name} shorter than ${profile.primeBits} bits`);
  }
  const own = parties[index]!;
  if (p * qq !== own.N) throw new KeyShareError("N_i ≠ p·q");
  if (pHat * qHat !== own.NHat) throw new KeyShareError("N̂_i ≠ p̂·q̂");
  const moduli = new Set<bigint>();
  for (const [j, e] of parties.entries()) {
    for (const [name, M] of [["N", e.N], ["NHat", e.NHat]] as const) {
      if (bitLength(M) < profile.minModulusBits) throw new KeyShareError(`aux[${j}].${name} too short`);
      if (M % 2n === 0n) throw new KeyShareError(`aux[${j}].${name} is even`);
      if (moduli.has(M)) throw new KeyShareError(`aux[${j}].${name} repeats another modulus`);
      moduli.add(M);
    }
    for (const [name, x] of [["s", e.s], ["t", e.t]] as const) {
      if (x <= 1n || x >= e.NHat - 1n || gcd(x, e.NHat) !== 1n) throw new KeyShareError(`aux[${j}].${name} invalid`);
    }
  }
  return { index, n, p, q: qq, pHat, qHat, parties };
}

export function encodeAuxPublic(e: DecodedAuxPublic): AuxPublic {
  return { N: encodeNat(e.N), NHat: encodeNat(e.NHat), s: encodeNat(e.s), t: encodeNat(e.t) };
}

/** Validate a complete key share: both halves valid, same n and index. */
export function validateKeyShare(share: KeyShare, profile: SecurityProfile): { core: DecodedCoreShare; aux: DecodedAuxInfo } {
  const core = decodeCoreShare(share.core);
  const aux = decodeAuxInfo(share.aux, profile);
  if (core.n !== aux.n || core.index !== aux.index) throw new KeyShareError("core share and aux info disagree on n or index");
  return { core, aux };
}

export function encodeKeyShare(share: KeyShare): string {
  return JSON.stringify(share);
}

/** Parse and validate a key share stored with `encodeKeyShare`. */
export function decodeKeyShare(json: string, profile: SecurityProfile): KeyShare {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new KeyShareError("key share is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null) throw new KeyShareError("key share is not an object");
  const share = parsed as KeyShare;
  if (typeof share.core !== "object" || typeof share.aux !== "object") throw new KeyShareError("key share needs core and aux");
  validateKeyShare(share, profile);
  return share;
}
