import { generatePrime } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { claimPrimes, poolSize, primesForKey, topUpPrimePool } from "@/lib/signing/prime-pool";
import { useTestDatabase } from "../helpers/db";

useTestDatabase();

// Small safe primes keep the test fast; the pool does not care about the size.
const BITS = 128;
let generated = 0;
const generate = (bits: number) =>
  new Promise<bigint>((resolve, reject) => {
    generated++;
    generatePrime(bits, { safe: true, bigint: true }, (err, p) => (err ? reject(err) : resolve(p)));
  });

describe("server prime pool", () => {
  it("tops up to the target, seals primes at rest, and hands each out once", async () => {
    expect(await topUpPrimePool(db(), { bits: BITS, target: 6, generate })).toBe(6);
    expect(await topUpPrimePool(db(), { bits: BITS, target: 6, generate })).toBe(0);
    const rows = await db().serverPrime.findMany();
    expect(rows).toHaveLength(6);

    const [a, b] = await Promise.all([claimPrimes(db(), BITS, 4), claimPrimes(db(), BITS, 4)]);
    const all = [...a, ...b];
    expect(all).toHaveLength(6);
    expect(new Set(all.map(String)).size).toBe(6);
    const stored = JSON.stringify(rows);
    for (const p of all) {
      expect(p.toString(2)).toHaveLength(BITS);
      expect(stored).not.toContain(p.toString(16));
      expect(stored).not.toContain(p.toString());
    }
    expect(await poolSize(db(), BITS)).toBe(0);
  });

  it("primesForKey takes pooled primes first and generates only the shortfall", async () => {
    await topUpPrimePool(db(), { bits: BITS, target: 1, generate });
    const before = generated;
    const primes = await primesForKey(db(), BITS, generate);
    expect(primes).toHaveLength(4);
    expect(generated - before).toBe(3);
    expect(await poolSize(db(), BITS)).toBe(0);
  });

  it("stops topping up when aborted", async () => {
    const ac = new AbortController();
    ac.abort();
    expect(await topUpPrimePool(db(), { bits: BITS, target: 3, generate, signal: ac.signal })).toBe(0);
  });
});
