import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { POST as addContract } from "@/app/api/v1/contracts/route";
import { DELETE as removeContract } from "@/app/api/v1/contracts/[id]/route";
import { POST as loginChallenge } from "@/app/api/v1/auth/passkey/login-challenge/route";
import { GET as auditLog } from "@/app/api/v1/audit-log/route";
import { PATCH as patchPolicy } from "@/app/api/v1/policies/[id]/route";
import { GET as listSigners } from "@/app/api/v1/signers/route";
import { POST as registerDevice } from "@/app/api/devices/route";
import { DELETE as removeDevice } from "@/app/api/devices/[id]/route";
import { GET as listRequests, POST as submitRequest } from "@/app/api/requests/route";
import { POST as createApiKey } from "@/app/api/v1/api-keys/route";
import { GET as apiKeyScopes } from "@/app/api/v1/api-keys/scopes/route";
import { allContracts } from "@/lib/api";
import { issueCredential } from "@/lib/auth/credentials";
import { roleCan } from "@/lib/auth/permissions";
import { configuredNetworks, syncNetworks } from "@/lib/chain/network-registry";
import { db } from "@/lib/db/client";
import { defineRoute, type RouteContract } from "@/lib/http/contract";
import { ConflictError, NotFoundError, PolicyViolationError, ProxyUpstreamError } from "@/lib/http/errors";
import { SCIM_ERROR_URN, type ApiFamily } from "@/lib/http/families";
import { handle } from "@/lib/http/handle";
import { useTestDatabase } from "../helpers/db";
import { call, makeApiKey, makeUser } from "../helpers/http";
import { browserKeys } from "../push/receiver";

useTestDatabase();

const UUID = "7f0c3a52-9a55-4a57-9f0e-2f6d3c1b8a11";
const SLOW = "Too many requests. Please try again later.";

/**
 * A probe route per family: 400 from zod, 401/403 from authenticate, 404/409/403-policy/502 thrown
 * by the handler, 429 from a per-agent rule with its own message — the same path every real route
 * takes through handle().
 */
function probe(family: ApiFamily) {
  const contract = defineRoute({
    method: "POST",
    path: `/probe/${family}`,
    summary: "test probe",
    tags: ["Test"],
    auth: ["apiKey"],
    permission: "audit:read",
    family,
    body: z.strictObject({ n: z.int(), kind: z.enum(["ok", "missing", "conflict", "policy", "upstream", "crash"]).default("ok"), agent: z.string().optional() }),
    rateLimit: { name: `probe-${family}`, limit: 1, windowSeconds: 3600, by: "agent", key: ({ body }) => (body as { agent?: string }).agent, message: SLOW },
    responses: { 200: z.object({ ok: z.literal(true) }) },
  });
  return handle(contract, async ({ body }) => {
    if (body.kind === "missing") throw new NotFoundError("No such probe");
    if (body.kind === "conflict") throw new ConflictError("Probe already exists");
    if (body.kind === "policy") throw new PolicyViolationError([{ policyId: "p1", type: "spending_limit", message: "Exceeds 1.0 ETH" }], { hint: "Would be allowed at or below 1.0 ETH" });
    if (body.kind === "upstream") throw new ProxyUpstreamError("Upstream timed out", { timeout: true });
    if (body.kind === "crash") throw new Error("secret internals");
    return { status: 200, body: { ok: true as const } };
  });
}

type Answer = Awaited<ReturnType<typeof call>>;

async function sixStatuses(family: ApiFamily): Promise<Record<number, Answer>> {
  const route = probe(family);
  const { organizationId } = await makeUser();
  // SCIM routes take only SCIM tokens, as a bearer token; every other family an API key.
  const mint = (scopes: string[]) => (family === "scim" ? issueCredential(db(), { organizationId, kind: "scim_token", name: "scim", scopes }) : makeApiKey(organizationId, scopes));
  const good = (await mint(["audit:read"])).secret;
  const weak = (await mint(["org:read"])).secret;
  const post = (body: object, apiKey?: string) =>
    call(route, "POST", `/probe/${family}`, { body: Object.keys(body).length ? { n: 1, ...body } : body, ...(family === "scim" ? { headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {} } : { apiKey }) });
  const agent = `agent-${family}-${Date.now()}`;
  expect((await post({ kind: "ok", agent }, good)).status).toBe(200);
  return {
    400: await post({}, good),
    401: await post({ kind: "ok" }),
    403: await post({ kind: "ok" }, weak),
    404: await post({ kind: "missing", agent: `${agent}-404` }, good),
    409: await post({ kind: "conflict", agent: `${agent}-409` }, good),
    429: await post({ kind: "ok", agent }, good),
  };
}

const MESSAGES = {
  400: "Invalid request body: body.n: Required",
  401: "Authentication required",
  403: 'API key lacks the "audit:read" scope',
  404: "No such probe",
  409: "Probe already exists",
  429: SLOW,
} as const;

describe("error bodies per family (probe route through handle())", () => {
  it("v1 (seed 000): { statusCode, message, violations? }", async () => {
    const r = await sixStatuses("v1");
    expect(r[400]!.json).toEqual({ statusCode: 400, message: MESSAGES[400], violations: [{ field: "body.n", message: "Required" }] });
    for (const s of [401, 403, 404, 409, 429] as const) expect(r[s]!.json, String(s)).toEqual({ statusCode: s, message: MESSAGES[s] });
    expect(r[429]!.headers.get("retry-after")).toMatch(/^\d+$/);
  });

  it("error (seeds 001, 003, 004): { error: \"message\" }", async () => {
    const r = await sixStatuses("error");
    expect(r[400]!.json).toEqual({ error: MESSAGES[400], violations: [{ field: "body.n", message: "Required" }] });
    for (const s of [401, 403, 404, 409, 429] as const) expect(r[s]!.json, String(s)).toEqual({ error: MESSAGES[s] });
    expect(r[429]!.json).toEqual({ error: "Too many requests. Please try again later." });
    expect(r[429]!.headers.get("retry-after")).toMatch(/^\d+$/);
  });

  it("aegis (seed 002): { error: { code, message, ...detail } }", async () => {
    const r = await sixStatuses("aegis");
    expect(r[400]!.json).toEqual({ error: { code: "VALIDATION_ERROR", message: MESSAGES[400], details: [{ path: ["body", "n"], code: "invalid_type", message: "Required" }] } });
    expect(r[401]!.json).toEqual({ error: { code: "UNAUTHORIZED", message: MESSAGES[401] } });
    expect(r[403]!.json).toEqual({ error: { code: "FORBIDDEN", message: MESSAGES[403] } });
    expect(r[404]!.json).toEqual({ error: { code: "NOT_FOUND", message: MESSAGES[404] } });
    expect(r[409]!.json).toEqual({ error: { code: "CONFLICT", message: MESSAGES[409] } });
    const retryAfter = Number(r[429]!.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(r[429]!.json).toEqual({ error: { code: "RATE_LIMITED", message: SLOW, retry_after: retryAfter } });
  });

  it("scim (RFC 7644 §3.12): { schemas, status, scimType?, detail }", async () => {
    const r = await sixStatuses("scim");
    const scim = (status: number, detail: string, scimType?: string) => ({ schemas: [SCIM_ERROR_URN], status: String(status), ...(scimType ? { scimType } : {}), detail });
    expect(r[400]!.json).toEqual(scim(400, MESSAGES[400], "invalidValue"));
    expect(r[409]!.json).toEqual(scim(409, MESSAGES[409], "uniqueness"));
    for (const s of [401, 403, 404, 429] as const) expect(r[s]!.json, String(s)).toEqual(scim(s, MESSAGES[s]));
    expect(r[404]!.headers.get("content-type")).toMatch(/^application\/scim\+json/);
    expect(r[429]!.headers.get("retry-after")).toMatch(/^\d+$/);
  });

  it("hybrid (paths seeds 000 and 002 share): v1's members and aegis's error object", async () => {
    const r = await sixStatuses("hybrid");
    expect(r[400]!.json).toEqual({
      statusCode: 400,
      message: MESSAGES[400],
      violations: [{ field: "body.n", message: "Required" }],
      error: { code: "VALIDATION_ERROR", message: MESSAGES[400], details: [{ path: ["body", "n"], code: "invalid_type", message: "Required" }] },
    });
    const codes = { 401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND", 409: "CONFLICT" } as const;
    for (const s of [401, 403, 404, 409] as const) expect(r[s]!.json, String(s)).toEqual({ statusCode: s, message: MESSAGES[s], error: { code: codes[s], message: MESSAGES[s] } });
    expect(r[429]!.json).toEqual({ statusCode: 429, message: SLOW, error: { code: "RATE_LIMITED", message: SLOW, retry_after: Number(r[429]!.headers.get("retry-after")) } });
  });

  it("a policy violation: violations for seed 000, POLICY_VIOLATION with policy_name and hint for seed 002, both on hybrid paths", async () => {
    const { organizationId } = await makeUser();
    const key = (await makeApiKey(organizationId, ["audit:read"])).secret;
    const violation = { policyId: "p1", type: "spending_limit", message: "Exceeds 1.0 ETH" };
    const policy = async (f: ApiFamily) => (await call(probe(f), "POST", "/p", { apiKey: key, body: { n: 1, kind: "policy", agent: randomUUID() } })).json;
    expect(await policy("v1")).toEqual({ statusCode: 403, message: "Policy violation", violations: [violation] });
    const aegisError = { code: "POLICY_VIOLATION", message: "Policy violation", policy_name: "spending_limit", hint: "Would be allowed at or below 1.0 ETH", violations: [violation] };
    expect(await policy("aegis")).toEqual({ error: aegisError });
    expect(await policy("hybrid")).toEqual({ statusCode: 403, message: "Policy violation", violations: [violation], error: aegisError });
  });

  it("upstream and unknown failures: PROXY_UPSTREAM_TIMEOUT, and a 500 that leaks nothing in every family", async () => {
    const { organizationId } = await makeUser();
    const key = (await makeApiKey(organizationId, ["audit:read"])).secret;
    const upstream = await call(probe("aegis"), "POST", "/p", { apiKey: key, body: { n: 1, kind: "upstream", agent: randomUUID() } });
    expect(upstream.status).toBe(504);
    expect(upstream.json).toEqual({ error: { code: "PROXY_UPSTREAM_TIMEOUT", message: "Upstream timed out" } });
    const scimToken = (await issueCredential(db(), { organizationId, kind: "scim_token", name: "scim", scopes: ["audit:read"] })).secret;
    const crash = async (f: ApiFamily) => {
      const auth = f === "scim" ? { headers: { authorization: `Bearer ${scimToken}` } } : { apiKey: key };
      const r = await call(probe(f), "POST", "/p", { ...auth, body: { n: 1, kind: "crash", agent: randomUUID() } });
      expect(r.status).toBe(500);
      expect(r.text).not.toContain("secret internals");
      return r.json;
    };
    expect(await crash("v1")).toEqual({ statusCode: 500, message: "Internal server error" });
    expect(await crash("error")).toEqual({ error: "Internal server error" });
    expect(await crash("aegis")).toEqual({ error: { code: "INTERNAL_ERROR", message: "Internal server error" } });
    expect(await crash("scim")).toEqual({ schemas: [SCIM_ERROR_URN], status: "500", detail: "Internal server error" });
  });
});

describe("a seed's own 401 strings", () => {
  it("replace the defaults where a contract names them (seed 001)", async () => {
    const contract = defineRoute({
      method: "GET",
      path: "/me",
      summary: "test",
      tags: ["Test"],
      auth: ["apiKey"],
      family: "error",
      authMessages: { missing: "Missing or invalid Authorization header. Expected: Bearer <api_key>", invalid: "Invalid API key" },
      responses: { 200: z.object({ ok: z.literal(true) }) },
    });
    const route = handle(contract, async () => ({ status: 200, body: { ok: true as const } }));
    expect((await call(route, "GET", "/me")).json).toEqual({ error: "Missing or invalid Authorization header. Expected: Bearer <api_key>" });
    expect((await call(route, "GET", "/me", { headers: { authorization: "Bearer nope" } })).json).toEqual({ error: "Invalid API key" });
    const { organizationId } = await makeUser();
    const key = (await makeApiKey(organizationId, ["trust:read"])).secret;
    expect((await call(route, "GET", "/me", { headers: { authorization: `Bearer ${key}` } })).json).toEqual({ ok: true });
  });
});

describe("error bodies on real routes", () => {
  it("v1: POST /api/v1/contracts and friends answer 400/401/403/404/409/429 in seed 000's body", async () => {
    await syncNetworks(db(), configuredNetworks({ DEVNET_RPC_URL: "http://127.0.0.1:9999" }));
    const owner = await makeUser();
    const viewer = await makeUser({ role: "viewer", organizationId: owner.organizationId });
    const usdc = { chainId: 31337, address: "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48", name: "USDC" };
    const bad = await call(addContract, "POST", "/api/v1/contracts", { cookie: owner.cookie, body: { ...usdc, address: "0x12" } });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ statusCode: 400, message: expect.stringContaining("body.address"), violations: [{ field: "body.address", message: expect.any(String) }] });
    expect((await call(addContract, "POST", "/api/v1/contracts", { body: usdc })).json).toEqual({ statusCode: 401, message: "Authentication required" });
    expect((await call(addContract, "POST", "/api/v1/contracts", { cookie: viewer.cookie, body: usdc })).json).toEqual({ statusCode: 403, message: "Your role (viewer) does not allow signers:manage" });
    expect((await call(removeContract, "DELETE", `/api/v1/contracts/${UUID}`, { cookie: owner.cookie, params: { id: UUID } })).json).toEqual({ statusCode: 404, message: expect.any(String) });
    expect((await call(addContract, "POST", "/api/v1/contracts", { cookie: owner.cookie, body: usdc })).status).toBe(201);
    const dup = await call(addContract, "POST", "/api/v1/contracts", { cookie: owner.cookie, body: usdc });
    expect(dup.status).toBe(409);
    expect(dup.json).toEqual({ statusCode: 409, message: expect.stringContaining("already known") });

    // The auth routes' per-IP rule (30/min): the route itself answers 429 by the 31st call of a minute
    // (at most 62 calls should the minute turn between them).
    let limited = await call(loginChallenge, "POST", "/api/v1/auth/passkey/login-challenge", { body: {} });
    for (let i = 1; i < 62 && limited.status !== 429; i++) {
      expect(limited.status).toBe(200);
      limited = await call(loginChallenge, "POST", "/api/v1/auth/passkey/login-challenge", { body: {} });
    }
    expect(limited.status).toBe(429);
    expect(limited.json).toEqual({ statusCode: 429, message: "Too many requests" });
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("error: seed 004's /api/devices and /api/requests answer { error } (400/401/403/404/409)", async () => {
    const u = await makeUser();
    const keys = browserKeys();
    const subscription = { endpoint: `https://push.example.test/send/${Date.now()}`, keys: { p256dh: keys.p256dh, auth: keys.auth.toString("base64url") } };
    const bad = await call(registerDevice, "POST", "/api/devices", { cookie: u.cookie, body: { subscription: { endpoint: "x" } } });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ error: expect.stringContaining("body.subscription.keys"), violations: expect.arrayContaining([{ field: "body.subscription.keys", message: "Required" }]) });
    expect((await call(registerDevice, "POST", "/api/devices", { body: { subscription } })).json).toEqual({ error: "Authentication required" });
    const crossSite = await call(registerDevice, "POST", "/api/devices", { cookie: u.cookie, headers: { origin: "https://evil.example" }, body: { subscription } });
    expect(crossSite.status).toBe(403);
    expect(crossSite.json).toEqual({ error: "Cross-origin request refused" });
    expect((await call(removeDevice, "DELETE", `/api/devices/${UUID}`, { cookie: u.cookie, params: { id: UUID } })).json).toEqual({ error: expect.any(String) });
    expect((await call(registerDevice, "POST", "/api/devices", { cookie: u.cookie, body: { subscription } })).status).toBe(201);
    const dup = await call(registerDevice, "POST", "/api/devices", { cookie: u.cookie, body: { subscription } });
    expect(dup.status).toBe(409);
    expect(dup.json).toEqual({ error: "This push subscription is already registered" });

    // Authorization: Bearer carries the key on this family: an organization key authenticates (and is
    // then refused by the route, which wants an agent token), a bad one is a 401.
    const orgKey = (await makeApiKey(u.organizationId, ["approvals:read"])).secret;
    const asOrg = await call(listRequests, "GET", "/api/requests", { headers: { authorization: `Bearer ${orgKey}` } });
    expect(asOrg.status).toBe(403);
    expect(asOrg.json).toEqual({ error: "Use the agent token issued when the agent was paired (csa_…)" });
    const forged = await call(submitRequest, "POST", "/api/requests", { headers: { authorization: "Bearer cso_AAAAAAAAAAAA_" + "A".repeat(43) }, body: {} });
    expect(forged.json).toEqual({ error: "Invalid or revoked API key" });
  });

  it("every seed 004 route (outside /api/v1) is in the error family", () => {
    const seed004 = allContracts.filter((c: RouteContract) => c.path.startsWith("/api/") && !c.path.startsWith("/api/v1/"));
    expect(seed004.length).toBeGreaterThanOrEqual(12);
    for (const c of seed004) expect(c.family, `${c.method} ${c.path}`).toBe("error");
  });

  it("hybrid: PATCH /api/v1/policies/{id} answers both kinds of client (400/401/403/404)", async () => {
    const owner = await makeUser();
    const viewer = await makeUser({ role: "viewer", organizationId: owner.organizationId });
    const bad = await call(patchPolicy, "PATCH", `/api/v1/policies/${UUID}`, { cookie: owner.cookie, params: { id: UUID }, body: { enabled: "yes" } });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ statusCode: 400, violations: [{ field: "body.enabled" }], error: { code: "VALIDATION_ERROR", details: [{ path: ["body", "enabled"], code: "invalid_type" }] } });
    const anon = await call(patchPolicy, "PATCH", `/api/v1/policies/${UUID}`, { params: { id: UUID }, body: { enabled: false } });
    expect(anon.json).toEqual({ statusCode: 401, message: "Authentication required", error: { code: "UNAUTHORIZED", message: "Authentication required" } });
    const denied = await call(patchPolicy, "PATCH", `/api/v1/policies/${UUID}`, { cookie: viewer.cookie, params: { id: UUID }, body: { enabled: false } });
    expect(denied.json).toEqual({ statusCode: 403, message: "Your role (viewer) does not allow policies:manage", error: { code: "FORBIDDEN", message: "Your role (viewer) does not allow policies:manage" } });
    const missing = await call(patchPolicy, "PATCH", `/api/v1/policies/${UUID}`, { cookie: owner.cookie, params: { id: UUID }, body: { enabled: false } });
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ statusCode: 404, message: missing.json.message, error: { code: "NOT_FOUND", message: missing.json.message } });
  });
});

describe("X-AEGIS-API-Key", () => {
  it("is an organization key on aegis and hybrid routes only", async () => {
    const { organizationId } = await makeUser();
    const key = (await makeApiKey(organizationId, ["audit:read", "signers:read"])).secret;
    const audit = await call(auditLog, "GET", "/api/v1/audit-log", { headers: { "x-aegis-api-key": key } });
    expect(audit.status).toBe(200);
    expect(audit.json.items).toEqual(expect.any(Array));
    // seed 000's signer list is v1: the header is not a credential there.
    const signers = await call(listSigners, "GET", "/api/v1/signers", { headers: { "x-aegis-api-key": key } });
    expect(signers.status).toBe(401);
    expect(signers.json.message).toMatch(/does not accept X-AEGIS-API-Key/);
    expect((await call(listSigners, "GET", "/api/v1/signers", { apiKey: key })).status).toBe(200);
    // A wrong key is refused in the hybrid body.
    const forged = await call(auditLog, "GET", "/api/v1/audit-log", { headers: { "x-aegis-api-key": "cso_AAAAAAAAAAAA_" + "A".repeat(43) } });
    expect(forged.json).toEqual({ statusCode: 401, message: "Invalid or revoked API key", error: { code: "UNAUTHORIZED", message: "Invalid or revoked API key" } });
  });

  it("is refused when the key is not an organization key", async () => {
    const { organizationId } = await makeUser();
    const { issueCredential } = await import("@/lib/auth/credentials");
    const agentToken = (await issueCredential(db(), { organizationId, kind: "agent_token", name: "agent", scopes: ["audit:read"] })).secret;
    // as x-api-key it is not refused for its header but for what it is: an agent key reads no audit log (issue #12)
    expect((await call(auditLog, "GET", "/api/v1/audit-log", { apiKey: agentToken })).status).toBe(403);
    expect((await call(auditLog, "GET", "/api/v1/audit-log", { headers: { "x-aegis-api-key": agentToken } })).status).toBe(401);
  });
});

describe("scopes for the seed 001/002/003 surfaces", () => {
  const NEW = ["gateway:check", "gateway:review", "gateway:admin", "trust:read", "trust:write", "identity:read", "identity:write", "scim"];

  it("can be carried by an organization API key", async () => {
    const { cookie } = await makeUser();
    const listed = (await call(apiKeyScopes, "GET", "/api/v1/api-keys/scopes", { cookie })).json.scopes.map((s: { id: string }) => s.id);
    expect(listed).toEqual(expect.arrayContaining(NEW));
    const r = await call(createApiKey, "POST", "/api/v1/api-keys", { cookie, body: { name: "gateway", scopes: NEW } });
    expect(r.status).toBe(201);
    expect(r.json.apiKey.scopes).toEqual(NEW);
  });

  it("reach dashboard roles as reads for everyone, reviews for approvers, the rest for admins", () => {
    expect(roleCan("viewer", "trust:read")).toBe(true);
    expect(roleCan("viewer", "identity:read")).toBe(true);
    expect(roleCan("viewer", "gateway:review")).toBe(false);
    expect(roleCan("approver", "gateway:review")).toBe(true);
    expect(roleCan("approver", "gateway:admin")).toBe(false);
    expect(roleCan("admin", "scim")).toBe(true);
  });
});

describe("SCIM tokens are confined to SCIM routes", () => {
  it("a SCIM token works only as a bearer token on a scim route; other credentials are refused there", async () => {
    const { organizationId } = await makeUser();
    const scim = (await issueCredential(db(), { organizationId, kind: "scim_token", name: "scim", scopes: ["audit:read"] })).secret;
    const orgKey = (await makeApiKey(organizationId, ["audit:read"])).secret;
    const scimRoute = probe("scim");
    const v1Route = probe("v1");
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    // (a fresh agent per call: the probe's rate limit allows one call per agent)
    expect((await call(scimRoute, "POST", "/probe/scim", { body: { n: 1, agent: randomUUID() }, headers: bearer(scim) })).status).toBe(200);
    // the same token through x-api-key, or on a v1 route, is not a credential there
    expect((await call(scimRoute, "POST", "/probe/scim", { body: { n: 1, agent: randomUUID() }, apiKey: scim })).status).toBe(401);
    expect((await call(v1Route, "POST", "/probe/v1", { body: { n: 1, agent: randomUUID() }, headers: bearer(scim) })).status).toBe(401);
    expect((await call(v1Route, "POST", "/probe/v1", { body: { n: 1, agent: randomUUID() }, apiKey: scim })).status).toBe(401);
    // and an organization key does not provision users
    const refused = await call(scimRoute, "POST", "/probe/scim", { body: { n: 1, agent: randomUUID() }, headers: bearer(orgKey) });
    expect(refused.status).toBe(401);
    expect(refused.json).toMatchObject({ schemas: [SCIM_ERROR_URN], status: "401" });
  });
});
