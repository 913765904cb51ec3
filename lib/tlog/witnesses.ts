import type { DbOrTx } from "@/lib/db/client";
import type { Hash } from "./merkle";
import { ALG_COSIGNATURE_V1, NoteError, openNote, parseVkey, type Verifier } from "./note";
import { formatAddCheckpoint } from "./witness";

/**
 * The log's side of witnessing: COUNTERSIGN_TLOG_WITNESSES (comma-separated `url=vkey`) and
 * COUNTERSIGN_TLOG_WITNESS_QUORUM (k, default 0). Before a checkpoint is published it is sent to
 * every witness with a consistency proof from the size that witness last cosigned, kept in the
 * database (`tlog_witness_sizes`, shared by every instance) and corrected from a 409 answer. The
 * network calls happen outside any database transaction (store.ts `publish`).
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

const WITNESS_TIMEOUT_MS = 5_000;

/** What one witness answered; `size` is the tree size it is now known to hold (to remember). */
export type WitnessAnswer = ({ line: string } | { error: string }) & { size?: number };

/**
 * Asks one witness to cosign `note` (a checkpoint of `size` signed by the log); returns its verified
 * cosignature line, or null with the reason. `known` is the size it last cosigned as far as the log
 * knows; `prove(old)` gives the consistency proof from `old`.
 */
export async function requestCosignature(w: WitnessConfig, note: string, size: number, prove: (old: number) => Promise<Hash[]>, known = 0): Promise<WitnessAnswer> {
  const endpoint = new URL("add-checkpoint", w.url.endsWith("/") ? w.url : `${w.url}/`);
  let learnt: number | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    const old = Math.min(learnt ?? known, size);
    let res: Response;
    try {
      res = await fetch(endpoint, { method: "POST", body: formatAddCheckpoint(old, old === 0 ? [] : await prove(old), note), signal: AbortSignal.timeout(WITNESS_TIMEOUT_MS) });
    } catch (err) {
      return { error: `unreachable (${err instanceof Error ? err.message : "error"})`, size: learnt };
    }
    const body = await res.text();
    if (res.status === 409 && res.headers.get("content-type")?.startsWith("text/x.tlog.size") && /^\d{1,16}\n?$/.test(body)) {
      const theirs = Number(body.trim());
      if (theirs > size) return { error: `witness has seen a larger tree (${theirs})`, size: theirs };
      learnt = theirs;
      continue;
    }
    if (res.status !== 200) return { error: `answered ${res.status}`, size: learnt };
    const line = body.split("\n").find((l) => l.startsWith(`\u2014 ${w.verifier.name} `));
    if (!line) return { error: "answered no cosignature of its key", size: learnt };
    try {
      openNote(`${note}${line}\n`, [w.verifier]);
    } catch (err) {
      if (err instanceof NoteError) return { error: "cosignature does not verify", size: learnt };
      throw err;
    }
    return { line: `${line}\n`, size };
  }
  return { error: "witness size keeps changing", size: learnt };
}

/** The sizes the witnesses last cosigned, by vkey (what `tlog_witness_sizes` holds). */
export async function knownWitnessSizes(db: DbOrTx): Promise<Map<string, number>> {
  const rows = await db.tlogWitnessSize.findMany();
  return new Map(rows.map((r) => [r.witnessVkey, Number(r.treeSize)]));
}

/** Remembers what the witnesses answered (their current sizes) for every instance. */
export async function saveWitnessSizes(db: DbOrTx, sizes: { witness: WitnessConfig; size: number }[]) {
  for (const { witness, size } of sizes) {
    await db.tlogWitnessSize.upsert({
      where: { witnessVkey: witness.vkey },
      create: { witnessVkey: witness.vkey, url: witness.url, treeSize: BigInt(size) },
      update: { url: witness.url, treeSize: BigInt(size), updatedAt: new Date() },
    });
  }
}

/**
 * Collects cosignatures from all witnesses in parallel (from the sizes in `known`, by vkey); the note
 * with them appended when at least `quorum` cosigned, and the sizes learnt from the answers.
 */
export async function witnessNote(
  note: string,
  size: number,
  prove: (old: number) => Promise<Hash[]>,
  cfg: { witnesses: WitnessConfig[]; quorum: number },
  known: Map<string, number> = new Map(),
): Promise<{ note: string | null; errors: string[]; sizes: { witness: WitnessConfig; size: number }[] }> {
  const results = await Promise.all(cfg.witnesses.map((w) => requestCosignature(w, note, size, prove, known.get(w.vkey) ?? 0)));
  const lines = results.flatMap((r) => ("line" in r ? [r.line] : []));
  const errors = results.flatMap((r, i) => ("error" in r ? [`${cfg.witnesses[i]!.url}: ${r.error}`] : []));
  const sizes = results.flatMap((r, i) => (r.size !== undefined && r.size !== known.get(cfg.witnesses[i]!.vkey) ? [{ witness: cfg.witnesses[i]!, size: r.size }] : []));
  return { note: lines.length >= cfg.quorum ? note + lines.join("") : null, errors, sizes };
}
