/**
 * Π^mod — N is a Paillier–Blum modulus (spec §4.5): N = pq with p, q ≡ 3 mod 4, gcd(N, φ(N)) = 1.
 * m repetitions; challenges y_k ∈ Z*_N are derived from the transcript.
 */
import { bitLength, createCrtContext, crtCombine, crtPowWith, gcd, isProbablePrime, modInv, modPowPublic, modPowSecret, randomUnit, unitsModulo } from "../bigint";
import { EncodingError, ParameterError } from "../errors";
import type { SecurityProfile } from "../params";
import { challengeXof, T, type SharedState } from "../transcript";
import { asArray, asRecord, check, decodeModElement, encodeModElement, jacobi } from "./common";

export const MOD = "mod";
/** Miller–Rabin rounds for the verifier's "N is not prime" check. */
export const MOD_PRIMALITY_ROUNDS = 25;

export interface ModItem {
  /** x_k with x_k^4 ≡ (−1)^a·w^b·y_k (mod N). */
  readonly x: bigint;
  readonly a: 0 | 1;
  readonly b: 0 | 1;
  /** z_k with z_k^N ≡ y_k (mod N). */
  readonly z: bigint;
}

export interface ModProof {
  readonly w: bigint;
  readonly items: readonly ModItem[];
}

/**
 * y_1…y_m ∈ Z*_N: each is uniformBelow(N) repeated until gcd(y, N) = 1 (§2.5 rule 3). One gcd of
 * the product replaces m gcds; only if it fails are the draws redone one by one (same stream).
 */
export function modChallenges(ss: SharedState, N: bigint, w: bigint, m: number): bigint[] {
  const stream = () =>
    challengeXof(MOD, ss, [
      ["N", T.int(N)],
      ["w", T.int(w)],
    ]);
  const xof = stream();
  const ys = Array.from({ length: m }, () => {
    let y: bigint;
    do y = xof.uniformBelow(N);
    while (y === 0n);
    return y;
  });
  if (gcd(ys.reduce((acc, y) => (acc * y) % N, 1n), N) === 1n) return ys;
  const slow = stream();
  return Array.from({ length: m }, () => slow.unitBelow(N));
}

/** Legendre symbol modulo an odd prime (the Jacobi symbol, computed without exponentiation). */
const legendre = jacobi;

/** The prover's Fiat–Shamir part: w (random, Jacobi symbol −1) and the challenges y_1…y_m it fixes. */
export interface ModProverPlan {
  readonly w: bigint;
  readonly ys: readonly bigint[];
}

function checkBlumPrimes(p: bigint, q: bigint): void {
  if (p % 4n !== 3n || q % 4n !== 3n || p === q) throw new ParameterError("Π^mod needs distinct primes ≡ 3 mod 4");
}

export function planModProof(ss: SharedState, profile: SecurityProfile, p: bigint, q: bigint): ModProverPlan {
  checkBlumPrimes(p, q);
  const N = p * q;
  // w with Jacobi(w|N) = −1: a non-residue modulo exactly one of p, q.
  let w: bigint;
  do w = randomUnit(N);
  while (legendre(w, p) * legendre(w, q) !== -1);
  return { w, ys: modChallenges(ss, N, w, profile.m) };
}

/**
 * The responses for some of the challenges (any range of the plan's ys): each item depends only on
 * (p, q, w, y_k), so items computed in slices are identical to items computed in one piece.
 */
export function proveModItems(p: bigint, q: bigint, w: bigint, ys: readonly bigint[]): ModItem[] {
  checkBlumPrimes(p, q);
  const N = p * q;
  const phi = (p - 1n) * (q - 1n);
  const crt = createCrtContext(p, q);
  const wp = legendre(w, p);
  const wq = legendre(w, q);
  const nInv = modInv(N, phi);
  // Fourth root of a residue whose square root is again a residue: r^(((p+1)/4)^2) mod p.
  const e4p = ((p + 1n) / 4n) ** 2n % (p - 1n);
  const e4q = ((q + 1n) / 4n) ** 2n % (q - 1n);
  return ys.map((y): ModItem => {
    const lp = legendre(y, p);
    const lq = legendre(y, q);
    let b: 0 | 1 = 0;
    let sp = lp;
    let sq = lq;
    let yy = y;
    if (lp !== lq) {
      b = 1;
      yy = (w * y) % N;
      sp = (lp * wp) as 1 | -1;
      sq = (lq * wq) as 1 | -1;
    }
    // −1 is a non-residue modulo both Blum primes, so (−1,−1) flips to (1,1).
    const a: 0 | 1 = sp === -1 && sq === -1 ? 1 : 0;
    if (a === 1) yy = N - yy;
    const x = crtCombine(modPowSecret(yy, e4p, p, bitLength(p)), p, modPowSecret(yy, e4q, q, bitLength(q)), q);
    return { x, a, b, z: crtPowWith(crt, y, nInv) };
  });
}

export function proveMod(ss: SharedState, profile: SecurityProfile, p: bigint, q: bigint): ModProof {
  const plan = planModProof(ss, profile, p, q);
  return { w: plan.w, items: proveModItems(p, q, plan.w, plan.ys) };
}

/** The verifier's checks before the repetitions, in order; returns the challenges y_1…y_m. */
export function verifyModHead(ss: SharedState, profile: SecurityProfile, N: bigint, proof: ModProof): bigint[] {
  check(N > 2n && N % 2n === 1n, MOD, "N_odd");
  check(!isProbablePrime(N, MOD_PRIMALITY_ROUNDS), MOD, "N_composite");
  const isUnit = unitsModulo(N, [proof.w, ...proof.items.flatMap((it) => [it.x, it.z])]);
  check(isUnit(proof.w), MOD, "w_domain");
  check(proof.items.length === profile.m, MOD, "length");
  check(proof.items.every((it) => (it.a === 0 || it.a === 1) && (it.b === 0 || it.b === 1)), MOD, "ab_domain");
  check(proof.items.every((it) => isUnit(it.x)), MOD, "x_domain");
  check(proof.items.every((it) => isUnit(it.z)), MOD, "z_domain");
  return modChallenges(ss, N, proof.w, profile.m);
}

/** The per-repetition equations for a range of items and their challenges (same length), in order. */
export function verifyModItems(N: bigint, w: bigint, items: readonly ModItem[], ys: readonly bigint[]): void {
  items.forEach((it, k) => {
    const y = ys[k] ?? 0n;
    check(modPowPublic(it.z, N, N) === y, MOD, "z_eq");
    let rhs = it.b === 1 ? (w * y) % N : y;
    if (it.a === 1) rhs = N - rhs;
    const x2 = (it.x * it.x) % N;
    check((x2 * x2) % N === rhs, MOD, "x_eq");
  });
}

export function verifyMod(ss: SharedState, profile: SecurityProfile, N: bigint, proof: ModProof): void {
  const ys = verifyModHead(ss, profile, N, proof);
  verifyModItems(N, proof.w, proof.items, ys);
}

export interface ModProofWire {
  readonly w: string;
  readonly items: readonly { readonly x: string; readonly a: number; readonly b: number; readonly z: string }[];
}

export function encodeModProof(p: ModProof, N: bigint): ModProofWire {
  return {
    w: encodeModElement(p.w, N, "mod.w"),
    items: p.items.map((it) => ({ x: encodeModElement(it.x, N, "mod.x"), a: it.a, b: it.b, z: encodeModElement(it.z, N, "mod.z") })),
  };
}

function decodeBit(v: unknown, field: string): 0 | 1 {
  if (v !== 0 && v !== 1) throw new EncodingError(field, "expected 0 or 1");
  return v;
}

export function decodeModProof(w: unknown, profile: SecurityProfile, N: bigint): ModProof {
  const o = asRecord(w, "mod", ["w", "items"]);
  return {
    w: decodeModElement(o.w, "mod.w", N),
    items: asArray(o.items, "mod.items", profile.m).map((raw) => {
      const it = asRecord(raw, "mod.item", ["x", "a", "b", "z"]);
      return {
        x: decodeModElement(it.x, "mod.x", N),
        a: decodeBit(it.a, "mod.a"),
        b: decodeBit(it.b, "mod.b"),
        z: decodeModElement(it.z, "mod.z", N),
      };
    }),
  };
}
