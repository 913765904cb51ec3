import { describe, expect, it, vi } from "vitest";
import type { AuditItem } from "@/lib/audit/query";
import { useTestDatabase } from "../helpers/db";
import { call, makeUser } from "../helpers/http";

useTestDatabase();

/** How the export's event source behaves in this file: fail at once, or after one event. */
const mode = vi.hoisted(() => ({ failAfter: 1 }));

vi.mock("@/lib/audit/query", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/audit/query")>();
  return {
    ...real,
    async *allAuditEvents(): AsyncGenerator<AuditItem> {
      for (let i = 0; i < mode.failAfter; i++) {
        yield { id: String(i), action: "signer.created", actor: { type: "user", id: "u1", label: "alice" }, resourceType: "signer", resourceId: null, outcome: "success", ip: null, userAgent: null, createdAt: new Date(0).toISOString(), details: {} } as AuditItem;
      }
      throw new Error("connection to the database lost");
    },
  };
});

const { GET: exportCsv } = await import("@/app/api/v1/audit-log/export/route");

describe("the audit CSV export when the database fails", () => {
  it("mid-stream: the 200 body ends with a clear error row and a clean end, not a reset", async () => {
    mode.failAfter = 1;
    const { cookie } = await makeUser();
    const r = await call(exportCsv, "GET", "/api/v1/audit-log/export", { cookie });
    expect(r.status).toBe(200);
    const lines = r.text.split("\r\n").filter(Boolean);
    expect(lines[0]).toMatch(/^time,action,/);
    expect(lines[1]).toContain("signer.created");
    expect(lines.at(-1)).toBe("#error,export failed before the end; this file is incomplete");
    expect(r.text).not.toContain("connection to the database lost");
  });

  it("before the first row: an error status in the family's body, never a 200", async () => {
    mode.failAfter = 0;
    const { cookie } = await makeUser();
    const r = await call(exportCsv, "GET", "/api/v1/audit-log/export", { cookie });
    expect(r.status).toBe(500);
    expect(r.json).toMatchObject({ statusCode: 500, error: { code: "INTERNAL_ERROR" } });
  });
});
