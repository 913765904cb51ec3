import { createHash, randomBytes, randomUUID } from "node:crypto";
import { COMMITMENT_DOMAIN, COMMITTED_LEAF_VERSION, committedLeaf, leafText, SALT_SIZE } from "./commitment";
import type { DbOrTx } from "@/lib/db/client";
import { canonicalBytes, JcsError } from "./jcs";

/**
 * Writing to the log. A decision's own transaction inserts its entry — the event (RFC 8785
 * canonical JSON, kept private), a random salt, the public leaf committing to both
 * (commitment.ts) and its RFC 6962 leaf hash — so no decision commits without its leaf (and a
 * rolled back decision leaves none). The sequencer (store.ts) gives committed entries their index.
 */
export const LEAF_VERSION = COMMITTED_LEAF_VERSION;

/** Scalars and nested objects/arrays of them: what a leaf may carry (JSON, no undefined inside arrays). */
export type LeafValue = string | number | boolean | null | LeafValue[] | { [k: string]: LeafValue | undefined };

export type LogEvent = {
  /** What happened: "audit", "signing.decision", "approval.decision", "gateway.check", … */
  kind: string;
  organizationId: string | null;
  /** The id of what was decided (its record's id): finds the entry and its proof again. */
  decisionId: string;
  time: Date;
  /** The event body: decision, actor, ids, versions, digests. No secrets (the organization's readers see it). */
  body: Record<string, LeafValue | undefined>;
};

/** Any JSON-serialisable value as a leaf value (dates as ISO strings, bigints as decimal strings). */
export function toLeafJson(v: unknown): LeafValue {
  return JSON.parse(JSON.stringify(v ?? null, (_k, x) => (typeof x === "bigint" ? x.toString() : x))) as LeafValue;
}

/** The event's JSON object (before canonicalization): what the leaf commits to. */
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

/** The event's canonical JSON (private: given to the organization's readers with its salt). */
export function eventBytes(e: LogEvent): Uint8Array {
  const obj = leafObject(e);
  try {
    return canonicalBytes(obj);
  } catch (err) {
    // Rare: a lone surrogate somewhere; replace them and try again (anything else still throws).
    if (err instanceof JcsError) return canonicalBytes(wellFormed(obj));
    throw err;
  }
}

/** The public leaf of an event under `salt`. */
export function leafBytes(e: LogEvent, salt: Uint8Array): Uint8Array {
  return new TextEncoder().encode(committedLeaf(eventBytes(e), e.kind, salt));
}

const LEAF_PREFIX = Uint8Array.of(0x00);

/** RFC 6962 leaf hash with Node's SHA-256 (the same bytes as merkle.ts hashLeaf, faster on the write path). */
function leafHashNative(leaf: Uint8Array): Buffer {
  return createHash("sha256").update(LEAF_PREFIX).update(leaf).digest();
}

/** The columns of the entries for `events` (one array per column, in event order), for insertLeavesSql. */
export type LeafColumns = [ids: string[], kinds: string[], orgs: (string | null)[], decisions: (string | null)[], leaves: string[], hashes: string[], times: string[], bodies: string[], salts: string[]];

export function leafColumns(events: readonly LogEvent[]): LeafColumns {
  const cols: LeafColumns = [[], [], [], [], [], [], [], [], []];
  const [ids, kinds, orgs, decisions, leaves, hashes, times, bodies, salts] = cols;
  const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex");
  const random = randomBytes(SALT_SIZE * events.length);
  for (const [i, e] of events.entries()) {
    const salt = random.subarray(i * SALT_SIZE, (i + 1) * SALT_SIZE);
    const event = eventBytes(e);
    // commitment.ts's commitment, with Node's SHA-256 (tests/tlog/decisions.test.ts checks they agree).
    const commitment = createHash("sha256").update(COMMITMENT_DOMAIN).update(salt).update(event).digest();
    const leaf = Buffer.from(leafText(commitment, e.kind), "utf8");
    bodies.push(hex(event));
    salts.push(salt.toString("hex"));
    ids.push(randomUUID());
    kinds.push(e.kind);
    orgs.push(e.organizationId);
    decisions.push(e.decisionId);
    leaves.push(hex(leaf));
    hashes.push(leafHashNative(leaf).toString("hex"));
    times.push(e.time.toISOString());
  }
  return cols;
}

/**
 * The INSERT of entries whose columns (leafColumns) are the nine parameters from `$first` on:
 * usable alone or as a data-modifying CTE of a caller's larger statement.
 */
export function insertLeavesSql(first: number): string {
  const p = (i: number) => `$${first + i}`;
  return `INSERT INTO "tlog_entries" ("id", "kind", "organization_id", "decision_id", "leaf", "leaf_hash", "created_at", "event", "salt")
       SELECT id, kind, org, decision, decode(leaf, 'hex'), decode(hash, 'hex'), at, decode(event, 'hex'), decode(salt, 'hex')
         FROM unnest(${p(0)}::uuid[], ${p(1)}::text[], ${p(2)}::uuid[], ${p(3)}::text[], ${p(4)}::text[], ${p(5)}::text[], ${p(6)}::timestamptz[], ${p(7)}::text[], ${p(8)}::text[])
              WITH ORDINALITY AS t(id, kind, org, decision, leaf, hash, at, event, salt, n)
        ORDER BY n`;
}

/**
 * Inserts entries for the events inside the caller's transaction, in one statement whatever their
 * number; returns their entry ids in order.
 */
export async function appendLeaves(tx: DbOrTx, events: readonly LogEvent[]): Promise<string[]> {
  if (!events.length) return [];
  const cols = leafColumns(events);
  await tx.$executeRawUnsafe(insertLeavesSql(1), ...cols);
  return cols[0];
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
