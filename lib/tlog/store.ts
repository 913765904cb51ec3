import { createHash } from "node:crypto";
import type { Db, DbOrTx, Tx } from "@/lib/db/client";
import { openSecret, sealSecret, type SealedBlob } from "@/lib/keystore";
import { consistencyProof, EMPTY_ROOT, hashChildren, HASH_SIZE, inclusionProof, rootHash, type Hash, type NodeReader } from "./merkle";
import { ALG_ED25519, encodeVkey, formatCheckpoint, generateSigner, parseNote, signerFromSeed, signNote, type Signer } from "./note";
import { TILE_HEIGHT, TILE_WIDTH } from "./tiles";
import { WitnessConfigError, witnessConfig, witnessNote } from "./witnesses";
import { ServiceUnavailableError } from "@/lib/http/errors";
import { log } from "@/lib/log/logger";

/**
 * The log in the database: tiles (C2SP tlog-tiles) hold every hash at levels 0, 8, 16, …; the last
 * tile of each level grows in place. A sequencer (any instance, serialised by a transaction-scoped
 * advisory lock) gives pending entries the next indexes, extends the tiles and the state's root;
 * the checkpointer signs the state as a checkpoint. Proofs read a handful of tiles.
 */
export class TlogError extends Error {}
export class TlogNotFoundError extends TlogError {}

/** pg_advisory_xact_lock key of the sequencer (one per database). */
const SEQUENCER_LOCK = 72_707_371;
const KEY_CONTEXT = "tlog/log-key";
const STATE_ID = 1;
const MAX_BATCH = 20_000;

export type TileKey = `${number}/${number}`;
const tileKey = (level: number, index: number): TileKey => `${level}/${index}`;

/** Which stored tile (tile level, tile index) holds node (level, index), and where. */
function locate(level: number, index: number) {
  const tileLevel = Math.floor(level / TILE_HEIGHT);
  const r = level - tileLevel * TILE_HEIGHT;
  const first = index * 2 ** r;
  return { tileLevel, tileIndex: Math.floor(first / TILE_WIDTH), offset: first % TILE_WIDTH, count: 2 ** r };
}

function foldHashes(hashes: Hash[]): Hash {
  let layer = hashes;
  while (layer.length > 1) {
    const next: Hash[] = [];
    for (let i = 0; i < layer.length; i += 2) next.push(hashChildren(layer[i]!, layer[i + 1]!));
    layer = next;
  }
  return layer[0]!;
}

function hashAt(tile: Uint8Array, i: number): Hash {
  return tile.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE);
}

/**
 * RFC 6962 interior hash with Node's (OpenSSL) SHA-256: folding a tile's hashes is the hot loop of a
 * proof, several times faster than the pure-JS hash. tests/tlog/store.test.ts checks it against merkle.ts.
 */
export function hashChildrenNative(left: Hash, right: Hash): Hash {
  return new Uint8Array(createHash("sha256").update(NODE_PREFIX).update(left).update(right).digest());
}
const NODE_PREFIX = Uint8Array.of(0x01);

/** A NodeReader over loaded tiles; nodes between stored levels are folded from their tile (memoised). */
export function tileReader(tiles: Map<TileKey, Uint8Array>): NodeReader {
  const memo = new Map<string, Hash>();
  const read: NodeReader = (level, index) => {
    const { tileLevel, tileIndex, offset, count } = locate(level, index);
    const tile = tiles.get(tileKey(tileLevel, tileIndex));
    if (!tile || tile.length < (offset + count) * HASH_SIZE) throw new TlogError(`tile ${tileLevel}/${tileIndex} is missing hashes`);
    if (count === 1) return hashAt(tile, offset);
    const key = `${level}/${index}`;
    let h = memo.get(key);
    if (!h) memo.set(key, (h = hashChildrenNative(read(level - 1, 2 * index), read(level - 1, 2 * index + 1))));
    return h;
  };
  return read;
}

async function loadTiles(db: DbOrTx, keys: Iterable<TileKey>, into = new Map<TileKey, Uint8Array>()): Promise<Map<TileKey, Uint8Array>> {
  const wanted = [...new Set(keys)].filter((k) => !into.has(k));
  if (!wanted.length) return into;
  const rows = await db.tlogTile.findMany({
    where: { OR: wanted.map((k) => { const [l, i] = k.split("/").map(Number); return { level: l!, tileIndex: BigInt(i!) }; }) },
  });
  for (const r of rows) into.set(tileKey(r.level, Number(r.tileIndex)), new Uint8Array(r.hashes));
  return into;
}

/**
 * Tiles this process has read. Safe to reuse: a tile only grows (its hashes are a prefix of every
 * later version, enforced by a trigger), so a cached tile serves any node within its width; a node
 * beyond it is read again. Bounded (least recently used out).
 */
const TILE_CACHE_MAX = 4096;
const tileCache = new Map<TileKey, Uint8Array>();

function cacheGet(k: TileKey, width: number): Uint8Array | undefined {
  const t = tileCache.get(k);
  if (!t || t.length < width * HASH_SIZE) return undefined;
  tileCache.delete(k);
  tileCache.set(k, t);
  return t;
}

function cachePut(k: TileKey, t: Uint8Array) {
  tileCache.delete(k);
  tileCache.set(k, t);
  while (tileCache.size > TILE_CACHE_MAX) tileCache.delete(tileCache.keys().next().value!);
}

/**
 * Runs a pure computation over the tree: first with a recording reader to learn which tiles (and how
 * wide) it needs — the algorithms' control flow does not depend on hash values — then over those
 * tiles, from `cache` when given (read from the database otherwise), else from this process's tile
 * cache and the database.
 */
export async function withTree<T>(db: DbOrTx, fn: (read: NodeReader) => T, cache?: Map<TileKey, Uint8Array>): Promise<T> {
  const need = new Map<TileKey, number>();
  const zero = new Uint8Array(HASH_SIZE);
  fn((level, index) => {
    const { tileLevel, tileIndex, offset, count } = locate(level, index);
    const k = tileKey(tileLevel, tileIndex);
    need.set(k, Math.max(need.get(k) ?? 0, offset + count));
    return zero;
  });
  if (cache) return fn(tileReader(await loadTiles(db, need.keys(), cache)));
  const tiles = new Map<TileKey, Uint8Array>();
  const missing: TileKey[] = [];
  for (const [k, width] of need) {
    const t = cacheGet(k, width);
    if (t) tiles.set(k, t);
    else missing.push(k);
  }
  if (missing.length) {
    const fetched = await loadTiles(db, missing);
    for (const [k, t] of fetched) {
      tiles.set(k, t);
      cachePut(k, t);
    }
  }
  return fn(tileReader(tiles));
}

// --- state and key ---

export type LogState = { origin: string; treeSize: number; rootHash: Hash; publicKey: Uint8Array };

export function defaultOrigin(): string {
  const configured = process.env.COUNTERSIGN_TLOG_ORIGIN?.trim();
  if (configured) return configured;
  const base = process.env.COUNTERSIGN_ORIGIN ?? `http://localhost:${process.env.PORT ?? 3000}`;
  return `${new URL(base).host}/transparency-log`;
}

/** Creates the log (origin, Ed25519 key sealed under the master key) once per database. */
export async function ensureLog(db: Db): Promise<LogState> {
  const found = await db.tlogState.findUnique({ where: { id: STATE_ID } });
  if (found) return toState(found);
  const origin = defaultOrigin();
  const signer = generateSigner(origin);
  await db.tlogState.createMany({
    data: [{ id: STATE_ID, origin, treeSize: 0n, rootHash: Buffer.from(EMPTY_ROOT), publicKey: Buffer.from(signer.publicKey), sealedPrivateKey: sealSecret(signer.seed, KEY_CONTEXT) as object }],
    skipDuplicates: true,
  });
  return toState((await db.tlogState.findUniqueOrThrow({ where: { id: STATE_ID } })));
}

function toState(r: { origin: string; treeSize: bigint; rootHash: Uint8Array; publicKey: Uint8Array }): LogState {
  return { origin: r.origin, treeSize: Number(r.treeSize), rootHash: new Uint8Array(r.rootHash), publicKey: new Uint8Array(r.publicKey) };
}

export async function logState(db: DbOrTx): Promise<LogState | null> {
  const r = await db.tlogState.findUnique({ where: { id: STATE_ID } });
  return r ? toState(r) : null;
}

async function logSigner(db: DbOrTx): Promise<Signer> {
  const r = await db.tlogState.findUniqueOrThrow({ where: { id: STATE_ID } });
  const seed = openSecret(r.sealedPrivateKey as unknown as SealedBlob, KEY_CONTEXT);
  return signerFromSeed(r.origin, seed, ALG_ED25519);
}

/** The log's verifier key (C2SP vkey), for pinning by verifiers. */
export function logVkey(state: LogState): string {
  return encodeVkey({ name: state.origin, alg: ALG_ED25519, publicKey: state.publicKey });
}

// --- sequencer ---

/** Appends hashes to the tiles after `size` leaves; returns the tiles written (for the new root). */
async function extendTiles(tx: Tx, size: number, leafHashes: Hash[]): Promise<Map<TileKey, Uint8Array>> {
  const touched = new Map<TileKey, Uint8Array>();
  let incoming = leafHashes;
  for (let level = 0; incoming.length > 0; level++) {
    const existing = Math.floor(size / TILE_WIDTH ** level);
    let tileIndex = Math.floor(existing / TILE_WIDTH);
    const offset = existing % TILE_WIDTH;
    let current: Hash[] = [];
    if (offset > 0) {
      const row = await tx.tlogTile.findUnique({ where: { level_tileIndex: { level, tileIndex: BigInt(tileIndex) } } });
      if (!row || row.hashes.length < offset * HASH_SIZE) throw new TlogError(`tile ${level}/${tileIndex} is shorter than the tree`);
      const bytes = new Uint8Array(row.hashes);
      current = Array.from({ length: offset }, (_, i) => hashAt(bytes, i));
    }
    const completed: Hash[] = [];
    let queue = [...current, ...incoming];
    while (queue.length > 0) {
      const chunk = queue.slice(0, TILE_WIDTH);
      queue = queue.slice(TILE_WIDTH);
      const bytes = new Uint8Array(chunk.length * HASH_SIZE);
      chunk.forEach((h, i) => bytes.set(h, i * HASH_SIZE));
      touched.set(tileKey(level, tileIndex), bytes);
      if (chunk.length === TILE_WIDTH) completed.push(foldHashes(chunk));
      tileIndex++;
    }
    incoming = completed;
  }
  const writes = [...touched.entries()].map(([k, bytes]) => {
    const [level, index] = k.split("/").map(Number) as [number, number];
    return { level, tileIndex: BigInt(index), hashes: Buffer.from(bytes) };
  });
  for (const w of writes) {
    await tx.tlogTile.upsert({ where: { level_tileIndex: { level: w.level, tileIndex: w.tileIndex } }, create: w, update: { hashes: w.hashes } });
  }
  return touched;
}

async function lockSequencer(tx: Tx) {
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${SEQUENCER_LOCK})`);
}

/**
 * Gives pending entries (committed by their decisions' transactions) the next leaf indexes, in
 * insertion order, without gaps; extends the tiles and the state's root. Returns the new size.
 */
export async function sequence(db: Db, maxBatch = MAX_BATCH): Promise<number> {
  await ensureLog(db);
  return db.$transaction(async (tx) => sequenceIn(tx, maxBatch), { timeout: 60_000, maxWait: 30_000 });
}

async function sequenceIn(tx: Tx, maxBatch: number): Promise<number> {
  await lockSequencer(tx);
  const state = await tx.tlogState.findUniqueOrThrow({ where: { id: STATE_ID } });
  const size = Number(state.treeSize);
  const pending = await tx.tlogEntry.findMany({ where: { leafIndex: null }, orderBy: { seq: "asc" }, take: maxBatch, select: { id: true, leafHash: true } });
  if (!pending.length) return size;
  await tx.$executeRawUnsafe(
    `UPDATE "tlog_entries" AS e SET "leaf_index" = v.idx, "sequenced_at" = now()
       FROM (SELECT unnest($1::uuid[]) AS id, unnest($2::bigint[]) AS idx) AS v WHERE e."id" = v.id`,
    pending.map((p) => p.id),
    pending.map((_, i) => String(size + i)),
  );
  const newSize = size + pending.length;
  const touched = await extendTiles(tx, size, pending.map((p) => new Uint8Array(p.leafHash)));
  const root = await withTree(tx, (read) => rootHash(read, newSize), touched);
  await tx.tlogState.update({ where: { id: STATE_ID }, data: { treeSize: BigInt(newSize), rootHash: Buffer.from(root), updatedAt: new Date() } });
  return newSize;
}

// --- checkpoints ---

export type StoredCheckpoint = { treeSize: number; rootHash: Hash; note: string; createdAt: Date };

function toCheckpoint(r: { treeSize: bigint; rootHash: Uint8Array; note: string; createdAt: Date }): StoredCheckpoint {
  return { treeSize: Number(r.treeSize), rootHash: new Uint8Array(r.rootHash), note: r.note, createdAt: r.createdAt };
}

export async function latestCheckpoint(db: DbOrTx): Promise<StoredCheckpoint | null> {
  const r = await db.tlogCheckpoint.findFirst({ orderBy: { treeSize: "desc" } });
  return r ? toCheckpoint(r) : null;
}

export async function checkpointAt(db: DbOrTx, size: number): Promise<StoredCheckpoint | null> {
  const r = await db.tlogCheckpoint.findUnique({ where: { treeSize: BigInt(size) } });
  return r ? toCheckpoint(r) : null;
}

/**
 * Sequences what is pending and signs a checkpoint of the result when it is larger than the last
 * one (or when there is none yet). Sizes only grow: the lock orders publishers, and the state's
 * size never shrinks. Any instance may call it; it is a no-op when nothing changed.
 */
export async function publish(db: Db): Promise<StoredCheckpoint> {
  await ensureLog(db);
  return db.$transaction(
    async (tx) => {
      const size = await sequenceIn(tx, MAX_BATCH);
      const last = await tx.tlogCheckpoint.findFirst({ orderBy: { treeSize: "desc" } });
      if (last && Number(last.treeSize) >= size) return toCheckpoint(last);
      const state = await tx.tlogState.findUniqueOrThrow({ where: { id: STATE_ID } });
      const text = formatCheckpoint({ origin: state.origin, size: state.treeSize, rootHash: new Uint8Array(state.rootHash), extensions: [] });
      let note = signNote(text, await logSigner(tx));
      const witnesses = configuredWitnesses();
      if (witnesses.witnesses.length) {
        const newSize = Number(state.treeSize);
        const w = await witnessNote(note, newSize, (old) => withTree(tx, (read) => consistencyProof(read, old, newSize), new Map()), witnesses);
        if (w.errors.length) log.warn("transparency log witnesses refused or failed", { errors: w.errors, size: newSize });
        // Without a quorum the previous checkpoint stays the latest (sequencing still commits); the next pass retries.
        if (w.note === null) {
          if (last) return toCheckpoint(last);
          throw new ServiceUnavailableError(`Transparency log: witness quorum (${witnesses.quorum}) not reached for the first checkpoint`);
        }
        note = w.note;
      }
      const row = await tx.tlogCheckpoint.create({ data: { treeSize: state.treeSize, rootHash: state.rootHash, note } });
      return toCheckpoint(row);
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}

function configuredWitnesses(): ReturnType<typeof witnessConfig> {
  try {
    return witnessConfig();
  } catch (err) {
    if (err instanceof WitnessConfigError) throw new ServiceUnavailableError(`Transparency log: ${err.message}`);
    throw err;
  }
}

/** True when entries wait for an index or the state is ahead of the last checkpoint. */
export async function needsPublish(db: DbOrTx): Promise<boolean> {
  const [pending, state, last] = await Promise.all([
    db.tlogEntry.findFirst({ where: { leafIndex: null }, select: { id: true } }),
    db.tlogState.findUnique({ where: { id: STATE_ID }, select: { treeSize: true } }),
    db.tlogCheckpoint.findFirst({ orderBy: { treeSize: "desc" }, select: { treeSize: true } }),
  ]);
  return !!pending || !state || !last || last.treeSize < state.treeSize;
}

/** The latest checkpoint, publishing first when leaves are waiting (lazy checkpointing on read). */
export async function currentCheckpoint(db: Db): Promise<StoredCheckpoint> {
  if (await needsPublish(db)) return publish(db);
  return (await latestCheckpoint(db)) ?? publish(db);
}

/** The checkpoint's signature line blob (key id || signature), base64, as /sth reports it. */
export function checkpointSignature(note: string): string {
  const sig = parseNote(note).signatures[0]!;
  return Buffer.from([...sig.keyId, ...sig.blob]).toString("base64");
}

// --- proofs and reads ---

export type Entry = { id: string; leafIndex: number | null; kind: string; organizationId: string | null; decisionId: string | null; leaf: Uint8Array; leafHash: Hash; createdAt: Date };

function toEntry(r: { id: string; leafIndex: bigint | null; kind: string; organizationId: string | null; decisionId: string | null; leaf: Uint8Array; leafHash: Uint8Array; createdAt: Date }): Entry {
  return { ...r, leafIndex: r.leafIndex === null ? null : Number(r.leafIndex), leaf: new Uint8Array(r.leaf), leafHash: new Uint8Array(r.leafHash) };
}

export async function entryAt(db: DbOrTx, index: number): Promise<Entry | null> {
  const r = await db.tlogEntry.findUnique({ where: { leafIndex: BigInt(index) } });
  return r ? toEntry(r) : null;
}

export async function entriesForDecision(db: DbOrTx, decisionId: string): Promise<Entry[]> {
  return (await db.tlogEntry.findMany({ where: { decisionId }, orderBy: { seq: "asc" } })).map(toEntry);
}

export async function entriesInRange(db: DbOrTx, start: number, end: number): Promise<Entry[]> {
  const rows = await db.tlogEntry.findMany({ where: { leafIndex: { gte: BigInt(start), lt: BigInt(end) } }, orderBy: { leafIndex: "asc" } });
  return rows.map(toEntry);
}

export async function proveInclusion(db: DbOrTx, index: number, size: number): Promise<Hash[]> {
  return withTree(db, (read) => inclusionProof(read, index, size));
}

export async function proveConsistency(db: DbOrTx, first: number, second: number): Promise<Hash[]> {
  return withTree(db, (read) => consistencyProof(read, first, second));
}

export async function rootAt(db: DbOrTx, size: number): Promise<Hash> {
  return withTree(db, (read) => rootHash(read, size));
}

/** A stored tile's hashes (possibly wider than asked); null when it does not exist. */
export async function readTile(db: DbOrTx, level: number, index: number): Promise<Uint8Array | null> {
  const r = await db.tlogTile.findUnique({ where: { level_tileIndex: { level, tileIndex: BigInt(index) } } });
  return r ? new Uint8Array(r.hashes) : null;
}
