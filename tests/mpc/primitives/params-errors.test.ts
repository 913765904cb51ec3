import { describe, expect, it } from "vitest";
import { BlameError, EncodingError, MpcError, ProofError, blameFrom } from "@/lib/mpc/errors";
import { DEFAULT_PROFILE, FAST_TEST, PRODUCTION, PROTOCOL_VERSION } from "@/lib/mpc/params";

describe("security profiles", () => {
  it("production matches spec §1.1 and is the default", () => {
    expect(PRODUCTION).toMatchObject({ primeBits: 1536, minModulusBits: 3071, ell: 256, ellPrime: 1280, epsilon: 512, m: 128 });
    expect(DEFAULT_PROFILE).toBe(PRODUCTION);
    expect(PROTOCOL_VERSION).toBe("cggmp24-ts/v1");
  });

  it("fast-test differs only in prime and modulus size", () => {
    const { name: _a, primeBits: _b, minModulusBits: _c, ...prodRest } = PRODUCTION;
    const { name: _d, primeBits, minModulusBits, ...fastRest } = FAST_TEST;
    expect(fastRest).toEqual(prodRest);
    expect(primeBits).toBe(1024);
    expect(minModulusBits).toBe(2047);
    expect(Object.isFrozen(FAST_TEST)).toBe(true);
  });
});

describe("errors", () => {
  it("ProofError carries proof and check names", () => {
    const e = new ProofError("enc_elg", "z1_range");
    expect(e).toBeInstanceOf(MpcError);
    expect(e.name).toBe("ProofError");
    expect([e.proof, e.check]).toEqual(["enc_elg", "z1_range"]);
    expect(e.message).toContain("z1_range");
  });

  it("blameFrom maps proof and decoding failures to check names", () => {
    expect(blameFrom(2, "bad psi", new ProofError("aff_g", "affine_eq"))).toEqual({ party: 2, reason: "bad psi", check: "aff_g.affine_eq" });
    expect(blameFrom(1, "bad msg", new EncodingError("enc_elg.z3", "too long"))).toEqual({ party: 1, reason: "bad msg", check: "decode.enc_elg.z3" });
    expect(blameFrom(0, "other", new Error("x"))).toEqual({ party: 0, reason: "other" });
    const b = new BlameError([{ party: 1, reason: "bad psi", check: "aff_g.affine_eq" }]);
    expect(b.blame).toHaveLength(1);
    expect(b.message).toContain("party 1");
  });
});
