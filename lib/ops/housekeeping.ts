/**
 * Housekeeping every instance runs (started from instrumentation.ts): rows that only grow with
 * traffic and are useless once old — rate-limit windows a day past, development outbox mail a week
 * past, expired replay-cache keys of signed agent requests. Each step is one idempotent DELETE, so
 * two instances running it at once only share the work. It also settles the ERC-4337 paymaster's
 * reservations to what the EntryPoint charged (lib/aa/settle.ts; conditional updates, as idempotent).
 */
import { settleAllSponsorships } from "@/lib/aa/settle";
import { db as appDb, type Db } from "@/lib/db/client";
import { pruneRateLimits } from "@/lib/http/rate-limit";
import { log } from "@/lib/log/logger";
import { pruneOutbox } from "@/lib/mail/mailer";
import { runPeriodically } from "./periodic";

export const HOUSEKEEPING_INTERVAL_MS = 10 * 60_000;

export type HousekeepingResult = { rateLimitBuckets: number; outboxMessages: number; agentRequestReplays: number; aaSponsorshipsSettled: number };

export async function housekeeping(db: Db, now = new Date()): Promise<HousekeepingResult> {
  const rateLimitBuckets = await pruneRateLimits(now.getTime(), db);
  const outboxMessages = await pruneOutbox(db, now.getTime());
  const agentRequestReplays = (await db.agentRequestReplay.deleteMany({ where: { expiresAt: { lt: now } } })).count;
  const aaSponsorshipsSettled = await settleAllSponsorships(db);
  return { rateLimitBuckets, outboxMessages, agentRequestReplays, aaSponsorshipsSettled };
}

export function startHousekeeping(opts: { db?: () => Db; intervalMs?: number } = {}): () => void {
  const getDb = opts.db ?? appDb;
  return runPeriodically("housekeeping", opts.intervalMs ?? HOUSEKEEPING_INTERVAL_MS, async () => {
    const r = await housekeeping(getDb());
    if (r.rateLimitBuckets || r.outboxMessages || r.agentRequestReplays || r.aaSponsorshipsSettled) log.info("housekeeping", r);
  });
}
