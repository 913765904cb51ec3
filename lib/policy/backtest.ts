import { dailyWindowStart, rateWindowStart, spendOf } from "./builtin";
import { decodeRequest } from "./decode";
import { evaluate, type ActiveRulesDocument } from "./engine";
import { PolicyRequestError } from "./errors";
import { monthStart } from "./time";
import { usageFromEvents, type UsageEvent } from "./usage";
import type { TrustFacts } from "./rules";
import type { ActivePolicy, Outcome, PolicyDecision, PolicyRequest, UsageSnapshot } from "./types";

export interface HistoryItem {
  id: string;
  request: PolicyRequest;
  at: Date;
  decisionThen: Outcome;
  /**
   * Usage recorded when the request was decided. When present it is used as-is for that item
   * (e.g. when the history does not reach back a full month); otherwise usage is rebuilt from the
   * replayed history itself.
   */
  usageThen?: UsageSnapshot;
}

export interface BacktestInput {
  history: readonly HistoryItem[];
  /** The draft rules document; absent means "built-in policies only". */
  draft?: ActiveRulesDocument | undefined;
  policies: readonly ActivePolicy[];
  /** The signer's agent's trust score as it was at a moment (seed 001), for rules naming `trust.*`. */
  trustAt?: (at: Date) => TrustFacts | null;
}

export interface BacktestItem {
  id: string;
  at: Date;
  then: Outcome;
  now: Outcome;
  changed: boolean;
  /** Why the draft decides as it does: violation and approval messages. */
  reasons: string[];
  matchedRuleId: string | null;
}

export interface BacktestSummary {
  total: number;
  changed: number;
  allowToDeny: number;
  denyToAllow: number;
  toApproval: number;
  fromApproval: number;
}

export interface BacktestResult {
  items: BacktestItem[];
  summary: BacktestSummary;
}

/** Oldest instant any of these policies looks back to from `at`. */
function lookbackStart(policies: readonly ActivePolicy[], at: Date): number {
  let start = dailyWindowStart(at).getTime();
  for (const p of policies) {
    if (p.type === "monthly_limit") start = Math.min(start, monthStart(at, p.config.timeZone).getTime());
    if (p.type === "rate_limit") start = Math.min(start, rateWindowStart(at, p.config.windowSeconds).getTime());
  }
  return start;
}

/**
 * Replays the history in time order under the draft. A replayed request counts toward later usage
 * unless the draft denies it (require_approval counts, as its spend is reserved while it waits).
 */
export function backtest({ history, draft, policies, trustAt }: BacktestInput): BacktestResult {
  const ordered = history
    .map((item, index) => ({ item, index }))
    .sort((a, b) => a.item.at.getTime() - b.item.at.getTime() || a.index - b.index)
    .map((x) => x.item);

  const counted: UsageEvent[] = [];
  let windowStart = 0;
  const items: BacktestItem[] = [];
  const summary: BacktestSummary = { total: 0, changed: 0, allowToDeny: 0, denyToAllow: 0, toApproval: 0, fromApproval: 0 };

  for (const item of ordered) {
    let decoded;
    try {
      decoded = decodeRequest(item.request);
    } catch (error) {
      throw new PolicyRequestError(`history item ${item.id}: ${(error as Error).message}`);
    }
    // Lookback boundaries only move forward with time, so older events can be dropped for good.
    const start = lookbackStart(policies, item.at);
    while (windowStart < counted.length && (counted[windowStart]?.at.getTime() ?? Infinity) < start) windowStart++;
    const usage = item.usageThen ?? usageFromEvents(counted.slice(windowStart), item.at, policies);

    const decision: PolicyDecision = evaluate({ request: decoded, policies, document: draft, usage, now: item.at, trust: trustAt?.(item.at) ?? null });
    const now = decision.outcome;
    if (now !== "deny") counted.push({ at: item.at, spend: spendOf(decoded) });

    const then = item.decisionThen;
    const changed = then !== now;
    summary.total++;
    if (changed) {
      summary.changed++;
      if (then === "allow" && now === "deny") summary.allowToDeny++;
      if (then === "deny" && now === "allow") summary.denyToAllow++;
      if (now === "require_approval") summary.toApproval++;
      if (then === "require_approval") summary.fromApproval++;
    }
    items.push({
      id: item.id,
      at: item.at,
      then,
      now,
      changed,
      reasons: [...decision.violations.map((v) => v.message), ...decision.approvals.map((a) => a.message)],
      matchedRuleId: decision.matchedRule?.ruleId ?? null,
    });
  }
  return { items, summary };
}
