import { CommitmentError, leafForEvent } from "./commitment";
import { HASH_SIZE, hashLeaf, verifyInclusion } from "./merkle";
import { NoteError, b64, fromB64, openNote, parseCheckpoint, parseVkey } from "./note";

/**
 * Verifies one entry of a decision's proof bundle (GET /api/v1/transparency-log/decisions/{id})
 * with nothing but the bundle and a verifier key: the leaf recomputed from the event JSON (and, for
 * a committed leaf, its salt: commitment.ts), the leaf hash `SHA-256(0x00 || leaf)`, the
 * RFC 9162 inclusion proof of its tlog-proof@v1 against the checkpoint's root, and the
 * checkpoint's Ed25519 signature. Pure and isomorphic (imports only @noble/* through merkle.ts and
 * note.ts): the dashboard runs it in the browser.
 */
export type BundleEntry = { leaf_index: number; kind: string; event: unknown; salt?: string; leaf: string; tlog_proof: string };

export type ParsedTlogProof = { extra: Uint8Array | null; index: number; path: Uint8Array[]; checkpoint: string };

export type EntryVerification =
  | { ok: true; leafIndex: number; treeSize: number; origin: string; rootHash: string; leafHash: string }
  | { ok: false; failure: "malformed" | "leaf" | "key" | "signature" | "inclusion"; message: string };

class BundleError extends Error {}

/** C2SP tlog-proof@v1: header, optional `extra <base64>`, `index <n>`, proof hashes, blank line, checkpoint note. */
export function parseTlogProof(text: string): ParsedTlogProof {
  const lines = text.split("\n");
  if (lines[0] !== "c2sp.org/tlog-proof@v1") throw new BundleError("not a c2sp.org/tlog-proof@v1 proof");
  let i = 1;
  let extra: Uint8Array | null = null;
  if (lines[i]?.startsWith("extra ")) {
    extra = fromB64(lines[i]!.slice(6));
    if (!extra) throw new BundleError("the proof's extra data is not base64");
    i++;
  }
  const m = /^index (0|[1-9][0-9]*)$/.exec(lines[i] ?? "");
  if (!m) throw new BundleError("the proof has no index line");
  i++;
  const path: Uint8Array[] = [];
  for (; i < lines.length && lines[i] !== ""; i++) {
    const h = fromB64(lines[i]!);
    if (!h || h.length !== HASH_SIZE) throw new BundleError("the proof has a malformed hash line");
    path.push(h);
  }
  if (i >= lines.length) throw new BundleError("the proof has no checkpoint");
  return { extra, index: Number(m[1]), path, checkpoint: lines.slice(i + 1).join("\n") };
}

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, k) => x === b[k]);

export function verifyBundleEntry(entry: BundleEntry, vkey: string): EntryVerification {
  let proof: ParsedTlogProof;
  try {
    proof = parseTlogProof(entry.tlog_proof);
  } catch (e) {
    return { ok: false, failure: "malformed", message: `Malformed proof: ${(e as Error).message}.` };
  }
  const leaf = new TextEncoder().encode(entry.leaf);
  if (proof.index !== entry.leaf_index) return { ok: false, failure: "malformed", message: `The proof is for leaf ${proof.index}, not leaf ${entry.leaf_index}.` };
  if (proof.extra && !same(proof.extra, leaf)) return { ok: false, failure: "leaf", message: `The leaf shown differs from the leaf the proof carries (leaf ${entry.leaf_index}).` };
  let salt: Uint8Array | null = null;
  if (entry.salt !== undefined) {
    salt = typeof entry.salt === "string" ? fromB64(entry.salt) : null;
    if (!salt) return { ok: false, failure: "malformed", message: `The salt of leaf ${entry.leaf_index} is not base64.` };
  }
  let recomputed: string | null = null;
  try {
    recomputed = leafForEvent(entry.event, salt);
  } catch (e) {
    if (e instanceof CommitmentError) return { ok: false, failure: "leaf", message: `The event shown cannot be checked against leaf ${entry.leaf_index}: ${e.message}.` };
    recomputed = null;
  }
  if (recomputed !== entry.leaf) return { ok: false, failure: "leaf", message: `The event shown is not the one leaf ${entry.leaf_index} commits to.` };

  let verifier;
  try {
    verifier = parseVkey(vkey);
  } catch (e) {
    return { ok: false, failure: "key", message: `Unusable log key: ${(e as Error).message}.` };
  }
  let checkpoint;
  try {
    const opened = openNote(proof.checkpoint, [verifier]);
    checkpoint = parseCheckpoint(opened.text);
  } catch (e) {
    const reason = e instanceof NoteError ? e.message : "unreadable checkpoint";
    return { ok: false, failure: "signature", message: `The checkpoint is not signed by the log key ${verifier.name}: ${reason}.` };
  }
  const size = Number(checkpoint.size);
  const leafHash = hashLeaf(leaf);
  if (entry.leaf_index >= size) return { ok: false, failure: "inclusion", message: `Leaf ${entry.leaf_index} is beyond the checkpoint's tree size ${size}.` };
  if (!verifyInclusion(entry.leaf_index, size, leafHash, proof.path, checkpoint.rootHash)) {
    return { ok: false, failure: "inclusion", message: `The inclusion proof of leaf ${entry.leaf_index} does not lead to the checkpoint root ${b64(checkpoint.rootHash)} (tree size ${size}).` };
  }
  return { ok: true, leafIndex: entry.leaf_index, treeSize: size, origin: checkpoint.origin, rootHash: b64(checkpoint.rootHash), leafHash: b64(leafHash) };
}
