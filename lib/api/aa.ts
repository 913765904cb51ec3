import { z } from "zod";
import { AA_ERRORS } from "@/lib/aa/model";
import { defineRoute } from "@/lib/http/contract";
import { ERROR_SCHEMAS } from "@/lib/http/families";
import { AA_BODY_LIMIT_BYTES, BUNDLER_METHODS, PAYMASTER_METHODS } from "@/lib/aa/model";

/**
 * Seed 003's account-abstraction proxy (smart-wallet mode): a short-lived proxy token, then the
 * bundler and paymaster JSON-RPC behind it, each with the seed's method allow-list. Origin-restricted
 * (403), `x-aa-proxy-token` required (401), 200 KB bodies (413), 503 "Service not configured";
 * errors `{ "error": "message" }`. JSON-RPC errors of the upstream (or of this server's paymaster)
 * come back as JSON-RPC error objects with 200.
 */
const tags = ["Account abstraction"];
const err = ERROR_SCHEMAS.error;
const chainQuery = z.strictObject({ chainId: z.coerce.number().int().positive().max(2_147_483_647).meta({ description: "The chain (network registry)" }) });
const rpcId = z.union([z.string().max(200), z.number(), z.null()]);
const rpcRequest = (methods: readonly string[]) =>
  z.strictObject({
    jsonrpc: z.literal("2.0"),
    id: rpcId.optional(),
    method: z.string().min(1).max(200).meta({ description: `Allowed: ${methods.join(", ")} (others: 400)` }),
    params: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]).optional(),
  });
const rpcResponse = z.looseObject({ jsonrpc: z.literal("2.0"), id: rpcId.optional(), result: z.unknown().optional(), error: z.looseObject({ code: z.number(), message: z.string() }).optional() });
const proxyErrors = { 400: err, 401: err, 403: err, 413: err, 415: err, 429: err, 500: err, 503: err } as const;
const tokenHeader = "Requires the `x-aa-proxy-token` header (from POST /api/aa/token) and the app's own Origin.";

export const aaToken = defineRoute({
  method: "POST",
  path: "/api/aa/token",
  unconfigured: AA_ERRORS.notConfigured,
  summary: "Issue a short-lived AA proxy token for a chain (the app's origin only; 30 per minute per IP). Signed-in callers' tokens charge their organization's sponsorship budget, others the public pool",
  tags,
  auth: ["session", "public"],
  family: "error",
  query: chainQuery,
  rateLimit: { name: "aa-token", limit: 30, windowSeconds: 60, by: "ip" },
  responses: {
    200: z.object({ token: z.string(), expiresAt: z.number().int().meta({ description: "Unix ms" }) }),
    400: err,
    403: err,
    429: err,
    503: err,
  },
});

export const aaBundler = defineRoute({
  method: "POST",
  path: "/api/aa/bundler",
  unconfigured: AA_ERRORS.notConfigured,
  summary: `Proxy ERC-4337 bundler JSON-RPC (${BUNDLER_METHODS.join(", ")}). ${tokenHeader}`,
  tags,
  auth: ["public"],
  family: "error",
  query: chainQuery,
  body: rpcRequest(BUNDLER_METHODS),
  bodyLimitBytes: AA_BODY_LIMIT_BYTES,
  responses: { 200: rpcResponse, ...proxyErrors },
});

export const aaPaymaster = defineRoute({
  method: "POST",
  path: "/api/aa/paymaster",
  unconfigured: AA_ERRORS.notConfigured,
  summary: `Proxy ERC-4337 paymaster JSON-RPC (${PAYMASTER_METHODS.join(", ")}); without PAYMASTER_RPC_URL this server's verifying paymaster answers. ${tokenHeader}`,
  tags,
  auth: ["public"],
  family: "error",
  query: chainQuery,
  body: rpcRequest(PAYMASTER_METHODS),
  bodyLimitBytes: AA_BODY_LIMIT_BYTES,
  responses: { 200: rpcResponse, ...proxyErrors },
});
