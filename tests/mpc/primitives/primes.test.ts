import { describe, expect, it } from "vitest";
import { bitLength, isProbablePrime } from "@/lib/mpc/bigint";
import { PrimeGenerationAborted, ParameterError } from "@/lib/mpc/errors";
import { fixtureSafePrimes } from "@/lib/mpc/fixtures";
import { SIEVE_PRIMES, generateSafePrime, isSafePrime, type SafePrimeProgress } from "@/lib/mpc/primes";
import { generateSafePrimeNative } from "@/lib/mpc/primes-native";

describe("safe primes", () => {
  it("sieve uses the first 135 odd primes", () => {
    expect(SIEVE_PRIMES.length).toBe(135);
    expect(SIEVE_PRIMES[0]).toBe(3);
    expect(SIEVE_PRIMES[134]).toBe(769);
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
