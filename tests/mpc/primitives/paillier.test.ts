import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureSafePrimes } from "@/lib/mpc/fixtures";
import { getBackend, mod, modPow, multiExp, randomSymmetric, randomUnit, setBackend, type BackendName } from "@/lib/mpc/bigint";
import { PaillierError } from "@/lib/mpc/errors";
import {
  add,
  affine,
  decrypt,
  decryptTextbook,
  encrypt,
  encryptWithNonce,
  holdsModN2,
  isCiphertext,
  multiPowN,
  powN2Secret,
  encryptWithNoncePower,
  noncePower,
  precomputeNonce,
  paillierPublicKey,
  paillierSecretKey,
  scalarMul,
} from "@/lib/mpc/paillier";

const [p, q] = fixtureSafePrimes(1024) as [bigint, bigint];
const sk = paillierSecretKey(p, q);
const pk = paillierPublicKey(sk.N);

describe("Paillier", () => {
  it("round trips signed plaintexts including the boundaries", () => {
    for (const m of [0n, 1n, -1n, sk.halfN, -sk.halfN, sk.halfN - 1n, -(sk.halfN - 1n), randomSymmetric(1000)]) {
      const { ciphertext } = encrypt(sk, m);
      expect(decrypt(sk, ciphertext)).toBe(m);
    }
  });

  it("CRT decryption agrees with textbook decryption", () => {
    for (const m of [sk.halfN, -sk.halfN]) {
      expect(decryptTextbook(sk, encrypt(pk, m).ciphertext)).toBe(m);
    }
  });

  it("rejects plaintexts out of range", () => {
    expect(() => encrypt(pk, sk.halfN + 1n)).toThrow(PaillierError);
    expect(() => encrypt(pk, -sk.halfN - 1n)).toThrow(PaillierError);
  });

  it("CRT encryption equals plain encryption", () => {
    const r = randomUnit(sk.N);
    const m = -123456789n;
    expect(encryptWithNonce(sk, m, r)).toBe(encryptWithNonce(pk, m, r));
    expect(noncePower(sk, r)).toBe(modPow(r, sk.N, sk.N2));
    const pre = precomputeNonce(pk);
    expect(encryptWithNoncePower(pk, m, pre.rN)).toBe(encryptWithNonce(sk, m, pre.r));
  });

  it("is additively homomorphic, including negative scalars", () => {
    const a = encrypt(pk, 1000n).ciphertext;
    const b = encrypt(pk, -2500n).ciphertext;
    expect(decrypt(sk, add(pk, a, b))).toBe(-1500n);
    expect(decrypt(sk, scalarMul(pk, a, -7n))).toBe(-7000n);
    expect(decrypt(sk, scalarMul(sk, b, 3n))).toBe(-7500n);
    const r = randomUnit(sk.N);
    const aff = affine(pk, a, -3n, 42n, r);
    expect(aff).toBe(affine(sk, a, -3n, 42n, r));
    expect(decrypt(sk, aff)).toBe(-3000n + 42n);
    expect(aff).toBe(add(pk, scalarMul(pk, a, -3n), encryptWithNonce(pk, 42n, r)));
  });

  it("scalar multiplication requires gcd(|k|, N) = 1", () => {
    const a = encrypt(pk, 5n).ciphertext;
    expect(() => scalarMul(pk, a, p)).toThrow(PaillierError);
    expect(() => scalarMul(pk, a, 0n)).toThrow(PaillierError);
  });

  it("rejects non-units and out-of-range ciphertexts", () => {
    for (const bad of [0n, sk.N, p, p * 7n, sk.N2, sk.N2 + 1n, -1n]) {
      expect(isCiphertext(pk, bad)).toBe(false);
      expect(() => decrypt(sk, bad)).toThrow(PaillierError);
      expect(() => add(pk, bad, 1n)).toThrow(PaillierError);
    }
    expect(() => encryptWithNonce(pk, 1n, p)).toThrow(PaillierError);
    expect(() => encryptWithNonce(pk, 1n, 0n)).toThrow(PaillierError);
  });

  it("rejects bad key material", () => {
    expect(() => paillierSecretKey(p, p)).toThrow(PaillierError);
    expect(() => paillierSecretKey(p, 4n)).toThrow(PaillierError);
    expect(() => paillierPublicKey(sk.N + 1n)).toThrow(PaillierError);
  });
  it("powN2Secret under a public key: the same ciphertext's inverse serves every call, keyed by its modulus", () => {
    const c = encrypt(pk, 77n).ciphertext;
    for (const k of [5n, -5n, randomSymmetric(256), -3n]) {
      expect(powN2Secret(pk, c, k, 256)).toBe(modPow(c, k, pk.N2));
    }
    // The same integer under another key (its own modulus) gets its own inverse.
    const [p2, q2] = fixtureSafePrimes(1024).slice(2, 4) as [bigint, bigint];
    const other = paillierPublicKey(p2 * q2);
    const c2 = c % other.N2;
    expect(powN2Secret(other, c2, -9n, 256)).toBe(modPow(c2, -9n, other.N2));
  });
});

describe.each<BackendName>(["bigint", "wasm", "openssl"])("Paillier checks with public exponents on the %s backend", (name) => {
  let previous: BackendName;
  beforeAll(() => {
    previous = getBackend().name;
    setBackend(name);
  });
  afterAll(() => setBackend(previous));

  it("holdsModN2: the secret key's check (CRT, public exponents as they are) agrees with the public one", () => {
    for (let trial = 0; trial < 6; trial++) {
      const bases = [randomUnit(sk.N2), randomUnit(sk.N), randomUnit(sk.N2)];
      // signed exponents: long and short, either sign, zero and one among them
      const exps = [randomSymmetric(700), sk.N, trial === 0 ? 0n : trial === 1 ? 1n : -randomSymmetric(256) - 1n];
      const factor = 1n + mod(randomSymmetric(900), sk.N) * sk.N;
      const target = (factor * multiExp(bases, exps, sk.N2)) % sk.N2;
      expect(holdsModN2(sk, factor, bases, exps, target)).toBe(true);
      expect(holdsModN2(pk, factor, bases, exps, target)).toBe(true);
      // offP agrees with target mod p² only, offQ mod q² only: both halves must be checked
      const offP = (target + sk.p * sk.p) % sk.N2;
      const offQ = (target + sk.q * sk.q) % sk.N2;
      for (const wrong of [offP, offQ, (target * 2n) % sk.N2, (target * (1n + sk.N)) % sk.N2]) {
        expect(holdsModN2(sk, factor, bases, exps, wrong)).toBe(false);
        expect(holdsModN2(pk, factor, bases, exps, wrong)).toBe(false);
      }
    }
    expect(() => holdsModN2(sk, 1n, [2n], [1n, 2n], 1n)).toThrow(PaillierError);
  });
  it("multiPowN with the secret key (public exponents, either sign) equals the public computation", () => {
    const bases = [randomUnit(sk.N), randomUnit(sk.N)];
    for (const exps of [[12345n, 3n], [-(1n << 255n) + 7n, 5n], [0n, 1n], [randomSymmetric(256), -randomSymmetric(256) - 1n]]) {
      expect(multiPowN(sk, bases, exps)).toBe(multiExp(bases, exps, sk.N));
      expect(multiPowN(pk, bases, exps)).toBe(multiExp(bases, exps, sk.N));
    }
  });

  it("holdsModN2 at production size (3072-bit N): N is wider than the smaller of p², q², and both halves still decide", () => {
    const [p1, q1] = fixtureSafePrimes(1536) as [bigint, bigint];
    const big = paillierSecretKey(p1, q1);
    const pub = paillierPublicKey(big.N);
    const bases = [randomUnit(big.N2), randomUnit(big.N), randomUnit(big.N2)];
    const exps = [randomSymmetric(767), big.N, -randomSymmetric(255) - 1n];
    const factor = 1n + mod(randomSymmetric(800), big.N) * big.N;
    const target = (factor * multiExp(bases, exps, big.N2)) % big.N2;
    expect(holdsModN2(big, factor, bases, exps, target)).toBe(true);
    expect(holdsModN2(pub, factor, bases, exps, target)).toBe(true);
    for (const wrong of [(target + p1 * p1) % big.N2, (target + q1 * q1) % big.N2]) {
      expect(holdsModN2(big, factor, bases, exps, wrong)).toBe(false);
      expect(holdsModN2(pub, factor, bases, exps, wrong)).toBe(false);
    }
  });
});
