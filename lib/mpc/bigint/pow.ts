import { assertModulus, assertNonNegativeInteger, mod, modInv } from "./basic";
import { InvalidArgumentError } from "./errors";
import { getBackend } from "./registry";

/** Normalises (base, exp) for m and answers the trivial cases itself; otherwise hands 0 < b < m, e ≥ 2 to `pow`. */
function powWith(pow: (b: bigint, e: bigint, m: bigint) => bigint, base: bigint, exp: bigint, m: bigint): bigint {
  assertModulus(m);
  if (m === 1n) return 0n;
  let b = mod(base, m);
  let e = exp;
  if (e < 0n) {
    b = modInv(b, m);
    e = -e;
  }
  if (e === 0n) return 1n;
  if (b <= 1n || e === 1n) return b;
  return pow(b, e, m);
}

/**
 * base^exp mod m (result in [0, m)). A negative exponent inverts the base first
 * (NotInvertibleError if impossible); exp = 0 gives 1 mod m. Delegates to the active backend.
 */
export function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  const backend = getBackend();
  return powWith((b, e, n) => backend.modPow(b, e, n), base, exp, m);
}

/**
 * modPow where every operand is PUBLIC, the modulus included: a verifier's equation on a peer's N
 * or N̂. The backend may take it to a native library that caches state per modulus (Node's
 * OpenSSL), so never call it with a secret modulus (primes, prime candidates, p², q²) or exponent.
 */
export function modPowPublic(base: bigint, exp: bigint, m: bigint): bigint {
  const backend = getBackend();
  return powWith((b, e, n) => (backend.modPowPublic ?? backend.modPow)(b, e, n), base, exp, m);
}

/**
 * The terms a product needs: bases reduced mod m, zero exponents and bases equal to 1 dropped, a
 * negative exponent inverting its base; 0n when the product is 0 (m = 1, or a zero base).
 */
function productTerms(bases: readonly bigint[], exps: readonly bigint[], m: bigint, what: string): { bs: bigint[]; es: bigint[] } | 0n {
  assertModulus(m);
  if (bases.length !== exps.length) {
    throw new InvalidArgumentError(`${what} got ${bases.length} bases and ${exps.length} exponents`);
  }
  if (m === 1n) return 0n;
  const bs: bigint[] = [];
  const es: bigint[] = [];
  for (let i = 0; i < bases.length; i++) {
    const e = exps[i] ?? 0n;
    let b = mod(bases[i] ?? 0n, m);
    if (e === 0n) continue;
    if (b === 0n && e > 0n) return 0n;
    if (e < 0n) b = modInv(b, m);
    if (b === 1n) continue;
    bs.push(b);
    es.push(e < 0n ? -e : e);
  }
  return { bs, es };
}

/**
 * Π bases[i]^exps[i] mod m by simultaneous exponentiation (one squaring chain).
 * Negative exponents invert their base; an empty product is 1 mod m.
 */
export function multiExp(bases: readonly bigint[], exps: readonly bigint[], m: bigint): bigint {
  const terms = productTerms(bases, exps, m, "multiExp");
  if (terms === 0n) return 0n;
  const { bs, es } = terms;
  if (bs.length === 0) return 1n;
  if (bs.length === 1) return getBackend().modPow(bs[0] ?? 1n, es[0] ?? 0n, m);
  return getBackend().multiExp(bs, es, m);
}

/**
 * Π bases[i]^exps[i] mod m for PUBLIC non-negative exponents modulo a SECRET modulus: a verifier's
 * equation split by CRT over its own p², q² (or p, q). Same answer as multiExp; a backend may take
 * it to a native library only through a call that keeps nothing about m once it returns (no cache
 * keyed by the modulus, unlike modPow's and modPowPublic's). Exponents stay as they are: reducing
 * them by p − 1 or p(p − 1) would make them secret (multiExpSecret).
 */
export function multiExpSecretModulus(bases: readonly bigint[], exps: readonly bigint[], m: bigint): bigint {
  if (exps.some((e) => e < 0n)) throw new InvalidArgumentError("multiExpSecretModulus takes non-negative exponents (nothing is inverted modulo a secret modulus)");
  const terms = productTerms(bases, exps, m, "multiExpSecretModulus");
  if (terms === 0n) return 0n;
  const { bs, es } = terms;
  if (bs.length === 0) return 1n;
  const backend = getBackend();
  return backend.multiExpSecretModulus !== undefined ? backend.multiExpSecretModulus(bs, es, m) : backend.multiExp(bs, es, m);
}

/**
 * Π bases[i]^exps[i] mod m for SECRET exponents (anything derived from a factorisation or a
 * secret nonce): fixed windows over `expBits` bits, always multiply, constant-time table reads.
 * `expBits` must be a public bound (e.g. the modulus size), never the exponent's own length;
 * every exponent must lie in [0, 2^expBits). No shortcut inspects a base or an exponent.
 */
export function multiExpSecret(bases: readonly bigint[], exps: readonly bigint[], m: bigint, expBits: number): bigint {
  assertModulus(m);
  assertNonNegativeInteger(expBits, "expBits");
  if (bases.length !== exps.length || bases.length === 0) {
    throw new InvalidArgumentError(`multiExpSecret got ${bases.length} bases and ${exps.length} exponents`);
  }
  const limit = 1n << BigInt(expBits);
  for (const e of exps) {
    if (e < 0n || e >= limit) throw new InvalidArgumentError(`secret exponent outside [0, 2^${expBits})`);
  }
  if (m === 1n) return 0n;
  return getBackend().multiExpSecret(bases.map((b) => mod(b, m)), exps, m, expBits);
}

/** base^exp mod m for a secret exponent in [0, 2^expBits): see multiExpSecret. */
export function modPowSecret(base: bigint, exp: bigint, m: bigint, expBits: number): bigint {
  return multiExpSecret([base], [exp], m, expBits);
}
