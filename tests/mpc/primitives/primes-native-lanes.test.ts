/** searchSafePrimesNative: OpenSSL searches racing in child processes, killed once the primes are in. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ParameterError } from "@/lib/mpc/errors";
import { isSafePrime } from "@/lib/mpc/primes";
import { SafePrimeSearchError, searchSafePrimesNative } from "@/lib/mpc/primes-native";
import { childrenLeft, childrenRunning } from "../../helpers/processes";

const script = path.resolve("lib/mpc/safe-prime-search.mjs");

describe("searchSafePrimesNative", () => {
  it("returns `count` distinct safe primes of exactly the size, reporting each, and kills every lane", async () => {
    const reported: number[] = [];
    const primes = await searchSafePrimesNative(4, 256, { script, lanes: 3, onPrime: (n) => reported.push(n) });
    expect(primes).toHaveLength(4);
    expect(new Set(primes.map(String)).size).toBe(4);
    for (const p of primes) expect(isSafePrime(p, 256)).toBe(true);
    expect(reported).toEqual([1, 2, 3, 4]);
    expect(await childrenLeft(script)).toEqual([]);
  });

  it("hands out distinct primes even where the lanes find the same ones (16 bits: a few hundred safe primes)", async () => {
    const primes = await searchSafePrimesNative(12, 16, { script, lanes: 2 });
    expect(new Set(primes.map(String)).size).toBe(12);
    for (const p of primes) expect(isSafePrime(p, 16)).toBe(true);
  });

  it("stops every lane when aborted, rejecting with the signal's reason", async () => {
    const controller = new AbortController();
    const search = searchSafePrimesNative(4, 3072, { script, lanes: 2, signal: controller.signal });
    for (let i = 0; i < 200 && childrenRunning(script).length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(childrenRunning(script)).toHaveLength(2);
    controller.abort(new Error("the join failed"));
    await expect(search).rejects.toThrow("the join failed");
    expect(await childrenLeft(script)).toEqual([]);
    const already = new AbortController();
    already.abort();
    await expect(searchSafePrimesNative(1, 256, { script, signal: already.signal })).rejects.toThrow();
    expect(childrenRunning(script)).toEqual([]);
  });

  it("fails with the lane's own words when a lane dies, and stops the others", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cs-lane-"));
    const broken = path.join(dir, "broken-lane.mjs");
    writeFileSync(broken, 'process.stderr.write("no OpenSSL here\\n"); process.exit(3);\n');
    const err = await searchSafePrimesNative(4, 3072, { script: broken, lanes: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SafePrimeSearchError);
    expect((err as Error).message).toMatch(/exit code 3.*no OpenSSL here/);
    const missing = await searchSafePrimesNative(1, 256, { script: path.join(dir, "nowhere.mjs"), lanes: 1 }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(SafePrimeSearchError);
  });

  it("refuses sizes, counts and lanes it cannot honour before starting anything", async () => {
    await expect(searchSafePrimesNative(4, 8, { script })).rejects.toThrow(ParameterError);
    await expect(searchSafePrimesNative(0, 256, { script })).rejects.toThrow(ParameterError);
    await expect(searchSafePrimesNative(1, 256, { script, lanes: 0 })).rejects.toThrow(ParameterError);
    expect(childrenRunning(script)).toEqual([]);
  });
});
