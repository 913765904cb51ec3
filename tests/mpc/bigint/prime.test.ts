import { describe, expect, it } from "vitest";
import { getBackend, isProbablePrime, setBackend, SMALL_PRIMES, type BackendName } from "@/lib/mpc/bigint";

const KNOWN_PRIMES = [
  2n,
  3n,
  1999n,
  2003n, // first prime above the trial-division table
  4_000_037n,
  (1n << 61n) - 1n,
  (1n << 127n) - 1n,
  (1n << 255n) - 19n,
  0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn, // secp256k1 p
  0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n, // secp256k1 n
  (1n << 521n) - 1n,
];

const CARMICHAEL = [
  561n,
  1105n,
  1729n,
  41041n,
  // Chernick numbers (6k+1)(12k+1)(18k+1) with all factors above the trial-division bound,
  // so only Miller–Rabin can reject them.
  1296198694153288947529n,
  1296704251525853924209n,
];

const COMPOSITES = [
  0n,
  1n,
  4n,
  2003n * 2011n,
  ((1n << 61n) - 1n) * ((1n << 89n) - 1n),
  (1n << 127n) + 1n,
  3215031751n, // strong pseudoprime to bases 2, 3, 5, 7
];

describe.each<BackendName>(["bigint", "wasm"])("isProbablePrime on the %s backend", (name) => {
  it("accepts known primes and rejects Carmichael numbers and composites", () => {
    const previous = getBackend().name;
    setBackend(name);
    try {
      for (const p of KNOWN_PRIMES) expect(isProbablePrime(p, 20), `${p}`).toBe(true);
      for (const c of CARMICHAEL) expect(isProbablePrime(c, 20), `${c}`).toBe(false);
      for (const c of COMPOSITES) expect(isProbablePrime(c, 20), `${c}`).toBe(false);
    } finally {
      setBackend(previous);
    }
  });
});

describe("small primes table", () => {
  it("lists the primes below 2000", () => {
    expect(SMALL_PRIMES.slice(0, 6)).toEqual([2, 3, 5, 7, 11, 13]);
    expect(SMALL_PRIMES.length).toBe(303);
    expect(SMALL_PRIMES[SMALL_PRIMES.length - 1]).toBe(1999);
  });
});
