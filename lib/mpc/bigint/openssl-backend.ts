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
type NodeCrypto = { createDiffieHellman(prime: Uint8Array): DiffieHellman };

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
  multiExp: (bases, exps, m) => {
    if (!handles(m)) return fallback().multiExp(bases, exps, m);
    // One OpenSSL exponentiation per base beats the kernels' shared squaring chain here.
    let acc = 1n;
    for (let i = 0; i < bases.length; i++) {
      const b = bases[i] ?? 0n;
      const e = exps[i] ?? 0n;
      acc = (acc * (opensslPow(b, e, m) ?? fallback().modPow(b, e, m))) % m;
    }
    return acc;
  },
  multiExpSecret: (bases, exps, m, expBits) => fallback().multiExpSecret(bases, exps, m, expBits),
  fixedBasePowers: (g, m, count, windowBits) => fallback().fixedBasePowers?.(g, m, count, windowBits) ?? bigintFixedBasePowers(g, m, count, windowBits),
  fixedBaseProduct: (tables, digits) => fallback().fixedBaseProduct?.(tables, digits) ?? bigintFixedBaseProduct(tables, digits, tables[0]?.m ?? 1n),
  fixedBaseProductSecret: (tables, digits) => fallback().fixedBaseProductSecret(tables, digits),
};
