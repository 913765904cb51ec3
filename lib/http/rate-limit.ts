import { db } from "@/lib/db/client";
import type { RateLimitRule } from "./contract";
import { TooManyRequestsError } from "./errors";

/**
 * Fixed-window counters kept in the database, so every instance behind a load balancer shares them.
 * One upsert per request: INSERT … ON CONFLICT DO UPDATE count = count + 1 RETURNING count.
 */
export async function enforceRateLimit(rule: RateLimitRule, subject: string, now = Date.now()): Promise<void> {
  const windowMs = rule.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now / windowMs) * windowMs);
  const key = `${rule.name}:${subject}`;
  const rows = await db().$queryRaw<{ count: number }[]>`
    INSERT INTO "rate_limit_buckets" ("key", "window_start", "count") VALUES (${key}, ${windowStart}, 1)
    ON CONFLICT ("key", "window_start") DO UPDATE SET "count" = "rate_limit_buckets"."count" + 1
    RETURNING "count"`;
  const count = Number(rows[0]?.count ?? 0);
  if (count > rule.limit) throw new TooManyRequestsError((windowStart.getTime() + windowMs - now) / 1000);
}

/** Housekeeping: drop windows that ended more than a day ago. */
export async function pruneRateLimits(now = Date.now()): Promise<number> {
  const r = await db().rateLimitBucket.deleteMany({ where: { windowStart: { lt: new Date(now - 86_400_000) } } });
  return r.count;
}
