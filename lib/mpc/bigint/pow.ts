import { assertModulus, mod, modInv } from "./basic";
import { InvalidArgumentError } from "./errors";
import { getBackend } from "./registry";

/**
 * base^exp mod m (result in [0, m)). A negative exponent inverts the base first
 * (NotInvertibleError if impossible); exp = 0 gives 1 mod m. Delegates to the active backend.
 */
export function modPow(base: bigint, exp: bigint, m: bigint): bigint {
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
  return getBackend().modPow(b, e, m);
}

/**
 * Π bases[i]^exps[i] mod m by simultaneous exponentiation (one squaring chain).
 * Negative exponents invert their base; an empty product is 1 mod m.
 */
export function multiExp(bases: readonly bigint[], exps: readonly bigint[], m: bigint): bigint {
  assertModulus(m);
  if (bases.length !== exps.length) {
    throw new InvalidArgumentError(`multiExp got ${bases.length} bases and ${exps.length} exponents`);
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
  if (bs.length === 0) return 1n;
  if (bs.length === 1) return getBackend().modPow(bs[0] ?? 1n, es[0] ?? 0n, m);
  return getBackend().multiExp(bs, es, m);
}
