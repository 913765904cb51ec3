import { describe, expect, it } from "vitest";
import { G, IDENTITY, mul, mulG, q, randomScalar } from "@/lib/mpc/curve";
import { EncodingError } from "@/lib/mpc/errors";
import { decodeElogProof, encodeElogProof, proveElog, verifyElog, type ElogProof, type ElogStatement } from "@/lib/mpc/proofs/elog";
import { expectCheck, ss, ssVariants } from "./helpers";

function statement(y: bigint, lambda: bigint, H: typeof G, X = mulG(randomScalar())): ElogStatement {
  return { L: mulG(lambda), M: mulG(y).add(mul(X, lambda)), X, Y: mul(H, y), H };
}

describe("Π^elog", () => {
  const y = randomScalar();
  const lambda = randomScalar();
  const H = mulG(randomScalar());
  const st = statement(y, lambda, H);
  const proof = proveElog(ss, st, { y, lambda });
  const verify = (p: ElogProof = proof, s: ElogStatement = st, shared = ss) => verifyElog(shared, s, p);

  it("honest proof verifies, also with H = G and through the codec", () => {
    expect(() => verify()).not.toThrow();
    const st2 = statement(y, lambda, G);
    expect(() => verifyElog(ss, st2, proveElog(ss, st2, { y, lambda }))).not.toThrow();
    const wire = JSON.parse(JSON.stringify(encodeElogProof(proof)));
    expect(() => verify(decodeElogProof(wire))).not.toThrow();
  });

  it("wrong λ fails the first equation, wrong y the second", () => {
    expectCheck(() => verify(proveElog(ss, st, { y, lambda: lambda + 1n })), "L_eq");
    // y consistent with Y but not with M: M equation fails after L passes.
    expectCheck(() => verify(proveElog(ss, { ...st, M: st.M.add(G) }, { y, lambda }), { ...st, M: st.M.add(G) }), "M_eq");
    // Y built from a different y than M: third equation.
    const badY = { ...st, Y: mul(H, y + 1n) };
    expectCheck(() => verify(proveElog(ss, badY, { y, lambda }), badY), "Y_eq");
    expectCheck(() => verify(proveElog(ss, st, { y: y + 1n, lambda })), "M_eq");
  });

  it("each check fails on its tamper", () => {
    expectCheck(() => verify(proof, { ...st, X: IDENTITY }), "X_nonzero");
    expectCheck(() => verify(proof, { ...st, Y: IDENTITY }), "Y_nonzero");
    expectCheck(() => verify(proof, { ...st, H: IDENTITY }), "H_nonzero");
    expectCheck(() => verify({ ...proof, z: q }), "z_domain");
    expectCheck(() => verify({ ...proof, u: q + 1n }), "u_domain");
    expectCheck(() => verify({ ...proof, z: (proof.z + 1n) % q }), "L_eq");
    expectCheck(() => verify({ ...proof, u: (proof.u + 1n) % q }), "M_eq");
    for (const k of ["A", "N", "B"] as const) expectCheck(() => verify({ ...proof, [k]: proof[k].add(G) }), "L_eq");
    for (const k of ["L", "M", "X", "Y", "H"] as const) expectCheck(() => verify(proof, { ...st, [k]: st[k].add(G) }), "L_eq");
    for (const v of ssVariants) expectCheck(() => verify(proof, st, v), "L_eq");
  });

  it("decoder rejects malformed fields", () => {
    const w = encodeElogProof(proof);
    expect(() => decodeElogProof({ ...w, z: "ff".repeat(32) })).toThrow(EncodingError);
    expect(() => decodeElogProof({ ...w, A: "04" + w.A.slice(2) })).toThrow(EncodingError);
    expect(() => decodeElogProof({ A: w.A })).toThrow(EncodingError);
  });
});
