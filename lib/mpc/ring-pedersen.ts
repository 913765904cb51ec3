/**
 * Ring-Pedersen parameters (N̂, s, t) and commitments s^x·t^y mod N̂ (spec §2.2-2.4).
 * A verifier works with its own parameters and knows their factorisation (CRT); a prover works
 * with a peer's parameters and uses cached fixed-base tables for s and t.
 */
import {
  bitLength,
  createCrtContext,
  createFixedBaseTable,
  crtCombine,
  crtPowWith,
  defaultFixedBaseWindow,
  fixedBaseMultiPow,
  fixedBaseMultiPowSecret,
  gcd,
  mod,
  modPow,
  multiExp,
  multiExpSecret,
  multiExpSecretModulus,
  randomBelow,
  randomUnit,
  type CrtContext,
  type FixedBaseTable,
} from "./bigint";
import { ParameterError } from "./errors";
import { DEFAULT_PROFILE, type SecurityProfile } from "./params";

export interface RingPedersenParams {
  readonly N: bigint;
  readonly s: bigint;
  readonly t: bigint;
}

/**
 * A commitment mask drawn ahead of its proof: y uniform on ±2^rangeBits·N̂ (the range the proof
 * draws it from) and t^y mod N̂ under the verifier's parameters. Secret; used once (lib/mpc/nonces.ts).
 */
export interface PedersenMask {
  readonly y: bigint;
  readonly ty: bigint;
}

export interface RingPedersenSecret extends RingPedersenParams {
  readonly p: bigint;
  readonly q: bigint;
  /** φ(N̂) = (p−1)(q−1). */
  readonly phi: bigint;
  /** s = t^λ mod N̂. */
  readonly lambda: bigint;
}

function isUnit(x: bigint, N: bigint): boolean {
  return x > 0n && x < N && gcd(x, N) === 1n;
}

/** §3.2's extra checks: s, t units and not in {1, N̂−1}. */
export function isUsableRingPedersen(params: RingPedersenParams): boolean {
  const { N, s, t } = params;
  const degenerate = (x: bigint) => x === 1n || x === N - 1n;
  return N % 2n === 1n && isUnit(s, N) && isUnit(t, N) && !degenerate(s) && !degenerate(t);
}

/** r ← Z*_N̂, t = r² mod N̂, λ ← [0, φ/4), s = t^λ mod N̂ (redrawn if s or t is degenerate). */
export function generateRingPedersen(p: bigint, q: bigint): RingPedersenSecret {
  if (p === q || p % 2n === 0n || q % 2n === 0n) throw new ParameterError("ring-Pedersen primes must be distinct and odd");
  const N = p * q;
  const phi = (p - 1n) * (q - 1n);
  const crt = createCrtContext(p, q);
  for (;;) {
    const r = randomUnit(N);
    const t = (r * r) % N;
    const lambda = randomBelow(phi / 4n);
    const s = crtPowWith(crt, t, lambda);
    const out = { N, s, t, p, q, phi, lambda };
    if (isUsableRingPedersen(out)) return out;
  }
}

/** Exponent size bounds for the fixed-base tables (exponents beyond them fall back to modPow). */
export function tableExponentBits(profile: SecurityProfile): { s: number; t: number } {
  const { ell, epsilon, ellPrime, primeBits } = profile;
  return {
    s: Math.max(ell + epsilon + primeBits, ellPrime + epsilon) + 2,
    t: ell + epsilon + 2 * primeBits + 4,
  };
}

/** Arithmetic modulo N̂ for one parameter set: CRT if the factorisation is known, else tables. */
export interface PedersenContext {
  readonly params: RingPedersenParams;
  /**
   * s^x·t^y mod N̂ for SECRET signed exponents (a prover's witnesses and masks) with PUBLIC bounds
   * |x| < 2^bits[0], |y| < 2^bits[1] (by default the tables' own, tableExponentBits − 1): with a
   * peer's parameters, the fixed-base tables' constant-time bucket pass over that many digits.
   */
  commit(x: bigint, y: bigint, bits?: readonly [number, number]): bigint;
  /**
   * t^y mod N̂ for a SECRET signed y with |y| < 2^bits (public bound): the mask half of a commitment,
   * which does not depend on the statement and can be computed ahead (nonces.ts, PedersenMask).
   */
  maskPower(y: bigint, bits: number): bigint;
  /** s^x·ty mod N̂ for a SECRET signed x with |x| < 2^xBits and a mask power ty = t^y from maskPower. */
  commitMasked(x: bigint, xBits: number, ty: bigint): bigint;
  /** s^x·t^y mod N̂ for PUBLIC signed exponents (a verifier's equations): the fast bucket pass. */
  commitPublic(x: bigint, y: bigint): bigint;
  /** base^exp mod N̂ (signed exponent; negative needs a unit base). */
  pow(base: bigint, exp: bigint): bigint;
  /** Π bases[i]^exps[i] mod N̂. */
  multiPow(bases: readonly bigint[], exps: readonly bigint[]): bigint;
  /**
   * A verifier's equation Π bases[i]^exps[i] ≡ target (mod N̂) with PUBLIC signed exponents (a
   * proof's responses and challenge) and unit bases (checked by the caller). A negative exponent
   * moves its power to the target's side, so nothing is inverted.
   */
  holds(bases: readonly bigint[], exps: readonly bigint[], target: bigint): boolean;
  /**
   * Π bases[i]^exps[i] mod N̂ for SECRET signed exponents with |exps[i]| < 2^bits (a public bound)
   * and unit bases, on the constant-time path: a prover's witnesses and masks.
   */
  multiPowSecret(bases: readonly bigint[], exps: readonly bigint[], bits: number): bigint;
}

function hasSecret(params: RingPedersenParams): params is RingPedersenSecret {
  return "phi" in params && "p" in params;
}

class CrtPedersen implements PedersenContext {
  private readonly crt: CrtContext;
  constructor(readonly params: RingPedersenSecret) {
    this.crt = createCrtContext(params.p, params.q);
  }
  commit(x: bigint, y: bigint): bigint {
    return this.multiPow([this.params.s, this.params.t], [x, y]);
  }
  maskPower(y: bigint): bigint {
    return this.multiPow([this.params.t], [y]);
  }
  commitMasked(x: bigint, _xBits: number, ty: bigint): bigint {
    return (this.multiPow([this.params.s], [x]) * ty) % this.params.N;
  }
  commitPublic(x: bigint, y: bigint): bigint {
    return this.commit(x, y);
  }
  pow(base: bigint, exp: bigint): bigint {
    return crtPowWith(this.crt, base, exp);
  }
  multiPow(bases: readonly bigint[], exps: readonly bigint[]): bigint {
    const { p, q } = this.params;
    // Bases are units here (checked by callers), so exponents reduce mod p−1 and q−1; reduced
    // exponents depend on the factors, hence the constant-time path.
    const rp = multiExpSecret(bases, exps.map((e) => mod(e, p - 1n)), p, bitLength(p));
    const rq = multiExpSecret(bases, exps.map((e) => mod(e, q - 1n)), q, bitLength(q));
    return crtCombine(rp, p, rq, q);
  }
  multiPowSecret(bases: readonly bigint[], exps: readonly bigint[]): bigint {
    return this.multiPow(bases, exps);
  }
  /**
   * Per prime: an exponent shorter than the prime (by its public bit length) goes as it is, through
   * multiExpSecretModulus; only a wider one is reduced mod p − 1 and so becomes secret (the
   * constant-time path). Both halves are always evaluated.
   */
  holds(bases: readonly bigint[], exps: readonly bigint[], target: bigint): boolean {
    const half = (m: bigint): boolean => {
      const short = bitLength(m) - 1;
      const side = () => ({ pubB: [] as bigint[], pubE: [] as bigint[], secB: [] as bigint[], secE: [] as bigint[] });
      const lhs = side();
      const rhs = side();
      bases.forEach((b, i) => {
        const e = exps[i] ?? 0n;
        const into = e < 0n ? rhs : lhs;
        const a = e < 0n ? -e : e;
        if (bitLength(a) < short) {
          into.pubB.push(b);
          into.pubE.push(a);
        } else {
          into.secB.push(b);
          into.secE.push(mod(a, m - 1n));
        }
      });
      const value = (x: ReturnType<typeof side>) =>
        (multiExpSecretModulus(x.pubB, x.pubE, m) * (x.secB.length > 0 ? multiExpSecret(x.secB, x.secE, m, bitLength(m)) : 1n)) % m;
      return value(lhs) === mod(target * value(rhs), m);
    };
    const [hp, hq] = [half(this.params.p), half(this.params.q)];
    return hp && hq;
  }
}

class TablePedersen implements PedersenContext {
  constructor(
    readonly params: RingPedersenParams,
    private readonly sTable: FixedBaseTable,
    private readonly tTable: FixedBaseTable,
  ) {}
  commit(x: bigint, y: bigint, bits?: readonly [number, number]): bigint {
    return fixedBaseMultiPowSecret([this.sTable, this.tTable], [x, y], bits);
  }
  maskPower(y: bigint, bits: number): bigint {
    return fixedBaseMultiPowSecret([this.tTable], [y], [bits]);
  }
  commitMasked(x: bigint, xBits: number, ty: bigint): bigint {
    return (fixedBaseMultiPowSecret([this.sTable], [x], [xBits]) * ty) % this.params.N;
  }
  commitPublic(x: bigint, y: bigint): bigint {
    return fixedBaseMultiPow([this.sTable, this.tTable], [x, y]);
  }
  pow(base: bigint, exp: bigint): bigint {
    return modPow(base, exp, this.params.N);
  }
  multiPow(bases: readonly bigint[], exps: readonly bigint[]): bigint {
    return multiExp(bases, exps, this.params.N);
  }
  holds(bases: readonly bigint[], exps: readonly bigint[], target: bigint): boolean {
    const { N } = this.params;
    const lhs = bases.map((b, i) => [b, exps[i] ?? 0n] as const).filter(([, e]) => e >= 0n);
    const rhs = bases.map((b, i) => [b, -(exps[i] ?? 0n)] as const).filter(([, e]) => e > 0n);
    const value = (xs: readonly (readonly [bigint, bigint])[]) => multiExp(xs.map(([b]) => b), xs.map(([, e]) => e), N);
    return value(lhs) === mod(target * value(rhs), N);
  }
  multiPowSecret(bases: readonly bigint[], exps: readonly bigint[], bits: number): bigint {
    // Shift into [0, 2^(bits+1)) so the sign never steers the computation, then divide the shift
    // out with a public exponentiation: Π b^(e + 2^bits) · Π b^(−2^bits).
    const offset = 1n << BigInt(bits);
    if (exps.some((e) => e <= -offset || e >= offset)) throw new ParameterError(`secret exponent beyond ±2^${bits}`);
    const { N } = this.params;
    const shifted = multiExpSecret(bases, exps.map((e) => e + offset), N, bits + 1);
    return (shifted * multiExp(bases, bases.map(() => -offset), N)) % N;
  }
}

const TABLE_CACHE_LIMIT = 8;
const SECRET_COMMIT_WINDOW = 5;
const tableCache = new Map<string, TablePedersen>();

/**
 * Context for computations modulo N̂. With the secret (own parameters) it uses CRT; otherwise it
 * builds fixed-base tables for s and t once per parameter set and caches them in memory.
 */
export function pedersenContext(params: RingPedersenParams, profile: SecurityProfile = DEFAULT_PROFILE): PedersenContext {
  if (hasSecret(params)) return new CrtPedersen(params);
  const key = `${params.N.toString(36)}:${params.s.toString(36)}:${params.t.toString(36)}:${profile.name}`;
  const cached = tableCache.get(key);
  if (cached) {
    tableCache.delete(key);
    tableCache.set(key, cached);
    return cached;
  }
  if (!isUnit(params.s, params.N) || !isUnit(params.t, params.N)) {
    throw new ParameterError("ring-Pedersen s and t must be units modulo N̂");
  }
  const bits = tableExponentBits(profile);
  // The secret pass reads and writes back every bucket per entry: 2^5 buckets keep that in L1
  // (the public pass alone would pick 6).
  const window = Math.min(SECRET_COMMIT_WINDOW, defaultFixedBaseWindow(Math.max(bits.s, bits.t)));
  const ctx = new TablePedersen(
    { N: params.N, s: params.s, t: params.t },
    createFixedBaseTable(params.s, params.N, bits.s, window),
    createFixedBaseTable(params.t, params.N, bits.t, window),
  );
  tableCache.set(key, ctx);
  if (tableCache.size > TABLE_CACHE_LIMIT) {
    const oldest = tableCache.keys().next().value;
    if (oldest !== undefined) tableCache.delete(oldest);
  }
  return ctx;
}

/** Public part of the parameters (what is sent to peers). */
export function publicRingPedersen(params: RingPedersenParams): RingPedersenParams {
  return { N: params.N, s: params.s, t: params.t };
}
