import { randomUUID } from "node:crypto";
import type { DbOrTx } from "@/lib/db/client";
import { canonicalBytes } from "./jcs";
import { hashLeaf } from "./merkle";

/**
 * Writing to the log. A decision's own transaction inserts its entry — the RFC 8785 canonical JSON
 * of the event and its RFC 6962 leaf hash — so no decision commits without its leaf (and a rolled
 * back decision leaves none). The sequencer (store.ts) gives committed entries their index.
 */
export const LEAF_VERSION = 1;

/** Scalars and nested objects/arrays of them: what a leaf may carry (JSON, no undefined inside arrays). */
export type LeafValue = string | number | boolean | null | LeafValue[] | { [k: string]: LeafValue | undefined };

export type LogEvent = {
  /** What happened: "audit", "signing.decision", "approval.decision", "gateway.check", … */
  kind: string;
  organizationId: string | null;
  /** The id of what was decided (its record's id): finds the entry and its proof again. */
  decisionId: string;
  time: Date;
  /** The event body: decision, actor, ids, versions, digests. No secrets (the leaf is public). */
  body: Record<string, LeafValue | undefined>;
};

/** The leaf's JSON object (before canonicalization). */
export function leafObject(e: LogEvent): Record<string, LeafValue | undefined> {
  return { ...e.body, v: LEAF_VERSION, kind: e.kind, org: e.organizationId, id: e.decisionId, time: e.time.toISOString() };
}

export function leafBytes(e: LogEvent): Uint8Array {
  return canonicalBytes(leafObject(e));
}

/** Inserts entries for the events inside the caller's transaction; returns their entry ids in order. */
export async function appendLeaves(tx: DbOrTx, events: readonly LogEvent[]): Promise<string[]> {
  if (!events.length) return [];
  const rows = events.map((e) => {
    const leaf = leafBytes(e);
    return {
      id: randomUUID(),
      kind: e.kind,
      organizationId: e.organizationId,
      decisionId: e.decisionId,
      leaf: Buffer.from(leaf),
      leafHash: Buffer.from(hashLeaf(leaf)),
      createdAt: e.time,
    };
  });
  await tx.tlogEntry.createMany({ data: rows });
  return rows.map((r) => r.id);
}

export type DecisionInput = {
  kind: "signing.decision" | "approval.decision" | "gateway.check" | "gateway.review" | (string & {});
  organizationId: string | null;
  decisionId: string;
  /** allow / deny / require_approval / approved / rejected / block / pending … */
  decision: string;
  actor: { type: string; id?: string | null };
  /** Hex digest of what was decided (transaction digest, tool call digest). */
  digest?: string | null;
  policyVersion?: string | number | null;
  subject?: { type: string; id: string } | null;
  details?: Record<string, LeafValue | undefined>;
  time?: Date;
};

/** One decision (gateway check, signing decision, human answer) into the log, in the caller's transaction. */
export async function appendDecision(tx: DbOrTx, d: DecisionInput): Promise<string> {
  const [id] = await appendLeaves(tx, [
    {
      kind: d.kind,
      organizationId: d.organizationId,
      decisionId: d.decisionId,
      time: d.time ?? new Date(),
      body: {
        decision: d.decision,
        actor: { type: d.actor.type, id: d.actor.id ?? null },
        digest: d.digest ?? undefined,
        policy_version: d.policyVersion ?? undefined,
        subject: d.subject ?? undefined,
        ...(d.details ?? {}),
      },
    },
  ]);
  return id!;
}
