/**
 * Per-agent tool allow-lists (issue #13): the pure matcher, the routes that store and read a list
 * (GET/PUT /api/v1/gateway/agents/{id}/tools), /check blocking a tool outside it with the reason
 * tool_not_allowed, and the MCP proxy listing only the tools the stored list allows (the SDK's Client
 * → createProxyServer → a real MCP server from npm, every request through the real routes).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Ajv from "ajv";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { mintAgentToken } from "@/lib/agents/tokens/tokens";
import { POST as check } from "@/app/api/v1/check/route";
import { GET as decisionRoute } from "@/app/api/v1/check/[id]/decision/route";
import { GET as getTools, PUT as putTools } from "@/app/api/v1/gateway/agents/[id]/tools/route";
import { GET as auditLog } from "@/app/api/v1/audit-log/route";
import { GET as getAgent } from "@/app/api/v1/agents/[id]/route";
import { normalizeAllowList, toolAllowed } from "@/lib/gateway/allow-list";
import { ERROR_META_KEY, type GatewayErrorData } from "@/lib/gateway/mcp/errors";
import { createProxyServer } from "@/lib/gateway/mcp/proxy";
import { dbChecker } from "@/lib/gateway/mcp/db-checker";
import { connectUpstream, type Upstream } from "@/lib/gateway/mcp/upstream";
import { GatewayClient } from "@/lib/sdk/gateway";
import { gatewayChecker } from "@/lib/sdk/mcp";
import { useTestDatabase } from "../helpers/db";
import { call, makeApiKey, makeUser, ORIGIN } from "../helpers/http";

useTestDatabase();

const ajv = new Ajv({ allErrors: true, strict: false });
const validateTools = ajv.compile({
  type: "object",
  required: ["agent_id", "agent", "allowed_tools"],
  additionalProperties: false,
  properties: {
    agent_id: { type: "string", minLength: 1 },
    agent: { type: "object", required: ["id", "name"], properties: { id: { type: "string" }, name: { type: "string" } } },
    allowed_tools: { anyOf: [{ type: "null" }, { type: "array", items: { type: "string", minLength: 1 } }] },
  },
});
const validateError = ajv.compile({ type: "object", required: ["error"], properties: { error: { type: "object", required: ["code", "message"] } } });
const expectValid = (v: ReturnType<typeof ajv.compile>, body: unknown) => expect(v(body) ? [] : v.errors).toEqual([]);

let organizationId: string;
let adminKey: string;
let checkKey: string;
const A = () => ({ "x-aegis-api-key": adminKey });
const put = (id: string, body: unknown, headers: Record<string, string> = A()) => call(putTools, "PUT", `/api/v1/gateway/agents/${id}/tools`, { headers, params: { id }, body });
const get = (id: string, headers: Record<string, string> = A()) => call(getTools, "GET", `/api/v1/gateway/agents/${id}/tools`, { headers, params: { id } });
const gate = (body: unknown, headers: Record<string, string> = { "x-aegis-api-key": checkKey }) => call(check, "POST", "/api/v1/check", { headers, body });

beforeAll(async () => {
  organizationId = (await makeUser()).organizationId;
  adminKey = (await makeApiKey(organizationId, ["gateway:admin", "gateway:check", "audit:read"])).secret;
  checkKey = (await makeApiKey(organizationId, ["gateway:check"])).secret;
});

describe("the matcher (pure)", () => {
  it("exact names and prefix* patterns; null allows everything, [] nothing", () => {
    expect(toolAllowed(null, "anything")).toBe(true);
    expect(toolAllowed([], "read_file")).toBe(false);
    expect(toolAllowed(["read_file"], "read_file")).toBe(true);
    expect(toolAllowed(["read_file"], "read_file_raw")).toBe(false);
    expect(toolAllowed(["fs_*"], "fs_write")).toBe(true);
    expect(toolAllowed(["fs_*"], "db_query")).toBe(false);
    expect(toolAllowed(["*"], "db_query")).toBe(true);
    expect(normalizeAllowList([" a ", "b", "a", ""])).toEqual(["a", "b"]);
  });
});

describe("GET/PUT /api/v1/gateway/agents/{id}/tools and /check", () => {
  it("stores a list (audited), /check blocks a tool outside it with tool_not_allowed and allows one on it; null removes it", async () => {
    const none = await put("support-bot", { allowed_tools: ["search_docs", "fs_*", "search_docs"] });
    expect(none.status).toBe(200);
    expectValid(validateTools, none.json);
    expect(none.json).toMatchObject({ agent_id: "support-bot", allowed_tools: ["search_docs", "fs_*"] });
    expect((await get("support-bot")).json.allowed_tools).toEqual(["search_docs", "fs_*"]);
    const agent = await db().agent.findFirstOrThrow({ where: { organizationId, aegisAgentId: "support-bot" } });
    expect((await get(agent.id)).json.agent_id).toBe("support-bot");

    const blocked = await gate({ agent_id: "support-bot", tool_name: "db_query", arguments: { sql: "SELECT 1" } });
    expect(blocked.status).toBe(200);
    expect(blocked.json).toMatchObject({ decision: "block", policy_name: "tool-allow-list", risk_level: "HIGH" });
    expect(blocked.json.reasons).toHaveLength(1);
    expect(blocked.json.reasons[0]).toMatchObject({ code: "tool_not_allowed", decision: "block", policy_name: "tool-allow-list" });
    expect(blocked.json.reasons[0].message).toContain('"db_query" is not on this agent\'s tool allow-list');
    expect(blocked.json.reasons[0].hint).toContain("search_docs, fs_*");
    expect((await gate({ agent_id: "support-bot", tool_name: "search_docs", arguments: { q: "refunds" } })).json.decision).toBe("allow");
    expect((await gate({ agent_id: "support-bot", tool_name: "fs_read", arguments: { name: "faq.md" } })).json.decision).toBe("allow");
    // The block is recorded like any other verdict.
    expect(await db().gatewayCheck.count({ where: { organizationId, agentId: agent.id, decision: "block", policyName: "tool-allow-list" } })).toBe(1);

    const removed = await put("support-bot", { allowed_tools: null });
    expect(removed.json.allowed_tools).toBeNull();
    expect((await gate({ agent_id: "support-bot", tool_name: "db_query", arguments: { sql: "SELECT 1" } })).json.decision).toBe("allow");
    const empty = await put("support-bot", { allowed_tools: [] });
    expect(empty.json.allowed_tools).toEqual([]);
    expect((await gate({ agent_id: "support-bot", tool_name: "search_docs", arguments: {} })).json.decision).toBe("block");

    const audit = await call(auditLog, "GET", "/api/v1/audit-log", { headers: A(), query: { action: "gateway.agent_tools.updated" } });
    expect(audit.status).toBe(200);
    const events = await db().auditEvent.findMany({ where: { organizationId, action: "gateway.agent_tools.updated" }, orderBy: { createdAt: "asc" } });
    expect(events.map((e) => (e.details as { after: unknown }).after)).toEqual([["search_docs", "fs_*"], null, []]);
  });

  it("the agent page's data (GET /api/v1/agents/{id}): its allow-list and latest checks, newest first", async () => {
    const u = await makeUser({ organizationId, role: "viewer" });
    await put("page-bot", { allowed_tools: ["search_docs"] });
    await gate({ agent_id: "page-bot", tool_name: "search_docs", arguments: { q: "a" } });
    await gate({ agent_id: "page-bot", tool_name: "db_query", arguments: { sql: "SELECT 1" } });
    const agent = await db().agent.findFirstOrThrow({ where: { organizationId, aegisAgentId: "page-bot" } });
    const r = await call(getAgent, "GET", `/api/v1/agents/${agent.id}`, { cookie: u.cookie, params: { id: agent.id } });
    expect(r.status).toBe(200);
    expect(r.json.toolCalls.allowedTools).toEqual(["search_docs"]);
    expect(r.json.toolCalls.recent.map((c: { toolName: string; decision: string; policyName: string }) => [c.toolName, c.decision, c.policyName])).toEqual([
      ["db_query", "block", "tool-allow-list"],
      ["search_docs", "allow", "exfiltration"],
    ]);
  });

  it("a kill switch still wins over the allow-list; rate limits come after it", async () => {
    await put("paused-bot", { allowed_tools: ["x"] });
    await db().agent.updateMany({ where: { organizationId, aegisAgentId: "paused-bot" }, data: { status: "paused" } });
    expect((await gate({ agent_id: "paused-bot", tool_name: "y", arguments: {} })).json.policy_name).toBe("kill-switch");
  });

  it("bad input is a 400, an unknown agent a 404, a key without gateway:admin cannot write, an agent token reads only its own list", async () => {
    const bad = await put("x-bot", { allowed_tools: "read_file" });
    expect(bad.status).toBe(400);
    expectValid(validateError, bad.json);
    expect((await put("x-bot", { allowed_tools: Array.from({ length: 501 }, (_, i) => `t${i}`) })).status).toBe(400);
    expect((await put("x-bot", { tools: [] })).status).toBe(400);
    const unknown = await get("never-seen-bot");
    expect(unknown.status).toBe(404);
    expectValid(validateError, unknown.json);
    expect((await put("x-bot", { allowed_tools: ["a"] }, { "x-aegis-api-key": checkKey })).status).toBe(403);

    await put("own-bot", { allowed_tools: ["a"] });
    await put("their-bot", { allowed_tools: ["b"] });
    const own = await db().agent.findFirstOrThrow({ where: { organizationId, aegisAgentId: "own-bot" } });
    const { token } = await mintAgentToken(db(), { agentId: own.id, organizationId, scopes: ["gateway:check"], ttlSeconds: 600 });
    const T = { "x-aegis-agent-token": token };
    expect((await get("own-bot", T)).json.allowed_tools).toEqual(["a"]);
    expect((await get("their-bot", T)).status).toBe(404);
    expect((await put("own-bot", { allowed_tools: null }, T)).status).toBe(401);
  });
});

describe("the MCP proxy lists only what the stored allow-list allows", () => {
  const serverEntry = createRequire(import.meta.url).resolve("@modelcontextprotocol/server-filesystem/dist/index.js");
  let dir: string;
  let upstream: Upstream;
  const clients: Client[] = [];

  /** The routes the SDK's GatewayClient reaches, served in-process. */
  const routesFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const req = new Request(input, init);
    const path = new URL(req.url).pathname;
    if (req.method === "POST" && path === "/api/v1/check") return check(req, { params: Promise.resolve({}) });
    let m = /^\/api\/v1\/check\/([^/]+)\/decision$/.exec(path);
    if (req.method === "GET" && m) return decisionRoute(req, { params: Promise.resolve({ id: m[1] }) });
    m = /^\/api\/v1\/gateway\/agents\/([^/]+)\/tools$/.exec(path);
    if (req.method === "GET" && m) return getTools(req, { params: Promise.resolve({ id: decodeURIComponent(m[1]!) }) });
    return new Response("not found", { status: 404 });
  }) as typeof fetch;

  async function connect(checker: Parameters<typeof createProxyServer>[1]["checker"], agentId: string, allowTools?: string[]) {
    const proxy = createProxyServer(upstream.client, { checker, agentId, allowTools, pendingWaitMs: 1000 });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await proxy.connect(a);
    const client = new Client({ name: "test-agent", version: "1.0.0" });
    await client.connect(b);
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "cs-allow-list-"));
    await writeFile(join(dir, "hello.txt"), "hello\n");
    upstream = await connectUpstream({ kind: "stdio", command: process.execPath, args: [serverEntry, dir], stderr: "ignore" });
  });
  afterAll(async () => {
    for (const c of clients) await c.close().catch(() => undefined);
    await upstream?.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it("over HTTP (the SDK's GatewayClient): tools/list follows the stored list; a call outside it is blocked by /check with the reason", async () => {
    const client = await connect(gatewayChecker(new GatewayClient({ baseUrl: ORIGIN, apiKey: checkKey, agentId: "fs-limited", fetch: routesFetch })), "fs-limited");
    // No list yet (and an agent the organization has not seen): every tool.
    const all = (await client.listTools()).tools.map((t) => t.name);
    expect(all).toEqual(expect.arrayContaining(["read_text_file", "write_file", "list_directory"]));
    await put("fs-limited", { allowed_tools: ["read_*", "list_directory"] });
    const listed = (await client.listTools()).tools.map((t) => t.name);
    expect(listed).toContain("read_text_file");
    expect(listed).toContain("list_directory");
    expect(listed).not.toContain("write_file");
    expect(listed.every((n) => n.startsWith("read_") || n === "list_directory")).toBe(true);

    const refused = (await client.callTool({ name: "write_file", arguments: { path: join(dir, "new.txt"), content: "x" } })) as CallToolResult;
    const data = (refused._meta as Record<string, GatewayErrorData>)[ERROR_META_KEY]!;
    expect(data).toMatchObject({ code: "TOOL_CALL_BLOCKED", policy_name: "tool-allow-list" });
    expect(data.reasons?.[0]?.code).toBe("tool_not_allowed");
    await expect(import("node:fs/promises").then((fs) => fs.readFile(join(dir, "new.txt"), "utf8"))).rejects.toThrow();
    const read = (await client.callTool({ name: "read_text_file", arguments: { path: join(dir, "hello.txt") } })) as CallToolResult;
    expect(read.isError).toBeFalsy();

    // A local --allow-tool narrows further; it never widens the stored list.
    const narrowed = await connect(gatewayChecker(new GatewayClient({ baseUrl: ORIGIN, apiKey: checkKey, agentId: "fs-limited", fetch: routesFetch })), "fs-limited", ["read_text_file", "write_file"]);
    expect((await narrowed.listTools()).tools.map((t) => t.name)).toEqual(["read_text_file"]);
  });

  it("in-process (the /mcp side's dbChecker) follows the same list, and fails closed when the list cannot be read", async () => {
    await put("fs-db", { allowed_tools: ["list_directory"] });
    const client = await connect(dbChecker(db(), { organizationId, tokenAgentId: null }), "fs-db");
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(["list_directory"]);

    const broken = await connect(gatewayChecker(new GatewayClient({ baseUrl: ORIGIN, apiKey: "cso_wrong", agentId: "fs-db", fetch: routesFetch })), "fs-db");
    await expect(broken.listTools()).rejects.toThrow(/GATEWAY_CHECK_FAILED/);
  });
});
