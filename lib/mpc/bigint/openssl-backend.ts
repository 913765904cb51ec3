import type { BigIntBackend } from "./backend";
import { bitLength } from "./basic";
import { bigintBackend, bigintFixedBasePowers } from "./bigint-backend";
import { bigintFixedBaseProduct } from "./fixed-base-bigint";
import { fromBytesBE, toBytesBE } from "./bytes";
import { wasmBackend } from "./wasm-backend";

/**
 * Node's OpenSSL (BN_mod_exp_mont through `crypto.createDiffieHellman`: computeSecret(b) with private
 * key e is b^e mod p, and OpenSSL does not require p to be prime) for exponentiations with PUBLIC
 * exponents modulo a peer's N² or (modPowPublic) N — a verifier's equations — where it is 2.5–2.7×
 * faster than the wasm kernels on x86-64 (mulx/adx Montgomery products). Smaller moduli, every secret exponent
 * (multiExpSecret: the traced constant-time schedule) and the fixed-base passes stay on wasm.
 *
 * Isomorphic by construction: node:crypto is reached through `process.getBuiltinModule` at run time
 * (Node ≥ 20.16), never imported, so browser bundles contain nothing of it and the backend reports
 * itself unavailable there.
 */

type DiffieHellman = {
  setPrivateKey(key: Uint8Array): void;
  computeSecret(other: Uint8Array): Uint8Array;
};
type NodeCrypto = {
  createDiffieHellman(prime: Uint8Array): DiffieHellman;
  createPublicKey(key: { key: { kty: "RSA"; n: string; e: string }; format: "jwk" }): unknown;
  publicEncrypt(key: { key: unknown; padding: number }, data: Uint8Array): Uint8Array;
  constants: { RSA_NO_PADDING: number };
};

let nodeCrypto: NodeCrypto | null | undefined;

function openssl(): NodeCrypto | null {
  if (nodeCrypto !== undefined) return nodeCrypto;
  nodeCrypto = null;
  try {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const mod = proc?.getBuiltinModule?.("node:crypto") as Partial<NodeCrypto> | undefined;
    if (typeof mod?.createDiffieHellman === "function") nodeCrypto = mod as NodeCrypto;
  } catch {
    nodeCrypto = null;
  }
  return nodeCrypto;
}

/**
 * modPow and multiExp take moduli from 4096 bits up only (OpenSSL's DH takes at most 10,000). In
 * lib/mpc those are the Paillier N² (6144 bits in production, 4096 in the fast-test profile), which
 * are public; every secret modulus — primes, prime candidates, p², q², N̂'s factors — is 3072 bits or
 * less and stays on the wasm kernels. modPowPublic, whose caller vouches that the modulus is public
 * (a peer's N in Π^mod), also takes 2048 bits and up. So the context cache below never holds a
 * secret. (Smaller moduli would also pay for Node's DH_check on every new context: a Miller–Rabin
 * round, or dozens for a prime.)
 */
const MIN_BITS = 4096;
const MIN_PUBLIC_BITS = 2048;
const MAX_BITS = 10_000;
/** One DH object per modulus (its construction runs DH_check: ~45 ms for a 6144-bit N²). */
const CACHE_LIMIT = 32;
const contexts = new Map<bigint, DiffieHellman>();

function contextFor(m: bigint): DiffieHellman | null {
  const cached = contexts.get(m);
  if (cached !== undefined) {
    contexts.delete(m);
    contexts.set(m, cached);
    return cached;
  }
  const c = openssl();
  if (c === null) return null;
  const dh = c.createDiffieHellman(toBytesBE(m));
  contexts.set(m, dh);
  if (contexts.size > CACHE_LIMIT) contexts.delete(contexts.keys().next().value as bigint);
  return dh;
}

/** How many moduli hold a cached DH context (tests check which calls reach OpenSSL). */
export function opensslContextCount(): number {
  return contexts.size;
}

/**
 * Public exponents modulo a SECRET modulus (multiExpSecretModulus: a verifier's CRT halves over its
 * own p², q²) through OpenSSL's raw RSA public operation — BN_mod_exp_mont under a one-off key
 * object (n = m, e = the exponent) that is garbage once the call returns: no DH context, no cache.
 * OpenSSL takes exponents wider than 64 bits only for moduli up to 3072 bits
 * (OPENSSL_RSA_SMALL_MODULUS_BITS) and only below the modulus; an exponent a few bits wider than m
 * (N modulo the smaller of p², q²) is split as (b^(2^k))^(e >> k) · b^(e mod 2^k).
 */
const RSA_MIN_BITS = 1024;
const RSA_MAX_BITS = 3072;
const RSA_MAX_SPLIT_BITS = 16;
let rsaPowCount = 0;

/** How many exponentiations went through the RSA public operation (tests check the route). */
export function opensslRsaPowCount(): number {
  return rsaPowCount;
}

function base64url(x: bigint): string {
  const bytes = toBytesBE(x);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** b^e mod m for 2 ≤ b < m, 2 ≤ e < m, m odd of RSA_MIN_BITS..RSA_MAX_BITS bits; null if OpenSSL refuses. */
function rsaPow(c: NodeCrypto, b: bigint, e: bigint, m: bigint): bigint | null {
  try {
    const key = c.createPublicKey({ key: { kty: "RSA", n: base64url(m), e: base64url(e) }, format: "jwk" });
    const input = new Uint8Array((bitLength(m) + 7) >> 3);
    const bb = toBytesBE(b);
    input.set(bb, input.length - bb.length);
    const out = fromBytesBE(c.publicEncrypt({ key, padding: c.constants.RSA_NO_PADDING }, input));
    rsaPowCount++;
    return out;
  } catch {
    return null;
  }
}

/** b^e mod m for a public e (any size) and secret m, or null when the RSA route does not take it. */
function secretModulusPow(b: bigint, e: bigint, m: bigint): bigint | null {
  const c = openssl();
  if (c === null || (m & 1n) === 0n) return null;
  const mBits = bitLength(m);
  if (mBits < RSA_MIN_BITS || mBits > RSA_MAX_BITS || b < 2n || e < 2n) return null;
  if (e < m) return rsaPow(c, b, e, m);
  const k = bitLength(e) - mBits + 1;
  if (k > RSA_MAX_SPLIT_BITS) return null;
  const squared = rsaPow(c, b, 1n << BigInt(k), m);
  const hi = squared === null ? null : rsaPow(c, squared, e >> BigInt(k), m);
  if (hi === null) return null;
  const lo = e & ((1n << BigInt(k)) - 1n);
  return (hi * (lo === 0n ? 1n : fallback().modPow(b, lo, m))) % m;
}

/** Π bases[i]^exps[i] mod m, one `pow` per base; the kernels answer where `pow` declines. */
function productOfPowers(bases: readonly bigint[], exps: readonly bigint[], m: bigint, pow: (b: bigint, e: bigint, m: bigint) => bigint | null): bigint {
  let acc = 1n;
  for (let i = 0; i < bases.length; i++) {
    const b = bases[i] ?? 0n;
    const e = exps[i] ?? 0n;
    acc = (acc * (pow(b, e, m) ?? fallback().modPow(b, e, m))) % m;
  }
  return acc;
}

function fallback(): BigIntBackend {
  return wasmBackend.isAvailable() ? wasmBackend : bigintBackend;
}

function handles(m: bigint, minBits = MIN_BITS): boolean {
  if ((m & 1n) === 0n) return false;
  const bits = bitLength(m);
  return bits >= minBits && bits <= MAX_BITS;
}

/**
 * b^e mod m through OpenSSL, or null where DH refuses the operands: bases outside [2, m − 2] (its
 * public-key check) and results 1 or m − 1 (its shared-secret check). The caller then takes the
 * fallback backend; the exponents are public, so the detour reveals nothing.
 */
function opensslPow(base: bigint, e: bigint, m: bigint): bigint | null {
  const b = base >= m ? base % m : base;
  if (b < 2n || b > m - 2n || e <= 0n) return null;
  try {
    const dh = contextFor(m);
    if (dh === null) return null;
    dh.setPrivateKey(toBytesBE(e));
    return fromBytesBE(dh.computeSecret(toBytesBE(b)));
  } catch {
    return null;
  }
}

export const opensslBackend: BigIntBackend = {
  name: "openssl",
  isAvailable: () => {
    if (openssl() === null) return false;
    // A known answer: 3^5 mod a 4096-bit modulus.
    const m = (1n << 4095n) + 1n + 2n ** 100n;
    return opensslPow(3n, 5n, m) === 243n;
  },
  modPow: (base, exp, m) => (handles(m) ? opensslPow(base, exp, m) : null) ?? fallback().modPow(base, exp, m),
  modPowPublic: (base, exp, m) => (handles(m, MIN_PUBLIC_BITS) ? opensslPow(base, exp, m) : null) ?? fallback().modPow(base, exp, m),
  // One OpenSSL exponentiation per base beats the kernels' shared squaring chain here.
  multiExp: (bases, exps, m) => (handles(m) ? productOfPowers(bases, exps, m, opensslPow) : fallback().multiExp(bases, exps, m)),
  multiExpSecretModulus: (bases, exps, m) => productOfPowers(bases, exps, m, secretModulusPow),
  multiExpSecret: (bases, exps, m, expBits) => fallback().multiExpSecret(bases, exps, m, expBits),
  fixedBasePowers: (g, m, count, windowBits) => fallback().fixedBasePowers?.(g, m, count, windowBits) ?? bigintFixedBasePowers(g, m, count, windowBits),
  fixedBaseProduct: (tables, digits) => fallback().fixedBaseProduct?.(tables, digits) ?? bigintFixedBaseProduct(tables, digits, tables[0]?.m ?? 1n),
  fixedBaseProductSecret: (tables, digits) => fallback().fixedBaseProductSecret(tables, digits),
};
