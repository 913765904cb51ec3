import type { Db } from "@/lib/db/client";
import { leafForEvent } from "./commitment";
import { equalBytes, hashLeaf, rootHash } from "./merkle";
import { ALG_ED25519, encodeVkey, NoteError, openNote, parseCheckpoint, parseVkey } from "./note";
import { logState, withTree } from "./store";

/**
 * The log checks itself (issue #14, monitoring): the checkpoints it signed must still be the roots of
 * the stored tree (a rewritten leaf, tile or checkpoint shows), their signatures must verify with the
 * log key, the state's root must be the tree's, and recent and early entries must hash to the tiles
 * (and their events, with their salts, to their leaves).
 * Run at start-up; /health turns 503 with the reason when it fails.
 */
export type Integrity = { ok: true } | { ok: false; detail: string };

const SAMPLE = 256;

function commitsTo(leaf: Uint8Array, event: Uint8Array, salt: Uint8Array): boolean {
  try {
    return leafForEvent(JSON.parse(new TextDecoder().decode(event)), new Uint8Array(salt)) === new TextDecoder().decode(leaf);
  } catch {
    return false;
  }
}

export async function checkLogIntegrity(db: Db): Promise<Integrity> {
  const state = await logState(db);
  if (!state) return { ok: true };
  const verifier = parseVkey(encodeVkey({ name: state.origin, alg: ALG_ED25519, publicKey: state.publicKey }));
  const [latest, first] = await Promise.all([
    db.tlogCheckpoint.findMany({ orderBy: { treeSize: "desc" }, take: 64 }),
    db.tlogCheckpoint.findMany({ orderBy: { treeSize: "asc" }, take: 16 }),
  ]);
  const seen = new Set<bigint>();
  for (const cp of [...latest, ...first]) {
    if (seen.has(cp.treeSize)) continue;
    seen.add(cp.treeSize);
    const size = Number(cp.treeSize);
    if (size > state.treeSize) return { ok: false, detail: `checkpoint of size ${size} is beyond the log's size ${state.treeSize}` };
    try {
      const c = parseCheckpoint(openNote(cp.note, [verifier]).text);
      if (c.origin !== state.origin || Number(c.size) !== size || !equalBytes(c.rootHash, new Uint8Array(cp.rootHash))) return { ok: false, detail: `checkpoint of size ${size} does not match its signed note` };
    } catch (err) {
      if (err instanceof NoteError) return { ok: false, detail: `checkpoint of size ${size}: ${err.message}` };
      throw err;
    }
    const root = await withTree(db, (read) => rootHash(read, size), new Map());
    if (!equalBytes(root, new Uint8Array(cp.rootHash))) return { ok: false, detail: `the stored tree no longer has the root signed at size ${size}: leaves or tiles were rewritten` };
  }
  const root = await withTree(db, (read) => rootHash(read, state.treeSize), new Map());
  if (!equalBytes(root, state.rootHash)) return { ok: false, detail: "the log's state root is not the root of its tiles" };
  const entries = [
    ...(await db.tlogEntry.findMany({ where: { leafIndex: { not: null } }, orderBy: { leafIndex: "desc" }, take: SAMPLE })),
    ...(await db.tlogEntry.findMany({ where: { leafIndex: { not: null } }, orderBy: { leafIndex: "asc" }, take: SAMPLE })),
  ];
  if (entries.length) {
    const byIndex = new Map(entries.map((e) => [Number(e.leafIndex), e]));
    const tileHashes = await withTree(db, (read) => [...byIndex.keys()].map((i) => read(0, i)), new Map());
    let k = 0;
    for (const [i, e] of byIndex) {
      const h = new Uint8Array(e.leafHash);
      if (!equalBytes(hashLeaf(new Uint8Array(e.leaf)), h) || !equalBytes(h, tileHashes[k++]!)) return { ok: false, detail: `entry ${i} does not hash to the log's leaf ${i}: it was rewritten` };
      if (e.event && e.salt && !commitsTo(e.leaf, e.event, e.salt)) return { ok: false, detail: `entry ${i}'s event is not the one its leaf commits to: it was rewritten` };
    }
  }
  return { ok: true };
}

let cached: Promise<Integrity> | null = null;

/** This process's verdict: computed once (at start-up, or on the first /health), refreshed on demand. */
export function logIntegrity(db: Db, opts: { refresh?: boolean } = {}): Promise<Integrity> {
  if (!cached || opts.refresh) {
    // A check that could not run (database briefly away, key store sealed) is reported, not kept: the next call retries.
    const run: Promise<Integrity> = checkLogIntegrity(db).catch((err: Error) => {
      if (cached === run) cached = null;
      return { ok: false as const, detail: `integrity check failed: ${err.message.split("\n")[0]}` };
    });
    cached = run;
  }
  return cached;
}
