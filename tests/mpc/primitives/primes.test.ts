import { describe, expect, it } from "vitest";
import { checkPrimeSync, generatePrimeSync } from "node:crypto";
import { bitLength, isProbablePrime, randomBits, sievePrimesBelow, sieveSafe, sieveSafeJs } from "@/lib/mpc/bigint";
import { PrimeGenerationAborted, ParameterError } from "@/lib/mpc/errors";
import { fixtureSafePrimes } from "@/lib/mpc/fixtures";
import { DEEP_SAFE_SIEVE, SHALLOW_SAFE_SIEVE, safeSieveFor, safeSievePrimes, generateSafePrime, isSafePrime, verifySafePrime, type SafePrimeProgress } from "@/lib/mpc/primes";
import { generateSafePrimeNative } from "@/lib/mpc/primes-native";

describe("safe primes", () => {
  it("sieves by the 155,610 odd primes below 2^21 below 1536 bits, by the 1,077,870 below 2^24 from there", () => {
    expect(safeSieveFor(1535)).toBe(SHALLOW_SAFE_SIEVE);
    expect(safeSieveFor(1536)).toBe(DEEP_SAFE_SIEVE);
    expect(safeSieveFor(3072)).toBe(DEEP_SAFE_SIEVE);
    expect([SHALLOW_SAFE_SIEVE.bound, DEEP_SAFE_SIEVE.bound]).toEqual([2 ** 21, 2 ** 24]);
    const shallow = safeSievePrimes(SHALLOW_SAFE_SIEVE.bound);
    expect(safeSievePrimes()).toBe(shallow);
    expect(shallow.length).toBe(155_610);
    expect([shallow[0], shallow[1], shallow[6540]]).toEqual([3, 5, 65521]);
    expect(shallow[shallow.length - 1]).toBe(2_097_143); // the largest prime below 2^21
    const deep = safeSievePrimes(DEEP_SAFE_SIEVE.bound);
    expect(deep.length).toBe(1_077_870); // π(2^24) − 1
    expect(deep.subarray(0, shallow.length)).toEqual(shallow);
    expect(deep[deep.length - 1]).toBe(16_777_213); // the largest prime below 2^24
    for (const r of [3, 65521, 2_097_143, 16_777_213]) expect(checkPrimeSync(BigInt(r))).toBe(true);
    expect(checkPrimeSync(BigInt(deep[500_000]!))).toBe(true);
  });

  it("the wasm sieve strikes exactly the q with a small factor in q or 2q + 1, by the primes of the candidate's size", () => {
    const count = 65_536;
    for (const [bits, sieve] of [[200, SHALLOW_SAFE_SIEVE], [1534, SHALLOW_SAFE_SIEVE], [1535, DEEP_SAFE_SIEVE]] as const) {
      const q0 = randomBits(bits) | (1n << BigInt(bits - 1)) | 1n;
      const primes = sievePrimesBelow(q0);
      expect(primes).toEqual(safeSievePrimes(sieve.bound)); // p = 2q + 1 has bits + 1 bits
      const flags = sieveSafe(q0, count);
      expect(flags).toEqual(sieveSafeJs(q0, primes, count));
      // Directly: q = q0 + 2k has a factor r in q or 2q + 1 iff q ≡ 0 or (r − 1)/2 (mod r).
      const residues = Array.from(primes, (r) => Number(q0 % BigInt(r)));
      for (let k = 0; k < 600; k++) {
        const small = residues.some((res, i) => {
          const r = primes[i]!;
          const q = (res + 2 * k) % r;
          return q === 0 || q === (r - 1) / 2;
        });
        expect(flags[k]).toBe(small ? 1 : 0);
      }
      // About ∏(1 − 2/r) survive: ≈ 0.39 % (≈ 257 of 65,536) with the shallow sieve, ≈ 0.30 % (≈ 195) with the deep one.
      let fraction = 1;
      for (const r of primes) fraction *= 1 - 2 / r;
      const survivors = flags.reduce((n, f) => n + (f === 0 ? 1 : 0), 0);
      expect(survivors).toBeGreaterThan(0.6 * fraction * count);
      expect(survivors).toBeLessThan(1.4 * fraction * count);
    }
  });

  it("never strikes a safe prime's q (fixtures), and handles starts below the sieve bound", () => {
    for (const p of fixtureSafePrimes(1024)) {
      const q = (p - 1n) / 2n;
      expect(sieveSafe(q, 1)[0]).toBe(0);
      expect(sieveSafe(q - 2n * 77n, 100)[77]).toBe(0);
    }
    // q = 5 (p = 11), 11 (23), 23 (47): the sieve only uses primes below the start.
    const flags = sieveSafe(5n, 10);
    expect([flags[0], flags[3], flags[9]]).toEqual([0, 0, 0]);
    expect(flags[2]).toBe(1); // q = 9
  });

  it.each([256, 512, 1024])("%i-bit safe primes pass OpenSSL's independent check", async (bits) => {
    const p = await generateSafePrime(bits);
    expect(bitLength(p)).toBe(bits);
    expect(checkPrimeSync(p, { checks: 32 })).toBe(true);
    expect(checkPrimeSync((p - 1n) / 2n, { checks: 32 })).toBe(true);
  });

  it("verifySafePrime accepts known safe primes and rejects composites and non-safe primes", () => {
    for (const p of fixtureSafePrimes(1024)) expect(verifySafePrime(p, 1024)).toBe(true);
    for (const p of fixtureSafePrimes(1536).slice(0, 2)) expect(verifySafePrime(p, 1536)).toBe(true);
    const [a, b] = fixtureSafePrimes(1024) as [bigint, bigint];
    expect(verifySafePrime(a * b, 2048)).toBe(false);
    expect(verifySafePrime(a, 1023)).toBe(false);
    // A prime ≡ 3 mod 4 whose (p − 1)/2 is composite.
    let p: bigint;
    do p = generatePrimeSync(512, { bigint: true }) as bigint;
    while (p % 4n !== 3n || checkPrimeSync((p - 1n) / 2n));
    expect(verifySafePrime(p, 512)).toBe(false);
    expect(isSafePrime(p, 512)).toBe(false);
    // q prime but 2q + 1 composite: a Sophie Germain check must fail on p.
    let q: bigint;
    do q = generatePrimeSync(511, { bigint: true }) as bigint;
    while (q % 2n !== 1n || checkPrimeSync(2n * q + 1n) || bitLength(2n * q + 1n) !== 512);
    expect(verifySafePrime(2n * q + 1n, 512)).toBe(false);
    expect(isSafePrime(2n * q + 1n, 512)).toBe(false);
  });

  it.each([64, 128, 256])("finds a %i-bit safe prime and reports progress", async (bits) => {
    const progress: SafePrimeProgress[] = [];
    const p = await generateSafePrime(bits, { onProgress: (x) => progress.push(x) });
    expect(bitLength(p)).toBe(bits);
    expect(p % 4n).toBe(3n);
    expect(isProbablePrime(p)).toBe(true);
    expect(isProbablePrime((p - 1n) / 2n)).toBe(true);
    expect(isSafePrime(p, bits)).toBe(true);
    expect(progress.length).toBeGreaterThan(0);
    const last = progress[progress.length - 1]!;
    expect(last.candidates).toBeGreaterThanOrEqual(last.tested);
    expect(last.tested).toBeGreaterThan(0);
  });

  it("can be cancelled", async () => {
    const ctrl = new AbortController();
    ctrl.abort();
    await expect(generateSafePrime(512, { signal: ctrl.signal })).rejects.toBeInstanceOf(PrimeGenerationAborted);
    const ctrl2 = new AbortController();
    let calls = 0;
    const run = generateSafePrime(2048, {
      signal: ctrl2.signal,
      yieldEvery: 1,
      onProgress: () => {
        calls++;
        if (calls === 2) ctrl2.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(PrimeGenerationAborted);
    expect(calls).toBe(2);
  });

  it("rejects tiny sizes", async () => {
    await expect(generateSafePrime(8)).rejects.toBeInstanceOf(ParameterError);
  });

  it("isSafePrime distinguishes safe primes", () => {
    expect(isSafePrime(23n)).toBe(true);
    expect(isSafePrime(13n)).toBe(false); // prime, (13−1)/2 = 6
    expect(isSafePrime(29n)).toBe(false); // ≡ 1 mod 4
    expect(isSafePrime(2039n)).toBe(true); // 1019 prime
    expect(isSafePrime(2n * 1021n + 1n)).toBe(false); // 2043 = 3²·227
    expect(isSafePrime(25n)).toBe(false);
    expect(isSafePrime(23n, 6)).toBe(false);
    for (const p of fixtureSafePrimes(1024).slice(0, 2)) expect(isSafePrime(p, 1024)).toBe(true);
  });

  it("native generator gives safe primes of the exact size", async () => {
    const p = await generateSafePrimeNative(256);
    expect(isSafePrime(p, 256)).toBe(true);
  });
});
