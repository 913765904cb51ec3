import { describe, expect, it } from "vitest";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { appendDecision } from "@/lib/tlog/append";
import { canonicalize } from "@/lib/tlog/jcs";
import { hashLeaf } from "@/lib/tlog/merkle";
import { sha256 } from "@noble/hashes/sha2.js";
import { useTestDatabase } from "../helpers/db";

useTestDatabase();

const leafOf = (e: { leaf: Uint8Array }) => JSON.parse(Buffer.from(e.leaf).toString("utf8"));

describe("decisions into the transparency log (issue #14)", () => {
  it("every audit event gets a leaf in the same transaction: committed together, rolled back together", async () => {
    const row = await db().$transaction((tx) => recordAudit(tx, { organizationId: null, actor: { type: "user", id: "u1", label: "alice@example.com" }, action: "policy.created", resourceType: "policy", resourceId: "p1", details: { name: "daily", secret: "s3cr3t" }, context: { ip: "10.0.0.1" } }));
    const [entry] = await db().tlogEntry.findMany({ where: { decisionId: row.id } });
    const leaf = leafOf(entry!);
    expect(leaf).toEqual({
      v: 1,
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
    // The leaf is its canonical form, and the stored hash is its RFC 6962 leaf hash; nothing private is in it.
    expect(Buffer.from(entry!.leaf).toString("utf8")).toBe(canonicalize(leaf));
    expect(Buffer.from(entry!.leafHash).equals(Buffer.from(hashLeaf(new Uint8Array(entry!.leaf))))).toBe(true);
    expect(Buffer.from(entry!.leaf).toString("utf8")).not.toMatch(/alice|10\.0\.0\.1|daily|s3cr3t/);

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

  it("appendDecision: the gateway's entry point; any string is logged (lone surrogates as U+FFFD)", async () => {
    await db().$transaction((tx) =>
      appendDecision(tx, { kind: "gateway.check", organizationId: null, decisionId: "chk-1", decision: "block", actor: { type: "agent", id: "a\ud800" }, digest: "00".repeat(32), policyVersion: 3, details: { tool: "db_query" } }),
    );
    const [e] = await db().tlogEntry.findMany({ where: { decisionId: "chk-1" } });
    expect(leafOf(e!)).toMatchObject({ kind: "gateway.check", decision: "block", actor: { type: "agent", id: "a\ufffd" }, policy_version: 3, tool: "db_query", id: "chk-1" });
  });
});
