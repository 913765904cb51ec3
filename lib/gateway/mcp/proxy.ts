/**
 * The MCP proxy: an MCP server in front of another one (the upstream, reached through an SDK Client
 * over stdio or Streamable HTTP). tools/list is the upstream's, filtered by the local allow-list and
 * the agent's allow-list stored in Countersign;
 * every tools/call is decided by Countersign's /check first: allow → forwarded; block → a refusal
 * naming the reasons; pending → waits (bounded) for a reviewer, then forwards or refuses. A call
 * the upstream does not answer in time is PROXY_UPSTREAM_TIMEOUT; a crashed, closed or unreachable
 * upstream is PROXY_UPSTREAM_FAILED. Holds no state besides the upstream connection.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError, type CallToolResult, type Tool } from "@modelcontextprotocol/sdk/types.js";
import { toolAllowed } from "../allow-list";
import { CheckFailedError, type ToolCallChecker } from "./checker";
import { errorResult, PROXY_UPSTREAM_FAILED, PROXY_UPSTREAM_TIMEOUT, refusalFor } from "./errors";

export type ProxyOptions = {
  checker: ToolCallChecker;
  /** The agent every call is checked for (seed 002's agent_id, or the registry id). */
  agentId: string;
  /** Tools this agent may see and call (names or `prefix*` patterns); null or absent: every tool of the upstream. */
  allowTools?: readonly string[] | null;
  /**
   * Also filter tools/list by the agent's allow-list stored in Countersign (`checker.allowedTools`,
   * read at each tools/list). A call outside it is still sent to /check, which blocks it with the
   * reason tool_not_allowed (recorded, and explained to the model). Default true.
   */
  serverAllowList?: boolean;
  /** How long a pending call waits for a reviewer before it is refused (default 5 minutes). */
  pendingWaitMs?: number;
  /** How long the upstream has to answer one call (default 60 s). */
  upstreamTimeoutMs?: number;
  /** Called with each pending check, e.g. to tell the operator on stderr. */
  onPending?: (info: { tool: string; checkId: string; expiresAt: string | null }) => void;
};

export const DEFAULT_PENDING_WAIT_MS = 5 * 60_000;
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 60_000;

/** The upstream's error, told apart: no answer in time, or no upstream to answer (crash, closed). */
function upstreamFailure(err: unknown, upstreamName: string): CallToolResult | null {
  if (err instanceof McpError && err.code === ErrorCode.RequestTimeout) {
    return errorResult({ code: PROXY_UPSTREAM_TIMEOUT, message: `The upstream MCP server (${upstreamName}) did not answer in time` });
  }
  if (err instanceof McpError && err.code !== ErrorCode.ConnectionClosed) return null;
  return errorResult({ code: PROXY_UPSTREAM_FAILED, message: `The upstream MCP server (${upstreamName}) failed: ${err instanceof Error ? err.message : String(err)}` });
}

export function createProxyServer(upstream: Client, opts: ProxyOptions): Server {
  const local = opts.allowTools ?? null;
  const allowed = (name: string) => toolAllowed(local, name);
  const upstreamInfo = upstream.getServerVersion();
  const upstreamName = upstreamInfo?.name ?? "upstream";
  const server = new Server(
    { name: `countersign-proxy(${upstreamName})`, version: upstreamInfo?.version ?? "0.0.0" },
    { capabilities: { tools: {} }, instructions: upstream.getInstructions() },
  );

  server.setRequestHandler(ListToolsRequestSchema, async (req) => {
    let listed: { tools: Tool[]; nextCursor?: string };
    try {
      listed = await upstream.listTools(req.params, { timeout: opts.upstreamTimeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS });
    } catch (err) {
      const failure = upstreamFailure(err, upstreamName);
      if (failure === null) throw err;
      throw new McpError(ErrorCode.InternalError, (failure.content[0] as { text: string }).text, failure._meta);
    }
    let stored: readonly string[] | null = null;
    if (opts.serverAllowList !== false && opts.checker.allowedTools) {
      try {
        stored = await opts.checker.allowedTools(opts.agentId);
      } catch (err) {
        if (!(err instanceof CheckFailedError)) throw err;
        // Fail closed: without the agent's allow-list, no tool is listed.
        throw new McpError(ErrorCode.InternalError, `GATEWAY_CHECK_FAILED: the agent's tool allow-list could not be read: ${err.message}`);
      }
    }
    return { ...listed, tools: listed.tools.filter((t) => allowed(t.name) && toolAllowed(stored, t.name)) };
  });

  server.setRequestHandler(CallToolRequestSchema, async (req, extra) => {
    const { name, arguments: args } = req.params;
    if (!allowed(name)) throw new McpError(ErrorCode.InvalidParams, `Tool ${name} not found`);
    let verdict;
    try {
      verdict = await opts.checker.check({ agent_id: opts.agentId, tool_name: name, arguments: args ?? {} });
      if (verdict.decision === "pending") {
        opts.onPending?.({ tool: name, checkId: verdict.check_id, expiresAt: verdict.expires_at ?? null });
        verdict = await opts.checker.waitForDecision(verdict.check_id, { timeoutMs: opts.pendingWaitMs ?? DEFAULT_PENDING_WAIT_MS, signal: extra.signal });
      }
    } catch (err) {
      if (!(err instanceof CheckFailedError)) throw err;
      // Fail closed: no verdict, no call.
      return errorResult({ code: "GATEWAY_CHECK_FAILED", message: `The call to ${name} was not run: ${err.message}` });
    }
    if (verdict.decision !== "allow") return refusalFor(name, verdict);
    try {
      return (await upstream.callTool(req.params, undefined, { timeout: opts.upstreamTimeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS, signal: extra.signal })) as CallToolResult;
    } catch (err) {
      const failure = upstreamFailure(err, upstreamName);
      if (failure === null) throw err;
      return failure;
    }
  });
  return server;
}
