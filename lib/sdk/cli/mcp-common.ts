/** Shared by `countersign mcp` and `countersign mcp-proxy`: gateway credentials and serving over stdio. */
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { CliIo } from "./io";

export const AGENT_TOKEN_ENV = "COUNTERSIGN_AGENT_TOKEN";
export const API_KEY_ENV = "COUNTERSIGN_API_KEY";

export const GATEWAY_ENV_HELP = `Gateway credentials (for /check): $${AGENT_TOKEN_ENV} (an agent token, sent as X-AEGIS-Agent-Token)
or $${API_KEY_ENV} (an organization API key with the gateway:check scope). Never as arguments.`;

/** The credential /check is called with (GatewayClient options), from the environment; null when none is set. */
export function gatewayCredentials(io: CliIo): { agentToken: string } | { apiKey: string } | null {
  const token = io.env[AGENT_TOKEN_ENV];
  if (token) return { agentToken: token };
  const key = io.env[API_KEY_ENV];
  if (key) return { apiKey: key };
  return null;
}

type Connectable = { connect(t: StdioServerTransport): Promise<void>; close(): Promise<void> };

/**
 * Serves an MCP server on this process's stdin/stdout until the client goes away (stdin ends).
 * stdout carries the protocol only; everything else goes to stderr.
 */
export async function serveStdio(server: Connectable, io: CliIo, onClose?: () => Promise<void>): Promise<void> {
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once("end", () => resolve());
  });
  await server.connect(transport);
  io.stderr.write("countersign: MCP server ready on stdio\n");
  await closed;
  await server.close().catch(() => undefined);
  await onClose?.();
}
