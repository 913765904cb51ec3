import { z } from "zod";
import { defineRoute } from "@/lib/http/contract";
import { ERROR_SCHEMAS } from "@/lib/http/families";
import { SERVICE_NOT_CONFIGURED } from "@/lib/http/errors";

/** Seed 003's A2A face (lib/a2a): the JSON-RPC endpoint and the service's signed agent card. Errors outside JSON-RPC are `{ "error": "message" }`. */
const tags = ["Agent identity", "A2A"];
const err = ERROR_SCHEMAS.error;

const rpcId = z.union([z.string(), z.number().int(), z.null()]);
const signature = z.object({ protected: z.string(), signature: z.string() }).meta({ description: "AgentCardSignature: a JWS (flattened, detached payload) over the RFC 8785 canonical card" });

export const a2aJsonRpc = defineRoute({
  method: "POST",
  path: "/api/a2a",
  unconfigured: SERVICE_NOT_CONFIGURED,
  summary:
    "A2A JSON-RPC 2.0 (@a2a-js/sdk): v0.3 methods (message/send, tasks/get, tasks/cancel, tasks/list…) by default, A2A 1.0 methods (SendMessage, GetTask…) with `A2A-Version: 1.0`. Intents in a data part: register, status, lookup, verify, deregister, freshness, help. Optional x-self-agent-* (or RFC 9421) signature: the caller is then the signed agent.",
  tags,
  auth: ["signedAgent", "public"],
  family: "error",
  rateLimit: { name: "a2a-rpc", limit: 120, windowSeconds: 60, by: "ip" },
  body: z.unknown().meta({ description: 'A JSON-RPC 2.0 request, e.g. {"jsonrpc":"2.0","id":1,"method":"message/send","params":{"message":{"role":"user","parts":[{"kind":"data","data":{"intent":"help"}}]}}}' }),
  responses: {
    200: z.object({
      jsonrpc: z.literal("2.0"),
      id: rpcId,
      result: z.unknown().optional(),
      error: z.object({ code: z.number().int(), message: z.string(), data: z.unknown().optional() }).optional(),
    }),
    400: err,
    401: err,
    403: err,
    409: err,
    413: err,
    429: err,
    500: err,
    503: err,
  },
});

export const a2aServiceCard = defineRoute({
  method: "GET",
  path: "/.well-known/agent-card.json",
  unconfigured: SERVICE_NOT_CONFIGURED,
  summary: "The signed A2A agent card of the identity service (the agent behind POST /api/a2a): A2A 1.0 with the v0.3 fields",
  tags,
  auth: ["public"],
  family: "error",
  responses: {
    200: z.looseObject({
      name: z.string(),
      description: z.string(),
      supportedInterfaces: z.array(z.object({ url: z.string(), protocolBinding: z.string(), protocolVersion: z.string() })),
      version: z.string(),
      skills: z.array(z.looseObject({ id: z.string(), name: z.string() })),
      protocolVersion: z.string(),
      url: z.string(),
      signatures: z.array(signature),
    }),
    500: err,
    503: err,
  },
});

export const a2aCardJwks = defineRoute({
  method: "GET",
  path: "/.well-known/agent-card-jwks.json",
  summary: "The public keys (JWKS) that verify agent card signatures (the `jku` of each signature)",
  tags,
  auth: ["public"],
  family: "error",
  responses: { 200: z.object({ keys: z.array(z.looseObject({ kty: z.string(), kid: z.string(), alg: z.string(), use: z.string() })) }), 500: err },
});
