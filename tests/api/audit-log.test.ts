import { describe, expect, it } from "vitest";
import { GET as auditLog } from "@/app/api/v1/audit-log/route";
import { GET as exportCsv } from "@/app/api/v1/audit-log/export/route";
import { recordAudit } from "@/lib/audit/record";
import { csvCell, csvRow } from "@/lib/audit/csv";
import { db } from "@/lib/db/client";
import { useTestDatabase } from "../helpers/db";
import { call, makeApiKey, makeUser } from "../helpers/http";

useTestDatabase();

async function seed(organizationId: string) {
  const signer = "0b8f4b5e-2f7c-4a8e-9d7b-0c6d7c1b2a3f";
  const ev = (action: string, resourceType: string, resourceId: string | null, label: string, details: Record<string, unknown> = {}) =>
    recordAudit(db(), { organizationId, actor: { type: "user", id: "u1", label }, action, resourceType, resourceId, details });
  await ev("signer.created", "signer", signer, "alice@example.com");
  await ev("signer.paused", "signer", signer, "alice@example.com");
  await ev("signing.broadcast", "signer", "other-signer", "bot", { txHash: "0xabc" });
  await ev("policy.activated", "policy_document", "d1", "alice@example.com", { signerId: signer, version: 2 });
  await ev("policy.activated", "policy_document", "d2", "alice@example.com", { signerId: "other-signer", version: 1 });
  await ev("api_key.created", "credential", "k1", "=HYPERLINK(\"http://evil\")", { note: "+1 and \"quotes\", commas\nnewline" });
  return signer;
}

describe("audit log filters and CSV export", () => {
  it("filters by action (exact or prefix), resource type, signer, text and time", async () => {
    const { cookie, organizationId } = await makeUser();
    const signer = await seed(organizationId);
    const q = async (query: Record<string, string>) => (await call(auditLog, "GET", "/api/v1/audit-log", { cookie, query })).json.items.map((i: { action: string }) => i.action);
    expect(await q({ action: "signer.paused" })).toEqual(["signer.paused"]);
    expect(await q({ action: "signer.*" })).toEqual(["signer.paused", "signer.created"]);
    expect(await q({ resource_type: "credential" })).toEqual(["api_key.created"]);
    expect(await q({ signer })).toEqual(["policy.activated", "signer.paused", "signer.created"]);
    expect(await q({ q: "BOT" })).toEqual(["signing.broadcast"]);
    expect(await q({ from: "2000-01-01", to: "2001-01-01" })).toEqual([]);
    expect((await q({ from: new Date(Date.now() - 60_000).toISOString() })).length).toBe(6);
    const bad = await call(auditLog, "GET", "/x", { cookie, query: { from: "yesterday" } });
    expect(bad.status).toBe(400);
    expect(bad.json.violations[0].field).toBe("query.from");
  });

  it("exports the same filter as CSV with correct quoting and neutralised formulas; scoped to the organization", async () => {
    const { organizationId } = await makeUser();
    await seed(organizationId);
    const { secret } = await makeApiKey(organizationId, ["audit:read"]);
    const r = await call(exportCsv, "GET", "/api/v1/audit-log/export", { apiKey: secret, query: { resource_type: "credential" } });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(r.headers.get("content-disposition")).toMatch(/attachment; filename="audit-log-/);
    const lines = r.text.split("\r\n").filter(Boolean);
    expect(lines[0]).toBe("time,action,outcome,actor_type,actor_id,actor,resource_type,resource_id,ip,user_agent,details");
    // one data row whose details cell contains a newline, so count records by the header's columns
    expect(r.text).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(r.text).toContain(`"{""note"":""+1 and \\""quotes\\"", commas\\nnewline""}"`);
    expect(r.text).not.toContain("signer.created");
    const other = await makeUser();
    const mine = await call(exportCsv, "GET", "/x", { cookie: other.cookie });
    expect(mine.text.split("\r\n").filter(Boolean)).toHaveLength(1);
  });

  it("quotes and neutralises cells", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell("=1+2")).toBe("'=1+2");
    expect(csvCell("+SUM(A1)")).toBe("'+SUM(A1)");
    expect(csvCell("-2")).toBe("'-2");
    expect(csvCell("@cmd")).toBe("'@cmd");
    expect(csvCell("\tx")).toBe("'\tx");
    expect(csvCell('a,"b"')).toBe(`"a,""b"""`);
    expect(csvCell("line\nbreak")).toBe(`"line\nbreak"`);
    expect(csvCell(null)).toBe("");
    expect(csvRow(["a", 1, { k: "v" }])).toBe(`a,1,"{""k"":""v""}"\r\n`);
  });
});
