import { describe, expect, it } from "vitest";
import { randomSymmetric, randomUnit } from "@/lib/mpc/bigint";
import { mul, mulG, randomScalar, toSigned } from "@/lib/mpc/curve";
import { fixtureSafePrimes } from "@/lib/mpc/fixtures";
import { affine, encrypt, encryptWithNonce, paillierPublicKey, paillierSecretKey } from "@/lib/mpc/paillier";
import { PRODUCTION } from "@/lib/mpc/params";
import {
  decodeAffGProof,
  decodeEncElgProof,
  decodeFacProof,
  encodeAffGProof,
  encodeEncElgProof,
  encodeFacProof,
  proveAffG,
  proveEncElg,
  proveFac,
  verifyAffG,
  verifyEncElg,
  verifyFac,
} from "@/lib/mpc/proofs";
import { generateRingPedersen, publicRingPedersen } from "@/lib/mpc/ring-pedersen";
import { ss } from "./helpers";

/** One round trip per Paillier-based proof at full production sizes (3072-bit moduli). */
describe("production profile", () => {
  const primes = fixtureSafePrimes(1536);
  const p = (i: number) => primes[i] as bigint;
  const profile = PRODUCTION;
  const ski = paillierSecretKey(p(0), p(1));
  const pki = paillierPublicKey(ski.N);
  const skj = paillierSecretKey(p(2), p(3));
  const pkj = paillierPublicKey(skj.N);
  const aux = generateRingPedersen(p(4), p(5));
  const auxPub = publicRingPedersen(aux);
  const json = <T>(x: T): unknown => JSON.parse(JSON.stringify(x));

  it("moduli meet the production minimum", () => {
    for (const N of [ski.N, skj.N, aux.N]) expect(N.toString(2).length).toBeGreaterThanOrEqual(profile.minModulusBits);
  });

  it("Π^enc-elg", () => {
    const x = toSigned(randomScalar());
    const rho = randomUnit(ski.N);
    const b = randomScalar();
    const A = mulG(randomScalar());
    const st = { N0: pki, C: encryptWithNonce(ski, x, rho), A, B: mulG(b), X: mul(A, b).add(mulG(x)) };
    const proof = proveEncElg(ss, profile, auxPub, { ...st, N0: ski }, { x, rho, b });
    const decoded = decodeEncElgProof(json(encodeEncElgProof(proof, pki, auxPub)), profile, pki, auxPub);
    expect(() => verifyEncElg(ss, profile, aux, st, decoded)).not.toThrow();
  });

  it("Π^aff-g", () => {
    const x = toSigned(randomScalar());
    const y = randomSymmetric(profile.ellPrime);
    const K = encrypt(skj, toSigned(randomScalar())).ciphertext;
    const rho = randomUnit(pkj.N);
    const rhoY = randomUnit(ski.N);
    const D = affine(pkj, K, x, y, rho);
    const Y = encryptWithNonce(ski, y, rhoY);
    const proof = proveAffG(ss, profile, auxPub, { Nj: pkj, Ni: ski, C: K, D, Y, X: mulG(x) }, { x, y, rho, rhoY });
    const decoded = decodeAffGProof(json(encodeAffGProof(proof, pkj, pki, auxPub)), profile, pkj, pki, auxPub);
    expect(() => verifyAffG(ss, profile, aux, { Nj: skj, Ni: pki, C: K, D, Y, X: mulG(x) }, decoded)).not.toThrow();
  });

  it("Π^fac", () => {
    const proof = proveFac(ss, profile, auxPub, ski.p, ski.q);
    const decoded = decodeFacProof(json(encodeFacProof(proof, auxPub)), profile, auxPub, ski.N);
    expect(() => verifyFac(ss, profile, aux, ski.N, decoded)).not.toThrow();
  });
});
