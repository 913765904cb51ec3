import type { Hash } from "./merkle";
import { ALG_COSIGNATURE_V1, NoteError, openNote, parseVkey, type Verifier } from "./note";
import { formatAddCheckpoint } from "./witness";

/**
 * The log's side of witnessing: COUNTERSIGN_TLOG_WITNESSES (comma-separated `url=vkey`) and
 * COUNTERSIGN_TLOG_WITNESS_QUORUM (k, default 0). Before a checkpoint is published it is sent to
 * every witness with a consistency proof from the size that witness last cosigned; the witness's
 * size is remembered per process and learnt from its 409 answer otherwise (no database state).
 */
export type WitnessConfig = { url: string; vkey: string; verifier: Verifier };

export class WitnessConfigError extends Error {}

export function witnessConfig(env: Record<string, string | undefined> = process.env): { witnesses: WitnessConfig[]; quorum: number } {
  const witnesses: WitnessConfig[] = [];
  for (const entry of (env.COUNTERSIGN_TLOG_WITNESSES ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
    const eq = entry.indexOf("=");
    if (eq < 0) throw new WitnessConfigError("COUNTERSIGN_TLOG_WITNESSES entries are url=vkey");
    const url = entry.slice(0, eq).trim();
    const vkey = entry.slice(eq + 1).trim();
    try {
      new URL(url);
      witnesses.push({ url, vkey, verifier: parseVkey(vkey, [ALG_COSIGNATURE_V1]) });
    } catch (err) {
      throw new WitnessConfigError(`COUNTERSIGN_TLOG_WITNESSES: bad entry for ${url} (${err instanceof Error ? err.message : "invalid"})`);
    }
  }
  const q = (env.COUNTERSIGN_TLOG_WITNESS_QUORUM ?? "0").trim() || "0";
  if (!/^\d{1,3}$/.test(q) || Number(q) > witnesses.length) throw new WitnessConfigError("COUNTERSIGN_TLOG_WITNESS_QUORUM must be between 0 and the number of witnesses");
  return { witnesses, quorum: Number(q) };
}

/** Size each witness (by url) last cosigned, as far as this process knows. */
const knownSizes = new Map<string, number>();

const WITNESS_TIMEOUT_MS = 5_000;

/**
 * Asks one witness to cosign `note` (a checkpoint of `size` signed by the log); returns its verified
 * cosignature line, or null with the reason. `prove(old)` gives the consistency proof from `old`.
 */
export async function requestCosignature(w: WitnessConfig, note: string, size: number, prove: (old: number) => Promise<Hash[]>): Promise<{ line: string } | { error: string }> {
  const endpoint = new URL("add-checkpoint", w.url.endsWith("/") ? w.url : `${w.url}/`);
  for (let attempt = 0; attempt < 2; attempt++) {
    const old = Math.min(knownSizes.get(w.url) ?? 0, size);
    let res: Response;
    try {
      res = await fetch(endpoint, { method: "POST", body: formatAddCheckpoint(old, old === 0 ? [] : await prove(old), note), signal: AbortSignal.timeout(WITNESS_TIMEOUT_MS) });
    } catch (err) {
      return { error: `unreachable (${err instanceof Error ? err.message : "error"})` };
    }
    const body = await res.text();
    if (res.status === 409 && res.headers.get("content-type")?.startsWith("text/x.tlog.size") && /^\d{1,16}\n?$/.test(body)) {
      const theirs = Number(body.trim());
      if (theirs > size) return { error: `witness has seen a larger tree (${theirs})` };
      knownSizes.set(w.url, theirs);
      continue;
    }
    if (res.status !== 200) return { error: `answered ${res.status}` };
    const line = body.split("\n").find((l) => l.startsWith(`\u2014 ${w.verifier.name} `));
    if (!line) return { error: "answered no cosignature of its key" };
    try {
      openNote(`${note}${line}\n`, [w.verifier]);
    } catch (err) {
      if (err instanceof NoteError) return { error: "cosignature does not verify" };
      throw err;
    }
    knownSizes.set(w.url, size);
    return { line: `${line}\n` };
  }
  return { error: "witness size keeps changing" };
}

/** Collects cosignatures from all witnesses in parallel; the note with them appended when at least `quorum` cosigned. */
export async function witnessNote(note: string, size: number, prove: (old: number) => Promise<Hash[]>, cfg: { witnesses: WitnessConfig[]; quorum: number }): Promise<{ note: string | null; errors: string[] }> {
  const results = await Promise.all(cfg.witnesses.map((w) => requestCosignature(w, note, size, prove)));
  const lines = results.flatMap((r) => ("line" in r ? [r.line] : []));
  const errors = results.flatMap((r, i) => ("error" in r ? [`${cfg.witnesses[i]!.url}: ${r.error}`] : []));
  return { note: lines.length >= cfg.quorum ? note + lines.join("") : null, errors };
}
