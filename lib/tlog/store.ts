import { hash as nodeHash } from "node:crypto";
import type { Db, DbOrTx, Tx } from "@/lib/db/client";
import { openSecret, sealSecret, type SealedBlob } from "@/lib/keystore";
import { consistencyProof, EMPTY_ROOT, hashChildren, HASH_SIZE, inclusionProof, rootHash, type Hash, type NodeReader } from "./merkle";
import { ALG_ED25519, encodeVkey, formatCheckpoint, generateSigner, parseNote, signerFromSeed, signNote, type Signer } from "./note";
import { TILE_HEIGHT, TILE_WIDTH } from "./tiles";
import { knownWitnessSizes, saveWitnessSizes, WitnessConfigError, witnessConfig, witnessNote } from "./witnesses";
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

function hashAt(tile: Uint8Array, i: number): Hash {
  return tile.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE);
}

/**
 * RFC 6962 interior hash with Node's (OpenSSL) SHA-256: folding a tile's hashes is the hot loop of a
 * proof and of the sequencer, several times faster than the pure-JS hash. tests/tlog/store.test.ts
 * checks it against merkle.ts.
 */
export function hashChildrenNative(left: Hash, right: Hash): Hash {
  const buf = new Uint8Array(1 + 2 * HASH_SIZE);
  buf[0] = 0x01;
  buf.set(left, 1);
  buf.set(right, 1 + HASH_SIZE);
  return new Uint8Array(nodeHash("sha256", buf, "buffer"));
}

const FULL_TILE_BYTES = TILE_WIDTH * HASH_SIZE;
/** Hashes of a full tile's interior levels 1..7 (128 + 64 + … + 2), stored in its `nodes`. */
const INTERIOR_HASHES = TILE_WIDTH - 2;
/** Where level r (1..7) of a tile's subtree starts in `nodes`, in hashes. */
const levelStart = (r: number) => TILE_WIDTH - (TILE_WIDTH >> (r - 1));

/**
 * Folds a full tile's 256 hashes: its root (the hash it contributes to the next tile level) and
 * its interior nodes (levels 1..7, concatenated level by level).
 */
function foldTile(tile: Uint8Array): { root: Hash; nodes: Uint8Array } {
  const nodes = new Uint8Array(INTERIOR_HASHES * HASH_SIZE);
  let layer: Hash[] = Array.from({ length: tile.length / HASH_SIZE }, (_, i) => hashAt(tile, i));
  for (let r = 1; layer.length > 1; r++) {
    const next: Hash[] = new Array(layer.length / 2);
    for (let i = 0; i < next.length; i++) next[i] = hashChildrenNative(layer[2 * i]!, layer[2 * i + 1]!);
    if (next.length > 1) next.forEach((h, i) => nodes.set(h, (levelStart(r) + i) * HASH_SIZE));
    layer = next;
  }
  return { root: layer[0]!, nodes };
}

/**
 * Interior nodes per tile bytes object: a full tile's stored `nodes` when the row has them, else
 * folded on demand and memoised (the nodes within a tile's width never change, so both are
 * reusable for as long as that tile object is cached).
 */
const storedNodes = new WeakMap<Uint8Array, Uint8Array>();
const foldedNodes = new WeakMap<Uint8Array, Map<number, Hash>>();

/**
 * A NodeReader over loaded tiles; nodes between stored levels are folded from their tile (memoised:
 * per call, and across calls per tile object when `shareFull`).
 */
export function tileReader(tiles: Map<TileKey, Uint8Array>, opts: { shareFull?: boolean } = {}): NodeReader {
  const memo = new Map<string, Hash>();
  const read: NodeReader = (level, index) => {
    const { tileLevel, tileIndex, offset, count } = locate(level, index);
    const tile = tiles.get(tileKey(tileLevel, tileIndex));
    if (!tile || tile.length < (offset + count) * HASH_SIZE) throw new TlogError(`tile ${tileLevel}/${tileIndex} is missing hashes`);
    if (count === 1) return hashAt(tile, offset);
    let nodes: Map<number, Hash> | undefined;
    let key: number | string;
    const r = level - tileLevel * TILE_HEIGHT;
    const stored = opts.shareFull ? storedNodes.get(tile) : undefined;
    if (stored && r < TILE_HEIGHT) return hashAt(stored, levelStart(r) + (offset >> r));
    // A node inside the tile's width never changes (a tile only grows), so memoising per bytes object is safe, full or partial.
    if (opts.shareFull) {
      nodes = foldedNodes.get(tile);
      if (!nodes) foldedNodes.set(tile, (nodes = new Map()));
      key = r * TILE_WIDTH + offset;
    } else {
      key = `${level}/${index}`;
    }
    let h = nodes ? nodes.get(key as number) : memo.get(key as string);
    if (!h) {
      h = hashChildrenNative(read(level - 1, 2 * index), read(level - 1, 2 * index + 1));
      if (nodes) nodes.set(key as number, h);
      else memo.set(key as string, h);
    }
    return h;
  };
  return read;
}

/**
 * Reads tiles by key in one query (raw SQL: a proof's few rows, without an ORM round of mapping);
 * with `nodes`, a full tile's stored interior nodes come along (kept beside its bytes).
 */
async function loadTiles(db: DbOrTx, keys: Iterable<TileKey>, into = new Map<TileKey, Uint8Array>(), opts: { nodes?: boolean } = {}): Promise<Map<TileKey, Uint8Array>> {
  const wanted = [...new Set(keys)].filter((k) => !into.has(k));
  if (!wanted.length) return into;
  const pairs = wanted.map((k) => `(${k.split("/").map((n) => String(Number(n))).join(",")})`).join(",");
  const rows = await db.$queryRawUnsafe<{ level: number; tile_index: bigint | number | string; hashes: string; nodes: string | null }[]>(
    `SELECT "level", "tile_index", encode("hashes", 'hex') AS "hashes", ${opts.nodes ? `encode("nodes", 'hex')` : "NULL"} AS "nodes" FROM "tlog_tiles" WHERE ("level", "tile_index") IN (${pairs})`,
  );
  for (const r of rows) {
    const bytes = new Uint8Array(Buffer.from(r.hashes, "hex"));
    if (r.nodes && bytes.length === FULL_TILE_BYTES && r.nodes.length === INTERIOR_HASHES * HASH_SIZE * 2) storedNodes.set(bytes, new Uint8Array(Buffer.from(r.nodes, "hex")));
    into.set(tileKey(Number(r.level), Number(r.tile_index)), bytes);
  }
  return into;
}

/**
 * Tiles this process has read. Safe to reuse: a tile only grows (its hashes are a prefix of every
 * later version, enforced by a trigger), so a cached tile serves any node within its width; a node
 * beyond it is read again. Full tiles are immutable and keep their folded interior nodes with them.
 * Bounded (least recently used out).
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
  const had = tileCache.get(k);
  // Keep the cached object of a full tile (and so its folded nodes); a grown partial tile replaces the shorter one.
  if (had && had.length >= t.length) t = had;
  tileCache.delete(k);
  tileCache.set(k, t);
  while (tileCache.size > TILE_CACHE_MAX) tileCache.delete(tileCache.keys().next().value!);
}

/**
 * Runs a pure computation over the tree: first with a recording reader to learn which nodes it
 * needs — the algorithms' control flow does not depend on hash values — then over those nodes.
 * With `cache` (the monitor's and the sequencer's view): whole tiles, from `cache` or the database,
 * folded here, nothing shared with other calls. Without: each node is one 32-byte slice of a tile
 * row — a leaf-level hash from `hashes`, an interior node of a full tile from its stored `nodes` —
 * all fetched in one query, so a proof moves a few hundred bytes and hashes nothing; a tile without
 * stored nodes (written before they existed) is read whole, folded and cached.
 */
export async function withTree<T>(db: DbOrTx, fn: (read: NodeReader) => T, cache?: Map<TileKey, Uint8Array>): Promise<T> {
  const need = new Map<TileKey, number>();
  const slices = new Map<string, { tileLevel: number; tileIndex: number; src: 0 | 1; pos: number }>();
  const zero = new Uint8Array(HASH_SIZE);
  fn((level, index) => {
    const { tileLevel, tileIndex, offset, count } = locate(level, index);
    const k = tileKey(tileLevel, tileIndex);
    need.set(k, Math.max(need.get(k) ?? 0, offset + count));
    const r = level - tileLevel * TILE_HEIGHT;
    slices.set(`${level}/${index}`, count === 1 ? { tileLevel, tileIndex, src: 0, pos: offset } : { tileLevel, tileIndex, src: 1, pos: levelStart(r) + (offset >> r) });
    return zero;
  });
  if (cache) return fn(tileReader(await loadTiles(db, need.keys(), cache)));
  const got = new Map<string, Hash>();
  const keys = [...slices.keys()];
  if (keys.length) {
    const values = keys.map((k, i) => {
      const v = slices.get(k)!;
      return `(${i},${v.tileLevel},${v.tileIndex},${v.src},${v.pos * HASH_SIZE + 1})`;
    });
    const rows = await db.$queryRawUnsafe<{ k: number; h: Uint8Array | null }[]>(
      `SELECT v.k, CASE WHEN v.src = 0 THEN substring(t."hashes" FROM v.pos FOR ${HASH_SIZE}) ELSE substring(t."nodes" FROM v.pos FOR ${HASH_SIZE}) END AS h
         FROM (VALUES ${values.join(",")}) AS v(k, level, idx, src, pos) JOIN "tlog_tiles" t ON t."level" = v.level AND t."tile_index" = v.idx`,
    );
    for (const r of rows) if (r.h && r.h.length === HASH_SIZE) got.set(keys[Number(r.k)]!, new Uint8Array(r.h));
  }
  // Nodes inside a partial tile (the right edge) or a tile without stored nodes: fold its hashes.
  const folding = new Set<TileKey>();
  for (const k of keys) {
    if (got.has(k)) continue;
    const v = slices.get(k)!;
    folding.add(tileKey(v.tileLevel, v.tileIndex));
  }
  let fold: NodeReader | null = null;
  if (folding.size) {
    const tiles = new Map<TileKey, Uint8Array>();
    const missing: TileKey[] = [];
    for (const k of folding) {
      const t = cacheGet(k, need.get(k)!);
      if (t) tiles.set(k, t);
      else missing.push(k);
    }
    if (missing.length) {
      const fetched = await loadTiles(db, missing, new Map(), { nodes: true });
      for (const [k, t] of fetched) {
        cachePut(k, t);
        tiles.set(k, tileCache.get(k)!);
      }
    }
    fold = tileReader(tiles, { shareFull: true });
  }
  return fn((level, index) => {
    const h = got.get(`${level}/${index}`);
    if (h) return h;
    if (!fold) throw new TlogError(`node ${level}/${index} was not read`);
    return fold(level, index);
  });
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

/** The last (partial) tile of each level of a tree of `size` leaves: the only tiles an append changes. */
export function rightEdge(size: number): TileKey[] {
  const keys: TileKey[] = [];
  for (let level = 0, count = size; count > 0; level++, count = Math.floor(count / TILE_WIDTH)) {
    if (count % TILE_WIDTH) keys.push(tileKey(level, Math.floor(count / TILE_WIDTH)));
  }
  return keys;
}

/**
 * Appends leaf hashes after `size` leaves, in memory: starts from the right edge's partial tiles
 * (`edge`), fills and folds tiles level by level (a full tile's root goes up one tile level). Returns
 * every tile written (new or grown).
 */
export function growTiles(size: number, leafHashes: Hash[], edge: Map<TileKey, Uint8Array>): { tiles: Map<TileKey, Uint8Array>; nodes: Map<TileKey, Uint8Array> } {
  const touched = new Map<TileKey, Uint8Array>();
  const interior = new Map<TileKey, Uint8Array>();
  let incoming = leafHashes;
  for (let level = 0; incoming.length > 0; level++) {
    const existing = Math.floor(size / TILE_WIDTH ** level);
    let tileIndex = Math.floor(existing / TILE_WIDTH);
    let fill = existing % TILE_WIDTH;
    let prefix: Uint8Array | undefined;
    if (fill > 0) {
      prefix = edge.get(tileKey(level, tileIndex));
      if (!prefix || prefix.length < fill * HASH_SIZE) throw new TlogError(`tile ${level}/${tileIndex} is shorter than the tree`);
    }
    const completed: Hash[] = [];
    for (let pos = 0; pos < incoming.length; tileIndex++) {
      const take = Math.min(TILE_WIDTH - fill, incoming.length - pos);
      const bytes = new Uint8Array((fill + take) * HASH_SIZE);
      if (fill > 0) bytes.set(prefix!.subarray(0, fill * HASH_SIZE));
      for (let k = 0; k < take; k++) bytes.set(incoming[pos + k]!, (fill + k) * HASH_SIZE);
      touched.set(tileKey(level, tileIndex), bytes);
      if (fill + take === TILE_WIDTH) {
        const folded = foldTile(bytes);
        completed.push(folded.root);
        interior.set(tileKey(level, tileIndex), folded.nodes);
      }
      pos += take;
      fill = 0;
    }
    incoming = completed;
  }
  return { tiles: touched, nodes: interior };
}

/**
 * Writes tiles (insert, or grow in place: the trigger refuses anything but growth) and the interior
 * nodes of those that filled, and the state's new size and root, in one statement.
 */
async function writeTilesAndState(tx: Tx, tiles: Map<TileKey, Uint8Array>, nodes: Map<TileKey, Uint8Array>, size: number, root: Hash) {
  const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex");
  const levels: number[] = [];
  const indexes: string[] = [];
  const hashes: string[] = [];
  const interior: (string | null)[] = [];
  for (const [k, bytes] of tiles) {
    const [level, index] = k.split("/");
    levels.push(Number(level));
    indexes.push(index!);
    hashes.push(hex(bytes));
    const n = nodes.get(k);
    interior.push(n ? hex(n) : null);
  }
  await tx.$executeRawUnsafe(
    `WITH tiles AS (
       INSERT INTO "tlog_tiles" ("level", "tile_index", "hashes", "nodes")
       SELECT l, i, decode(h, 'hex'), decode(n, 'hex') FROM unnest($1::int[], $2::bigint[], $3::text[], $4::text[]) AS t(l, i, h, n)
       ON CONFLICT ("level", "tile_index") DO UPDATE SET "hashes" = EXCLUDED."hashes", "nodes" = COALESCE("tlog_tiles"."nodes", EXCLUDED."nodes")
     )
     UPDATE "tlog_state" SET "tree_size" = $5::bigint, "root_hash" = decode($6, 'hex'), "updated_at" = $7::timestamptz WHERE "id" = ${STATE_ID}`,
    levels,
    indexes,
    hashes,
    interior,
    String(size),
    hex(root),
    new Date(),
  );
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

/**
 * One batch, four statements under the lock: the state; the pending entries numbered and their
 * hashes returned by one UPDATE (a partial index finds them); the right edge's partial tiles; the
 * grown tiles (one upsert) and the new root (folded in memory from the right edge) in one statement.
 */
async function sequenceIn(tx: Tx, maxBatch: number): Promise<number> {
  await lockSequencer(tx);
  const state = await tx.tlogState.findUniqueOrThrow({ where: { id: STATE_ID }, select: { treeSize: true } });
  const size = Number(state.treeSize);
  const limit = Math.max(1, Math.floor(maxBatch));
  const numbered = await tx.$queryRawUnsafe<{ leaf_index: bigint | number | string; leaf_hash: string }[]>(
    `WITH p AS (SELECT "id", "seq" FROM "tlog_entries" WHERE "leaf_index" IS NULL ORDER BY "seq" LIMIT ${limit}),
          n AS (SELECT "id", $1::bigint + row_number() OVER (ORDER BY "seq") - 1 AS idx FROM p)
     UPDATE "tlog_entries" AS e SET "leaf_index" = n.idx, "sequenced_at" = now() FROM n WHERE e."id" = n."id"
     RETURNING e."leaf_index" AS leaf_index, encode(e."leaf_hash", 'hex') AS leaf_hash`,
    String(size),
  );
  if (!numbered.length) return size;
  const leafHashes: Hash[] = new Array(numbered.length);
  for (const r of numbered) leafHashes[Number(r.leaf_index) - size] = new Uint8Array(Buffer.from(r.leaf_hash, "hex"));
  const newSize = size + numbered.length;
  const edge = await loadTiles(tx, rightEdge(size));
  const { tiles: touched, nodes } = growTiles(size, leafHashes, edge);
  const root = rootHash(tileReader(new Map([...edge, ...touched])), newSize);
  await writeTilesAndState(tx, touched, nodes, newSize, root);
  // Nothing goes to the tile cache here: this transaction may still roll back.
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
 * size never shrinks. Any instance may call it; it is a no-op when nothing changed. With witnesses
 * configured, their network calls happen between two short locked transactions, never under the
 * sequencer's lock nor inside any transaction (appends and other instances carry on meanwhile).
 */
export async function publish(db: Db): Promise<StoredCheckpoint> {
  await ensureLog(db);
  const witnesses = configuredWitnesses();
  const opts = { timeout: 60_000, maxWait: 30_000 };
  if (!witnesses.witnesses.length) {
    return db.$transaction(async (tx) => {
      const size = await sequenceIn(tx, MAX_BATCH);
      const last = await tx.tlogCheckpoint.findFirst({ orderBy: { treeSize: "desc" } });
      if (last && Number(last.treeSize) >= size) return toCheckpoint(last);
      const state = await tx.tlogState.findUniqueOrThrow({ where: { id: STATE_ID } });
      const text = formatCheckpoint({ origin: state.origin, size: state.treeSize, rootHash: new Uint8Array(state.rootHash), extensions: [] });
      const row = await tx.tlogCheckpoint.create({ data: { treeSize: state.treeSize, rootHash: state.rootHash, note: signNote(text, await logSigner(tx)) } });
      return toCheckpoint(row);
    }, opts);
  }
  // 1. Sequence (locked, short); read the state to sign.
  const { state, last } = await db.$transaction(async (tx) => {
    await sequenceIn(tx, MAX_BATCH);
    return {
      state: await tx.tlogState.findUniqueOrThrow({ where: { id: STATE_ID } }),
      last: await tx.tlogCheckpoint.findFirst({ orderBy: { treeSize: "desc" } }),
    };
  }, opts);
  const size = Number(state.treeSize);
  if (last && Number(last.treeSize) >= size) return toCheckpoint(last);
  // 2. No lock, no transaction: sign and ask the witnesses (tiles up to `size` are committed and never change).
  const text = formatCheckpoint({ origin: state.origin, size: state.treeSize, rootHash: new Uint8Array(state.rootHash), extensions: [] });
  const note = signNote(text, await logSigner(db));
  const w = await witnessNote(note, size, (old) => withTree(db, (read) => consistencyProof(read, old, size), new Map()), witnesses, await knownWitnessSizes(db));
  if (w.errors.length) log.warn("transparency log witnesses refused or failed", { errors: w.errors, size });
  // 3. Locked, short: remember the witnesses' sizes; store the checkpoint unless a larger one got there first.
  const published = await db.$transaction(async (tx) => {
    await lockSequencer(tx);
    await saveWitnessSizes(tx, w.sizes);
    const latest = await tx.tlogCheckpoint.findFirst({ orderBy: { treeSize: "desc" } });
    if (latest && Number(latest.treeSize) >= size) return toCheckpoint(latest);
    // Without a quorum the previous checkpoint stays the latest (sequencing committed); the next pass retries.
    if (w.note === null) return latest ? toCheckpoint(latest) : null;
    return toCheckpoint(await tx.tlogCheckpoint.create({ data: { treeSize: state.treeSize, rootHash: state.rootHash, note: w.note } }));
  }, opts);
  if (!published) throw new ServiceUnavailableError(`Transparency log: witness quorum (${witnesses.quorum}) not reached for the first checkpoint`);
  return published;
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

/** An entry: its public leaf, and (v2) the event it commits to with its salt, both private. */
export type Entry = { id: string; leafIndex: number | null; kind: string; organizationId: string | null; decisionId: string | null; leaf: Uint8Array; leafHash: Hash; event: Uint8Array | null; salt: Uint8Array | null; createdAt: Date };

type EntryRow = { id: string; leafIndex: bigint | null; kind: string; organizationId: string | null; decisionId: string | null; leaf: Uint8Array; leafHash: Uint8Array; event: Uint8Array | null; salt: Uint8Array | null; createdAt: Date };

function toEntry(r: EntryRow): Entry {
  return {
    id: r.id,
    leafIndex: r.leafIndex === null ? null : Number(r.leafIndex),
    kind: r.kind,
    organizationId: r.organizationId,
    decisionId: r.decisionId,
    leaf: new Uint8Array(r.leaf),
    leafHash: new Uint8Array(r.leafHash),
    event: r.event ? new Uint8Array(r.event) : null,
    salt: r.salt ? new Uint8Array(r.salt) : null,
    createdAt: r.createdAt,
  };
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
