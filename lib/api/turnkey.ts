import { z } from "zod";
import { defineRoute } from "@/lib/http/contract";
import { clearSigningSchema, intentSchema } from "./approvals";
import { evmAddress, hfaError, unixMs } from "./devices";
import { v1Error } from "./schemas";
import { TURNKEY_NOT_CONFIGURED } from "@/lib/turnkey/config";

/**
 * seed 004's Turnkey routes (errors `{ error }`), with the seed's exact shapes. The agent calls them
 * with an organization API key (x-api-key); its authority over a transaction comes from Turnkey:
 * POST /api/turnkey/requests accepts only an activity created by the agent's own Turnkey user.
 * Every route answers 503 `{ error: "Turnkey is not configured" }` when TURNKEY_* are unset.
 */
const tags = ["Human approvals (Turnkey)"];
const requestIdSchema = z.string().min(1).meta({ description: "Provider request identifier" });
const hex = z.string().regex(/^0x(?:[a-fA-F0-9]{2})*$/, "Must be 0x-prefixed hex").meta({ description: "0x-prefixed hex string" });

/** additionalProperties: true in the seed. */
export const setupSessionSchema = z.object({
  setupSessionId: requestIdSchema,
  status: z.enum(["pending", "completed", "expired"]),
  agentPublicKey: z.string(),
  agentLabel: z.string().nullable(),
  providerPublicKey: z.string(),
  expiresAt: unixMs,
  setupUrl: z.string().optional(),
  subOrganizationId: z.string().optional(),
  walletAddress: evmAddress.optional(),
  agentUserId: z.string().optional(),
  providerUserId: z.string().optional(),
  policyIds: z.array(z.string()).optional(),
  completedAt: unixMs.nullable().optional(),
});

/** additionalProperties: true in the seed. */
export const turnkeyRequestSchema = z.object({
  requestId: requestIdSchema,
  draftId: requestIdSchema,
  status: z.enum(["pending_human", "rejected_by_human", "approving", "approval_failed", "signing_failed", "broadcast_failed", "executed"]),
  subOrganizationId: z.string(),
  walletAddress: evmAddress,
  activityId: z.string(),
  fingerprint: z.string(),
  intent: intentSchema.nullable(),
  clearSigning: clearSigningSchema.nullable(),
  txHash: hex.nullable(),
  error: z.string().nullable(),
  createdAt: unixMs,
  respondedAt: unixMs.nullable(),
  executedAt: unixMs.nullable(),
});

const idParam = z.strictObject({ id: requestIdSchema });

export const createTurnkeySetupSession = defineRoute({
  method: "POST",
  path: "/api/turnkey/hfa/setup-sessions",
  unconfigured: TURNKEY_NOT_CONFIGURED,
  summary: "Create an HFA Turnkey wallet setup session",
  tags,
  auth: ["apiKey", "session"],
  permission: "signers:manage",
  family: "error",
  body: z.strictObject({ agentPublicKey: z.string().min(1), agentLabel: z.string().optional() }),
  responses: { 200: setupSessionSchema, 400: hfaError, 503: hfaError },
});

export const getTurnkeySetupSession = defineRoute({
  method: "GET",
  path: "/api/turnkey/hfa/setup-sessions/{id}",
  unconfigured: TURNKEY_NOT_CONFIGURED,
  summary: "Read an HFA Turnkey setup session",
  tags,
  auth: ["apiKey", "session"],
  permission: "approvals:read",
  family: "error",
  params: idParam,
  responses: { 200: setupSessionSchema, 404: hfaError, 503: hfaError },
});

export const createTurnkeyDraft = defineRoute({
  method: "POST",
  path: "/api/turnkey/drafts",
  unconfigured: TURNKEY_NOT_CONFIGURED,
  summary: "Create a Turnkey transaction draft with ERC-7730 clear-signing",
  tags,
  auth: ["apiKey"],
  permission: "approvals:read",
  family: "error",
  body: z.strictObject({
    agent: z.string().optional(),
    agentPublicKey: z.string().min(1).meta({ description: "Compressed P-256 public key hex (66 chars, prefix 02 or 03)" }).optional(),
    subOrganizationId: z.string().optional(),
    walletAddress: evmAddress.optional(),
    intent: intentSchema,
  }),
  responses: {
    200: z.strictObject({
      draftId: requestIdSchema,
      agent: z.string(),
      subOrganizationId: z.string(),
      walletAddress: evmAddress,
      intent: intentSchema,
      clearSigning: clearSigningSchema,
      turnkeyTransaction: z.strictObject({ type: z.literal("TRANSACTION_TYPE_ETHEREUM"), signWith: evmAddress, unsignedTransaction: hex }),
      createdAt: unixMs,
      expiresAt: unixMs,
    }),
    400: hfaError,
    404: hfaError,
    503: hfaError,
  },
});

export const submitTurnkeyRequest = defineRoute({
  method: "POST",
  path: "/api/turnkey/requests",
  unconfigured: TURNKEY_NOT_CONFIGURED,
  summary: "Submit a Turnkey CONSENSUS_NEEDED activity for human approval",
  tags,
  auth: ["apiKey"],
  permission: "approvals:read",
  family: "error",
  body: z.strictObject({ draftId: requestIdSchema, activityId: z.string().min(1), fingerprint: z.string().min(1) }),
  responses: {
    202: z.object({ requestId: requestIdSchema, status: z.literal("pending_human"), description: z.string(), createdAt: unixMs }),
    400: hfaError,
    404: hfaError,
    409: hfaError,
    410: hfaError,
    503: hfaError,
  },
});

export const getTurnkeyRequest = defineRoute({
  method: "GET",
  path: "/api/turnkey/requests/{id}",
  summary: "Get one Turnkey HFA request",
  tags,
  auth: ["apiKey", "session"],
  permission: "approvals:read",
  family: "error",
  params: idParam,
  responses: { 200: turnkeyRequestSchema, 404: hfaError },
});

export const completeTurnkeySetupSession = defineRoute({
  method: "POST",
  path: "/api/v1/approvals/turnkey/setup-sessions/{id}/complete",
  unconfigured: TURNKEY_NOT_CONFIGURED,
  summary: "The setupUrl page's action: create the agent's Turnkey sub-organization (provider root user, agent user), its Ethereum wallet and the consensus policy, then pair the wallet",
  tags,
  auth: ["session"],
  permission: "signers:manage",
  params: idParam,
  responses: { 200: setupSessionSchema, 404: v1Error, 409: v1Error, 410: v1Error, 503: v1Error },
});
