/**
 * The MCP proxy end to end: the SDK's Client → createProxyServer → a real MCP server from npm
 * (@modelcontextprotocol/server-filesystem, spawned over stdio), every call decided by the real
 * POST /api/v1/check and GET /api/v1/check/{id}/decision routes (the SDK's GatewayClient, served in-process)
 * against a real database, pending calls resolved by a reviewer through PATCH /api/v1/check/{id}.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { ErrorCode, McpError, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { POST as checkRoute } from "@/app/api/v1/check/route";
import { PATCH as reviewRoute } from "@/app/api/v1/check/[id]/route";
import { GET as decisionRoute } from "@/app/api/v1/check/[id]/decision/route";
import { GET as agentToolsRoute } from "@/app/api/v1/gateway/agents/[id]/tools/route";
import { GatewayClient } from "@/lib/sdk/gateway";
import { gatewayChecker } from "@/lib/sdk/mcp";
import { ERROR_META_KEY, type GatewayErrorData } from "@/lib/gateway/mcp/errors";
import { createProxyServer, type ProxyOptions } from "@/lib/gateway/mcp/proxy";
import { connectUpstream, type Upstream } from "@/lib/gateway/mcp/upstream";
import { useTestDatabase } from "../helpers/db";
import { call, makeApiKey, makeUser, ORIGIN } from "../helpers/http";

useTestDatabase();

const serverEntry = createRequire(import.meta.url).resolve("@modelcontextprotocol/server-filesystem/dist/index.js");
const CARD = "4111 1111 1111 1111";

let dir: string;
let organizationId: string;
let checkKey: string;
let reviewKey: string;

/** The gateway's routes served in-process, as the proxy reaches them over HTTP. */
const routesFetch = (async (input: string | URL | Request, init?: RequestInit) => {
  const req = new Request(input, init);
  const path = new URL(req.url).pathname;
  if (req.method === "POST" && path === "/api/v1/check") return checkRoute(req, { params: Promise.resolve({}) });
  const m = /^\/api\/v1\/check\/([^/]+)\/decision$/.exec(path);
  if (req.method === "GET" && m) return decisionRoute(req, { params: Promise.resolve({ id: m[1] }) });
  const t = /^\/api\/v1\/gateway\/agents\/([^/]+)\/tools$/.exec(path);
  if (req.method === "GET" && t) return agentToolsRoute(req, { params: Promise.resolve({ id: decodeURIComponent(t[1]!) }) });
  return new Response("not found", { status: 404 });
}) as typeof fetch;

async function review(id: string, decision: "allow" | "block") {
  const r = await call(reviewRoute, "PATCH", `/api/v1/check/${id}`, { apiKey: reviewKey, params: { id }, body: { decision, decided_by: "reviewer@example.com" } });
  expect(r.status).toBe(200);
}
const upstreams: Upstream[] = [];

async function spawnFilesystem(): Promise<Upstream> {
  const u = await connectUpstream({ kind: "stdio", command: process.execPath, args: [serverEntry, dir], stderr: "ignore" });
  upstreams.push(u);
  return u;
}

/** A client connected to a proxy in front of `upstream`, for agent `agentId`. */
async function proxyClient(upstream: Upstream, opts: Partial<ProxyOptions> & { agentId: string }) {
  const proxy = createProxyServer(upstream.client, { checker: gatewayChecker(new GatewayClient({ baseUrl: ORIGIN, apiKey: checkKey, agentId: opts.agentId, fetch: routesFetch })), pendingWaitMs: 60_000, ...opts });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await proxy.connect(a);
  const client = new Client({ name: "test-agent", version: "1.0.0" });
  await client.connect(b);
  return client;
}

const errorOf = (r: CallToolResult) => (r._meta as Record<string, GatewayErrorData> | undefined)?.[ERROR_META_KEY];
const textOf = (r: CallToolResult) => r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");

async function pendingCheckOf(agentRef: string, tool: string) {
  for (;;) {
    const row = await db().gatewayCheck.findFirst({ where: { organizationId, agentRef, toolName: tool, decision: "pending" }, orderBy: { createdAt: "desc" } });
    if (row) return row;
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cs-mcp-proxy-"));
  await writeFile(join(dir, "hello.txt"), "hello from the upstream\n");
  organizationId = (await makeUser()).organizationId;
  checkKey = (await makeApiKey(organizationId, ["gateway:check"])).secret;
  reviewKey = (await makeApiKey(organizationId, ["gateway:review"])).secret;
});

afterAll(async () => {
  for (const u of upstreams) await u.close().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

describe("countersign mcp-proxy in front of @modelcontextprotocol/server-filesystem", () => {
  it("filters tools/list by the agent's allow-list and refuses a tool outside it as an unknown tool", async () => {
    const upstream = await spawnFilesystem();
    const all = (await upstream.client.listTools()).tools.map((t) => t.name);
    expect(all).toEqual(expect.arrayContaining(["read_text_file", "write_file", "list_directory", "move_file"]));
    const client = await proxyClient(upstream, { agentId: "fs-reader", allowTools: ["read_text_file", "list_directory"] });
    expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual(["list_directory", "read_text_file"]);
    const err = await client.callTool({ name: "move_file", arguments: { source: join(dir, "hello.txt"), destination: join(dir, "moved.txt") } }).catch((e) => e);
    expect(err).toBeInstanceOf(McpError);
    expect((err as McpError).code).toBe(ErrorCode.InvalidParams);
    expect(await readFile(join(dir, "hello.txt"), "utf8")).toBe("hello from the upstream\n");
    expect(await db().gatewayCheck.count({ where: { organizationId, toolName: "move_file" } })).toBe(0);
  });

  it("allow: the call is checked, recorded and reaches the upstream, whose answer comes back unchanged", async () => {
    const client = await proxyClient(await spawnFilesystem(), { agentId: "fs-agent" });
    const r = (await client.callTool({ name: "read_text_file", arguments: { path: join(dir, "hello.txt") } })) as CallToolResult;
    expect(r.isError).toBeFalsy();
    expect(textOf(r)).toContain("hello from the upstream");
    const rows = await db().gatewayCheck.findMany({ where: { organizationId, agentRef: "fs-agent", toolName: "read_text_file" } });
    expect(rows.map((c) => c.decision)).toEqual(["allow"]);
  });

  it("block: an isError result naming the policy and each reason; the upstream never sees the call", async () => {
    const client = await proxyClient(await spawnFilesystem(), { agentId: "fs-agent" });
    const target = join(dir, "escape.txt");
    const r = (await client.callTool({ name: "write_file", arguments: { path: `${dir}/../../${dir}/escape.txt`, content: "x" } })) as CallToolResult;
    expect(r.isError).toBe(true);
    const e = errorOf(r)!;
    expect(e).toMatchObject({ code: "TOOL_CALL_BLOCKED", decision: "block", policy_name: "path-traversal" });
    expect(e.reasons!.length).toBeGreaterThan(0);
    expect(e.reasons![0]).toMatchObject({ policy_name: "path-traversal", decision: "block" });
    expect(textOf(r)).toContain("TOOL_CALL_BLOCKED");
    expect(textOf(r)).toContain(e.reasons![0]!.message);
    expect(textOf(r)).toContain(`check_id: ${e.check_id}`);
    await expect(readFile(target, "utf8")).rejects.toThrow();
  });

  it("pending: the call waits for the reviewer; allowed, it then reaches the upstream", async () => {
    const client = await proxyClient(await spawnFilesystem(), { agentId: "fs-writer" });
    const target = join(dir, "card.txt");
    const call = client.callTool({ name: "write_file", arguments: { path: target, content: `customer card ${CARD}` } }) as Promise<CallToolResult>;
    const pending = await pendingCheckOf("fs-writer", "write_file");
    await expect(readFile(target, "utf8")).rejects.toThrow();
    await review(pending.id, "allow");
    const r = await call;
    expect(r.isError).toBeFalsy();
    expect(await readFile(target, "utf8")).toBe(`customer card ${CARD}`);
  });

  it("pending, then blocked by the reviewer: refused with decided_by, nothing written", async () => {
    const client = await proxyClient(await spawnFilesystem(), { agentId: "fs-writer-2" });
    const target = join(dir, "card-2.txt");
    const call = client.callTool({ name: "write_file", arguments: { path: target, content: `card ${CARD}` } }) as Promise<CallToolResult>;
    const pending = await pendingCheckOf("fs-writer-2", "write_file");
    await review(pending.id, "block");
    const r = await call;
    expect(r.isError).toBe(true);
    expect(errorOf(r)).toMatchObject({ code: "TOOL_CALL_BLOCKED", decision: "block", decided_by: "reviewer@example.com", check_id: pending.id });
    await expect(readFile(target, "utf8")).rejects.toThrow();
  });

  it("pending past the bounded wait: refused as TOOL_CALL_PENDING_TIMEOUT, the call not run", async () => {
    const client = await proxyClient(await spawnFilesystem(), { agentId: "fs-writer-3", pendingWaitMs: 0 });
    const target = join(dir, "card-3.txt");
    const r = (await client.callTool({ name: "write_file", arguments: { path: target, content: `card ${CARD}` } })) as CallToolResult;
    expect(errorOf(r)).toMatchObject({ code: "TOOL_CALL_PENDING_TIMEOUT", decision: "pending" });
    await expect(readFile(target, "utf8")).rejects.toThrow();
  });

  it("fails closed: when /check refuses the proxy's credential, the call is not run (GATEWAY_CHECK_FAILED)", async () => {
    const upstream = await spawnFilesystem();
    const client = await proxyClient(upstream, { agentId: "fs-agent", checker: gatewayChecker(new GatewayClient({ baseUrl: ORIGIN, apiKey: "cso_not_a_key", agentId: "fs-agent", fetch: routesFetch })) });
    const target = join(dir, "unchecked.txt");
    const r = (await client.callTool({ name: "write_file", arguments: { path: target, content: "x" } })) as CallToolResult;
    expect(r.isError).toBe(true);
    expect(errorOf(r)).toMatchObject({ code: "GATEWAY_CHECK_FAILED" });
    expect(textOf(r)).toContain("401");
    await expect(readFile(target, "utf8")).rejects.toThrow();
  });

  it("upstream crash: PROXY_UPSTREAM_FAILED, both for a call in flight and for the next one", async () => {
    const upstream = await spawnFilesystem();
    const client = await proxyClient(upstream, { agentId: "fs-agent" });
    const pid = (upstream.transport as StdioClientTransport).pid!;
    process.kill(pid, "SIGSTOP");
    const inFlight = client.callTool({ name: "read_text_file", arguments: { path: join(dir, "hello.txt") } }) as Promise<CallToolResult>;
    await new Promise((r) => setTimeout(r, 300));
    process.kill(pid, "SIGKILL");
    const r = await inFlight;
    expect(r.isError).toBe(true);
    expect(errorOf(r)).toMatchObject({ code: "PROXY_UPSTREAM_FAILED" });
    const next = (await client.callTool({ name: "list_directory", arguments: { path: dir } })) as CallToolResult;
    expect(errorOf(next)).toMatchObject({ code: "PROXY_UPSTREAM_FAILED" });
    expect(textOf(next)).toMatch(/^PROXY_UPSTREAM_FAILED: /);
  });

  it("upstream not answering: PROXY_UPSTREAM_TIMEOUT after the configured bound", async () => {
    const upstream = await spawnFilesystem();
    const client = await proxyClient(upstream, { agentId: "fs-agent", upstreamTimeoutMs: 1000 });
    const pid = (upstream.transport as StdioClientTransport).pid!;
    process.kill(pid, "SIGSTOP");
    try {
      const r = (await client.callTool({ name: "read_text_file", arguments: { path: join(dir, "hello.txt") } })) as CallToolResult;
      expect(r.isError).toBe(true);
      expect(errorOf(r)).toMatchObject({ code: "PROXY_UPSTREAM_TIMEOUT" });
    } finally {
      process.kill(pid, "SIGCONT");
    }
    // The upstream answers again once resumed.
    const again = (await client.callTool({ name: "read_text_file", arguments: { path: join(dir, "hello.txt") } })) as CallToolResult;
    expect(textOf(again)).toContain("hello from the upstream");
  });
});
