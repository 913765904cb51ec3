/**
 * /mcp (Streamable HTTP, stateless) driven by the SDK's Client and StreamableHTTPClientTransport,
 * served in-process by the real route handler against a real database; pending checks resolved
 * through the real PATCH /api/v1/check/{id} route.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { beforeAll, describe, expect, it } from "vitest";
import { PATCH as reviewRoute } from "@/app/api/v1/check/[id]/route";
import { POST as mcpRoute } from "@/app/mcp/route";
import { mintAgentToken } from "@/lib/agents/tokens/tokens";
import { db } from "@/lib/db/client";
import { useTestDatabase } from "../helpers/db";
import { call, makeApiKey, makeUser, ORIGIN } from "../helpers/http";

useTestDatabase();

let organizationId: string;
let checkKey: string;
let reviewKey: string;

/** A fetch that hands every request for /mcp to the route handler, as Next would. */
const mcpFetch = (async (input: string | URL | Request, init?: RequestInit) => {
  const req = new Request(input, init);
  if (new URL(req.url).pathname !== "/mcp") return new Response("not found", { status: 404 });
  return mcpRoute(req, { params: Promise.resolve({}) });
}) as typeof fetch;

async function connect(headers: Record<string, string>) {
  const client = new Client({ name: "test-agent", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL("/mcp", ORIGIN), { fetch: mcpFetch, requestInit: { headers } }));
  return client;
}

const json = (r: CallToolResult) => JSON.parse((r.content[0] as { text: string }).text);

beforeAll(async () => {
  organizationId = (await makeUser()).organizationId;
  checkKey = (await makeApiKey(organizationId, ["gateway:check"])).secret;
  reviewKey = (await makeApiKey(organizationId, ["gateway:review"])).secret;
});

describe("/mcp over Streamable HTTP", () => {
  it("with an organization key: lists check and wait_for_decision, and check answers the engine's verdict with reasons", async () => {
    const client = await connect({ "x-api-key": checkKey });
    expect(client.getServerVersion()?.name).toBe("countersign");
    expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual(["check", "wait_for_decision"]);
    const allow = json((await client.callTool({ name: "check", arguments: { agent_id: "http-agent", tool_name: "db_query", arguments: { sql: "SELECT 1" } } })) as CallToolResult);
    expect(allow).toMatchObject({ decision: "allow" });
    const block = json((await client.callTool({ name: "check", arguments: { agent_id: "http-agent", tool_name: "db_query", arguments: { sql: "SELECT * FROM users; DROP TABLE users; --" } } })) as CallToolResult);
    expect(block).toMatchObject({ decision: "block", policy_name: "sql-injection" });
    expect(block.reasons[0].hint).toMatch(/^would be allowed if /);
    const rows = await db().gatewayCheck.findMany({ where: { organizationId, agentRef: "http-agent" }, orderBy: { createdAt: "asc" } });
    expect(rows.map((r) => [r.id, r.decision])).toEqual([[allow.check_id, "allow"], [block.check_id, "block"]]);
    await client.close();
  });

  it("pending: wait_for_decision returns allow once a reviewer decides through PATCH /api/v1/check/{id}", async () => {
    const client = await connect({ "x-api-key": checkKey });
    const pending = json((await client.callTool({ name: "check", arguments: { agent_id: "http-agent", tool_name: "send_email", arguments: { body: "card 4111 1111 1111 1111" } } })) as CallToolResult);
    expect(pending).toMatchObject({ decision: "pending" });
    const waiting = client.callTool({ name: "wait_for_decision", arguments: { check_id: pending.check_id, timeout_seconds: 30 } }) as Promise<CallToolResult>;
    const reviewed = await call(reviewRoute, "PATCH", `/api/v1/check/${pending.check_id}`, { apiKey: reviewKey, params: { id: pending.check_id }, body: { decision: "allow", decided_by: "reviewer@example.com" } });
    expect(reviewed.status).toBe(200);
    expect(json(await waiting)).toMatchObject({ check_id: pending.check_id, decision: "allow", decided_by: "reviewer@example.com" });
    await client.close();
  });

  it("with an agent token: check defaults to the token's agent and refuses another agent", async () => {
    const agent = await db().agent.create({ data: { organizationId, name: "token agent", aegisAgentId: "token-agent" } });
    const { token } = await mintAgentToken(db(), { agentId: agent.id, organizationId, scopes: ["gateway:check"], ttlSeconds: 600 });
    const client = await connect({ "x-aegis-agent-token": token });
    const v = json((await client.callTool({ name: "check", arguments: { tool_name: "read_file", arguments: { path: "notes.txt" } } })) as CallToolResult);
    expect(v.decision).toBe("allow");
    expect((await db().gatewayCheck.findUniqueOrThrow({ where: { id: v.check_id } })).agentId).toBe(agent.id);
    const other = (await client.callTool({ name: "check", arguments: { agent_id: "http-agent", tool_name: "read_file", arguments: {} } })) as CallToolResult;
    expect(other.isError).toBe(true);
    expect((other.content[0] as { text: string }).text).toMatch(/This agent token is for another agent/);
    expect(await db().gatewayCheck.count({ where: { organizationId, agentRef: "http-agent", toolName: "read_file" } })).toBe(0);
    await client.close();
  });

  it("refuses a missing or invalid credential with 401 in the AEGIS error shape, and a key without the scope with 403", async () => {
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" });
    const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
    const none = await mcpFetch(new URL("/mcp", ORIGIN), { method: "POST", headers, body });
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    const bad = await mcpFetch(new URL("/mcp", ORIGIN), { method: "POST", headers: { ...headers, "x-api-key": "cso_nope" }, body });
    expect(bad.status).toBe(401);
    const readOnly = (await makeApiKey(organizationId, ["agents:read"])).secret;
    const forbidden = await mcpFetch(new URL("/mcp", ORIGIN), { method: "POST", headers: { ...headers, "x-api-key": readOnly }, body });
    expect(forbidden.status).toBe(403);
  });
});

describe("/mcp input", () => {
  it("answers JSON to a plain JSON client (Accept: application/json only), and a body that is no JSON-RPC message is a 400 in the AEGIS shape", async () => {
    const url = new URL("/mcp", ORIGIN);
    const headers = { "content-type": "application/json", accept: "application/json", "x-api-key": checkKey };
    const init = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "curl", version: "1" } } };
    const r = await mcpFetch(url, { method: "POST", headers, body: JSON.stringify(init) });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ jsonrpc: "2.0", id: 1, result: { serverInfo: { name: "countersign" } } });
    for (const body of ["{}", "[]", "null", JSON.stringify({ jsonrpc: "1.0", id: 1, method: "x" }), JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", extra: true }), JSON.stringify({ jsonrpc: "2.0", id: 1.5, method: "tools/list" })]) {
      const bad = await mcpFetch(url, { method: "POST", headers, body });
      expect(bad.status, body).toBe(400);
      expect(await bad.json(), body).toMatchObject({ error: { code: "VALIDATION_ERROR" } });
    }
  });
});

describe("/mcp without sessions", () => {
  it("GET and DELETE answer 405 in the AEGIS error shape (no SSE stream, no session)", async () => {
    const { GET, DELETE } = await import("@/app/mcp/route");
    for (const [method, handler] of [["GET", GET], ["DELETE", DELETE]] as const) {
      const r = await call(handler, method, "/mcp", { apiKey: checkKey });
      expect(r.status, method).toBe(405);
      expect(r.json, method).toMatchObject({ error: { message: expect.stringMatching(/stateless/) } });
    }
  });
});
