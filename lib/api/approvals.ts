import { z } from "zod";
import { defineRoute } from "@/lib/http/contract";
import { chainId, int4, uint256String, v1Error, webauthnOptions } from "./schemas";
import { evmAddress, executionMode, hfaError, unixMs } from "./devices";

/**
 * seed 004's human-approval routes (not under /api/v1; errors are `{ error }`), with the exact
 * shapes of the seed, plus the /api/v1/approvals/* helpers (pairing, passkey challenge, settings).
 *
 * Agent side (pairing-info, drafts, requests): the agent token (csa_…) issued when the agent was
 * paired, as x-api-key or Bearer. GET routes also accept a dashboard session (approvals:read).
 * Human side (notifications, responses): dashboard session only.
 */
const tags = ["Human approvals"];

const hex = z.string().regex(/^0x(?:[a-fA-F0-9]{2})*$/, "Must be 0x-prefixed hex").meta({ description: "0x-prefixed hex string" });
const requestIdSchema = z.string().min(1).meta({ description: "Provider request identifier" });
const weiString = uint256String.meta({ description: "Wei amount as decimal string (uint256)" });

export const intentAction = z.strictObject({ chainId, to: evmAddress, data: hex, value: weiString });
export const intentSchema = z.strictObject({ actions: z.array(intentAction).min(1).max(10) });

const actionResult = z.union([
  z.strictObject({
    resolved: z.literal(true),
    descriptorId: z.string(),
    description: z.string(),
    protocolTag: z.string(),
    bindingKind: z.enum(["calldata", "eip712"]),
    source: z.enum(["vendor", "overlay"]),
  }),
  z.strictObject({ resolved: z.literal(false), reason: z.string() }),
]);
export const clearSigningSchema = z.strictObject({ actionResults: z.array(actionResult).min(1).max(10), aggregatedDescription: z.string() });

const safeInfo = z.strictObject({ chainId: z.int().min(1), safeAddress: evmAddress, version: z.string().nullable(), threshold: z.int().min(1), owners: z.array(evmAddress) });

export const safeTransactionSchema = z.strictObject({
  to: evmAddress,
  value: z.string().min(1),
  data: hex,
  nonce: z.string().min(1),
  operation: z.int().min(0),
  safeTxGas: z.string().min(1),
  baseGas: z.string().min(1),
  gasPrice: z.string().min(1),
  gasToken: evmAddress,
  refundReceiver: evmAddress.nullable(),
  safeTxHash: hex,
});

export const requestStatus = z.enum(["pending_human", "rejected_by_human", "proposing", "proposed", "executing", "executed", "proposal_failed", "execution_failed"]);

export const agentRequestSchema = z.strictObject({
  requestId: requestIdSchema,
  status: requestStatus,
  agentAddress: evmAddress,
  safeAddress: evmAddress,
  intent: intentSchema,
  clearSigning: clearSigningSchema,
  safe: safeInfo,
  safeTransaction: safeTransactionSchema,
  agentSignature: hex,
  providerConfirmation: z.strictObject({ sender: evmAddress, signature: hex }).nullable(),
  txHash: hex.nullable(),
  error: z.string().nullable(),
  createdAt: unixMs,
  respondedAt: unixMs.nullable(),
  executedAt: unixMs.nullable(),
});

export const notificationSchema = z.strictObject({
  id: z.string(),
  deviceId: z.string(),
  requestId: requestIdSchema.nullable(),
  message: z.string(),
  response: z.enum(["accepted", "rejected"]).nullable(),
  responseSource: z.enum(["sw_action", "app_ui", "unknown"]).nullable(),
  responseRawAction: z.string().nullable(),
  responseInterpretedAction: z.string().nullable(),
  responseUserAgent: z.string().nullable(),
  createdAt: unixMs,
  respondedAt: unixMs.nullable(),
});

const approvalSchema = z.strictObject({
  kind: z.enum(["safe", "turnkey"]),
  intent: intentSchema,
  clearSigning: clearSigningSchema,
  safeTransaction: safeTransactionSchema.optional(),
});

const turnkeyExecution = z.strictObject({
  status: z.string(),
  txHash: hex.nullable(),
  error: z.string().nullable(),
  chainId: z.int().min(1).nullable(),
  explorerTxUrl: z.url().nullable(),
});

/** The seed writes this as allOf(notification, { approval, turnkeyExecution }): one object with both sets of members. */
export const notificationDetailSchema = notificationSchema.extend({ approval: approvalSchema.nullable(), turnkeyExecution: turnkeyExecution.nullable() });

const idParam = z.strictObject({ id: z.string().min(1) });

export const getPairingInfo = defineRoute({
  method: "GET",
  path: "/api/pairing-info",
  summary: "Get pairing info for an agent and execution mode",
  tags,
  auth: ["apiKey", "session"],
  permission: "approvals:read",
  family: "error",
  query: z.strictObject({ agent: evmAddress, mode: executionMode.optional() }),
  responses: { 200: z.strictObject({ agentAddress: evmAddress, executionMode, safeAddress: evmAddress.nullable() }), 400: hfaError, 404: hfaError },
});

export const createDraft = defineRoute({
  method: "POST",
  path: "/api/drafts",
  summary: "Create a transaction draft with ERC-7730 clear-signing and Safe transaction payload",
  tags,
  auth: ["apiKey"],
  family: "error",
  body: z.strictObject({ signer: evmAddress, intent: intentSchema }),
  responses: {
    200: z.strictObject({
      draftId: requestIdSchema,
      agentAddress: evmAddress,
      safeAddress: evmAddress,
      intent: intentSchema,
      clearSigning: clearSigningSchema,
      safe: safeInfo,
      safeTransaction: safeTransactionSchema,
      createdAt: unixMs,
      expiresAt: unixMs,
    }),
    400: hfaError,
    404: hfaError,
    409: hfaError,
    422: hfaError,
  },
});

export const submitRequest = defineRoute({
  method: "POST",
  path: "/api/requests",
  summary: "Submit a signed agent request for human approval",
  tags,
  auth: ["apiKey"],
  family: "error",
  body: z.strictObject({ draftId: requestIdSchema, signer: evmAddress, signature: hex }),
  responses: {
    202: z.strictObject({ requestId: requestIdSchema, status: z.literal("pending_human"), description: z.string(), createdAt: unixMs }),
    400: hfaError,
    404: hfaError,
    409: hfaError,
    410: hfaError,
    500: hfaError,
    503: hfaError,
  },
});

export const listRequests = defineRoute({
  method: "GET",
  path: "/api/requests",
  summary: "List agent requests",
  tags,
  auth: ["apiKey", "session"],
  permission: "approvals:read",
  family: "error",
  query: z.strictObject({ agent: evmAddress.optional() }),
  responses: { 200: z.array(agentRequestSchema) },
});

export const getRequest = defineRoute({
  method: "GET",
  path: "/api/requests/{id}",
  summary: "Get one agent request",
  tags,
  auth: ["apiKey", "session"],
  permission: "approvals:read",
  family: "error",
  params: idParam,
  responses: { 200: agentRequestSchema, 404: hfaError },
});

export const listNotifications = defineRoute({
  method: "GET",
  path: "/api/notifications",
  summary: "List notifications",
  tags,
  auth: ["session"],
  permission: "approvals:read",
  family: "error",
  query: z.strictObject({ deviceId: z.string().min(1).optional() }),
  responses: { 200: z.array(notificationSchema) },
});

export const getNotification = defineRoute({
  method: "GET",
  path: "/api/notifications/{id}",
  summary: "Get one notification with structured approval context",
  tags,
  auth: ["session"],
  permission: "approvals:read",
  family: "error",
  params: idParam,
  responses: { 200: notificationDetailSchema, 404: hfaError },
});

export const recordResponse = defineRoute({
  method: "POST",
  path: "/api/responses",
  summary:
    "Record a human approval response. Above the organization's passkey threshold an accept needs the X-Countersign-Assertion header (see POST /api/v1/approvals/challenge): 401 without it, 403 when it was made for another request",
  tags,
  auth: ["session"],
  permission: "approvals:decide",
  family: "error",
  body: z.strictObject({
    notificationId: z.string().min(1),
    response: z.enum(["accepted", "rejected"]),
    messageLength: int4.optional(),
    source: z.enum(["sw_action", "app_ui", "unknown"]).optional(),
    rawAction: z.string().max(256).optional(),
    interpretedAction: z.string().max(256).optional(),
  }),
  responses: {
    200: z.strictObject({ id: z.string(), response: z.enum(["accepted", "rejected"]), respondedAt: unixMs, request: agentRequestSchema.nullable() }),
    400: hfaError,
    401: hfaError,
    403: hfaError,
    404: hfaError,
    409: hfaError,
    410: hfaError,
  },
});

// --- /api/v1/approvals helpers (seed 000 error shape) ---

export const createApprovalChallenge = defineRoute({
  method: "POST",
  path: "/api/v1/approvals/challenge",
  summary:
    "WebAuthn request options whose challenge commits to a notification's request and its safeTxHash (or signing-session hash), to a parked signing request and its hash, or to a pending gateway check and its arguments digest; single use, 5 minutes",
  tags,
  auth: ["session"],
  permission: "approvals:decide",
  body: z.union([z.strictObject({ notificationId: z.string().min(1).max(100) }), z.strictObject({ signingRequestId: z.uuid() }), z.strictObject({ gatewayCheckId: z.uuid() })]),
  responses: { 200: z.object({ challengeId: z.string(), options: webauthnOptions, requestId: z.string(), subjectHash: z.string() }), 400: v1Error, 404: v1Error },
});

const settingsSchema = z.object({ passkeyThresholdWei: z.string(), updatedAt: z.string().nullable() });

export const getApprovalSettings = defineRoute({
  method: "GET",
  path: "/api/v1/approvals/settings",
  summary: "Approval settings: accepting a request whose native value is above passkeyThresholdWei needs a passkey",
  tags,
  auth: ["session", "apiKey"],
  permission: "approvals:read",
  responses: { 200: settingsSchema },
});

export const updateApprovalSettings = defineRoute({
  method: "PATCH",
  path: "/api/v1/approvals/settings",
  summary: "Change the passkey threshold (wei, decimal string)",
  tags,
  auth: ["session"],
  permission: "policies:manage",
  body: z.strictObject({ passkeyThresholdWei: uint256String }),
  responses: { 200: settingsSchema, 400: v1Error },
});

const agentSchema = z.object({
  id: z.string(),
  agentAddress: evmAddress,
  executionMode,
  chainId: z.int(),
  safeAddress: evmAddress.nullable(),
  signerId: z.string().nullable(),
  /** The Agent registry record (GET /api/v1/agents/{id}) this pairing belongs to. */
  agentRecordId: z.string().nullable(),
  providerAddress: evmAddress,
  createdAt: z.string(),
});

export const pairAgent = defineRoute({
  method: "POST",
  path: "/api/v1/approvals/agents",
  summary: "Pair an agent: safe mode deploys its 2-of-2 Safe (agent + the organization's provider key); relay mode binds a signer. Returns the agent token once",
  tags,
  auth: ["session"],
  permission: "signers:manage",
  body: z.strictObject({
    mode: executionMode,
    agentAddress: evmAddress.optional(),
    chainId: chainId.optional(),
    signerId: z.uuid({ message: "Must be a UUID" }).optional(),
    /** The Agent registry record (GET /api/v1/agents) this pairing joins; default: the relayed signer's agent, or a new one. */
    agentId: z.uuid({ message: "Must be a UUID" }).optional(),
  }),
  responses: { 201: z.object({ agent: agentSchema, token: z.string() }), 400: v1Error, 404: v1Error, 409: v1Error, 503: v1Error },
});

export const listAgents = defineRoute({
  method: "GET",
  path: "/api/v1/approvals/agents",
  summary: "Paired agents",
  tags,
  auth: ["session", "apiKey"],
  permission: "approvals:read",
  responses: { 200: z.object({ agents: z.array(agentSchema) }) },
});
