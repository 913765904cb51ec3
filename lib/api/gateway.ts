import { z } from "zod";
import { defineRoute } from "@/lib/http/contract";
import { ERROR_SCHEMAS } from "@/lib/http/families";
import { AEGIS_AGENT_ID_MAX } from "@/lib/agents/model";

/**
 * Seed 002 (AEGIS) gateway routes: the literal paths, bodies and `{ error: { code, message } }`
 * errors of the seed, plus the dashboard's own reads under /api/v1/gateway/*. lib/gateway decides.
 */
const tags = ["Gateway"];
const aegisError = ERROR_SCHEMAS.aegis;
const family = "aegis" as const;

const decision = z.enum(["allow", "block", "pending"]);
const risk = z.enum(["LOW", "MEDIUM", "HIGH", "CRITICAL"]);
const category = z.string().meta({ description: "database, shell, filesystem, network, email, payment, code or other" });
const classification = z.object({ category, signals: z.array(z.string()) });
const uuidParam = z.strictObject({ id: z.string().max(100).meta({ description: "check id (UUID)" }) });

export const reasonSchema = z.object({
  code: z.enum(["agent_paused", "agent_retired", "tool_not_allowed", "rate_limited", "policy", "rule", "anomaly"]),
  decision,
  policy_name: z.string(),
  message: z.string(),
  hint: z.string().meta({ description: "Counterfactual (\"would be allowed if …\"), or Retry-After seconds for rate_limited" }),
  risk_level: risk.optional(),
  retry_after: z.int().optional(),
  path: z.string().optional(),
  signals: z.array(z.string()).optional(),
});

const anomalySignal = z.object({ signal: z.string(), weight: z.number(), detail: z.string() });

const logRef = z.object({
  decision_id: z.string(),
  leaf_index: z.int().nullable().meta({ description: "The verdict's leaf index in the transparency log; null until the sequencer has given it one" }),
  proof: z.string().meta({ description: "GET this path (audit:read) for the tlog-proof" }),
});

export const checkResult = z.object({
  decision,
  policy_name: z.string(),
  risk_level: risk,
  classification,
  anomaly_score: z.number().min(0).max(1),
  check_id: z.string(),
  reasons: z.array(reasonSchema),
  anomaly_signals: z.array(anomalySignal),
  expires_at: z.string().optional().meta({ description: "pending only: when the check is blocked if nobody decides" }),
  log: logRef.meta({ description: "The verdict is a leaf of the transparency log, committed with the check. Here (answered before the sequencer runs) `leaf_index` is null; GET /api/v1/check/{id}/decision carries it once sequenced (within about a second), and `proof` (audit:read) returns the tlog-proof" }),
});

export const checkView = z.object({
  check_id: z.string(),
  agent_id: z.string(),
  agent: z.object({ id: z.string(), name: z.string() }),
  tool_name: z.string(),
  decision,
  initial_decision: decision,
  policy_name: z.string(),
  risk_level: risk,
  classification,
  anomaly_score: z.number(),
  anomaly_signals: z.array(anomalySignal),
  reasons: z.array(reasonSchema),
  arguments_digest: z.string(),
  expires_at: z.string().nullable(),
  decided_by: z.string().nullable(),
  decided_at: z.string().nullable(),
  created_at: z.string(),
});

const toolName = z.string().trim().min(1).max(200);
const agentId = z.string().trim().min(1).max(AEGIS_AGENT_ID_MAX);

export const check = defineRoute({
  method: "POST",
  path: "/api/v1/check",
  summary: "Gate a single tool call. Returns allow / block / pending (a block is a 200, not an error)",
  tags,
  family,
  auth: ["apiKey", "agentToken", "session"],
  permission: "gateway:check",
  body: z.strictObject({ agent_id: agentId, tool_name: toolName, arguments: z.unknown().optional() }),
  responses: { 200: checkResult, 400: aegisError, 401: aegisError, 402: aegisError, 403: aegisError, 503: aegisError },
});

export const decisionView = z.object({
  check_id: z.string(),
  decision,
  decided_by: z.string().nullable(),
  decided_at: z.string().nullable(),
  policy_name: z.string(),
  risk_level: risk,
  expires_at: z.string().nullable(),
  reasons: z.array(reasonSchema),
  log: logRef.optional().meta({ description: "GET …/decision only: the verdict's transparency-log leaf, with its index once sequenced" }),
});

export const getDecision = defineRoute({
  method: "GET",
  path: "/api/v1/check/{id}/decision",
  summary: "Latest verdict + decided_by; ?wait=N (≤ 30 s) long-polls until a human decides or the time is up",
  tags,
  family,
  auth: ["apiKey", "agentToken", "session"],
  permission: "gateway:check",
  params: uuidParam,
  query: z.strictObject({ wait: z.coerce.number().min(0).max(30).optional() }),
  responses: { 200: decisionView, 400: aegisError, 401: aegisError, 403: aegisError, 404: aegisError },
});

export const reviewCheck = defineRoute({
  method: "PATCH",
  path: "/api/v1/check/{id}",
  summary: "A human reviewer resolves a pending check. First decision wins (409 afterwards). With a session, allowing a HIGH or CRITICAL check needs a passkey assertion (X-Countersign-Assertion, challenge from POST /api/v1/approvals/challenge {gatewayCheckId}); without one: 403 PASSKEY_REQUIRED. API keys need none",
  tags,
  family,
  auth: ["apiKey", "session"],
  permission: "gateway:review",
  params: uuidParam,
  body: z.strictObject({
    decision: z.enum(["allow", "block"]),
    decided_by: z.string().trim().min(1).max(320).optional().meta({ description: "Required with an API key; with a session it is the user's email" }),
  }),
  responses: { 200: decisionView, 400: aegisError, 401: aegisError, 403: aegisError, 404: aegisError, 409: aegisError },
});

const traceInput = z.strictObject({
  agent_id: agentId,
  tool_name: toolName,
  check_id: z.uuid().optional(),
  decision: decision.optional(),
  blocked: z.boolean().optional(),
  duration_ms: z.int().min(0).max(2_147_483_647).optional(),
  status: z.string().max(100).optional(),
  input: z.unknown().optional(),
  output: z.unknown().optional(),
  error: z.string().max(10_000).optional(),
  timestamp: z.iso.datetime({ offset: true }).optional(),
});

export const postTraces = defineRoute({
  method: "POST",
  path: "/api/v1/traces",
  summary: "Ingest a tool-call trace (or { traces: [...] }, up to 500). 201 once stored",
  tags,
  family,
  auth: ["apiKey", "agentToken"],
  permission: "gateway:check",
  body: z.union([traceInput, z.strictObject({ traces: z.array(traceInput).min(1).max(500) })]),
  responses: { 201: z.object({ accepted: z.int(), ids: z.array(z.string()) }), 400: aegisError, 401: aegisError, 403: aegisError },
});

export const traceView = z.object({
  id: z.string(),
  agent_id: z.string(),
  check_id: z.string().nullable(),
  tool_name: z.string(),
  decision: decision.nullable(),
  blocked: z.boolean(),
  duration_ms: z.int().nullable(),
  status: z.string().nullable(),
  payload_digest: z.string().nullable(),
  source: z.string(),
  timestamp: z.string(),
  created_at: z.string(),
});

const limit = z.coerce.number().int().min(1).max(500).default(50);
const offset = z.coerce.number().int().min(0).max(100_000).default(0);

export const listTraces = defineRoute({
  method: "GET",
  path: "/api/v1/traces",
  summary: "List traces: ?agent_id= &from= &to= &blocked=true &limit= &offset=",
  tags,
  family,
  auth: ["apiKey", "agentToken", "session"],
  permission: "gateway:check",
  query: z.strictObject({
    agent_id: agentId.optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    blocked: z.enum(["true", "false"]).optional(),
    limit,
    offset,
  }),
  responses: { 200: z.object({ traces: z.array(traceView), limit: z.int(), offset: z.int() }), 400: aegisError, 401: aegisError, 403: aegisError },
});

export const toolPolicy = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  policy_schema: z.unknown(),
  risk_level: risk,
  on_match: z.enum(["block", "pending"]),
  enabled: z.boolean(),
  version: z.int(),
  source: z.enum(["platform", "organization"]),
  overridden: z.boolean(),
  template: z.string().nullable(),
  created_at: z.string().nullable(),
  updated_at: z.string().nullable(),
});

export const listToolPolicies = defineRoute({
  method: "GET",
  path: "/api/v1/policies",
  summary: "List tool policies: platform defaults (the templates) as this organization overrides them, then its own",
  tags,
  family,
  auth: ["session", "apiKey"],
  permission: "policies:read",
  responses: {
    200: z.object({ policies: z.array(toolPolicy), templates: z.array(z.object({ name: z.string(), title: z.string(), description: z.string(), risk_level: risk, options: z.array(z.string()) })) }),
    401: aegisError,
    403: aegisError,
  },
});

export const toolPolicyBody = {
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(1000).nullable().optional(),
  policy_schema: z.unknown().meta({ description: "A JSON Schema (draft 2020-12) over { tool_name, arguments } — the call violates the policy when it does not validate — or a template: \"sql-injection\" or { template, options }" }),
  risk_level: risk,
  on_match: z.enum(["block", "pending"]).optional(),
  enabled: z.boolean().optional(),
};

export const createToolPolicy = defineRoute({
  method: "POST",
  path: "/api/v1/policies",
  summary: "Create a tool policy ({ id, name, description, policy_schema, risk_level }); id is a slug unique in the organization (omitted: a UUID)",
  tags,
  family,
  auth: ["session", "apiKey"],
  permission: "policies:manage",
  body: z.strictObject({ id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "a slug: [a-z0-9][a-z0-9._-]{0,63}").optional(), ...toolPolicyBody, policy_schema: toolPolicyBody.policy_schema.refine((v) => v !== undefined, "is required") }),
  responses: { 201: z.object({ policy: toolPolicy }), 400: aegisError, 401: aegisError, 403: aegisError, 409: aegisError },
});

export const listAnomalies = defineRoute({
  method: "GET",
  path: "/api/v1/anomalies",
  summary: "Layer-2 events: checks with an anomaly score, highest first. ?min_score=0.7 &agent_id= &decision=block",
  tags,
  family,
  auth: ["session", "apiKey"],
  permission: "gateway:review",
  query: z.strictObject({ min_score: z.coerce.number().min(0).max(1).optional(), agent_id: agentId.optional(), decision: decision.optional(), limit, offset }),
  responses: { 200: z.object({ anomalies: z.array(checkView) }), 400: aegisError, 401: aegisError, 403: aegisError },
});

export const listChecks = defineRoute({
  method: "GET",
  path: "/api/v1/gateway/checks",
  summary: "The live feed of checks, newest first (?agent_id &tool &decision &limit &offset)",
  tags,
  family,
  auth: ["session", "apiKey"],
  permission: "agents:read",
  query: z.strictObject({ agent_id: agentId.optional(), tool: toolName.optional(), decision: decision.optional(), limit, offset }),
  responses: { 200: z.object({ items: z.array(checkView) }), 400: aegisError, 401: aegisError, 403: aegisError },
});

export const getCheck = defineRoute({
  method: "GET",
  path: "/api/v1/gateway/checks/{id}",
  summary: "One check with its arguments (unsealed for a reviewer)",
  tags,
  family,
  auth: ["session", "apiKey"],
  permission: "gateway:review",
  params: uuidParam,
  responses: { 200: z.object({ check: checkView.extend({ arguments: z.unknown() }) }), 400: aegisError, 401: aegisError, 403: aegisError, 404: aegisError },
});

const counts = { allow: z.int(), block: z.int(), pending: z.int() };

export const gatewayStats = defineRoute({
  method: "GET",
  path: "/api/v1/gateway/stats",
  summary: "Counters per decision, tool and agent, and decisions per hour (?hours=24)",
  tags,
  family,
  auth: ["session", "apiKey"],
  permission: "agents:read",
  query: z.strictObject({ hours: z.coerce.number().int().min(1).max(24 * 30).default(24) }),
  responses: {
    200: z.object({ totals: z.object(counts), tools: z.array(z.object({ name: z.string(), ...counts })), agents: z.array(z.object({ name: z.string(), ...counts })), timeline: z.array(z.object({ hour: z.string(), ...counts })) }),
    400: aegisError,
    401: aegisError,
    403: aegisError,
  },
});

const settings = z.object({ anomalyThreshold: z.number().min(0).max(1), agentRatePerMinute: z.int().min(1).max(1_000_000), toolRatePerMinute: z.int().min(1).max(1_000_000), pendingTtlSeconds: z.int().min(10).max(7 * 24 * 3600) });

export const getGatewaySettings = defineRoute({
  method: "GET",
  path: "/api/v1/gateway/settings",
  summary: "Anomaly threshold, rate limits (per agent, per agent+tool, per minute) and how long a pending check waits",
  tags,
  family,
  auth: ["session", "apiKey"],
  permission: "agents:read",
  responses: { 200: z.object({ settings }), 401: aegisError, 403: aegisError },
});

export const updateGatewaySettings = defineRoute({
  method: "PATCH",
  path: "/api/v1/gateway/settings",
  summary: "Change gateway settings (audited as gateway.settings.updated)",
  tags,
  family,
  auth: ["session", "apiKey"],
  permission: "gateway:admin",
  body: settings.partial().strict().refine((b) => Object.keys(b).length > 0, "Nothing to update"),
  responses: { 200: z.object({ settings }), 400: aegisError, 401: aegisError, 403: aegisError },
});

const agentToolsView = z.object({
  agent_id: z.string().meta({ description: "The agent's seed 002 agent_id (or its registry id when it has none)" }),
  agent: z.object({ id: z.string(), name: z.string() }),
  allowed_tools: z
    .array(z.string())
    .nullable()
    .meta({ description: "Tool names or `prefix*` patterns (`*` alone: every tool); null: no allow-list, every tool is allowed; []: no tool" }),
});
const agentParam = z.strictObject({ id: agentId.meta({ description: "seed 002 agent_id or the agent's registry id (UUID)" }) });

export const getAgentTools = defineRoute({
  method: "GET",
  path: "/api/v1/gateway/agents/{id}/tools",
  summary: "An agent's tool allow-list (an agent token reads its own; the MCP proxy filters tools/list with it)",
  tags,
  family,
  auth: ["session", "apiKey", "agentToken"],
  permission: "gateway:check",
  params: agentParam,
  responses: { 200: agentToolsView, 400: aegisError, 401: aegisError, 403: aegisError, 404: aegisError },
});

export const putAgentTools = defineRoute({
  method: "PUT",
  path: "/api/v1/gateway/agents/{id}/tools",
  summary: "Replace an agent's tool allow-list ({ allowed_tools: [...] } or null to remove it). /check blocks any other tool (reason tool_not_allowed). Audited as gateway.agent_tools.updated",
  tags,
  family,
  auth: ["session", "apiKey"],
  permission: "gateway:admin",
  params: agentParam,
  body: z.strictObject({
    allowed_tools: z
      .array(z.string().trim().min(1).max(200))
      .max(500)
      .nullable()
      .meta({ description: "Tool names or `prefix*` patterns; null removes the allow-list" }),
  }),
  responses: { 200: agentToolsView, 400: aegisError, 401: aegisError, 402: aegisError, 403: aegisError, 404: aegisError },
});

export const backtestToolPolicy = defineRoute({
  method: "POST",
  path: "/api/v1/gateway/policies/backtest",
  summary:
    "Replay a draft tool policy over the organization's recorded tool calls (newest first, up to 1000): today's policies plus the draft (replacing the policy of the same id), each agent's allow-list and rules, the anomaly score recorded then. Rate-limited and kill-switch checks are skipped",
  tags,
  family,
  auth: ["session", "apiKey"],
  permission: "policies:read",
  body: z.strictObject({
    policy: z.strictObject({
      id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "a slug: [a-z0-9][a-z0-9._-]{0,63}").optional().meta({ description: "An existing policy's id to try a new version of it; omitted: a new policy (\"draft\")" }),
      name: toolPolicyBody.name.optional(),
      description: toolPolicyBody.description,
      policy_schema: toolPolicyBody.policy_schema.refine((v) => v !== undefined, "is required"),
      risk_level: risk,
      on_match: z.enum(["block", "pending"]).optional(),
    }),
    agent_id: agentId.optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    limit: z.int().min(1).max(1000).default(200),
  }),
  responses: {
    200: z.object({
      policy: z.object({ id: z.string(), replaces: z.boolean().meta({ description: "The draft replaces the organization's (or the platform's) policy of this id" }) }),
      items: z.array(
        z.object({
          check_id: z.string(),
          agent_id: z.string(),
          tool_name: z.string(),
          at: z.string(),
          then: decision,
          now: decision,
          changed: z.boolean(),
          policy_name: z.string(),
          draft_matched: z.boolean(),
          reasons: z.array(z.string()),
        }),
      ),
      summary: z.object({ total: z.int(), changed: z.int(), allowToBlock: z.int(), blockToAllow: z.int(), toPending: z.int(), fromPending: z.int(), draftMatched: z.int(), skipped: z.int() }),
    }),
    400: aegisError,
    401: aegisError,
    403: aegisError,
  },
});
