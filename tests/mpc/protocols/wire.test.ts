import { describe, expect, it } from "vitest";
import { G, q } from "@/lib/mpc/curve";
import { EncodingError, ProofError } from "@/lib/mpc/errors";
import { PeerFault } from "@/lib/mpc/protocol";
import { arr, checkFrom, decodeBytes, decodeNat, decodePoint, decodeScalar, encodeNat, obj, str } from "@/lib/mpc/wire";

const field = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    if (e instanceof EncodingError) return e.field;
    throw e;
  }
  return "accepted";
};

describe("strict field decoders", () => {
  it("naturals: minimal lower-case hex under a bit cap, checked before conversion", () => {
    expect(decodeNat(encodeNat(0xabcdefn), 24, "n")).toBe(0xabcdefn);
    expect(field(() => decodeNat("0abc", 24, "n"))).toBe("n");
    expect(field(() => decodeNat("ABC", 24, "n"))).toBe("n");
    expect(field(() => decodeNat("1000000", 24, "n"))).toBe("n");
    expect(field(() => decodeNat("f".repeat(100_000), 3072, "n"))).toBe("n");
    expect(field(() => decodeNat(12, 24, "n"))).toBe("n");
  });

  it("fixed-length bytes, scalars below q and valid non-identity points", () => {
    expect(decodeBytes("00ff", 2, "b")).toEqual(Uint8Array.of(0, 255));
    expect(field(() => decodeBytes("00ff00", 2, "b"))).toBe("b");
    expect(field(() => decodeScalar(q.toString(16), "s"))).toBe("s");
    expect(field(() => decodeScalar("00".repeat(32), "s", { nonZero: true }))).toBe("s");
    expect(decodePoint(G.toHex(true), "P").equals(G)).toBe(true);
    expect(field(() => decodePoint("02" + "00".repeat(32), "P"))).toBe("P");
    expect(field(() => decodePoint(G.toHex(false), "P"))).toBe("P");
  });

  it("payload accessors name the missing or mistyped field", () => {
    expect(field(() => str({}, "K"))).toBe("K");
    expect(field(() => str({ K: 5 }, "K"))).toBe("K");
    expect(field(() => obj({ psi: "x" }, "psi"))).toBe("psi");
    expect(field(() => arr({ F: [1, 2, 3] }, "F", { max: 2 }))).toBe("F");
    expect(arr({ F: [1, 2] }, "F", { exact: 2 })).toEqual([1, 2]);
  });

  it("checkFrom turns decode and proof failures into blame on the given party", () => {
    const fault = (fn: () => unknown) => {
      try {
        checkFrom(4, "test", fn);
      } catch (e) {
        return e as PeerFault;
      }
      throw new Error("no fault");
    };
    expect(fault(() => decodeScalar("zz", "delta"))).toMatchObject({ party: 4, check: "decode.delta" });
    expect(fault(() => {
      throw new ProofError("elog", "first_eq");
    })).toMatchObject({ party: 4, check: "elog.first_eq" });
    expect(() => checkFrom(4, "test", () => {
      throw new RangeError("bug");
    })).toThrow(RangeError);
  });
});
