import { z } from "zod";
import { defineRoute } from "@/lib/http/contract";
import { pageQuery } from "@/lib/http/pagination";
import { AGENT_TOKEN_SCOPES, MAX_TOKEN_TTL_SECONDS, MIN_TOKEN_TTL_SECONDS } from "@/lib/agents/tokens/claims";
import { AEGIS_AGENT_ID_MAX, AGENT_STATUSES, ONCHAIN_AGENT_ID, SIGNET_SID } from "@/lib/agents/model";
import { idParams, v1Error } from "./schemas";
import { signerSchema } from "./signers";
import { signingRequestView } from "./signing-requests";

const tags = ["Agents"];
const status = z.enum(AGENT_STATUSES);

const identifiers = z.object({
  /** Seed 001 Signet SID. */
  signetSid: z.string().nullable(),
  /** Seed 002 AEGIS agent_id. */
  aegisAgentId: z.string().nullable(),
  /** Seed 003 on-chain identity. */
  onchain: z.object({ chainId: z.number(), agentId: z.string() }).nullable(),
  /** Seed 003/004 agent address (EVM). */
  agentAddress: z.string().nullable(),
  turnkeyWalletId: z.string().nullable(),
});

export const agentSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  status,
  ownerId: z.string().nullable(),
  identifiers,
  signerIds: z.array(z.string()),
  signerCount: z.number(),
  /** Seed 004 pairings (GET /api/v1/approvals/agents) that belong to this agent. */
  pairingIds: z.array(z.string()),
  /** The newest signing decision of its signers. */
  lastActivityAt: z.string().nullable(),
  pausedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const identifiersInput = z.strictObject({
  signetSid: z.string().regex(SIGNET_SID, "SID-0x followed by 16 lowercase hex digits").nullable().optional(),
  aegisAgentId: z.string().trim().min(1).max(AEGIS_AGENT_ID_MAX).nullable().optional(),
  onchain: z.strictObject({ chainId: z.number().int().positive(), agentId: z.string().regex(ONCHAIN_AGENT_ID, "A non-negative integer as a decimal string") }).nullable().optional(),
  agentAddress: z
    .string()
    .regex(/^0x[0-9a-fA-F]{40}$/, "An EVM address")
    .nullable()
    .optional(),
  turnkeyWalletId: z.string().trim().min(1).max(200).nullable().optional(),
});

const name = z.string().trim().min(1).max(100);
const description = z.string().trim().max(500).nullable().optional();
const ownerId = z.uuid({ message: "Must be a UUID" }).nullable().optional();

const read = { auth: ["session", "apiKey"] as const, permission: "agents:read" as const };
const manage = { auth: ["session", "apiKey"] as const, permission: "agents:manage" as const };
const one = z.object({ agent: agentSchema });

export const listAgents = defineRoute({
  method: "GET",
  path: "/api/v1/agents",
  summary: "The organization's agents (one record across signers, pairings, Signet, AEGIS, on-chain identity), newest first",
  tags,
  ...read,
  query: pageQuery.extend({ status: status.optional() }).strict(),
  responses: { 200: z.object({ items: z.array(agentSchema), nextCursor: z.string().nullable() }), 400: v1Error, 401: v1Error, 403: v1Error },
});

export const createAgent = defineRoute({
  method: "POST",
  path: "/api/v1/agents",
  summary: "Register an agent (identifiers optional; each unique where its system needs it: 409 otherwise)",
  tags,
  ...manage,
  body: z.strictObject({ name, description, ownerId, identifiers: identifiersInput.optional() }),
  responses: { 201: one, 400: v1Error, 401: v1Error, 403: v1Error, 409: v1Error },
});

const credentialView = z.object({ id: z.string(), signerId: z.string(), name: z.string(), prefix: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable(), expiresAt: z.string().nullable() });
const pairingView = z.object({ id: z.string(), agentAddress: z.string(), executionMode: z.string(), chainId: z.number(), safeAddress: z.string().nullable(), signerId: z.string().nullable(), createdAt: z.string() });

export const getAgent = defineRoute({
  method: "GET",
  path: "/api/v1/agents/{id}",
  summary: "One agent with its signers, their API keys (by prefix), its seed 004 pairings and its recent signing decisions; an agent token may read its own agent only",
  tags,
  auth: ["session", "apiKey", "agentToken"],
  permission: "agents:read",
  params: idParams,
  responses: {
    200: z.object({
      agent: agentSchema,
      signers: z.array(signerSchema),
      credentials: z.array(credentialView),
      pairings: z.array(pairingView),
      /** Signing requests of its signers, newest first (at most 20). */
      recentDecisions: z.array(signingRequestView),
      /** The gateway (seed 002): the agent's tool allow-list and its latest checks, newest first. */
      toolCalls: z.object({
        allowedTools: z.array(z.string()).nullable().meta({ description: "Tool names or `prefix*` patterns; null: every tool (PUT /api/v1/gateway/agents/{id}/tools)" }),
        recent: z.array(
          z.object({
            checkId: z.string(),
            toolName: z.string(),
            decision: z.enum(["allow", "block", "pending"]),
            riskLevel: z.enum(["LOW", "MEDIUM", "HIGH", "CRITICAL"]),
            policyName: z.string(),
            decidedBy: z.string().nullable(),
            createdAt: z.string(),
          }),
        ),
      }),
      /** Seed 001 trust score (lib/trust), null while the agent has none (no SID registered through POST /register). */
      trustScore: z
        .object({
          sid: z.string(),
          composite: z.int(),
          reliability: z.int(),
          quality: z.int(),
          financial: z.int(),
          security: z.int(),
          stability: z.int(),
          confidence: z.enum(["low", "medium", "high"]),
          recommendation: z.enum(["clear", "review", "caution"]),
          identityLevel: z.int(),
          transactions: z.int(),
          fingerprint: z.string(),
          lastUpdated: z.string(),
        })
        .nullable(),
    }),
    400: v1Error,
    401: v1Error,
    403: v1Error,
    404: v1Error,
  },
});

export const updateAgent = defineRoute({
  method: "PATCH",
  path: "/api/v1/agents/{id}",
  summary: "Rename, describe, change the owner or set identifiers (null clears one)",
  tags,
  ...manage,
  params: idParams,
  body: z
    .strictObject({ name: name.optional(), description, ownerId, identifiers: identifiersInput.optional() })
    .refine((b) => Object.values(b).some((v) => v !== undefined), "Nothing to update"),
  responses: { 200: one, 400: v1Error, 401: v1Error, 403: v1Error, 404: v1Error, 409: v1Error },
});

export const retireAgent = defineRoute({
  method: "DELETE",
  path: "/api/v1/agents/{id}",
  summary: "Retire an agent (final): like pause, its sessions are aborted and it can no longer act; the record stays",
  tags,
  ...manage,
  params: idParams,
  responses: { 200: one, 400: v1Error, 401: v1Error, 403: v1Error, 404: v1Error, 409: v1Error },
});

const killSwitch = z.object({ agent: agentSchema, abortedSessions: z.number() });

export const pauseAgent = defineRoute({
  method: "POST",
  path: "/api/v1/agents/{id}/pause",
  summary: "Kill switch: refuse the agent's signing sessions, seed 004 requests and gateway checks, and abort its open and parked sessions, in one transaction",
  tags,
  ...manage,
  params: idParams,
  responses: { 200: killSwitch, 400: v1Error, 401: v1Error, 403: v1Error, 404: v1Error, 409: v1Error },
});

export const resumeAgent = defineRoute({
  method: "POST",
  path: "/api/v1/agents/{id}/resume",
  summary: "Resume a paused agent",
  tags,
  ...manage,
  params: idParams,
  responses: { 200: killSwitch, 400: v1Error, 401: v1Error, 403: v1Error, 404: v1Error, 409: v1Error },
});

export const attachSigner = defineRoute({
  method: "PUT",
  path: "/api/v1/agents/{id}/signers/{signerId}",
  summary: "Attach a signer to this agent (moving it from its previous agent; every signer belongs to exactly one agent)",
  tags,
  ...manage,
  params: z.strictObject({ id: z.uuid({ message: "Must be a UUID" }), signerId: z.uuid({ message: "Must be a UUID" }) }),
  responses: { 200: one, 400: v1Error, 401: v1Error, 403: v1Error, 404: v1Error, 409: v1Error },
});

export const mintAgentToken = defineRoute({
  method: "POST",
  path: "/api/v1/agents/{id}/tokens",
  summary: "Mint a short-lived agent token (EdDSA JWT, X-AEGIS-Agent-Token): sub = agent id, org, scope (a subset of the requester's), exp ≤ 1 h. Shown once",
  tags,
  ...manage,
  params: idParams,
  body: z.strictObject({
    /** Default: every agent-token scope the requester holds. */
    scopes: z.array(z.enum(AGENT_TOKEN_SCOPES)).min(1).max(AGENT_TOKEN_SCOPES.length).optional(),
    /** Default and maximum 3600. */
    ttlSeconds: z.int().min(MIN_TOKEN_TTL_SECONDS).max(MAX_TOKEN_TTL_SECONDS).optional(),
  }),
  responses: {
    201: z.object({ token: z.string(), expiresAt: z.string(), scopes: z.array(z.enum(AGENT_TOKEN_SCOPES)), kid: z.string() }),
    400: v1Error,
    401: v1Error,
    403: v1Error,
    404: v1Error,
    409: v1Error,
  },
});

const jwk = z.looseObject({ kty: z.string(), kid: z.string(), alg: z.string(), use: z.string(), crv: z.string().optional(), x: z.string().optional() });

export const agentTokenJwks = defineRoute({
  method: "GET",
  path: "/.well-known/jwks.json",
  summary: "Public keys (JWK Set) that verify agent tokens: the current key and retired keys until their last token expired",
  tags,
  auth: ["public"],
  responses: { 200: z.object({ keys: z.array(jwk) }) },
});
