/**
 * The ceremony sweep: every server instance runs it (started from instrumentation.ts), so an
 * abandoned ceremony is wiped without waiting for traffic. Each pass
 *   1. expires ceremonies past their TTL — compare-and-set on the status, so of two instances
 *      sweeping at once each ceremony is claimed by exactly one — and wipes their sealed state;
 *   2. wipes the sealed state and the key-generation point-to-point messages of every other ended
 *      ceremony not wiped yet (ended by a request on another path: deletion of the signer, …);
 *   3. releases the spend reservations of those ended ceremonies;
 *   4. deletes all point-to-point messages and submissions of ceremonies that ended more than
 *      ENDED_CEREMONY_GRACE_MS ago, claiming each with `FOR UPDATE SKIP LOCKED` and marking it
 *      `wiped_at` in the same transaction.
 * Every step is idempotent; none needs the master key.
 */
import { db as appDb, type Db } from "@/lib/db/client";
import { log } from "@/lib/log/logger";
import { runPeriodically } from "@/lib/ops/periodic";
import { ENDED_CEREMONY_GRACE_MS, expireCeremonies } from "./ceremonies";
import { releaseEndedCeremonies } from "./spend-ledger";

export const CEREMONY_SWEEP_INTERVAL_MS = 20_000;
/** Ceremonies wiped per pass at most (the rest wait for the next pass). */
const WIPE_BATCH = 200;

export type SweepResult = { expired: string[]; released: number; wiped: string[]; deletedMessages: number; deletedSubmissions: number };

export async function sweepCeremonies(db: Db, now = new Date()): Promise<SweepResult> {
  const expired = await expireCeremonies(db, now, { releaseAll: false });

  // Every ended ceremony stays unwiped for at least the grace period, so this set (index on
  // status, wiped_at) covers each one on several passes: no scan of the whole history.
  const ended = (await db.$queryRaw<{ id: string }[]>`SELECT "id" FROM "ceremonies" WHERE "status" IN ('completed', 'aborted', 'expired', 'rejected') AND "wiped_at" IS NULL`).map((r) => r.id);
  let deletedMessages = 0;
  let released = 0;
  if (ended.length) {
    deletedMessages = await db.$executeRaw`DELETE FROM "ceremony_messages" WHERE "ceremony_id" = ANY(${ended}::uuid[]) AND "phase" = 'keygen' AND "to_party" IS NOT NULL`;
    await db.$executeRaw`UPDATE "ceremonies" SET "server_state" = NULL WHERE "id" = ANY(${ended}::uuid[]) AND "server_state" IS NOT NULL`;
    released = await releaseEndedCeremonies(db, ended);
  }

  const cutoff = new Date(now.getTime() - ENDED_CEREMONY_GRACE_MS);
  const { wiped, messages, submissions } = await db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string }[]>`UPDATE "ceremonies" SET "wiped_at" = ${now}::timestamptz, "server_state" = NULL
      WHERE "id" IN (
        SELECT "id" FROM "ceremonies"
        WHERE "status" IN ('completed', 'aborted', 'expired', 'rejected') AND "wiped_at" IS NULL AND COALESCE("completed_at", "updated_at") <= ${cutoff}::timestamptz
        LIMIT ${WIPE_BATCH} FOR UPDATE SKIP LOCKED
      ) RETURNING "id"`;
    const ids = rows.map((r) => r.id);
    if (!ids.length) return { wiped: ids, messages: 0, submissions: 0 };
    const m = await tx.$executeRaw`DELETE FROM "ceremony_messages" WHERE "ceremony_id" = ANY(${ids}::uuid[]) AND "to_party" IS NOT NULL`;
    const s = await tx.$executeRaw`DELETE FROM "ceremony_submissions" WHERE "ceremony_id" = ANY(${ids}::uuid[])`;
    return { wiped: ids, messages: m, submissions: s };
  });
  deletedMessages += messages;
  return { expired, released, wiped, deletedMessages, deletedSubmissions: submissions };
}

/**
 * Runs the sweep every CEREMONY_SWEEP_INTERVAL_MS in this process (one pass at a time). Started once
 * per server instance from instrumentation.ts; returns a stop function.
 */
export function startCeremonySweep(opts: { db?: () => Db; intervalMs?: number } = {}): () => void {
  const getDb = opts.db ?? appDb;
  return runPeriodically("ceremony sweep", opts.intervalMs ?? CEREMONY_SWEEP_INTERVAL_MS, async () => {
    const r = await sweepCeremonies(getDb());
    if (r.expired.length || r.wiped.length || r.released || r.deletedMessages || r.deletedSubmissions) {
      log.info("ceremony sweep", { expired: r.expired.length, released: r.released, wiped: r.wiped.length, deletedMessages: r.deletedMessages, deletedSubmissions: r.deletedSubmissions });
    }
  });
}
