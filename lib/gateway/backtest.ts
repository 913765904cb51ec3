/**
 * Backtest of a draft tool policy over the organization's tool-call history (like lib/policy's
 * backtest for transactions): the recorded checks are replayed through the engine with today's
 * policies plus the draft (replacing the policy of the same id), each agent's current allow-list
 * and rules documents, and the anomaly score recorded at the time; `then` is the engine's first
 * answer when the call was made. Checks decided by state rather than policy (rate limits, a paused
 * or retired agent) are skipped: replaying them would say nothing about the draft. Reads only.
 */
import type { DbOrTx } from "@/lib/db/client";
import type { ActiveRulesDocument } from "@/lib/policy/engine";
import { allowListOf } from "./allow-list";
import { documentsOf, gatewaySettings, openArguments } from "./checks";
import { evaluateToolCall } from "./engine";
import { canonicalJson, sha256Hex, type AnomalySignal, type Decision } from "./model";
import { defaultOnMatch, listToolPolicies, normaliseSchema, specsOf, templateOf, type ToolPolicyInput, type ToolPolicyView } from "./policies";

export const DRAFT_POLICY_ID = "draft";
export const MAX_BACKTEST_CHECKS = 1000;
const STATE_DECISIONS = new Set(["rate_limited", "kill-switch"]);

export type ToolBacktestInput = {
  organizationId: string;
  draft: Omit<ToolPolicyInput, "name" | "enabled"> & { name?: string };
  agentRef?: string;
  from?: Date;
  to?: Date;
  limit: number;
};

export type ToolBacktestItem = {
  check_id: string;
  agent_id: string;
  tool_name: string;
  at: string;
  then: Decision;
  now: Decision;
  changed: boolean;
  policy_name: string;
  draft_matched: boolean;
  /** The draft's reasons for this call (message — hint). */
  reasons: string[];
};

export type ToolBacktestSummary = { total: number; changed: number; allowToBlock: number; blockToAllow: number; toPending: number; fromPending: number; draftMatched: number; skipped: number };

export async function backtestToolPolicy(db: DbOrTx, input: ToolBacktestInput): Promise<{ policy: { id: string; replaces: boolean }; items: ToolBacktestItem[]; summary: ToolBacktestSummary }> {
  const schema = normaliseSchema(input.draft.policy_schema, "body.policy.policy_schema");
  const id = input.draft.id ?? DRAFT_POLICY_ID;
  const [views, settings] = await Promise.all([listToolPolicies(db, input.organizationId), gatewaySettings(db, input.organizationId)]);
  const t = templateOf(schema);
  const draft: ToolPolicyView = {
    id,
    name: input.draft.name ?? id,
    description: input.draft.description ?? null,
    policy_schema: schema,
    risk_level: input.draft.risk_level,
    on_match: input.draft.on_match ?? defaultOnMatch(input.draft.risk_level),
    enabled: true,
    // Compiled schemas are cached by (organization, id, version): a draft's version is negative and
    // derived from its content, so two drafts never share a compilation and none shadows a stored one.
    version: -parseInt(sha256Hex(canonicalJson(schema)).slice(0, 12), 16),
    source: "organization",
    overridden: false,
    template: t?.template ?? null,
    created_at: null,
    updated_at: null,
  };
  const replaces = views.some((v) => v.id === id);
  const specs = specsOf([...views.filter((v) => v.id !== id), draft]);

  const rows = await db.gatewayCheck.findMany({
    where: {
      organizationId: input.organizationId,
      ...(input.agentRef ? { OR: [{ agentRef: input.agentRef }, { agent: { aegisAgentId: input.agentRef } }, ...(/^[0-9a-f-]{36}$/i.test(input.agentRef) ? [{ agentId: input.agentRef }] : [])] } : {}),
      ...(input.from || input.to ? { createdAt: { ...(input.from ? { gte: input.from } : {}), ...(input.to ? { lte: input.to } : {}) } } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(input.limit, MAX_BACKTEST_CHECKS),
    include: { agent: { select: { id: true, aegisAgentId: true, toolAllowList: true } } },
  });

  const documents = new Map<string, ActiveRulesDocument[]>();
  const items: ToolBacktestItem[] = [];
  const summary: ToolBacktestSummary = { total: 0, changed: 0, allowToBlock: 0, blockToAllow: 0, toPending: 0, fromPending: 0, draftMatched: 0, skipped: 0 };
  for (const row of rows) {
    if (STATE_DECISIONS.has(row.policyName)) {
      summary.skipped++;
      continue;
    }
    if (!documents.has(row.agentId)) documents.set(row.agentId, await documentsOf(db, row.agentId));
    const verdict = evaluateToolCall({
      call: { tool_name: row.toolName, arguments: openArguments(row) },
      organizationId: input.organizationId,
      agent: { id: row.agent.id, aegisAgentId: row.agent.aegisAgentId, status: "active", toolAllowList: allowListOf(row.agent.toolAllowList) },
      policies: specs,
      documents: documents.get(row.agentId)!,
      anomaly: { score: row.anomalyScore, signals: row.anomalySignals as AnomalySignal[] },
      anomalyThreshold: settings.anomalyThreshold,
      now: row.createdAt,
    });
    const then = row.initialDecision as Decision;
    const now = verdict.decision;
    const mine = verdict.reasons.filter((r) => r.policy_name === id && r.decision !== "allow");
    const changed = then !== now;
    summary.total++;
    if (mine.length) summary.draftMatched++;
    if (changed) {
      summary.changed++;
      if (then === "allow" && now === "block") summary.allowToBlock++;
      if (then === "block" && now === "allow") summary.blockToAllow++;
      if (now === "pending") summary.toPending++;
      if (then === "pending") summary.fromPending++;
    }
    items.push({
      check_id: row.id,
      agent_id: row.agentRef,
      tool_name: row.toolName,
      at: row.createdAt.toISOString(),
      then,
      now,
      changed,
      policy_name: verdict.policy_name,
      draft_matched: mine.length > 0,
      reasons: mine.map((r) => `${r.message} — ${r.hint}`),
    });
  }
  return { policy: { id, replaces }, items, summary };
}
