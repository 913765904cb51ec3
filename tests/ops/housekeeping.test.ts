/**
 * Housekeeping (lib/ops/housekeeping.ts) deletes what is old and keeps what still counts: a
 * rate-limit window younger than a day (an hour window still in force must keep limiting), outbox
 * mail younger than a week, replay keys not yet expired (a replay inside the window must stay
 * refused).
 */
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { enforceRateLimit } from "@/lib/http/rate-limit";
import { housekeeping } from "@/lib/ops/housekeeping";
import { useTestDatabase } from "../helpers/db";

useTestDatabase();

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe("housekeeping", () => {
  it("deletes rate-limit windows older than a day, outbox mail older than a week and expired replay keys, and nothing else", async () => {
    const now = new Date("2026-12-06T12:00:00Z");
    const at = (msAgo: number) => new Date(now.getTime() - msAgo);
    await db().rateLimitBucket.createMany({
      data: [
        { key: "old", windowStart: at(DAY + 1), count: 5 },
        { key: "recent", windowStart: at(DAY - HOUR), count: 5 },
        { key: "current", windowStart: at(10_000), count: 5 },
      ],
    });
    await db().outboxMessage.createMany({
      data: [
        { to: "old@example.com", subject: "s", sealed: {}, createdAt: at(8 * DAY) },
        { to: "new@example.com", subject: "s", sealed: {}, createdAt: at(6 * DAY) },
      ],
    });
    await db().agentRequestReplay.createMany({ data: [{ key: "expired", expiresAt: at(1) }, { key: "live", expiresAt: new Date(now.getTime() + 60_000) }] });

    const r = await housekeeping(db(), now);

    expect(r).toEqual({ rateLimitBuckets: 1, outboxMessages: 1, agentRequestReplays: 1, aaSponsorshipsSettled: 0 });
    expect((await db().rateLimitBucket.findMany({ orderBy: { key: "asc" } })).map((b) => b.key)).toEqual(["current", "recent"]);
    expect((await db().outboxMessage.findMany()).map((m) => m.to)).toEqual(["new@example.com"]);
    expect((await db().agentRequestReplay.findMany()).map((k) => k.key)).toEqual(["live"]);
    expect(await housekeeping(db(), now)).toEqual({ rateLimitBuckets: 0, outboxMessages: 0, agentRequestReplays: 0, aaSponsorshipsSettled: 0 });
  });

  it("leaves a window in force limiting after a pass", async () => {
    const rule = { name: "housekeeping-test", limit: 2, windowSeconds: 3600 };
    const subject = "ip:198.51.100.7";
    await enforceRateLimit(rule, subject);
    await enforceRateLimit(rule, subject);
    await housekeeping(db());
    await expect(enforceRateLimit(rule, subject)).rejects.toMatchObject({ status: 429 });
  });
});
