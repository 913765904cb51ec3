import type { FixedBaseTable } from "./fixed-base";

/** Contract every arithmetic backend fulfils. Callers (pow.ts, fixed-base.ts) normalise inputs. */
export interface BigIntBackend {
  readonly name: BackendName;
  /** True when the backend can run on this platform (e.g. WebAssembly present and compiled). */
  isAvailable(): boolean;
  /** base^exp mod m with 0 ≤ base < m, exp ≥ 0, m > 1 (any parity). */
  modPow(base: bigint, exp: bigint, m: bigint): bigint;
  /**
   * modPow for operands that are all public, the modulus included (pow.ts modPowPublic). Optional:
   * without it, modPow.
   */
  modPowPublic?(base: bigint, exp: bigint, m: bigint): bigint;
  /** Π bases[i]^exps[i] mod m with 0 ≤ bases[i] < m, exps[i] ≥ 0, m > 1, equal lengths ≥ 1. */
  multiExp(bases: readonly bigint[], exps: readonly bigint[], m: bigint): bigint;
  /**
   * multiExp for public exponents modulo a SECRET modulus (pow.ts multiExpSecretModulus): nothing
   * about m may outlive the call. Optional: without it, multiExp.
   */
  multiExpSecretModulus?(bases: readonly bigint[], exps: readonly bigint[], m: bigint): bigint;
  /**
   * Π bases[i]^exps[i] mod m for secret exponents 0 ≤ exps[i] < 2^expBits, 0 ≤ bases[i] < m: a
   * fixed-window, always-multiply schedule with table reads that touch every entry, so the
   * sequence of operations depends only on (bases.length, m's size, expBits).
   */
  multiExpSecret(bases: readonly bigint[], exps: readonly bigint[], m: bigint, expBits: number): bigint;
  /**
   * Π_t Π_k tables[t].powers[k]^digits[t][k] mod m, where digits[t] are radix-2^windowBits digits
   * (least significant first, at most powers.length of them) and all tables share modulus and
   * window. Optional: fixed-base.ts falls back to its own BigInt bucket method.
   */
  fixedBaseProduct?(tables: readonly FixedBaseTable[], digits: readonly Uint16Array[]): bigint;
  /**
   * The same product for SECRET digits: digits[t] holds a count of digits fixed by a public bound
   * (zeros included, at most tables[t].powers.length), and the sequence of operations depends only
   * on those counts and the window, not on the digits (every bucket read and written back under masks).
   */
  fixedBaseProductSecret(tables: readonly FixedBaseTable[], digits: readonly Uint16Array[]): bigint;
  /** [g^(2^(w·k)) mod m for k < count] with 0 ≤ g < m, m > 1. Optional: else repeated modPow. */
  fixedBasePowers?(g: bigint, m: bigint, count: number, windowBits: number): bigint[];
}

/** openssl: Node only (public exponents through OpenSSL; secret ones and fixed-base passes on wasm). */
export type BackendName = "bigint" | "wasm" | "openssl";
