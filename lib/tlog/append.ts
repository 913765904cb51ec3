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

/** Any JSON-serialisable value as a leaf value (dates as ISO strings, bigints as decimal strings). */
export function toLeafJson(v: unknown): LeafValue {
  return JSON.parse(JSON.stringify(v ?? null, (_k, x) => (typeof x === "bigint" ? x.toString() : x))) as LeafValue;
}

/** The leaf's JSON object (before canonicalization). */
export function leafObject(e: LogEvent): Record<string, LeafValue | undefined> {
  return { ...e.body, v: LEAF_VERSION, kind: e.kind, org: e.organizationId, id: e.decisionId, time: e.time.toISOString() };
}

/** Lone surrogates become U+FFFD (as PostgreSQL stores them), so any string can be logged. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const wellFormedString = (s: string) => s.replace(LONE_SURROGATE, "\ufffd");

function wellFormed(v: unknown): unknown {
  if (typeof v === "string") return wellFormedString(v);
  if (Array.isArray(v)) return v.map(wellFormed);
  if (v && typeof v === "object" && !(v instanceof Date)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [wellFormedString(k), wellFormed(x)]));
  return v;
}

export function leafBytes(e: LogEvent): Uint8Array {
  return canonicalBytes(wellFormed(leafObject(e)));
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

/** The log event of a decision (what appendDecision appends). */
export function decisionEvent(d: DecisionInput): LogEvent {
  return {
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
  };
}

/** One decision (gateway check, signing decision, human answer) into the log, in the caller's transaction. */
export async function appendDecision(tx: DbOrTx, d: DecisionInput): Promise<string> {
  const [id] = await appendLeaves(tx, [decisionEvent(d)]);
  return id!;
}
