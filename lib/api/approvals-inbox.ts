import { z } from "zod";
import { TURNKEY_STATUSES } from "@/lib/turnkey/state";
import { defineRoute } from "@/lib/http/contract";
import { clearSigningSchema, intentAction, requestStatus } from "./approvals";
import { evmAddress, executionMode } from "./devices";
import { v1Error } from "./schemas";
import { checkView as gatewayCheckView } from "./gateway";

/**
 * The dashboard's approvals inbox: every seed 004 request of the organization (safe and relay mode)
 * with what the seed's public routes do not carry — which agent or signer, the native value, who
 * decided, from which device and whether with a passkey. Session only (seed 000 error shape).
 * Parked signing requests from guardrails are listed by GET /api/v1/signing-requests; a relay
 * request names its parked signing request in `signingRequestId` so the inbox shows it once.
 */
const tags = ["Human approvals"];

export const inboxDecision = z.object({
  response: z.enum(["accepted", "rejected"]),
  decidedAt: z.string(),
  decidedBy: z.object({ id: z.string(), name: z.string().nullable(), email: z.string().nullable() }).nullable(),
  source: z.enum(["sw_action", "app_ui", "unknown"]),
  /** The registered device the answer came from (X-Countersign-Device), when it was one. */
  device: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  userAgent: z.string().nullable(),
  withPasskey: z.boolean(),
});

export const inboxItem = z.object({
  notificationId: z.string(),
  requestId: z.string(),
  /** turnkey: a Turnkey wallet's CONSENSUS_NEEDED activity (lib/turnkey), with its own statuses. */
  mode: z.enum([...executionMode.options, "turnkey"]),
  status: z.union([requestStatus, z.enum(TURNKEY_STATUSES)]),
  /** The clear-signed aggregatedDescription (the notification's line). */
  description: z.string(),
  agent: z.object({ address: evmAddress, signerId: z.string().nullable(), signerName: z.string().nullable() }),
  chainId: z.int(),
  safeAddress: evmAddress.nullable(),
  /** Sum of the actions' native value (wei, decimal string). */
  valueWei: z.string(),
  /** The actions (none for a relay request that signs a message or deploys a contract). */
  intent: z.object({ actions: z.array(intentAction).max(10) }),
  clearSigning: z.object({ actionResults: z.array(clearSigningSchema.shape.actionResults.element).max(10), aggregatedDescription: z.string() }),
  subjectHash: z.string(),
  /** relay mode: the parked guardrails signing request this approval decides. */
  signingRequestId: z.string().nullable(),
  txHash: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  executedAt: z.string().nullable(),
  decision: inboxDecision.nullable(),
});

export const listApprovalsInbox = defineRoute({
  method: "GET",
  path: "/api/v1/approvals/inbox",
  summary: "The approvals inbox: seed 004 requests (safe and relay), pending first (newest first), then decided (latest decision first), with agent, value and who decided from which device",
  tags,
  auth: ["session"],
  permission: "approvals:read",
  query: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).optional() }),
  responses: {
    200: z.object({ items: z.array(inboxItem), toolCalls: z.array(gatewayCheckView).meta({ description: "Tool calls the gateway holds for a human (seed 002 pending checks), newest first; decide with PATCH /api/v1/check/{id}" }) }),
    400: v1Error,
    401: v1Error,
    403: v1Error,
  },
});

export const getApprovalsInboxItem = defineRoute({
  method: "GET",
  path: "/api/v1/approvals/inbox/{notificationId}",
  summary: "One inbox item (the approval page's facts: who decided, when, from which device; relay requests' decoded action)",
  tags,
  auth: ["session"],
  permission: "approvals:read",
  params: z.strictObject({ notificationId: z.string().min(1).max(100) }),
  responses: { 200: z.object({ item: inboxItem }), 401: v1Error, 403: v1Error, 404: v1Error },
});
