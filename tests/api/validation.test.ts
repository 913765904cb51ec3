import { describe, expect, it } from "vitest";
import { POST as register } from "@/app/api/v1/auth/register/route";
import { POST as createApiKey } from "@/app/api/v1/api-keys/route";
import { GET as auditLog } from "@/app/api/v1/audit-log/route";
import { DELETE as revokeApiKey } from "@/app/api/v1/api-keys/[id]/route";
import { POST as logout } from "@/app/api/v1/auth/logout/route";
import { useTestDatabase } from "../helpers/db";
import { call, makeUser } from "../helpers/http";

useTestDatabase();

describe("request validation and the error shape", () => {
  it("malformed JSON → 400 in seed 000's shape", async () => {
    const r = await call(register, "POST", "/api/v1/auth/register", { rawBody: '{"email": "a@b.co",' });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ statusCode: 400, message: expect.stringMatching(/^Malformed JSON body/), violations: [{ field: "body", message: "Malformed JSON" }] });
  });

  it("missing, mistyped and unknown fields → 400 naming each field", async () => {
    const r = await call(register, "POST", "/api/v1/auth/register", { body: { email: 42, extra: true } });
    expect(r.status).toBe(400);
    expect(r.json.statusCode).toBe(400);
    const fields = (r.json.violations as { field: string; message: string }[]).map((v) => v.field).sort();
    expect(fields).toEqual(["body.email", "body.extra", "body.name"]);
    expect(r.json.message).toContain("body.name: Required");
    expect(r.json.message).toContain('body.extra: Unknown field "extra"');
  });

  it("a JSON array or scalar instead of an object → 400", async () => {
    for (const raw of ["[]", "42", "null", '"x"']) {
      const r = await call(register, "POST", "/api/v1/auth/register", { rawBody: raw });
      expect(r.status, raw).toBe(400);
      expect(r.json.statusCode).toBe(400);
    }
  });

  it("an empty body where one is required → 400", async () => {
    const r = await call(register, "POST", "/api/v1/auth/register", { rawBody: "" });
    expect(r.status).toBe(400);
    expect(r.json.violations).toEqual([{ field: "body", message: "Required" }]);
  });

  it("a body over the size limit → 413, before parsing", async () => {
    const r = await call(register, "POST", "/api/v1/auth/register", { rawBody: JSON.stringify({ email: "a@b.co", name: "x".repeat(2 * 1024 * 1024) }) });
    expect(r.status).toBe(413);
    expect(r.json).toEqual({ statusCode: 413, message: expect.stringMatching(/exceeds/) });
  });

  it("a non-JSON content type → 415", async () => {
    const r = await call(register, "POST", "/api/v1/auth/register", { rawBody: "email=a@b.co", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(r.status).toBe(415);
  });

  it("a body on an endpoint that takes none → 400", async () => {
    const r = await call(logout, "POST", "/api/v1/auth/logout", { body: { anything: 1 } });
    expect(r.status).toBe(400);
  });

  it("bad path parameters and query strings → 400 naming them", async () => {
    const { cookie } = await makeUser();
    const p = await call(revokeApiKey, "DELETE", "/api/v1/api-keys/not-a-uuid", { cookie, params: { id: "not-a-uuid" } });
    expect(p.status).toBe(400);
    expect(p.json.violations[0].field).toBe("params.id");
    const q = await call(auditLog, "GET", "/api/v1/audit-log", { cookie, query: { limit: "1000" } });
    expect(q.status).toBe(400);
    expect(q.json.violations[0].field).toBe("query.limit");
    const u = await call(auditLog, "GET", "/api/v1/audit-log", { cookie, query: { bogus: "1" } });
    expect(u.status).toBe(400);
    expect(u.json.violations[0].field).toBe("query.bogus");
    const c = await call(auditLog, "GET", "/api/v1/audit-log", { cookie, query: { cursor: "!!!" } });
    expect(c.status).toBe(400);
  });

  it("a domain rule violation → 400 with nothing written", async () => {
    const { cookie, organizationId } = await makeUser();
    const r = await call(createApiKey, "POST", "/api/v1/api-keys", { cookie, body: { name: "k", scopes: ["audit:read", "members:manage"] } });
    expect(r.status).toBe(400);
    expect(r.json.message).toMatch(/Unknown scope\(s\): members:manage/);
    const { db } = await import("@/lib/db/client");
    expect(await db().credential.count({ where: { organizationId } })).toBe(0);
  });

  it("no credentials → 401, and every response carries a request id", async () => {
    const r = await call(auditLog, "GET", "/api/v1/audit-log");
    expect(r.status).toBe(401);
    // The audit log is a path seeds 000 and 002 share: the hybrid body carries both clients' members.
    expect(r.json).toEqual({ statusCode: 401, message: "Authentication required", error: { code: "UNAUTHORIZED", message: "Authentication required" } });
    expect(r.headers.get("x-request-id")).toMatch(/.{8,}/);
  });

  it("a cross-origin write with a session cookie → 403", async () => {
    const { cookie } = await makeUser();
    const r = await call(createApiKey, "POST", "/api/v1/api-keys", { cookie, body: { name: "k", scopes: ["audit:read"] }, headers: { origin: "https://evil.example" } });
    expect(r.status).toBe(403);
  });
});
