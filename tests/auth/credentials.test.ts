import { describe, expect, it } from "vitest";
import { GET as auditLog } from "@/app/api/v1/audit-log/route";
import { GET as listMembers } from "@/app/api/v1/members/route";
import { POST as createApiKey, GET as listApiKeys } from "@/app/api/v1/api-keys/route";
import { DELETE as revokeApiKey } from "@/app/api/v1/api-keys/[id]/route";
import { db } from "@/lib/db/client";
import { hashSecret, issueCredential, verifyCredential } from "@/lib/auth/credentials";
import { useTestDatabase } from "../helpers/db";
import { call, makeApiKey, makeUser } from "../helpers/http";

useTestDatabase();

describe("machine credentials", () => {
  it("stores only a hash: the secret appears nowhere in the database", async () => {
    const { cookie, organizationId } = await makeUser();
    const r = await call(createApiKey, "POST", "/api/v1/api-keys", { cookie, body: { name: "CI key", scopes: ["audit:read"] } });
    expect(r.status).toBe(201);
    const secret: string = r.json.secret;
    expect(secret.startsWith(`${r.json.apiKey.prefix}_`)).toBe(true);
    expect(r.json.apiKey).not.toHaveProperty("secret");
    const row = await db().credential.findUniqueOrThrow({ where: { id: r.json.apiKey.id } });
    expect(row.secretHash).toBe(hashSecret(secret));
    const everything = JSON.stringify([
      await db().credential.findMany(),
      await db().auditEvent.findMany({ where: { organizationId } }),
    ], (_k, v) => (typeof v === "bigint" ? v.toString() : v));
    // the secret part is base64url, which may itself contain "_": cut at the prefix, not at the last "_"
    const secretPart = secret.slice(r.json.apiKey.prefix.length + 1);
    expect(secretPart).toHaveLength(43);
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(secretPart);
    // and the list shows only the prefix
    const list = await call(listApiKeys, "GET", "/api/v1/api-keys", { cookie });
    expect(JSON.stringify(list.json)).not.toContain(secretPart);
    expect(list.json.apiKeys[0].prefix).toBe(r.json.apiKey.prefix);
  });

  it("authenticates with x-api-key or Bearer, and records last use", async () => {
    const { organizationId } = await makeUser();
    const { credential, secret } = await makeApiKey(organizationId, ["audit:read"]);
    expect((await call(auditLog, "GET", "/api/v1/audit-log", { apiKey: secret })).status).toBe(200);
    expect((await call(auditLog, "GET", "/api/v1/audit-log", { headers: { authorization: `Bearer ${secret}` } })).status).toBe(200);
    expect((await db().credential.findUniqueOrThrow({ where: { id: credential.id } })).lastUsedAt).not.toBeNull();
  });

  it("enforces scopes: a key without the route's scope gets 403", async () => {
    const { organizationId } = await makeUser();
    const { secret } = await makeApiKey(organizationId, ["org:read"]);
    expect((await call(listMembers, "GET", "/api/v1/members", { apiKey: secret })).status).toBe(200);
    const r = await call(auditLog, "GET", "/api/v1/audit-log", { apiKey: secret });
    expect(r.status).toBe(403);
    expect(r.json.message).toMatch(/audit:read/);
  });

  it("a revoked key gets 401 at once; a wrong or malformed key gets 401 even with a session cookie", async () => {
    const { cookie, organizationId } = await makeUser();
    const created = await call(createApiKey, "POST", "/api/v1/api-keys", { cookie, body: { name: "k", scopes: ["audit:read"] } });
    const secret: string = created.json.secret;
    expect((await call(auditLog, "GET", "/api/v1/audit-log", { apiKey: secret })).status).toBe(200);
    const rev = await call(revokeApiKey, "DELETE", `/api/v1/api-keys/${created.json.apiKey.id}`, { cookie, params: { id: created.json.apiKey.id } });
    expect(rev.status).toBe(204);
    const after = await call(auditLog, "GET", "/api/v1/audit-log", { apiKey: secret });
    expect(after.status).toBe(401);
    expect(after.json).toEqual({ statusCode: 401, message: "Invalid or revoked API key", error: { code: "UNAUTHORIZED", message: "Invalid or revoked API key" } }); // the audit log's hybrid body
    const tampered = secret.slice(0, -1) + (secret.endsWith("A") ? "B" : "A");
    expect((await call(auditLog, "GET", "/api/v1/audit-log", { apiKey: tampered, cookie })).status).toBe(401);
    expect((await call(auditLog, "GET", "/api/v1/audit-log", { apiKey: "not-a-key", cookie })).status).toBe(401);
    const log = await db().auditEvent.findMany({ where: { organizationId, action: { startsWith: "api_key." } }, orderBy: { seq: "asc" } });
    expect(log.map((e) => e.action)).toEqual(["api_key.created", "api_key.revoked"]);
  });

  it("expired keys stop working", async () => {
    const { organizationId } = await makeUser();
    const { secret } = await issueCredential(db(), { organizationId, kind: "organization_key", name: "old", scopes: ["audit:read"], expiresAt: new Date(Date.now() - 1000) });
    expect(await verifyCredential(db(), secret)).toBeNull();
    expect((await call(auditLog, "GET", "/api/v1/audit-log", { apiKey: secret })).status).toBe(401);
  });

  it("uses one model for every kind of secret, each with its own visible prefix", async () => {
    const { organizationId } = await makeUser();
    const kinds = ["organization_key", "signer_key", "agent_token", "scim_token"] as const;
    const issued = await Promise.all(kinds.map((kind) => issueCredential(db(), { organizationId, kind, name: kind, scopes: [] })));
    expect(issued.map((i) => i.secret.slice(0, 4))).toEqual(["cso_", "css_", "csa_", "csm_"]);
    for (const i of issued) expect((await verifyCredential(db(), i.secret))?.kind).toBe(i.credential.kind);
  });

  it("a viewer cannot manage API keys", async () => {
    const { cookie } = await makeUser({ role: "viewer" });
    const r = await call(createApiKey, "POST", "/api/v1/api-keys", { cookie, body: { name: "k", scopes: ["audit:read"] } });
    expect(r.status).toBe(403);
  });
});
