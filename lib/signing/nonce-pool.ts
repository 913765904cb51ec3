import { createHash, randomUUID } from "node:crypto";
import type { Db, DbOrTx } from "@/lib/db/client";
import { openSecret, sealSecret, type SealedBlob } from "@/lib/keystore";
import { setImmediate as yieldToLoop } from "node:timers/promises";
import {
  freshMask,
  freshNonce,
  isMaskDemand,
  maskSlotKey,
  NoncePool,
  ownPaillierKey,
  publicPaillierKey,
  scaleDemand,
  signSessionNonceDemand,
  type KeyShare,
  type MaskSlot,
  type NonceDemand,
  type NonceDemandEntry,
  type NoncePower,
  type PedersenMask,
  type SecurityProfile,
} from "@/lib/mpc";
import type { PaillierPublicKey } from "@/lib/mpc/paillier";

/**
 * The server party's precomputed secret powers (spec §6.4), per signer: Paillier nonces r, r^N mod
 * N² per modulus, and ring-Pedersen masks y, t^y mod N̂ per verifier and range (lib/mpc/nonces.ts).
 * Neither depends on the message, so a background worker computes them ahead and signing only
 * multiplies. r and y are secret (r opens the ciphertext it masks, y the commitment): each row is
 * sealed under the master key with its id, signer and slot as associated data, and leaves the table
 * in the statement that claims it (DELETE … FOR UPDATE SKIP LOCKED … RETURNING), so no two sessions
 * — on one instance or several — ever receive the same entry. A short pool only costs time: the
 * protocol computes whatever it did not get. Both kinds share the table `paillier_nonces`; its
 * `modulus` column holds the slot's id.
 */

/** SHA-256 (hex) of N's hex form: which key a nonce belongs to, without storing N itself again. */
export function modulusId(N: bigint): string {
  return createHash("sha256").update(N.toString(16)).digest("hex");
}

/** SHA-256 (hex) of a mask slot's key (profile, range, N̂, s, t): which masks a row holds. */
export function maskSlotId(slot: MaskSlot): string {
  return createHash("sha256").update(`pedersen-mask:${maskSlotKey(slot)}`).digest("hex");
}

const slotIdOf = (d: NonceDemandEntry) => (isMaskDemand(d) ? maskSlotId(d.mask) : modulusId(d.N));

const nonceContext = (id: string, signerId: string, modulus: string) => `paillier-nonce:${id}:${signerId}:${modulus}`;
const maskContext = (id: string, signerId: string, slot: string) => `pedersen-mask:${id}:${signerId}:${slot}`;

const signedHex = (x: bigint) => (x < 0n ? `-${(-x).toString(16)}` : x.toString(16));
const fromSignedHex = (h: string) => (h.startsWith("-") ? -BigInt(`0x${h.slice(1)}`) : BigInt(`0x${h}`));

function encodeNonce(n: NoncePower): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ r: n.r.toString(16), rN: n.rN.toString(16) }));
}

function decodeNonce(bytes: Uint8Array): NoncePower {
  const j = JSON.parse(new TextDecoder().decode(bytes)) as { r: string; rN: string };
  return { r: BigInt(`0x${j.r}`), rN: BigInt(`0x${j.rN}`) };
}

function encodeMask(m: PedersenMask): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ y: signedHex(m.y), ty: m.ty.toString(16) }));
}

function decodeMask(bytes: Uint8Array): PedersenMask {
  const j = JSON.parse(new TextDecoder().decode(bytes)) as { y: string; ty: string };
  return { y: fromSignedHex(j.y), ty: BigInt(`0x${j.ty}`) };
}

/** One sealed row per entry, each under its own id, the signer and the slot as associated data. */
async function insertSealed(db: DbOrTx, signerId: string, modulus: string, plaintexts: readonly Uint8Array[], context: (id: string, signerId: string, slot: string) => string): Promise<void> {
  if (plaintexts.length === 0) return;
  await db.paillierNonce.createMany({
    data: plaintexts.map((plain) => {
      const id = randomUUID();
      return { id, signerId, modulus, sealed: sealSecret(plain, context(id, signerId, modulus)) as object };
    }),
  });
}

export async function addNonces(db: DbOrTx, signerId: string, N: bigint, nonces: readonly NoncePower[]): Promise<void> {
  await insertSealed(db, signerId, modulusId(N), nonces.map(encodeNonce), nonceContext);
}

export async function addMasks(db: DbOrTx, signerId: string, slot: MaskSlot, masks: readonly PedersenMask[]): Promise<void> {
  await insertSealed(db, signerId, maskSlotId(slot), masks.map(encodeMask), maskContext);
}

export async function noncePoolSize(db: DbOrTx, signerId: string, N: bigint): Promise<number> {
  return db.paillierNonce.count({ where: { signerId, modulus: modulusId(N) } });
}

export async function maskPoolSize(db: DbOrTx, signerId: string, slot: MaskSlot): Promise<number> {
  return db.paillierNonce.count({ where: { signerId, modulus: maskSlotId(slot) } });
}

/**
 * Takes up to `demand` entries out of the store atomically (fewer when it runs short) into an
 * in-memory pool for one protocol step: one statement for every slot of the demand. Locked rows of a
 * concurrent claim are skipped, not waited for.
 */
export async function claimNonces(db: DbOrTx, signerId: string, demand: NonceDemand): Promise<NoncePool> {
  const pool = new NoncePool();
  // One entry per slot (merged), so the statement never hands a row to two entries.
  const wanted = scaleDemand(demand, 1).filter((d) => d.count > 0);
  if (wanted.length === 0) return pool;
  const slots = wanted.map(slotIdOf);
  const rows = await db.$queryRaw<{ id: string; modulus: string; sealed: SealedBlob }[]>`
    DELETE FROM "paillier_nonces" WHERE "id" IN (
      SELECT n."id" FROM unnest(${slots}::text[], ${wanted.map((d) => d.count)}::int[]) AS d(modulus, count)
      CROSS JOIN LATERAL (
        SELECT "id" FROM "paillier_nonces" WHERE "signer_id" = ${signerId}::uuid AND "modulus" = d.modulus
        ORDER BY "created_at" LIMIT d.count FOR UPDATE SKIP LOCKED
      ) n
    ) RETURNING "id", "modulus", "sealed"`;
  wanted.forEach((d, k) => {
    const modulus = slots[k]!;
    const mine = rows.filter((r) => r.modulus === modulus);
    if (isMaskDemand(d)) pool.addMasks(d.mask, ...mine.map((r) => decodeMask(openSecret(r.sealed, maskContext(r.id, signerId, modulus)))));
    else pool.add(d.N, ...mine.map((r) => decodeNonce(openSecret(r.sealed, nonceContext(r.id, signerId, modulus)))));
  });
  return pool;
}

/**
 * Puts back what a step claimed but did not take (a round that did not complete). Only untaken
 * entries come back: one the protocol used is gone from the pool object, even if the step's result
 * was then thrown away.
 */
export async function returnUnusedNonces(db: DbOrTx, signerId: string, pool: NoncePool): Promise<number> {
  let returned = 0;
  for (const { N, nonces } of pool.drain()) {
    await addNonces(db, signerId, N, nonces);
    returned += nonces.length;
  }
  for (const { slot, masks } of pool.drainMasks()) {
    await addMasks(db, signerId, slot, masks);
    returned += masks.length;
  }
  return returned;
}

/**
 * Claims the entries of one step, runs it, and returns what it left. The claim is its own statement
 * (not part of the caller's transaction), so an entry is out of the store before anything uses it.
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
 * possible co-signer: own-key nonces for both pairs, each peer's nonces and masks for its pair.
 */
export function serverPoolDemand(share: KeyShare, sessions: number, profile: SecurityProfile): NonceDemand {
  const self = share.core.index;
  const ownN = BigInt("0x" + share.aux.parties[self]!.N);
  const isOwn = (d: NonceDemandEntry) => !isMaskDemand(d) && d.N === ownN;
  const peers = share.aux.parties.map((_, j) => j).filter((j) => j !== self);
  const perPair = peers.map((j) => signSessionNonceDemand(share, [self, j].sort((a, b) => a - b), profile));
  // Own-key demand is the same for every pair: keep one pair's worth, plus each peer's own share.
  const own = perPair[0]!.filter(isOwn);
  const peerParts = perPair.flatMap((d) => d.filter((x) => !isOwn(x)));
  return scaleDemand([...own, ...peerParts], sessions);
}

/** Computes one nonce for a key (CRT when it is a secret key): inline, or on the nonce worker thread. */
export type NonceCompute = (key: PaillierPublicKey) => NoncePower | Promise<NoncePower>;
/** Computes one ring-Pedersen mask for a slot: inline, or on the nonce worker thread. */
export type MaskCompute = (slot: MaskSlot) => PedersenMask | Promise<PedersenMask>;

/**
 * Tops one signer's store up to `sessions` sessions' worth, one entry per macrotask. `compute` and
 * `computeMask` default to computing inline (a full-size exponentiation holds the event loop for
 * milliseconds); the server's filler passes its worker thread's (lib/signing/nonce-worker.ts).
 * Own-key nonces use CRT with the share's primes. Returns how many entries were added.
 */
export async function topUpSignerNonces(
  db: DbOrTx,
  opts: { signerId: string; share: KeyShare; sessions: number; profile: SecurityProfile; signal?: AbortSignal; compute?: NonceCompute; computeMask?: MaskCompute },
): Promise<number> {
  const compute = opts.compute ?? freshNonce;
  const computeMask = opts.computeMask ?? freshMask;
  let added = 0;
  const own = ownPaillierKey(opts.share);
  for (const d of serverPoolDemand(opts.share, opts.sessions, opts.profile)) {
    // Per entry: its size in the store, how to compute one, how to store a batch.
    added += isMaskDemand(d)
      ? await topUpSlot(d.count, { size: () => maskPoolSize(db, opts.signerId, d.mask), next: () => computeMask(d.mask), store: (b) => addMasks(db, opts.signerId, d.mask, b) }, opts.signal)
      : await topUpSlot(
          d.count,
          { size: () => noncePoolSize(db, opts.signerId, d.N), next: () => compute(d.N === own.N ? own : publicPaillierKey(d.N)), store: (b) => addNonces(db, opts.signerId, d.N, b) },
          opts.signal,
        );
    if (opts.signal?.aborted) return added;
  }
  return added;
}

type SlotFiller<T> = { size: () => Promise<number>; next: () => T | Promise<T>; store: (batch: T[]) => Promise<void> };

/** Fills one slot to `count` in batches of up to 4, one entry per macrotask. Returns how many were added. */
async function topUpSlot<T>(count: number, slot: SlotFiller<T>, signal?: AbortSignal): Promise<number> {
  let have = await slot.size();
  let added = 0;
  while (have < count) {
    if (signal?.aborted) return added;
    const batch: T[] = [];
    for (let k = 0; k < Math.min(4, count - have); k++) {
      // Checked before each entry: a stopped filler must not start (or restart) its worker.
      if (signal?.aborted) return added;
      batch.push(await slot.next());
      await yieldToLoop();
    }
    if (signal?.aborted) return added;
    await slot.store(batch);
    have += batch.length;
    added += batch.length;
  }
  return added;
}
