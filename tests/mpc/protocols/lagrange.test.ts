import { describe, expect, it } from "vitest";
import { G, q } from "@/lib/mpc/curve";
import { dealCoreShares } from "@/lib/mpc/dealer";
import { decodeCoreShare, decodeKeyShare, KeyShareError, type CoreKeyShare } from "@/lib/mpc/key-share";
import { FAST_TEST } from "@/lib/mpc/params";
import { assertSignerSet, lagrangeCoefficient, toAdditive } from "@/lib/mpc/lagrange";
import { ParameterError } from "@/lib/mpc/errors";

const HALF = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a1n;

describe("Lagrange mapping (spec §3.3 vectors)", () => {
  it.each([
    [[1, 2], 3n, q - 2n],
    [[0, 1], 2n, q - 1n],
    [[0, 2], (3n * HALF) % q, q - HALF],
  ])("signer set %j", (set, first, second) => {
    expect(lagrangeCoefficient(set, 0)).toBe(first);
    expect(lagrangeCoefficient(set, 1)).toBe(second);
  });

  it("2^-1 constant of the spec is the inverse of 2", () => {
    expect((2n * HALF) % q).toBe(1n);
  });

  it("additive shares of every 2-subset sum to the dealt secret", () => {
    const secret = 0x1234567890abcdefn;
    const shares = dealCoreShares({ secret, threshold: 2, n: 3 }).map(decodeCoreShare);
    for (const set of [[0, 1], [0, 2], [1, 2]]) {
      const parts = set.map((i) => toAdditive(shares[i]!, set));
      expect((parts[0]!.secret + parts[1]!.secret) % q).toBe(secret);
      for (const part of parts) expect(G.multiply(part.secret).equals(part.publicShares[part.position]!)).toBe(true);
    }
  });

  it("rejects unsorted, duplicate, out-of-range and wrong-size signer sets", () => {
    const shares = dealCoreShares({ secret: 5n, threshold: 2, n: 3 }).map(decodeCoreShare);
    expect(() => assertSignerSet([2, 1], 3)).toThrow(ParameterError);
    expect(() => assertSignerSet([1, 1], 3)).toThrow(ParameterError);
    expect(() => assertSignerSet([0, 3], 3)).toThrow(ParameterError);
    expect(() => toAdditive(shares[0]!, [0, 1, 2])).toThrow(/exactly t/);
    expect(() => toAdditive(shares[0]!, [1, 2])).toThrow(/not in the signer set/);
  });
});

describe("core key share validation", () => {
  const dealt = dealCoreShares({ secret: 1n, threshold: 2, n: 3 });

  it("accepts dealt shares", () => {
    for (const s of dealt) expect(decodeCoreShare(s).publicKey.equals(G)).toBe(true);
  });

  it("rejects a secret share that does not match its public share", () => {
    const bad: CoreKeyShare = { ...dealt[0]!, secretShare: dealt[1]!.secretShare };
    expect(() => decodeCoreShare(bad)).toThrow(KeyShareError);
  });

  it("rejects public shares off the polynomial and a wrong public key", () => {
    const shares = [...dealt[0]!.publicShares];
    shares[2] = G.multiply(7n).toHex(true);
    expect(() => decodeCoreShare({ ...dealt[0]!, publicShares: shares })).toThrow(/not on the degree-1 polynomial/);
    expect(() => decodeCoreShare({ ...dealt[0]!, publicKey: G.multiply(2n).toHex(true) })).toThrow(/interpolate/);
    expect(() => decodeCoreShare({ ...dealt[0]!, threshold: 4 })).toThrow(/threshold/);
  });

  it("JSON codec rejects a key share without aux info", () => {
    expect(() => decodeKeyShare(JSON.stringify({ core: dealt[0] }), FAST_TEST)).toThrow(KeyShareError);
    expect(() => decodeKeyShare("{not json", FAST_TEST)).toThrow(KeyShareError);
  });
});
