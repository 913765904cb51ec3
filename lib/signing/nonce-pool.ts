import { createHash, randomUUID } from "node:crypto";
import type { Db, DbOrTx } from "@/lib/db/client";
import { openSecret, sealSecret, type SealedBlob } from "@/lib/keystore";
import { setImmediate as yieldToLoop } from "node:timers/promises";
import { freshNonce, NoncePool, ownPaillierKey, publicPaillierKey, scaleDemand, signSessionNonceDemand, type KeyShare, type NonceDemand, type NoncePower } from "@/lib/mpc";
import type { PaillierPublicKey } from "@/lib/mpc/paillier";

/**
 * The server party's precomputed Paillier nonces (spec §6.4), per signer and modulus: r^N mod N²
 * does not depend on the message, so a background worker computes them ahead and signing only
 * multiplies. r is secret (it opens the ciphertext it masks): each row is sealed under the master
 * key with its id, signer and modulus as associated data, and leaves the table in the statement
 * that claims it (DELETE … FOR UPDATE SKIP LOCKED … RETURNING), so no two sessions — on one
 * instance or several — ever receive the same nonce. A short pool only costs time: the protocol
 * computes whatever it did not get.
 */

/** SHA-256 (hex) of N's hex form: which key a nonce belongs to, without storing N itself again. */
export function modulusId(N: bigint): string {
  return createHash("sha256").update(N.toString(16)).digest("hex");
}

const context = (id: string, signerId: string, modulus: string) => `paillier-nonce:${id}:${signerId}:${modulus}`;

function encode(n: NoncePower): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ r: n.r.toString(16), rN: n.rN.toString(16) }));
}

function decode(bytes: Uint8Array): NoncePower {
  const j = JSON.parse(new TextDecoder().decode(bytes)) as { r: string; rN: string };
  return { r: BigInt(`0x${j.r}`), rN: BigInt(`0x${j.rN}`) };
}

export async function addNonces(db: DbOrTx, signerId: string, N: bigint, nonces: readonly NoncePower[]): Promise<void> {
  if (nonces.length === 0) return;
  const modulus = modulusId(N);
  await db.paillierNonce.createMany({
    data: nonces.map((n) => {
      const id = randomUUID();
      return { id, signerId, modulus, sealed: sealSecret(encode(n), context(id, signerId, modulus)) as object };
    }),
  });
}

export async function noncePoolSize(db: DbOrTx, signerId: string, N: bigint): Promise<number> {
  return db.paillierNonce.count({ where: { signerId, modulus: modulusId(N) } });
}

/**
 * Takes up to `demand` nonces out of the store atomically (fewer when it runs short) into an
 * in-memory pool for one protocol step. Locked rows of a concurrent claim are skipped, not waited for.
 */
export async function claimNonces(db: DbOrTx, signerId: string, demand: NonceDemand): Promise<NoncePool> {
  const pool = new NoncePool();
  for (const { N, count } of demand) {
    if (count <= 0) continue;
    const modulus = modulusId(N);
    const rows = await db.$queryRaw<{ id: string; sealed: SealedBlob }[]>`
      DELETE FROM "paillier_nonces" WHERE "id" IN (
        SELECT "id" FROM "paillier_nonces" WHERE "signer_id" = ${signerId}::uuid AND "modulus" = ${modulus}
        ORDER BY "created_at" LIMIT ${count} FOR UPDATE SKIP LOCKED
      ) RETURNING "id", "sealed"`;
    pool.add(N, ...rows.map((r) => decode(openSecret(r.sealed, context(r.id, signerId, modulus)))));
  }
  return pool;
}

/**
 * Puts back what a step claimed but did not take (a round that did not complete). Only untaken
 * entries come back: a nonce the protocol used is gone from the pool object, even if the step's
 * result was then thrown away.
 */
export async function returnUnusedNonces(db: DbOrTx, signerId: string, pool: NoncePool): Promise<number> {
  let returned = 0;
  for (const { N, nonces } of pool.drain()) {
    await addNonces(db, signerId, N, nonces);
    returned += nonces.length;
  }
  return returned;
}

/**
 * Claims the nonces of one step, runs it, and returns what it left. The claim is its own statement
 * (not part of the caller's transaction), so a nonce is out of the store before anything uses it.
 */
export async function withClaimedNonces<T>(db: Db, signerId: string, demand: NonceDemand, run: (pool: NoncePool | undefined) => Promise<T> | T): Promise<T> {
  if (demand.every((d) => d.count <= 0)) return run(undefined);
  const pool = await claimNonces(db, signerId, demand);
  try {
    return await run(pool);
  } finally {
    await returnUnusedNonces(db, signerId, pool);
  }
}

/**
 * What `sessions` signing sessions of the server's party (index `share.core.index`) take with each
 * possible co-signer: own-key nonces for both pairs, each peer's for its pair.
 */
export function serverPoolDemand(share: KeyShare, sessions: number): NonceDemand {
  const self = share.core.index;
  const peers = share.aux.parties.map((_, j) => j).filter((j) => j !== self);
  const perPair = peers.map((j) => signSessionNonceDemand(share, [self, j].sort((a, b) => a - b)));
  // Own-key demand is the same for every pair: keep one pair's worth, plus each peer's own share.
  const own = perPair[0]!.filter((d) => d.N === perPair[0]![0]!.N);
  const peerParts = perPair.flatMap((d) => d.filter((x) => x.N !== own[0]!.N));
  return scaleDemand([...own, ...peerParts], sessions);
}

/** Computes one nonce for a key (CRT when it is a secret key): inline, or on the nonce worker thread. */
export type NonceCompute = (key: PaillierPublicKey) => NoncePower | Promise<NoncePower>;

/**
 * Tops one signer's store up to `sessions` sessions' worth, one nonce per macrotask. `compute`
 * defaults to computing inline (a full-size exponentiation holds the event loop for tens of
 * milliseconds); the server's filler passes its worker thread's (lib/signing/nonce-worker.ts).
 * Own-key nonces use CRT with the share's primes. Returns how many were added.
 */
export async function topUpSignerNonces(db: DbOrTx, opts: { signerId: string; share: KeyShare; sessions: number; signal?: AbortSignal; compute?: NonceCompute }): Promise<number> {
  const compute = opts.compute ?? freshNonce;
  let added = 0;
  const own = ownPaillierKey(opts.share);
  for (const { N, count } of serverPoolDemand(opts.share, opts.sessions)) {
    const key = N === own.N ? own : publicPaillierKey(N);
    let have = await noncePoolSize(db, opts.signerId, N);
    while (have < count) {
      if (opts.signal?.aborted) return added;
      const batch: NoncePower[] = [];
      for (let k = 0; k < Math.min(4, count - have); k++) {
        // Checked before each nonce: a stopped filler must not start (or restart) its worker.
        if (opts.signal?.aborted) return added;
        batch.push(await compute(key));
        await yieldToLoop();
      }
      if (opts.signal?.aborted) return added;
      await addNonces(db, opts.signerId, N, batch);
      have += batch.length;
      added += batch.length;
    }
  }
  return added;
}
