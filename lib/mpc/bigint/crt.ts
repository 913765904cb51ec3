import { assertModulus, bitLength, gcd, mod, modInv } from "./basic";
import { InvalidArgumentError, NotInvertibleError } from "./errors";
import { modPow, multiExp, multiExpSecret } from "./pow";

/** The unique x mod m1·m2 with x ≡ r1 (mod m1), x ≡ r2 (mod m2); m1, m2 coprime. */
export function crtCombine(r1: bigint, m1: bigint, r2: bigint, m2: bigint): bigint {
  assertModulus(m1);
  assertModulus(m2);
  return crtCombineWith(m1, m2, modInv(m1, m2), r1, r2);
}

function crtCombineWith(m1: bigint, m2: bigint, m1InvMod2: bigint, r1: bigint, r2: bigint): bigint {
  const a = mod(r1, m1);
  return a + m1 * mod((r2 - a) * m1InvMod2, m2);
}

/**
 * Exponentiation with a known factorisation: exponents reduced by φ(p), φ(q) depend on the
 * secret factors, so every reduced exponentiation takes the constant-time path (multiExpSecret).
 *
 * Reusable context for exponentiation modulo p·q with p, q coprime and known.
 * phiP / phiQ (when given) must be exponents of the unit groups: for primes p − 1, for a prime
 * square P² (Paillier N²) P·(P − 1). Exponents are reduced by them for units.
 */
export interface CrtContext {
  readonly p: bigint;
  readonly q: bigint;
  readonly n: bigint;
  readonly phiP: bigint | null;
  readonly phiQ: bigint | null;
  /** true when p and q are prime (unit test is then just "not divisible"). */
  readonly prime: boolean;
  readonly pInvModQ: bigint;
}

export interface CrtContextOptions {
  /** Treat p and q as primes and reduce exponents mod p−1, q−1 (default true unless phis given). */
  readonly prime?: boolean;
  readonly phiP?: bigint;
  readonly phiQ?: bigint;
}

export function createCrtContext(p: bigint, q: bigint, options: CrtContextOptions = {}): CrtContext {
  if (p <= 1n || q <= 1n) throw new InvalidArgumentError("CRT moduli must be > 1");
  if (gcd(p, q) !== 1n) throw new InvalidArgumentError("CRT moduli must be coprime");
  const hasPhi = options.phiP !== undefined || options.phiQ !== undefined;
  const prime = options.prime ?? !hasPhi;
  return {
    p,
    q,
    n: p * q,
    phiP: options.phiP ?? (prime ? p - 1n : null),
    phiQ: options.phiQ ?? (prime ? q - 1n : null),
    prime,
    pInvModQ: modInv(p, q),
  };
}

function isUnit(x: bigint, m: bigint, prime: boolean): boolean {
  return prime ? x !== 0n : gcd(x, m) === 1n;
}

function halfPow(base: bigint, exp: bigint, m: bigint, phi: bigint | null, prime: boolean): bigint {
  const b = mod(base, m);
  // An exponent reduced by φ is secret (it reveals the factor): constant-time path.
  if (phi !== null && isUnit(b, m, prime)) return multiExpSecret([b], [mod(exp, phi)], m, bitLength(phi));
  if (exp < 0n && !isUnit(b, m, prime)) throw new NotInvertibleError("base is not a unit modulo p·q");
  return modPow(b, exp, m);
}

/** base^exp mod p·q using a context (two half-size exponentiations and one recombination). */
export function crtPowWith(ctx: CrtContext, base: bigint, exp: bigint): bigint {
  const rp = halfPow(base, exp, ctx.p, ctx.phiP, ctx.prime);
  const rq = halfPow(base, exp, ctx.q, ctx.phiQ, ctx.prime);
  return crtCombineWith(ctx.p, ctx.q, ctx.pInvModQ, rp, rq);
}

function halfMultiExp(
  bases: readonly bigint[],
  exps: readonly bigint[],
  m: bigint,
  phi: bigint | null,
  prime: boolean,
): bigint {
  const bs = bases.map((b) => mod(b, m));
  const reduce = phi !== null && bs.every((b) => isUnit(b, m, prime));
  if (reduce && phi !== null && bs.length > 0) {
    return multiExpSecret(bs, exps.map((e) => mod(e, phi)), m, bitLength(phi));
  }
  return multiExp(bs, exps, m);
}

/**
 * Π bases[i]^exps[i] mod p·q via CRT: one simultaneous exponentiation per factor (e.g. s^x·t^y
 * modulo your own ring-Pedersen N̂). Exponents are reduced when every base is a unit.
 */
export function crtMultiExpWith(ctx: CrtContext, bases: readonly bigint[], exps: readonly bigint[]): bigint {
  if (bases.length !== exps.length) {
    throw new InvalidArgumentError(`crtMultiExp got ${bases.length} bases and ${exps.length} exponents`);
  }
  const rp = halfMultiExp(bases, exps, ctx.p, ctx.phiP, ctx.prime);
  const rq = halfMultiExp(bases, exps, ctx.q, ctx.phiQ, ctx.prime);
  return crtCombineWith(ctx.p, ctx.q, ctx.pInvModQ, rp, rq);
}

export interface CrtPowInput extends CrtContextOptions {
  readonly base: bigint;
  readonly exp: bigint;
  readonly p: bigint;
  readonly q: bigint;
}

/** base^exp mod p·q via CRT; with primes p, q (default) exponents are reduced mod p−1, q−1. */
export function crtPow(input: CrtPowInput): bigint {
  return crtPowWith(createCrtContext(input.p, input.q, input), input.base, input.exp);
}
