import { z } from "zod";
import { defineRoute } from "@/lib/http/contract";
import { ERROR_SCHEMAS } from "@/lib/http/families";
import { APPLY_ERRORS } from "@/lib/trust/applications";

/**
 * Seed 001 (Signet) at root paths (issue #15): `{ error: "…" }` bodies, an organization API key as
 * `Authorization: Bearer`, the seed's 401 strings. Request bodies are loose here (every field
 * optional) because the seed fixes the message for a missing field ("Missing required fields: name,
 * modelProvider, modelName", "Name is required", …): lib/trust/requests.ts checks presence.
 */
const tags = ["Trust scores (seed 001)"];
const err = ERROR_SCHEMAS.error;
const family = "error" as const;
const authMessages = { missing: "Missing or invalid Authorization header...", invalid: "Invalid API key" };
const bearer = { auth: ["apiKey"] as const, family, authMessages };

const sidParam = z.strictObject({ sid: z.string().meta({ description: "The agent's Signet ID: SID-0x + 16 hex" }) });
const iso = z.string().meta({ description: "ISO 8601" });
const confidence = z.enum(["low", "medium", "high"]);
const recommendation = z.enum(["clear", "review", "caution"]);
const score = z.int().min(0).max(1000);
const dimensions = z.strictObject({ reliability: score, quality: score, financial: score, security: score, stability: score });
const updatedScores = z.strictObject({ composite_score: score, dimensions, confidence, recommendation });
const operator = z.strictObject({ name: z.string(), score, verified: z.boolean() });
const identityLevel = z.union([z.literal(0), z.literal(1), z.literal(2)]).meta({ description: "0 none, 1 callback-verified, 2 proof-of-human (seed 003 Self Agent ID; not reachable yet)" });

const configFields = {
  modelProvider: z.string().max(200).optional().meta({ description: "Required. LLM provider (e.g., openai, anthropic)" }),
  modelName: z.string().max(200).optional().meta({ description: "Required. Model name (e.g., gpt-4o)" }),
  systemPromptHash: z.string().max(256).optional().meta({ description: "SHA-256 hash of the agent's system prompt" }),
  tools: z.array(z.string().max(200)).max(500).optional().meta({ description: "Tool/capability names (order does not matter)" }),
  memoryConfig: z.record(z.string(), z.unknown()).optional().meta({ description: "Memory or RAG configuration" }),
};

export const apply = defineRoute({
  method: "POST",
  path: "/apply",
  summary: "Submit an operator application (no authentication; 5 per hour per IP)",
  tags,
  auth: ["public"],
  family,
  body: z.looseObject({ name: z.unknown().optional(), email: z.unknown().optional(), company: z.string().max(200).optional(), reason: z.string().max(2000).optional() }),
  rateLimit: { name: "trust-apply", by: "ip", limit: 5, windowSeconds: 3600, message: APPLY_ERRORS.rateLimited },
  responses: { 201: z.strictObject({ message: z.string() }), 400: err, 409: err, 429: err },
});

export const register = defineRoute({
  method: "POST",
  path: "/register",
  summary: "Register a new agent and receive a Signet ID (SID): an Agent record with a trust profile at 500",
  tags,
  ...bearer,
  permission: "trust:write",
  body: z.looseObject({ name: z.string().max(200).optional().meta({ description: "Required. Human-readable agent name" }), description: z.string().max(2000).optional(), ...configFields }),
  responses: {
    201: z.strictObject({ sid: z.string(), name: z.string(), composite_score: score, confidence, fingerprint: z.string(), message: z.string() }),
    400: err,
    401: err,
    403: err,
  },
});

export const getScore = defineRoute({
  method: "GET",
  path: "/score/{sid}",
  summary: "The full trust score of one of your agents",
  tags,
  ...bearer,
  permission: "trust:read",
  params: sidParam,
  responses: {
    200: z.strictObject({
      sid: z.string(),
      agent_name: z.string(),
      composite_score: score,
      reliability: score,
      quality: score,
      financial: score,
      security: score,
      stability: score,
      confidence,
      recommendation,
      identity_level: identityLevel,
      operator,
      config_fingerprint: z.string(),
      last_updated: iso,
    }),
    400: err,
    401: err,
    403: err,
    404: err,
  },
});

export const getPublicScore = defineRoute({
  method: "GET",
  path: "/score/{sid}/public",
  summary: "A limited public score summary of any agent (no authentication)",
  tags,
  auth: ["public"],
  family,
  params: sidParam,
  responses: {
    200: z.strictObject({ sid: z.string(), agent_name: z.string(), composite_score: score, confidence, recommendation, identity_level: identityLevel, operator_name: z.string() }),
    400: err,
    404: err,
  },
});

const signal = z.number().min(0).max(1000);
export const reportTransaction = defineRoute({
  method: "POST",
  path: "/transactions",
  summary: "Report a transaction outcome and update the agent's scores (the outcome always updates stability)",
  tags,
  ...bearer,
  permission: "trust:write",
  body: z.looseObject({
    sid: z.string().optional().meta({ description: "Required. The agent's Signet ID" }),
    transactionType: z.string().max(200).optional().meta({ description: "Required. e.g. task_completion, payment, delegation" }),
    outcome: z.string().optional().meta({ description: "Required. One of: success, partial, failure, timeout, error" }),
    reliabilitySignal: signal.optional(),
    qualitySignal: signal.optional(),
    financialSignal: signal.optional(),
    securitySignal: signal.optional(),
    metadata: z.record(z.string(), z.unknown()).optional().meta({ description: "Stored, not scored" }),
  }),
  responses: {
    200: z.strictObject({ success: z.literal(true), transaction_id: z.int(), updated_scores: updatedScores, message: z.string() }),
    400: err,
    401: err,
    403: err,
    404: err,
  },
});

const sidPathParam = z.strictObject({ sid: z.string() });

export const updateAgentConfig = defineRoute({
  method: "POST",
  path: "/agents/{sid}/config",
  summary: "Update an agent's configuration; a detected change decays its score by the largest change type",
  tags,
  ...bearer,
  permission: "trust:write",
  params: sidPathParam,
  body: z.looseObject(configFields),
  responses: {
    200: z.strictObject({ change_detected: z.boolean(), change_type: z.enum(["model_swap", "prompt_update", "tool_change", "memory_change"]).nullable(), updated_scores: updatedScores, fingerprint_hash: z.string(), message: z.string() }),
    400: err,
    401: err,
    403: err,
    404: err,
  },
});

const rateKey = (i: { params: unknown; principal: { type: string; organizationId?: string | null } }) =>
  `${i.principal.organizationId ?? "anonymous"}:${String((i.params as { sid?: string } | undefined)?.sid ?? "").toLowerCase()}`;

export const startVerify = defineRoute({
  method: "POST",
  path: "/agents/{sid}/verify",
  summary: "Send a callback challenge (HTTPS, public addresses only) to prove control of a URL; 3 per hour per agent",
  tags,
  ...bearer,
  permission: "trust:write",
  params: sidPathParam,
  body: z.looseObject({ callbackUrl: z.unknown().optional().meta({ description: "Required. HTTPS URL that receives { challenge_token, sid }" }) }),
  rateLimit: { name: "trust-verify", by: "sid", limit: 3, windowSeconds: 3600, message: "Too many verification attempts", key: (i) => rateKey(i as never) },
  responses: { 202: z.strictObject({ message: z.string(), expires_in: z.literal(600) }), 400: err, 401: err, 403: err, 404: err, 429: err, 502: err },
});

export const confirmVerify = defineRoute({
  method: "POST",
  path: "/agents/{sid}/verify/confirm",
  summary: "Confirm the callback challenge: identity level 1 (Callback-Verified)",
  tags,
  ...bearer,
  permission: "trust:write",
  params: sidPathParam,
  body: z.looseObject({ challenge_token: z.unknown().optional().meta({ description: "Required. The 64-hex token delivered to the callback" }) }),
  responses: { 200: z.strictObject({ message: z.string(), identity_level: z.literal(1), identity_label: z.literal("Callback-Verified") }), 400: err, 401: err, 403: err, 404: err },
});

const historyEvent = z.strictObject({ composite: score, reliability: score, quality: score, financial: score, security: score, stability: score, event_type: z.string(), timestamp: iso });

export const getReport = defineRoute({
  method: "GET",
  path: "/report/{sid}",
  summary: "A trust report: current score, last 50 score events, last 20 configuration changes, transaction summary",
  tags,
  ...bearer,
  permission: "trust:read",
  params: sidParam,
  responses: {
    200: z.strictObject({
      sid: z.string(),
      agent_name: z.string(),
      description: z.string().nullable(),
      status: z.string(),
      current_score: z.strictObject({ composite: score, reliability: score, quality: score, financial: score, security: score, stability: score, confidence, recommendation }),
      operator,
      score_history: z.array(historyEvent),
      config_history: z.array(z.strictObject({ fingerprint: z.string(), model_provider: z.string(), model_name: z.string(), change_type: z.string().nullable(), timestamp: iso })),
      transaction_summary: z.strictObject({
        total: z.int(),
        outcomes: z.record(z.string(), z.int()),
        sources: z.record(z.string(), z.int()).meta({ description: "Countersign extension: reported (by the operator) vs countersign (observed) transactions" }),
      }),
      last_updated: iso,
    }),
    400: err,
    401: err,
    403: err,
    404: err,
  },
});

export const getMe = defineRoute({
  method: "GET",
  path: "/me",
  summary: "Your operator profile (the organization of the API key) and its registered agents",
  tags,
  ...bearer,
  permission: "trust:read",
  responses: {
    200: z.strictObject({
      operator: z.strictObject({ id: z.int(), name: z.string(), email: z.string().nullable(), operator_score: score, verified: z.boolean(), api_key_prefix: z.string(), created_at: iso }),
      agents: z.array(z.strictObject({ sid: z.string(), name: z.string(), description: z.string().nullable(), composite_score: score, confidence, recommendation, status: z.string(), created_at: iso })),
    }),
    401: err,
    403: err,
  },
});


export const getBadge = defineRoute({
  method: "GET",
  path: "/score/{sid}/badge.svg",
  summary: "A public SVG badge of an agent's score and recommendation, for READMEs (no authentication)",
  tags,
  auth: ["public"],
  family,
  params: sidParam,
  produces: "image/svg+xml",
  responses: { 200: z.string(), 400: err, 404: err },
});
