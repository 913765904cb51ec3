import { describe, expect, it } from "vitest";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { appendDecision } from "@/lib/tlog/append";
import { committedLeaf, leafForEvent } from "@/lib/tlog/commitment";
import { canonicalize } from "@/lib/tlog/jcs";
import { hashLeaf } from "@/lib/tlog/merkle";
import { checkLogIntegrity } from "@/lib/tlog/monitor";
import { publish } from "@/lib/tlog/store";
import { sha256 } from "@noble/hashes/sha2.js";
import { useTestDatabase } from "../helpers/db";

useTestDatabase();

/** The event an entry's leaf commits to (private, with its salt). */
const eventOf = (e: { event: Uint8Array | null }) => JSON.parse(Buffer.from(e.event!).toString("utf8"));

describe("decisions into the transparency log (issue #14)", () => {
  it("every audit event gets a leaf in the same transaction: committed together, rolled back together", async () => {
    const row = await db().$transaction((tx) => recordAudit(tx, { organizationId: null, actor: { type: "user", id: "u1", label: "alice@example.com" }, action: "policy.created", resourceType: "policy", resourceId: "p1", details: { name: "daily", secret: "s3cr3t" }, context: { ip: "10.0.0.1" } }));
    const [entry] = await db().tlogEntry.findMany({ where: { decisionId: row.id } });
    const event = eventOf(entry!);
    expect(event).toEqual({
      v: 2,
      kind: "audit",
      org: null,
      id: row.id,
      time: row.createdAt.toISOString(),
      action: "policy.created",
      outcome: "success",
      actor: { type: "user", id: "u1" },
      resource: { type: "policy", id: "p1" },
      details_sha256: Buffer.from(sha256(new TextEncoder().encode(canonicalize(row.details)))).toString("hex"),
    });
    // The event is stored in its canonical form; the public leaf commits to it with the entry's own
    // 32-byte salt, and the stored hash is the leaf's RFC 6962 hash. Nothing private is in either.
    expect(Buffer.from(entry!.event!).toString("utf8")).toBe(canonicalize(event));
    expect(entry!.salt).toHaveLength(32);
    const leaf = Buffer.from(entry!.leaf).toString("utf8");
    expect(leaf).toBe(committedLeaf(new Uint8Array(entry!.event!), "audit", new Uint8Array(entry!.salt!)));
    expect(leafForEvent(event, new Uint8Array(entry!.salt!))).toBe(leaf);
    expect(Object.keys(JSON.parse(leaf) as object).sort()).toEqual(["c", "kind", "v"]);
    expect(leaf).not.toContain(row.id);
    expect(Buffer.from(entry!.leafHash).equals(Buffer.from(hashLeaf(new Uint8Array(entry!.leaf))))).toBe(true);
    expect(Buffer.from(entry!.event!).toString("utf8")).not.toMatch(/alice|10\.0\.0\.1|daily|s3cr3t/);

    await expect(
      db().$transaction(async (tx) => {
        await recordAudit(tx, { organizationId: null, actor: { type: "system" }, action: "x.failed", resourceType: "x" });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await db().auditEvent.count({ where: { action: "x.failed" } })).toBe(0);
    expect(await db().tlogEntry.count()).toBe(1);

    // Without a transaction, the event and its leaf are written in one of their own.
    const alone = await recordAudit(db(), { organizationId: null, actor: { type: "system" }, action: "x.alone", resourceType: "x" });
    expect(await db().tlogEntry.count({ where: { decisionId: alone.id } })).toBe(1);
  });

  it("each leaf has its own salt: two identical events are two unrelated public leaves", async () => {
    const d = { kind: "signing.decision", organizationId: null, decisionId: "same", decision: "allow", actor: { type: "agent", id: "a1" }, digest: "ab".repeat(32), time: new Date(Date.UTC(2026, 11, 6)) };
    await db().$transaction(async (tx) => {
      await appendDecision(tx, d);
      await appendDecision(tx, d);
    });
    const [a, b] = await db().tlogEntry.findMany({ where: { decisionId: "same" } });
    expect(Buffer.from(a!.event!).equals(Buffer.from(b!.event!))).toBe(true);
    expect(Buffer.from(a!.salt!).equals(Buffer.from(b!.salt!))).toBe(false);
    expect(Buffer.from(a!.leaf).equals(Buffer.from(b!.leaf))).toBe(false);
    expect(Buffer.from(a!.leaf).toString("utf8")).not.toContain("ab".repeat(32));
  });

  it("appendDecision: the gateway's entry point; any string is logged (lone surrogates as U+FFFD)", async () => {
    await db().$transaction((tx) =>
      appendDecision(tx, { kind: "gateway.check", organizationId: null, decisionId: "chk-1", decision: "block", actor: { type: "agent", id: "a\ud800" }, digest: "00".repeat(32), policyVersion: 3, details: { tool: "db_query" } }),
    );
    const [e] = await db().tlogEntry.findMany({ where: { decisionId: "chk-1" } });
    expect(eventOf(e!)).toMatchObject({ kind: "gateway.check", decision: "block", actor: { type: "agent", id: "a\ufffd" }, policy_version: 3, tool: "db_query", id: "chk-1" });
  });

  it("the log's self-check notices an event rewritten behind its leaf's commitment", async () => {
    await publish(db());
    expect(await checkLogIntegrity(db())).toEqual({ ok: true });
    const [e] = await db().tlogEntry.findMany({ where: { decisionId: "chk-1" } });
    await db().$executeRawUnsafe(`ALTER TABLE "tlog_entries" DISABLE TRIGGER "tlog_entries_append_only"`);
    await db().$executeRawUnsafe(`UPDATE "tlog_entries" SET "event" = convert_to(replace(convert_from("event", 'UTF8'), '"block"', '"allow"'), 'UTF8') WHERE "id" = $1::uuid`, e!.id);
    await db().$executeRawUnsafe(`ALTER TABLE "tlog_entries" ENABLE TRIGGER "tlog_entries_append_only"`);
    expect(await checkLogIntegrity(db())).toEqual({ ok: false, detail: `entry ${Number(e!.leafIndex)}'s event is not the one its leaf commits to: it was rewritten` });
  });
});
