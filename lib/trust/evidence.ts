/**
 * Countersign's own evidence in an agent's trust score (issue #15, "beyond the seed"): outcomes the
 * control plane observes itself — a signing request allowed or denied by the guardrails, a human's
 * approval or rejection, a gateway block — recorded as trust transactions with `source:
 * "countersign"`, in the same database transaction as the decision they come from, so the score and
 * the decision commit (or roll back) together and `recomputeAgent` rebuilds them like any other.
 *
 * Only for an organization that turned it on (`trust_operators.countersign_evidence`, PATCH
 * /api/v1/trust/settings) and an agent that has a trust profile; otherwise nothing is written.
 */
import type { DbOrTx, Tx } from "@/lib/db/client";
import type { Outcome, Signals } from "./model";
import { foldTransaction } from "./store";

/** What each observed outcome says, and which dimension it informs (the outcome always moves stability). */
export const EVIDENCE = {
  /** The guardrails allowed a signing request outright: the agent acted within its financial limits. */
  "signing.allowed": { outcome: "success", signals: { financial: 1000 }, informs: "financial" },
  /** The guardrails denied a signing request: the agent tried to act beyond its financial limits. */
  "signing.denied": { outcome: "failure", signals: { financial: 0 }, informs: "financial" },
  /** A human approved a request the guardrails parked: the agent's judgment held up. */
  "signing.approved": { outcome: "success", signals: { quality: 1000 }, informs: "quality" },
  /** A human rejected a parked signing request. */
  "signing.rejected": { outcome: "failure", signals: { quality: 0 }, informs: "quality" },
  /** The gateway blocked a tool call (policy, allow-list, anomaly, rate limit or trust rule). */
  "gateway.blocked": { outcome: "failure", signals: { security: 0 }, informs: "security" },
  /** A human allowed a tool call the gateway held for review. */
  "gateway.review_allowed": { outcome: "success", signals: { quality: 1000 }, informs: "quality" },
  /** A human blocked a tool call the gateway held for review. */
  "gateway.review_blocked": { outcome: "failure", signals: { quality: 0 }, informs: "quality" },
} as const satisfies Record<string, { outcome: Outcome; signals: Signals; informs: keyof Signals }>;

export type EvidenceKind = keyof typeof EVIDENCE;

/** Agents (of those given) whose organization turned Countersign's evidence on and that have a trust profile. */
export async function evidenceAgents(db: DbOrTx, agentIds: readonly (string | null | undefined)[]): Promise<Set<string>> {
  const ids = [...new Set(agentIds.filter((a): a is string => typeof a === "string"))];
  if (!ids.length) return new Set();
  const rows = await db.trustProfile.findMany({ where: { agentId: { in: ids }, agent: { organization: { trustOperator: { countersignEvidence: true } } } }, select: { agentId: true } });
  return new Set(rows.map((r) => r.agentId));
}

/**
 * Folds observed outcomes into their agents' scores, in the caller's transaction. Agents are taken
 * in id order (each fold locks its profile row), so concurrent batches cannot deadlock on them.
 */
export async function recordEvidence(tx: Tx, items: readonly { agentId: string | null | undefined; kind: EvidenceKind; ref: string; at?: number }[]): Promise<number> {
  const on = await evidenceAgents(tx, items.map((i) => i.agentId));
  const todo = items.filter((i) => i.agentId && on.has(i.agentId)).sort((a, b) => (a.agentId! < b.agentId! ? -1 : a.agentId! > b.agentId! ? 1 : 0));
  for (const i of todo) {
    const e = EVIDENCE[i.kind];
    await foldTransaction(tx, i.agentId!, { transactionType: i.kind, outcome: e.outcome, signals: { ...e.signals }, metadata: { ref: i.ref }, source: "countersign" }, i.at ?? Date.now());
  }
  return todo.length;
}

export async function evidenceSetting(db: DbOrTx, organizationId: string): Promise<{ countersignEvidence: boolean }> {
  const row = await db.trustOperator.findUnique({ where: { organizationId } });
  return { countersignEvidence: row?.countersignEvidence ?? false };
}

export async function setEvidenceSetting(db: DbOrTx, organizationId: string, on: boolean): Promise<{ countersignEvidence: boolean }> {
  const row = await db.trustOperator.upsert({ where: { organizationId }, create: { organizationId, countersignEvidence: on }, update: { countersignEvidence: on } });
  return { countersignEvidence: row.countersignEvidence };
}
