import type { BacktestItemView, Decision } from "../api/policies";

/* Pure helpers for the backtest results: how each replayed request would change, bucketed per day. */

export type ChangeKind = "unchanged" | "allowToDeny" | "denyToAllow" | "toApproval" | "fromApproval";

export const CHANGE_KINDS: readonly ChangeKind[] = ["unchanged", "allowToDeny", "denyToAllow", "toApproval", "fromApproval"];

export const CHANGE_LABEL: Record<ChangeKind, string> = {
  unchanged: "Unchanged",
  allowToDeny: "Allow → deny",
  denyToAllow: "Deny → allow",
  toApproval: "→ approval",
  fromApproval: "Approval →",
};

export const DECISION_LABEL: Record<Decision, string> = { allow: "Allow", deny: "Deny", require_approval: "Approval" };

export function changeKind(then: Decision, now: Decision): ChangeKind {
  if (then === now) return "unchanged";
  if (now === "require_approval") return "toApproval";
  if (then === "require_approval") return "fromApproval";
  return then === "allow" ? "allowToDeny" : "denyToAllow";
}

export type DayBucket = { day: string; total: number } & Record<ChangeKind, number>;

/** UTC calendar day of an ISO instant ("2026-11-27"). */
export function utcDay(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "unknown" : date.toISOString().slice(0, 10);
}

/** One bucket per UTC day that has requests, oldest first. */
export function bucketByDay(items: readonly Pick<BacktestItemView, "at" | "then" | "now">[]): DayBucket[] {
  const buckets = new Map<string, DayBucket>();
  for (const item of items) {
    const day = utcDay(item.at);
    let bucket = buckets.get(day);
    if (!bucket) {
      bucket = { day, total: 0, unchanged: 0, allowToDeny: 0, denyToAllow: 0, toApproval: 0, fromApproval: 0 };
      buckets.set(day, bucket);
    }
    bucket.total += 1;
    bucket[changeKind(item.then, item.now)] += 1;
  }
  return [...buckets.values()].sort((a, b) => a.day.localeCompare(b.day));
}
