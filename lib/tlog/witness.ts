import { EMPTY_ROOT, equalBytes, HASH_SIZE, verifyConsistency, type Hash } from "./merkle";
import { b64, cosign, fromB64, NoteError, openNote, parseCheckpoint, type Signer, type Verifier } from "./note";

/**
 * A C2SP tlog-witness (https://c2sp.org/tlog-witness) `add-checkpoint` handler. Pure: it takes the
 * witness's state (latest size and root per origin), the logs it watches, its cosigner key, the
 * request body and the time, and returns the response and the new state. lib/tlog/witness-server.ts
 * holds the process around it (HTTP, the state file).
 */
export type WitnessOriginState = { size: number; root: Hash };
export type WitnessState = Map<string, WitnessOriginState>;

export type WitnessResponse = { status: number; contentType: string; body: string; state?: WitnessState };

const text = (status: number, body: string): WitnessResponse => ({ status, contentType: "text/plain; charset=utf-8", body: body.endsWith("\n") ? body : `${body}\n` });

/** Parses `old <size>\n`, the consistency proof lines, a blank line, then the checkpoint note. */
export function parseAddCheckpoint(body: string): { old: number; proof: Hash[]; note: string } {
  const m = /^old (0|[1-9][0-9]{0,15})\n/.exec(body);
  if (!m) throw new NoteError("request must start with `old <size>`");
  const old = Number(m[1]);
  if (!Number.isSafeInteger(old)) throw new NoteError("old size out of range");
  let rest = body.slice(m[0].length);
  const proof: Hash[] = [];
  for (;;) {
    const nl = rest.indexOf("\n");
    if (nl < 0) throw new NoteError("missing blank line before the checkpoint");
    const line = rest.slice(0, nl);
    rest = rest.slice(nl + 1);
    if (line === "") break;
    const h = fromB64(line);
    if (!h || h.length !== HASH_SIZE) throw new NoteError("malformed consistency proof line");
    if (proof.length >= 63) throw new NoteError("consistency proof too long");
    proof.push(h);
  }
  return { old, proof, note: rest };
}

/** The request body a log sends (the inverse of parseAddCheckpoint). */
export function formatAddCheckpoint(old: number, proof: Hash[], note: string): string {
  return `old ${old}\n${proof.map((h) => `${b64(h)}\n`).join("")}\n${note}`;
}

/**
 * Handles one add-checkpoint request. `logs` maps an origin to the verifier keys of its log.
 * 400 malformed / old beyond the checkpoint, 404 unknown origin, 403 no valid log signature,
 * 409 (text/x.tlog.size) old size is not the witness's latest, 422 the consistency proof fails
 * (the log forked or lied), 200 with the cosignature line.
 */
export function addCheckpoint(state: WitnessState, logs: ReadonlyMap<string, readonly Verifier[]>, witness: Signer, body: string, nowSeconds: bigint): WitnessResponse {
  let req: ReturnType<typeof parseAddCheckpoint>;
  let cpText: string;
  let cp: ReturnType<typeof parseCheckpoint>;
  try {
    req = parseAddCheckpoint(body);
    const origin = /^([^\n]*)\n/.exec(req.note)?.[1] ?? "";
    const keys = logs.get(origin);
    if (!keys) return text(404, "unknown log origin");
    try {
      cpText = openNote(req.note, keys).text;
    } catch {
      return text(403, "checkpoint is not signed by the log's key");
    }
    cp = parseCheckpoint(cpText);
  } catch (err) {
    if (err instanceof NoteError) return text(400, err.message);
    throw err;
  }
  if (cp.size > BigInt(Number.MAX_SAFE_INTEGER)) return text(400, "tree size out of range");
  const size = Number(cp.size);
  if (req.old > size) return text(400, "old size is larger than the checkpoint's");
  const known = state.get(cp.origin) ?? { size: 0, root: EMPTY_ROOT };
  if (req.old !== known.size) return { status: 409, contentType: "text/x.tlog.size", body: `${known.size}\n` };
  const consistent =
    known.size === 0 ? req.proof.length === 0 && (size > 0 || equalBytes(cp.rootHash, EMPTY_ROOT)) : verifyConsistency(known.size, size, known.root, cp.rootHash, req.proof);
  if (!consistent) return text(422, "consistency proof does not verify");
  const next: WitnessState = new Map(state);
  next.set(cp.origin, { size, root: cp.rootHash });
  return { status: 200, contentType: "text/plain; charset=utf-8", body: cosign(cpText, witness, nowSeconds), state: next };
}

// --- state file (JSON) ---

export function encodeWitnessState(state: WitnessState): string {
  return `${JSON.stringify({ origins: Object.fromEntries([...state].map(([o, s]) => [o, { size: s.size, root: b64(s.root) }])) }, null, 2)}\n`;
}

export function decodeWitnessState(json: string): WitnessState {
  const parsed = JSON.parse(json) as { origins?: Record<string, { size?: unknown; root?: unknown }> };
  const out: WitnessState = new Map();
  for (const [origin, s] of Object.entries(parsed.origins ?? {})) {
    const root = typeof s.root === "string" ? fromB64(s.root) : null;
    if (!Number.isSafeInteger(s.size) || (s.size as number) < 0 || !root || root.length !== HASH_SIZE) throw new Error(`witness state for ${origin} is corrupt`);
    out.set(origin, { size: s.size as number, root });
  }
  return out;
}
