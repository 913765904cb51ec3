import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { mcpDelete, mcpGet, mcpPost } from "@/lib/api/mcp";
import { db } from "@/lib/db/client";
import { serverToolsBackend } from "@/lib/gateway/mcp/server-backend";
import { createCountersignToolsServer } from "@/lib/gateway/mcp/tools";
import { JSONRPCMessageSchema } from "@modelcontextprotocol/sdk/types.js";
import { BadRequestError, MethodNotAllowedError } from "@/lib/http/errors";
import { handle } from "@/lib/http/handle";

/**
 * MCP over Streamable HTTP, stateless: each POST gets its own server and transport (nothing is kept
 * in process memory, so any instance answers any request); responses are JSON. GET (a standalone
 * SSE stream) and DELETE (ending a session) are not offered: 405.
 */
export const POST = handle(mcpPost, async ({ req, body, principal }) => {
  // The SDK's own schema decides what a JSON-RPC message is; refusing here keeps the 400 in the family's shape.
  (Array.isArray(body) ? body : [body]).forEach((m, i) => {
    const parsed = JSONRPCMessageSchema.safeParse(m);
    if (!parsed.success) throw new BadRequestError("Not a JSON-RPC 2.0 message", parsed.error.issues.slice(0, 10).map((issue) => ({ field: ["body", ...(Array.isArray(body) ? [i] : []), ...issue.path].join("."), path: ["body", ...(Array.isArray(body) ? [i] : []), ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))], code: issue.code, message: issue.message })));
  });
  const server = createCountersignToolsServer(serverToolsBackend(db(), principal));
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  // The answer is always JSON (enableJsonResponse) and the body was already parsed and validated:
  // the transport's own Accept / Content-Type negotiation has nothing left to decide.
  const headers = new Headers(req.headers);
  headers.set("accept", "application/json, text/event-stream");
  headers.set("content-type", "application/json");
  try {
    return await transport.handleRequest(new Request(req.url, { method: "POST", headers }), { parsedBody: body });
  } finally {
    await server.close();
  }
});

const stateless = async (): Promise<never> => {
  throw new MethodNotAllowedError("This MCP endpoint is stateless: POST JSON-RPC messages (no SSE stream, no session to end)");
};
export const GET = handle(mcpGet, stateless);
export const DELETE = handle(mcpDelete, stateless);
