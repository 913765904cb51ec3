/**
 * Paillier encryption with g = 1 + N (spec §0.3, §2.1). Plaintexts are signed integers in
 * [−(N−1)/2, (N−1)/2]; decryption returns the centred representative. With the factorisation
 * known, encryption nonces and decryption use CRT.
 */
import { bitLength, createCrtContext, crtCombine, crtPowWith, gcd, lcm, mod, modInv, modPow, modPowSecret, multiExp, multiExpSecret, multiExpSecretModulus, randomUnit, type CrtContext } from "./bigint";
import { PaillierError } from "./errors";

export interface PaillierPublicKey {
  readonly N: bigint;
  readonly N2: bigint;
  /** (N−1)/2: the largest plaintext magnitude. */
  readonly halfN: bigint;
}

export interface PaillierSecretKey extends PaillierPublicKey {
  readonly p: bigint;
  readonly q: bigint;
  /** φ(N) = (p−1)(q−1). */
  readonly phi: bigint;
  /** λ = lcm(p−1, q−1). */
  readonly lambda: bigint;
  /** CRT context for exponentiation mod N² (unit group exponents p(p−1), q(q−1)). */
  readonly crtN2: CrtContext;
  /** CRT context for exponentiation mod N. */
  readonly crtN: CrtContext;
  /** (−q)^−1 mod p and (−p)^−1 mod q for per-prime decryption. */
  readonly hp: bigint;
  readonly hq: bigint;
}

export function paillierPublicKey(N: bigint): PaillierPublicKey {
  if (N < 15n || N % 2n === 0n) throw new PaillierError("Paillier modulus must be odd and composite-sized");
  return { N, N2: N * N, halfN: (N - 1n) / 2n };
}

/** Key from two distinct odd primes (the caller supplies safe primes; they are not re-tested here). */
export function paillierSecretKey(p: bigint, q: bigint): PaillierSecretKey {
  if (p === q) throw new PaillierError("Paillier primes must differ");
  if (p < 3n || q < 3n || p % 2n === 0n || q % 2n === 0n) throw new PaillierError("Paillier primes must be odd");
  const N = p * q;
  const phi = (p - 1n) * (q - 1n);
  if (gcd(N, phi) !== 1n) throw new PaillierError("gcd(N, φ(N)) must be 1");
  const p2 = p * p;
  const q2 = q * q;
  return {
    ...paillierPublicKey(N),
    p,
    q,
    phi,
    lambda: lcm(p - 1n, q - 1n),
    crtN2: createCrtContext(p2, q2, { phiP: p * (p - 1n), phiQ: q * (q - 1n) }),
    crtN: createCrtContext(p, q),
    hp: modInv(mod(-q, p), p),
    hq: modInv(mod(-p, q), q),
  };
}

function isSecret(key: PaillierPublicKey): key is PaillierSecretKey {
  return "crtN2" in key;
}

/** 0 < x < N and gcd(x, N) = 1. */
export function isUnitModN(x: bigint, N: bigint): boolean {
  return x > 0n && x < N && gcd(x, N) === 1n;
}

/** C ∈ Z*_{N²}: 0 < C < N² and gcd(C, N) = 1. */
export function isCiphertext(key: PaillierPublicKey, c: bigint): boolean {
  return c > 0n && c < key.N2 && gcd(c, key.N) === 1n;
}

export function assertPlaintext(key: PaillierPublicKey, m: bigint): void {
  if (m > key.halfN || m < -key.halfN) throw new PaillierError("plaintext outside [−(N−1)/2, (N−1)/2]");
}

/** base^exp mod N² (CRT when the key is secret). */
export function powN2(key: PaillierPublicKey, base: bigint, exp: bigint): bigint {
  return isSecret(key) ? crtPowWith(key.crtN2, base, exp) : modPow(base, exp, key.N2);
}

/** base^exp mod N (CRT when the key is secret). */
export function powN(key: PaillierPublicKey, base: bigint, exp: bigint): bigint {
  return isSecret(key) ? crtPowWith(key.crtN, base, exp) : modPow(base, exp, key.N);
}

/**
 * Π bases[i]^exps[i] mod N². With the secret key every base must be a unit (callers check
 * ciphertext domains first): exponents are then reduced mod p(p−1), q(q−1) per prime square.
 */
export function multiPowN2(key: PaillierPublicKey, bases: readonly bigint[], exps: readonly bigint[]): bigint {
  if (!isSecret(key)) return multiExp(bases, exps, key.N2);
  const { p: p2, q: q2, phiP, phiQ } = key.crtN2;
  // Exponents reduced by p(p−1), q(q−1) are secret: constant-time path.
  const rp = multiExpSecret(bases, exps.map((e) => mod(e, phiP ?? p2)), p2, bitLength(p2));
  const rq = multiExpSecret(bases, exps.map((e) => mod(e, phiQ ?? q2)), q2, bitLength(q2));
  return crtCombine(rp, p2, rq, q2);
}

/**
 * A verifier's check: factor · Π bases[i]^exps[i] ≡ target (mod N²), every exponent PUBLIC (from
 * the statement or the proof). A negative exponent moves its power to the target's side, so no
 * base is inverted (callers have checked that the bases are units: the two forms then agree). With
 * the secret key the check runs mod p² and mod q² with the exponents as they are
 * (multiExpSecretModulus): public exponents may take the sliding windows there, whereas reducing
 * them by the secret p(p−1) would make them secret and cost the constant-time path over the full
 * modulus. Nothing is inverted modulo a secret modulus.
 */
export function holdsModN2(key: PaillierPublicKey, factor: bigint, bases: readonly bigint[], exps: readonly bigint[], target: bigint): boolean {
  if (bases.length !== exps.length) throw new PaillierError("holdsModN2: one exponent per base");
  const lhsBases: bigint[] = [];
  const lhsExps: bigint[] = [];
  const rhsBases: bigint[] = [];
  const rhsExps: bigint[] = [];
  bases.forEach((b, i) => {
    const e = exps[i]!;
    if (e < 0n) {
      rhsBases.push(b);
      rhsExps.push(-e);
    } else {
      lhsBases.push(b);
      lhsExps.push(e);
    }
  });
  if (!isSecret(key)) {
    const m = key.N2;
    return mod(factor * multiExp(lhsBases, lhsExps, m), m) === mod(target * multiExp(rhsBases, rhsExps, m), m);
  }
  // Both halves are always evaluated: which half failed would say something about p and q.
  const [holdsP, holdsQ] = [key.crtN2.p, key.crtN2.q].map(
    (m) => mod(factor * multiExpSecretModulus(lhsBases, lhsExps, m), m) === mod(target * multiExpSecretModulus(rhsBases, rhsExps, m), m),
  );
  return holdsP === true && holdsQ === true;
}

/**
 * Π bases[i]^exps[i] mod N for PUBLIC exponents (a proof's challenge: z = r·ρ^e); the bases may be
 * secret. With the secret key and non-negative exponents: per prime with the exponents as they are —
 * public, so the sliding windows show nothing, and short, where reducing them by p − 1 would make
 * them secret and full length. A negative exponent would need a secret base inverted modulo a secret
 * prime: those take the constant-time path over exponents reduced by p − 1 (the sign is public).
 */
export function multiPowN(key: PaillierPublicKey, bases: readonly bigint[], exps: readonly bigint[]): bigint {
  if (!isSecret(key)) return multiExp(bases, exps, key.N);
  const { p, q } = key;
  if (exps.every((e) => e >= 0n)) return crtCombine(multiExpSecretModulus(bases, exps, p), p, multiExpSecretModulus(bases, exps, q), q);
  const rp = multiExpSecret(bases, exps.map((e) => mod(e, p - 1n)), p, bitLength(p));
  const rq = multiExpSecret(bases, exps.map((e) => mod(e, q - 1n)), q, bitLength(q));
  return crtCombine(rp, p, rq, q);
}

/**
 * C^k mod N² for a SECRET signed exponent |k| < 2^kBits (a nonce share, a proof's mask), under any
 * key. With the secret key: CRT (multiPowN2, constant-time halves). With a public key: the
 * constant-time schedule over [C, C⁻¹] with exponents [max(k, 0), max(−k, 0)], so neither the
 * exponent's bits nor its sign choose the kernel's operations; C is public, so is its inverse.
 */
export function powN2Secret(key: PaillierPublicKey, c: bigint, k: bigint, kBits: number): bigint {
  if (isSecret(key)) return multiPowN2(key, [c], [k]);
  const negative = k < 0n;
  return multiExpSecret([c, publicInverse(c, key.N2)], [negative ? 0n : k, negative ? -k : 0n], key.N2, kBits);
}

/**
 * C⁻¹ mod N² for public C, remembered for a few ciphertexts: a signing round raises a peer's K_j to
 * four secrets (γ and x for D and D̂, both Π^aff-g masks), and each inversion costs milliseconds.
 */
const inverses = new Map<bigint, { readonly N2: bigint; readonly inverse: bigint }>();
const INVERSE_CACHE_LIMIT = 8;

function publicInverse(c: bigint, N2: bigint): bigint {
  const hit = inverses.get(c);
  if (hit !== undefined && hit.N2 === N2) return hit.inverse;
  const inverse = modInv(c, N2);
  inverses.set(c, { N2, inverse });
  if (inverses.size > INVERSE_CACHE_LIMIT) inverses.delete(inverses.keys().next().value as bigint);
  return inverse;
}

/** r^N mod N²: the message-independent part of a ciphertext, precomputable while idle. */
export function noncePower(key: PaillierPublicKey, r: bigint): bigint {
  if (!isUnitModN(r, key.N)) throw new PaillierError("Paillier nonce must be in Z*_N");
  return powN2(key, r, key.N);
}

/** A nonce r ∈ Z*_N with its power r^N mod N², generated ahead of time (e.g. while idle). */
export interface NoncePower {
  readonly r: bigint;
  readonly rN: bigint;
}

export function precomputeNonce(key: PaillierPublicKey): NoncePower {
  const r = randomUnit(key.N);
  return { r, rN: noncePower(key, r) };
}

/** (1 + m̄·N)·rN mod N² for a precomputed rN = r^N mod N². */
export function encryptWithNoncePower(key: PaillierPublicKey, m: bigint, rN: bigint): bigint {
  assertPlaintext(key, m);
  return ((1n + mod(m, key.N) * key.N) * rN) % key.N2;
}

/** enc_N(m; r). Uses CRT for r^N when `key` is the secret key. */
export function encryptWithNonce(key: PaillierPublicKey, m: bigint, r: bigint): bigint {
  assertPlaintext(key, m);
  return encryptWithNoncePower(key, m, noncePower(key, r));
}

export function encrypt(key: PaillierPublicKey, m: bigint): { ciphertext: bigint; nonce: bigint } {
  const nonce = randomUnit(key.N);
  return { ciphertext: encryptWithNonce(key, m, nonce), nonce };
}

/** Centred plaintext of c; rejects anything outside Z*_{N²}. */
export function decrypt(key: PaillierSecretKey, c: bigint): bigint {
  if (!isCiphertext(key, c)) throw new PaillierError("ciphertext not in Z*_{N²}");
  const { p, q } = key;
  const mp = decryptModPrime(c, p, key.hp);
  const mq = decryptModPrime(c, q, key.hq);
  const m = crtCombine(mp, p, mq, q);
  return m > key.halfN ? m - key.N : m;
}

/** m mod p = L_p(c^(p−1) mod p²)·h_p mod p, with L_p(u) = (u−1)/p and h_p = (−q)^−1 mod p. */
function decryptModPrime(c: bigint, p: bigint, h: bigint): bigint {
  const p2 = p * p;
  const u = modPowSecret(c, p - 1n, p2, bitLength(p));
  if (u % p !== 1n) throw new PaillierError("ciphertext is malformed");
  return (((u - 1n) / p) * h) % p;
}

/** Textbook decryption L(c^λ mod N²)·μ mod N; kept as a cross-check of the CRT path. */
export function decryptTextbook(key: PaillierSecretKey, c: bigint): bigint {
  if (!isCiphertext(key, c)) throw new PaillierError("ciphertext not in Z*_{N²}");
  const u = modPowSecret(c, key.lambda, key.N2, bitLength(key.N));
  if (u % key.N !== 1n) throw new PaillierError("ciphertext is malformed");
  const mu = modInv(key.lambda, key.N);
  const m = (((u - 1n) / key.N) * mu) % key.N;
  return m > key.halfN ? m - key.N : m;
}

/** C1 ⊕ C2 = C1·C2 mod N². */
export function add(key: PaillierPublicKey, c1: bigint, c2: bigint): bigint {
  if (!isCiphertext(key, c1) || !isCiphertext(key, c2)) throw new PaillierError("ciphertext not in Z*_{N²}");
  return (c1 * c2) % key.N2;
}

/**
 * The scalar k of k ⊙ C is secret (a nonce or key share): |k| < 2^kBits, a public bound (default:
 * the size of N, right for any scalar below N), chooses the constant-time schedule's length.
 */
function secretScalar(key: PaillierPublicKey, k: bigint, kBits: number | undefined): number {
  const bits = kBits ?? bitLength(key.N);
  if (gcd(k < 0n ? -k : k, key.N) !== 1n) throw new PaillierError("scalar must be coprime to N");
  if ((k < 0n ? -k : k) >> BigInt(bits) !== 0n) throw new PaillierError(`scalar beyond ±2^${bits}`);
  return bits;
}

/** k ⊙ C = C^k mod N² (negative k inverts C); like the crate, requires gcd(|k|, N) = 1. */
export function scalarMul(key: PaillierPublicKey, c: bigint, k: bigint, kBits?: number): bigint {
  if (!isCiphertext(key, c)) throw new PaillierError("ciphertext not in Z*_{N²}");
  return powN2Secret(key, c, k, secretScalar(key, k, kBits));
}

/** (k ⊙ C) ⊕ enc(m; r) = C^k · (1 + m̄N) · r^N mod N² (k secret, see scalarMul; r^N public schedule). */
export function affine(key: PaillierPublicKey, c: bigint, k: bigint, m: bigint, r: bigint, kBits?: number): bigint {
  return affineWithNoncePower(key, c, k, m, noncePower(key, r), kBits);
}

/** (k ⊙ C) ⊕ enc(m; r) with r^N precomputed: C^k · (1 + m̄N) · rN mod N². */
export function affineWithNoncePower(key: PaillierPublicKey, c: bigint, k: bigint, m: bigint, rN: bigint, kBits?: number): bigint {
  if (!isCiphertext(key, c)) throw new PaillierError("ciphertext not in Z*_{N²}");
  const bits = secretScalar(key, k, kBits);
  assertPlaintext(key, m);
  const power = powN2Secret(key, c, k, bits);
  return ((((1n + mod(m, key.N) * key.N) * power) % key.N2) * rN) % key.N2;
}
