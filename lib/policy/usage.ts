import { monthStart } from "./time";
import { dailyWindowStart, rateWindowStart } from "./builtin";
import type { ActivePolicy, SpendItem, UsageSnapshot } from "./types";

/** One earlier signing request that counts toward usage (allowed, or reserved and not released). */
export interface UsageEvent {
  at: Date;
  spend: readonly SpendItem[];
}

function add(record: Record<string, bigint>, item: SpendItem): void {
  record[item.asset] = (record[item.asset] ?? 0n) + item.amount;
}

/**
 * Builds the UsageSnapshot `evaluate` expects from raw events (events after `now` are ignored).
 * This is the reference for the DB layer's aggregate queries and is what backtests use.
 */
export function usageFromEvents(events: Iterable<UsageEvent>, now: Date, policies: readonly ActivePolicy[]): UsageSnapshot {
  const t = now.getTime();
  const dayStart = dailyWindowStart(now).getTime();
  const months = new Map<string, number>();
  const windows = new Map<string, number>();
  for (const p of policies) {
    if (p.type === "monthly_limit" && !months.has(p.config.timeZone)) {
      months.set(p.config.timeZone, monthStart(now, p.config.timeZone).getTime());
    }
    if (p.type === "rate_limit") windows.set(String(p.config.windowSeconds), rateWindowStart(now, p.config.windowSeconds).getTime());
  }
  const rolling24h: Record<string, bigint> = {};
  const monthly: Record<string, Record<string, bigint>> = {};
  const requestCounts: Record<string, number> = {};
  for (const zone of months.keys()) monthly[zone] = {};
  for (const key of windows.keys()) requestCounts[key] = 0;

  for (const e of events) {
    const at = e.at.getTime();
    if (at > t) continue;
    for (const [key, start] of windows) if (at > start) requestCounts[key] = (requestCounts[key] ?? 0) + 1;
    if (at > dayStart) for (const item of e.spend) add(rolling24h, item);
    for (const [zone, start] of months) {
      const record = monthly[zone];
      if (record && at >= start) for (const item of e.spend) add(record, item);
    }
  }
  return { rolling24h, monthly, requestCounts };
}

export function emptyUsage(policies: readonly ActivePolicy[], now: Date): UsageSnapshot {
  return usageFromEvents([], now, policies);
}
