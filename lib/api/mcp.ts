import { z } from "zod";
import { defineRoute } from "@/lib/http/contract";
import { ERROR_SCHEMAS } from "@/lib/http/families";

/**
 * The MCP gateway over Streamable HTTP (issue #13): JSON-RPC 2.0 messages of the Model Context
 * Protocol, stateless (no Mcp-Session-Id; every POST is answered by itself, as JSON). The wallet
 * tools are served by `countersign mcp` on the agent's machine, where its key share is.
 */
const aegisError = ERROR_SCHEMAS.aegis;

/** One JSON-RPC 2.0 message (request, notification or response); the route checks it against the SDK's schema too. */
const jsonRpcMessage = z.looseObject({
  jsonrpc: z.literal("2.0"),
  id: z.union([z.string().max(200), z.int()]).optional(),
  method: z.string().min(1).max(200).optional(),
  params: z.record(z.string(), z.unknown()).optional(),
});

export const mcpPost = defineRoute({
  method: "POST",
  path: "/mcp",
  summary: "MCP (Streamable HTTP, stateless): initialize, tools/list, tools/call of the gateway's tools check and wait_for_decision, for an agent token (its own agent) or an organization key with gateway:check. Answers are JSON",
  tags: ["Gateway"],
  family: "aegis",
  auth: ["apiKey", "agentToken"],
  permission: "gateway:check",
  body: z.union([jsonRpcMessage, z.array(jsonRpcMessage).min(1).max(100)]).meta({ description: "A JSON-RPC 2.0 message of the Model Context Protocol (or a batch of up to 100)" }),
  responses: {
    200: z.unknown().meta({ description: "The JSON-RPC response" }),
    202: null,
    400: aegisError,
    401: aegisError,
    403: aegisError,
  },
});

const notOffered = (method: "GET" | "DELETE") =>
  defineRoute({
    method,
    path: "/mcp",
    summary: `Not offered: the MCP endpoint is stateless (${method === "GET" ? "no standalone SSE stream" : "no session to end"}); answers 405 as the Streamable HTTP transport specifies`,
    tags: ["Gateway"],
    family: "aegis",
    auth: ["public"],
    responses: { 405: aegisError },
  });

export const mcpGet = notOffered("GET");
export const mcpDelete = notOffered("DELETE");
