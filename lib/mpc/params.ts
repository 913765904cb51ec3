/** Security profiles (spec §1.1) and the protocol version string bound into every transcript. */

export const PROTOCOL_VERSION = "cggmp24-ts/v1";

export interface SecurityProfile {
  readonly name: "production" | "fast-test";
  /** Bit length of each safe prime (p, q for N; p̂, q̂ for N̂). */
  readonly primeBits: number;
  /** N and N̂ must have at least this many significant bits. */
  readonly minModulusBits: number;
  /** ℓ: range of small plaintexts (k, γ, x). */
  readonly ell: number;
  /** ℓ': range of MtA masks β, β̂. */
  readonly ellPrime: number;
  /** ε: slack. */
  readonly epsilon: number;
  /** m: repetitions of Π^mod and Π^prm. */
  readonly m: number;
  /** κ in bits: rid, decommitment nonces, ρ. */
  readonly kappaBits: number;
}

export const PRODUCTION: SecurityProfile = Object.freeze({
  name: "production",
  primeBits: 1536,
  minModulusBits: 3071,
  ell: 256,
  ellPrime: 1280,
  epsilon: 512,
  m: 128,
  kappaBits: 384,
});

/** Identical to PRODUCTION except for prime size; for tests with fixture primes only. */
export const FAST_TEST: SecurityProfile = Object.freeze({
  ...PRODUCTION,
  name: "fast-test",
  primeBits: 1024,
  minModulusBits: 2047,
});

export const DEFAULT_PROFILE = PRODUCTION;
