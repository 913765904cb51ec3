/** Connects the proxy to its upstream MCP server: a command spawned over stdio, or a Streamable HTTP URL. */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";

export type UpstreamSpec =
  | { kind: "stdio"; command: string; args: string[]; env?: Record<string, string>; cwd?: string; stderr?: "inherit" | "pipe" | "ignore" }
  | { kind: "http"; url: string; headers?: Record<string, string> };

export type Upstream = { client: Client; transport: Transport; close(): Promise<void> };

export const PROXY_CLIENT_INFO = { name: "countersign-mcp-proxy", version: "1.0.0" };

export async function connectUpstream(spec: UpstreamSpec, opts: { timeoutMs?: number } = {}): Promise<Upstream> {
  const transport: Transport =
    spec.kind === "stdio"
      ? new StdioClientTransport({ command: spec.command, args: spec.args, env: spec.env, cwd: spec.cwd, stderr: spec.stderr ?? "inherit" })
      : new StreamableHTTPClientTransport(new URL(spec.url), { requestInit: { headers: spec.headers ?? {} } });
  const client = new Client(PROXY_CLIENT_INFO, { capabilities: {} });
  await client.connect(transport, { timeout: opts.timeoutMs ?? 30_000 });
  return { client, transport, close: () => client.close() };
}
