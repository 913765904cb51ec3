import { randomUUID } from "node:crypto";
import type { DbOrTx } from "@/lib/db/client";
import { openSecret, sealSecret, type SealedBlob } from "@/lib/keystore";
import { log } from "@/lib/log/logger";

/**
 * The server's safe primes come from a pool, so creating a signer never waits on prime generation
 * (a 1536-bit safe prime takes OpenSSL seconds to a minute). Primes are secret key material: sealed
 * at rest, and removed from the pool in the same statement that hands them out, so two instances
 * can never receive the same prime.
 */
export const PRODUCTION_PRIME_BITS = 1536;
export const PRIMES_PER_KEY = 4; // p, q for Paillier; p̂, q̂ for ring-Pedersen

const context = (id: string) => `server-prime:${id}`;

function encode(p: bigint): Uint8Array {
  return new TextEncoder().encode(p.toString(16));
}

export async function addPrime(db: DbOrTx, bits: number, prime: bigint): Promise<void> {
  const id = randomUUID();
  await db.serverPrime.create({ data: { id, bits, sealed: sealSecret(encode(prime), context(id)) as object } });
}

export async function poolSize(db: DbOrTx, bits: number): Promise<number> {
  return db.serverPrime.count({ where: { bits } });
}

/** Takes `count` primes out of the pool atomically; returns fewer if the pool runs short. */
export async function claimPrimes(db: DbOrTx, bits: number, count: number): Promise<bigint[]> {
  const rows = await db.$queryRaw<{ id: string; sealed: SealedBlob }[]>`
    DELETE FROM "server_primes" WHERE "id" IN (
      SELECT "id" FROM "server_primes" WHERE "bits" = ${bits} ORDER BY "created_at" LIMIT ${count} FOR UPDATE SKIP LOCKED
    ) RETURNING "id", "sealed"`;
  return rows.map((r) => BigInt(`0x${new TextDecoder().decode(openSecret(r.sealed, context(r.id)))}`));
}

export type PrimeSource = (bits: number) => Promise<bigint>;

/**
 * Claims the primes for one key, generating any shortfall on the spot with `generate` (the slow
 * path, logged, so an operator can raise the pool target).
 */
export async function primesForKey(db: DbOrTx, bits: number, generate: PrimeSource): Promise<bigint[]> {
  const claimed = await claimPrimes(db, bits, PRIMES_PER_KEY);
  if (claimed.length < PRIMES_PER_KEY) log.warn("server prime pool ran short; generating inline", { bits, missing: PRIMES_PER_KEY - claimed.length });
  while (claimed.length < PRIMES_PER_KEY) claimed.push(await generate(bits));
  if (new Set(claimed.map(String)).size !== claimed.length) throw new Error("prime pool returned a duplicate prime");
  return claimed;
}

/**
 * Tops the pool up to `target` primes; returns how many were added. `defer`, asked before each
 * prime once the pool holds a key's worth, ends the pass early when it answers true (the filler:
 * while a key generation runs, its server steps get the cores; the next pass continues).
 */
export async function topUpPrimePool(db: DbOrTx, opts: { bits: number; target: number; generate: PrimeSource; signal?: AbortSignal; defer?: () => Promise<boolean> }): Promise<number> {
  let added = 0;
  for (;;) {
    if (opts.signal?.aborted) break;
    const size = await poolSize(db, opts.bits);
    if (size >= opts.target) break;
    if (opts.defer && size >= PRIMES_PER_KEY && (await opts.defer())) break;
    const prime = await opts.generate(opts.bits);
    if (opts.signal?.aborted) break;
    await addPrime(db, opts.bits, prime);
    added++;
  }
  return added;
}

/** Whether a key generation is under way (an open, unexpired DKG ceremony): the prime filler defers to it. */
export async function keyGenerationRunning(db: DbOrTx, now = new Date()): Promise<boolean> {
  return (await db.ceremony.count({ where: { kind: "dkg", status: "open", expiresAt: { gt: now } } })) > 0;
}
