import { db, type DbOrTx } from "@/lib/db/client";
import type { RateLimitInput, RateLimitRule } from "./contract";
import { TooManyRequestsError } from "./errors";
import { principalKey } from "./principal-key";

/**
 * Fixed-window counters kept in the database, so every instance behind a load balancer shares them.
 * One upsert per request: INSERT … ON CONFLICT DO UPDATE count = count + 1 RETURNING count.
 */
export async function enforceRateLimit(rule: Pick<RateLimitRule, "name" | "limit" | "windowSeconds" | "message">, subject: string, now = Date.now()): Promise<void> {
  const { count, windowEnd } = await countHit(rule, subject, now);
  if (count > rule.limit) throw new TooManyRequestsError((windowEnd - now) / 1000, rule.message);
}

/** Adds one to the counter `name:subject` of the window holding `now`; its new count and when the window ends (ms). */
export async function countHit(rule: Pick<RateLimitRule, "name" | "windowSeconds">, subject: string, now = Date.now()): Promise<{ count: number; windowEnd: number }> {
  const windowMs = rule.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now / windowMs) * windowMs);
  const key = `${rule.name}:${subject}`;
  const rows = await db().$queryRaw<{ count: number }[]>`
    INSERT INTO "rate_limit_buckets" ("key", "window_start", "count") VALUES (${key}, ${windowStart}, 1)
    ON CONFLICT ("key", "window_start") DO UPDATE SET "count" = "rate_limit_buckets"."count" + 1
    RETURNING "count"`;
  return { count: Number(rows[0]?.count ?? 0), windowEnd: windowStart.getTime() + windowMs };
}

/** When in a request each kind of rule can be counted: what it keys on must be known by then. */
export type RateLimitStage = "request" | "authenticated" | "parsed";
export const RATE_LIMIT_STAGE: Record<RateLimitRule["by"], RateLimitStage> = { ip: "request", principal: "authenticated", agent: "parsed", sid: "parsed", nullifier: "parsed", account: "parsed" };

export type RateLimitContext = { ip: string | null } & Partial<RateLimitInput>;

/** The counter's subject for one rule: its own key, else the caller's address. */
export function rateLimitSubject(rule: RateLimitRule, c: RateLimitContext): string {
  const ip = `ip:${c.ip ?? "unknown"}`;
  switch (rule.by) {
    case "ip":
      return c.ip ?? "unknown";
    case "principal":
      return principalKey(c.principal) ?? c.ip ?? "unknown";
    default: {
      const key = rule.key({ params: c.params, query: c.query, body: c.body, principal: c.principal ?? { type: "anonymous" } });
      if (!key) return ip;
      // address + account: one client hammering an account never uses up another client's attempts.
      return rule.by === "account" ? `account:${c.ip ?? "unknown"}:${key}` : `${rule.by}:${key}`;
    }
  }
}

/** Counts every rule of a route that belongs to this stage of the request (handle() calls it three times). */
export async function applyRateLimits(rules: RateLimitRule | readonly RateLimitRule[] | undefined, stage: RateLimitStage, c: RateLimitContext): Promise<void> {
  if (!rules) return;
  for (const rule of Array.isArray(rules) ? (rules as readonly RateLimitRule[]) : [rules as RateLimitRule]) {
    if (RATE_LIMIT_STAGE[rule.by] === stage) await enforceRateLimit(rule, rateLimitSubject(rule, c));
  }
}

/** Housekeeping (lib/ops/housekeeping.ts): drop windows that started more than a day ago (the longest window is an hour). */
export async function pruneRateLimits(now = Date.now(), on: DbOrTx = db()): Promise<number> {
  const r = await on.rateLimitBucket.deleteMany({ where: { windowStart: { lt: new Date(now - 86_400_000) } } });
  return r.count;
}
