import { generatePrime } from "node:crypto";
import { bytesToHex } from "@noble/hashes/utils.js";
import { describe, expect, it } from "vitest";
import { POST as createSigner } from "@/app/api/v1/signers/route";
import { configuredNetworks, syncNetworks } from "@/lib/chain/network-registry";
import { db } from "@/lib/db/client";
import { fixtureSafePrimes } from "@/lib/mpc/fixtures";
import { addPrime, claimPrimes, keyGenerationRunning, poolSize, primesForKey, topUpPrimePool } from "@/lib/signing/prime-pool";
import { useTestDatabase } from "../helpers/db";
import { call, makeUser } from "../helpers/http";

useTestDatabase();
process.env.COUNTERSIGN_MPC_PROFILE = "fast-test";

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

  it("defers to a running key generation only while the pool holds a key's worth", async () => {
    await db().serverPrime.deleteMany();
    let asked = 0;
    const busy = async () => {
      asked++;
      return true;
    };
    // Below a key's worth the pass fills regardless: the next signer must not wait on inline primes.
    expect(await topUpPrimePool(db(), { bits: BITS, target: 6, generate, defer: busy })).toBe(4);
    expect(asked).toBe(1);
    expect(await poolSize(db(), BITS)).toBe(4);
    // Once the ceremony is over, the next pass tops up to the target.
    expect(await topUpPrimePool(db(), { bits: BITS, target: 6, generate, defer: async () => false })).toBe(2);
    expect(await poolSize(db(), BITS)).toBe(6);
  });

  it("keyGenerationRunning: an open DKG ceremony until it expires", async () => {
    await syncNetworks(db(), configuredNetworks({}));
    expect(await keyGenerationRunning(db())).toBe(false);
    const owner = await makeUser();
    for (const p of fixtureSafePrimes(1024).slice(0, 4)) await addPrime(db(), 1024, p);
    const nonce = bytesToHex(crypto.getRandomValues(new Uint8Array(32)));
    const created = await call(createSigner, "POST", "/api/v1/signers", { cookie: owner.cookie, body: { name: "Deferral bot", chainId: 31337, clientNonce: nonce, agentParty: "browser" } });
    expect(created.status).toBe(201);
    expect(created.json.dkg.profile).toBe("fast-test"); // the server's primes came from the pool, not inline
    expect(await keyGenerationRunning(db())).toBe(true);
    expect(await keyGenerationRunning(db(), new Date(Date.now() + 31 * 60_000))).toBe(false);
    await db().ceremony.updateMany({ where: { kind: "dkg" }, data: { status: "aborted" } });
    expect(await keyGenerationRunning(db())).toBe(false);
  });

  it("stops topping up when aborted", async () => {
    const ac = new AbortController();
    ac.abort();
    expect(await topUpPrimePool(db(), { bits: BITS, target: 3, generate, signal: ac.signal })).toBe(0);
  });
});
