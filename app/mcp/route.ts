import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { mcpDelete, mcpGet, mcpPost } from "@/lib/api/mcp";
import { db } from "@/lib/db/client";
import { serverToolsBackend } from "@/lib/gateway/mcp/server-backend";
import { createCountersignToolsServer } from "@/lib/gateway/mcp/tools";
import { MethodNotAllowedError } from "@/lib/http/errors";
import { handle } from "@/lib/http/handle";

/**
 * MCP over Streamable HTTP, stateless: each POST gets its own server and transport (nothing is kept
 * in process memory, so any instance answers any request); responses are JSON. GET (a standalone
 * SSE stream) and DELETE (ending a session) are not offered: 405.
 */
export const POST = handle(mcpPost, async ({ req, body, principal }) => {
  const server = createCountersignToolsServer(serverToolsBackend(db(), principal));
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  try {
    return await transport.handleRequest(req, { parsedBody: body });
  } finally {
    await server.close();
  }
});

const stateless = async (): Promise<never> => {
  throw new MethodNotAllowedError("This MCP endpoint is stateless: POST JSON-RPC messages (no SSE stream, no session to end)");
};
export const GET = handle(mcpGet, stateless);
export const DELETE = handle(mcpDelete, stateless);
