import type { Db } from "@/lib/db/client";
import { BadRequestError, NotFoundError } from "@/lib/http/errors";
import { b64 } from "./note";
import {
  checkpointAt,
  checkpointSignature,
  currentCheckpoint,
  entriesForDecision,
  entriesInRange,
  entryAt,
  ensureLog,
  logVkey,
  proveConsistency,
  proveInclusion,
  readTile,
  type StoredCheckpoint,
} from "./store";
import { parseTilePath, TILE_WIDTH } from "./tiles";

/** What the /api/v1/transparency-log routes answer: views over lib/tlog/store.ts. */

export async function treeSize(db: Db): Promise<number> {
  return (await currentCheckpoint(db)).treeSize;
}

export async function sth(db: Db) {
  const cp = await currentCheckpoint(db);
  const state = await ensureLog(db);
  return {
    tree_size: cp.treeSize,
    root_hash: b64(cp.rootHash),
    timestamp: cp.createdAt.toISOString(),
    signature: checkpointSignature(cp.note),
    note: cp.note,
    origin: state.origin,
    vkey: logVkey(state),
  };
}

export async function checkpointNote(db: Db): Promise<string> {
  return (await currentCheckpoint(db)).note;
}

/** The checkpoint a proof is made against: the latest, or the one published at `size`. */
async function checkpointFor(db: Db, size: number | undefined): Promise<StoredCheckpoint> {
  const latest = await currentCheckpoint(db);
  if (size === undefined) return latest;
  if (size > latest.treeSize) throw new BadRequestError(`tree_size ${size} is larger than the latest checkpoint (${latest.treeSize})`, [{ field: "tree_size", path: ["tree_size"], code: "too_big", message: `At most ${latest.treeSize}` }]);
  const cp = await checkpointAt(db, size);
  if (!cp) throw new NotFoundError(`No checkpoint was published at tree_size ${size}`);
  return cp;
}

export async function inclusion(db: Db, leafIndex: number, size?: number) {
  const cp = await checkpointFor(db, size);
  if (leafIndex >= cp.treeSize) throw new NotFoundError(`Leaf ${leafIndex} is not in the tree of size ${cp.treeSize}`);
  const entry = (await entryAt(db, leafIndex))!;
  const path = await proveInclusion(db, leafIndex, cp.treeSize);
  return {
    leaf_index: leafIndex,
    tree_size: cp.treeSize,
    leaf_hash: b64(entry.leafHash),
    leaf: new TextDecoder().decode(entry.leaf),
    inclusion_path: path.map(b64),
    root_hash: b64(cp.rootHash),
    checkpoint: cp.note,
  };
}

export async function consistency(db: Db, first: number, second?: number) {
  const cp = await checkpointFor(db, second);
  if (first > cp.treeSize) throw new BadRequestError(`first (${first}) is larger than second (${cp.treeSize})`, [{ field: "first", path: ["first"], code: "too_big", message: `At most ${cp.treeSize}` }]);
  if (first === 0) throw new BadRequestError("A consistency proof from the empty tree proves nothing", [{ field: "first", path: ["first"], code: "too_small", message: "At least 1" }]);
  const old = await checkpointAt(db, first);
  return {
    first,
    second: cp.treeSize,
    consistency_path: (await proveConsistency(db, first, cp.treeSize)).map(b64),
    first_checkpoint: old?.note ?? null,
    checkpoint: cp.note,
  };
}

export type TileBody = { bytes: Uint8Array; immutable: boolean };

/**
 * A tile or entry bundle by its C2SP path (the part after `tile/`). Full tiles never change
 * (immutable); partial ones are served at the width asked when the tree has reached it.
 */
export async function tile(db: Db, path: string): Promise<TileBody> {
  const ref = parseTilePath(path);
  if (!ref) throw new NotFoundError("Not a tile path (tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>])");
  const width = ref.width ?? TILE_WIDTH;
  const size = (await currentCheckpoint(db)).treeSize;
  if (ref.level === "entries") {
    if (ref.index * TILE_WIDTH + width > size) throw new NotFoundError("Entry bundle not yet available");
    const entries = await entriesInRange(db, ref.index * TILE_WIDTH, ref.index * TILE_WIDTH + width);
    const parts: Uint8Array[] = [];
    for (const e of entries) {
      const len = new Uint8Array(2);
      new DataView(len.buffer).setUint16(0, e.leaf.length);
      parts.push(len, e.leaf);
    }
    return { bytes: Buffer.concat(parts), immutable: width === TILE_WIDTH };
  }
  const available = Math.floor(size / TILE_WIDTH ** ref.level) - ref.index * TILE_WIDTH;
  if (available < width) throw new NotFoundError("Tile not yet available");
  const stored = await readTile(db, ref.level, ref.index);
  if (!stored || stored.length < width * 32) throw new NotFoundError("Tile not yet available");
  return { bytes: stored.subarray(0, width * 32), immutable: width === TILE_WIDTH };
}

/** Seed-independent bundle for one decision: each of its entries with a C2SP tlog-proof@v1. */
export async function decisionProofs(db: Db, organizationId: string, decisionId: string) {
  const entries = (await entriesForDecision(db, decisionId)).filter((e) => e.organizationId === organizationId);
  if (!entries.length) throw new NotFoundError("No log entry for this decision");
  const cp = await currentCheckpoint(db);
  const state = await ensureLog(db);
  const out = [];
  for (const e of entries) {
    if (e.leafIndex === null || e.leafIndex >= cp.treeSize) throw new NotFoundError("The decision's entry is not yet in a checkpoint");
    const path = await proveInclusion(db, e.leafIndex, cp.treeSize);
    const leaf = new TextDecoder().decode(e.leaf);
    out.push({
      leaf_index: e.leafIndex,
      kind: e.kind,
      // The event (private) and the salt its public leaf commits with; entries written before commitments are their own leaf.
      event: JSON.parse(e.event ? new TextDecoder().decode(e.event) : leaf) as Record<string, unknown>,
      ...(e.salt ? { salt: b64(e.salt) } : {}),
      leaf,
      tlog_proof: formatTlogProof(e.leafIndex, path, cp.note, e.leaf),
    });
  }
  return { decision_id: decisionId, tree_size: cp.treeSize, origin: state.origin, vkey: logVkey(state), entries: out };
}

/** C2SP tlog-proof@v1: header, `extra` (the leaf, base64), index, inclusion path, blank line, checkpoint. */
export function formatTlogProof(index: number, path: Uint8Array[], checkpointNote: string, leaf?: Uint8Array): string {
  return ["c2sp.org/tlog-proof@v1", ...(leaf ? [`extra ${b64(leaf)}`] : []), `index ${index}`, ...path.map(b64), "", checkpointNote].join("\n");
}
