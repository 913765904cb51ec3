import { describe, expect, it } from "vitest";
import { fixtureSafePrimes } from "@/lib/mpc/fixtures";
import { getBackend, modPow, multiExp, randomSymmetric, setBackend, type BackendName } from "@/lib/mpc/bigint";
import { FAST_TEST } from "@/lib/mpc/params";
import { generateRingPedersen, isUsableRingPedersen, pedersenContext, publicRingPedersen, tableExponentBits } from "@/lib/mpc/ring-pedersen";

const primes = fixtureSafePrimes(1024);
const secret = generateRingPedersen(primes[2]!, primes[3]!);
const pub = publicRingPedersen(secret);

describe("ring-Pedersen", () => {
  it("generates s = t^λ with t a square", () => {
    expect(secret.N).toBe(primes[2]! * primes[3]!);
    expect(modPow(secret.t, secret.lambda, secret.N)).toBe(secret.s);
    expect(secret.lambda < secret.phi / 4n).toBe(true);
    expect(isUsableRingPedersen(pub)).toBe(true);
    expect(isUsableRingPedersen({ ...pub, s: 1n })).toBe(false);
    expect(isUsableRingPedersen({ ...pub, t: pub.N - 1n })).toBe(false);
    expect(isUsableRingPedersen({ ...pub, s: primes[2]! })).toBe(false);
  });

  it("the secret-exponent path agrees with the public one for signed exponents, and checks its bound", () => {
    const own = pedersenContext(secret, FAST_TEST);
    const peer = pedersenContext(pub, FAST_TEST);
    const bits = 1100;
    const edge = (1n << BigInt(bits)) - 1n;
    const cases: [bigint, bigint][] = [
      [0n, 0n],
      [1n, -1n],
      [edge, -edge],
      [-edge, 0n],
      [randomSymmetric(1000), randomSymmetric(1099)],
    ];
    for (const [x, y] of cases) {
      const expected = multiExp([pub.s, pub.t], [x, y], pub.N);
      expect(peer.multiPowSecret([pub.s, pub.t], [x, y], bits)).toBe(expected);
      expect(own.multiPowSecret([pub.s, pub.t], [x, y], bits)).toBe(expected);
    }
    expect(() => peer.multiPowSecret([pub.s], [1n << BigInt(bits)], bits)).toThrow();
    expect(() => peer.multiPowSecret([pub.s], [-(1n << BigInt(bits))], bits)).toThrow();
  });

  it("CRT, table and naive commitments agree, at the table boundaries and beyond", () => {
    const own = pedersenContext(secret, FAST_TEST);
    const peer = pedersenContext(pub, FAST_TEST);
    const bits = tableExponentBits(FAST_TEST);
    const maxS = 1n << BigInt(bits.s);
    const maxT = 1n << BigInt(bits.t);
    // Secret exponents: within ±2^(bits − 1), both ends included.
    const halfS = maxS / 2n - 1n;
    const halfT = maxT / 2n - 1n;
    const secretCases: [bigint, bigint][] = [
      [0n, 0n],
      [1n, -1n],
      [halfS, halfT],
      [-halfS, -halfT],
      [halfS, -halfT],
      [randomSymmetric(bits.s - 1), randomSymmetric(bits.t - 1)],
    ];
    // Public exponents: anything; beyond the tables they fall back to plain exponentiation.
    const publicCases: [bigint, bigint][] = [...secretCases, [maxS - 1n, maxT - 1n], [-maxS, -maxT], [maxS * 4n, -maxT * 3n]];
    for (const [x, y] of secretCases) {
      const naive = multiExp([pub.s, pub.t], [x, y], pub.N);
      expect(own.commit(x, y)).toBe(naive);
      expect(peer.commit(x, y)).toBe(naive);
    }
    for (const [x, y] of publicCases) {
      const naive = multiExp([pub.s, pub.t], [x, y], pub.N);
      expect(own.commitPublic(x, y)).toBe(naive);
      expect(peer.commitPublic(x, y)).toBe(naive);
    }
    expect(() => peer.commit(halfS + 1n, 0n)).toThrow(/beyond/);
    expect(() => peer.commit(0n, -halfT - 1n)).toThrow(/beyond/);
    expect(pedersenContext(pub, FAST_TEST)).toBe(peer);
    expect(own.pow(pub.s, -5n)).toBe(modPow(pub.s, -5n, pub.N));
    expect(own.multiPow([pub.s, 7n], [3n, -2n])).toBe(peer.multiPow([pub.s, 7n], [3n, -2n]));
  });

  it("masks: maskPower and commitMasked give the commitment s^x·t^y, under own and peer parameters", () => {
    for (const ctx of [pedersenContext(secret, FAST_TEST), pedersenContext(pub, FAST_TEST)]) {
      for (const [x, y] of [[5n, -7n], [randomSymmetric(700), randomSymmetric(1800)], [0n, 0n]] as const) {
        const ty = ctx.maskPower(y, 1800);
        expect(ty).toBe(modPow(secret.t, y, secret.N));
        expect(ctx.commitMasked(x, 700, ty)).toBe(ctx.commit(x, y));
      }
    }
  });

  it.each<BackendName>(["bigint", "wasm", "openssl"])("holds: a verifier's check by CRT (short exponents as they are, wide ones reduced) agrees with the public one (%s backend)", (backend) => {
    const previous = getBackend().name;
    setBackend(backend);
    try {
      const own = pedersenContext(secret, FAST_TEST);
      const peer = pedersenContext(pub, FAST_TEST);
      const S = modPow(secret.t, 12345n, secret.N);
      const [p, q] = [primes[2]!, primes[3]!];
      for (const exps of [
        [randomSymmetric(700), randomSymmetric(1800), -randomSymmetric(256) - 1n],
        [-randomSymmetric(700) - 1n, 1n, 0n],
        [0n, 0n, 0n],
        [(1n << 1100n) + 3n, -(1n << 1500n), 5n],
      ]) {
        const target = multiExp([secret.s, secret.t, S], exps, secret.N);
        expect(own.holds([secret.s, secret.t, S], exps, target)).toBe(true);
        expect(peer.holds([secret.s, secret.t, S], exps, target)).toBe(true);
        // Off by a multiple of p only (so right mod q), or of q only: each half decides.
        for (const wrong of [(target + p) % secret.N, (target + q) % secret.N, (target * secret.t) % secret.N]) {
          expect(own.holds([secret.s, secret.t, S], exps, wrong)).toBe(false);
          expect(peer.holds([secret.s, secret.t, S], exps, wrong)).toBe(false);
        }
      }
    } finally {
      setBackend(previous);
    }
  });
});
