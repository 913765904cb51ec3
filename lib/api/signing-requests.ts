import { z } from "zod";
import { defineRoute } from "@/lib/http/contract";
import { pageQuery } from "@/lib/http/pagination";
import { idParams, v1Error } from "./schemas";

const tags = ["Signing requests"];
const STATUSES = ["reserved", "pending_approval", "committed", "released", "denied", "rejected"] as const;

/** One guardrail decision on a signing session (every session start records one). */
export const signingRequestView = z.object({
  id: z.string(),
  signerId: z.string(),
  signerName: z.string(),
  mode: z.string(),
  kind: z.string(),
  outcome: z.enum(["allow", "deny", "require_approval"]),
  /** reserved / pending_approval / committed hold spend; released, denied and rejected do not. */
  status: z.enum(STATUSES),
  request: z.object({
    to: z.string().nullable(),
    value: z.string(),
    selector: z.string().nullable(),
    tokenAction: z.object({ method: z.string(), contract: z.string(), amount: z.string(), counterparty: z.string(), unlimited: z.boolean() }).nullable(),
    messagePreview: z.string().nullable(),
  }),
  spend: z.array(z.object({ asset: z.string(), amount: z.string() })),
  violations: z.array(z.object({ policyId: z.string(), type: z.string(), message: z.string() })),
  /** Why approval is (or was) required. */
  approvals: z.array(z.string()),
  matchedRule: z.object({ ruleId: z.string(), action: z.string(), description: z.string() }).nullable(),
  evaluated: z.object({ policies: z.array(z.object({ id: z.string(), version: z.number() })), document: z.object({ id: z.string(), version: z.number() }).nullable() }),
  ceremonyId: z.string().nullable(),
  sessionStatus: z.string().nullable(),
  expiresAt: z.string().nullable(),
  messageHash: z.string().nullable(),
  txHash: z.string().nullable(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  decidedBy: z.object({ id: z.string(), name: z.string().nullable(), email: z.string().nullable() }).nullable(),
});

export const listSigningRequests = defineRoute({
  method: "GET",
  path: "/api/v1/signing-requests",
  summary: "Signing requests with their guardrail decisions, newest first (filter ?status=pending_approval for the approval queue)",
  tags,
  auth: ["session"],
  permission: "approvals:read",
  query: pageQuery.extend({ status: z.enum(STATUSES).optional(), signerId: z.uuid({ message: "Must be a UUID" }).optional() }).strict(),
  responses: { 200: z.object({ items: z.array(signingRequestView), nextCursor: z.string().nullable() }), 400: v1Error, 401: v1Error, 403: v1Error },
});

export const getSigningRequest = defineRoute({
  method: "GET",
  path: "/api/v1/signing-requests/{id}",
  summary: "One signing request and its decision",
  tags,
  auth: ["session"],
  permission: "approvals:read",
  params: idParams,
  responses: { 200: z.object({ signingRequest: signingRequestView }), 401: v1Error, 403: v1Error, 404: v1Error },
});

export const approveSigningRequest = defineRoute({
  method: "POST",
  path: "/api/v1/signing-requests/{id}/approve",
  summary:
    "Approve a request pending approval: the server co-signs and the parked session opens. Unless it is a plain native transfer at or below the organization's passkey threshold, send X-Countersign-Assertion (a passkey assertion for POST /api/v1/approvals/challenge { signingRequestId }); without it: 401",
  tags,
  auth: ["session"],
  permission: "approvals:decide",
  params: idParams,
  responses: { 200: z.object({ signingRequest: signingRequestView }), 401: v1Error, 403: v1Error, 404: v1Error, 409: v1Error, 410: v1Error },
});

export const rejectSigningRequest = defineRoute({
  method: "POST",
  path: "/api/v1/signing-requests/{id}/reject",
  summary: "Reject a request pending approval: its session ends and its spend is released",
  tags,
  auth: ["session"],
  permission: "approvals:decide",
  params: idParams,
  responses: { 200: z.object({ signingRequest: signingRequestView }), 401: v1Error, 403: v1Error, 404: v1Error, 409: v1Error, 410: v1Error },
});
