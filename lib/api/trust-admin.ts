import { z } from "zod";
import { defineRoute } from "@/lib/http/contract";
import { APPLICATION_STATUSES } from "@/lib/trust/applications";
import { idParams, v1Error } from "./schemas";

/**
 * The instance administrator's review of seed 001 operator applications (issue #15). Instance-wide:
 * the access table names only `instanceAdmin` (lib/auth/instance-admin.ts), so no organization role
 * — not even an owner — reaches these.
 */
const tags = ["Trust scores (seed 001)"];

export const application = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  company: z.string().nullable(),
  reason: z.string().nullable(),
  status: z.enum(APPLICATION_STATUSES),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  rejectionReason: z.string().nullable(),
  organizationId: z.string().nullable(),
});

export const listApplications = defineRoute({
  method: "GET",
  path: "/api/v1/admin/applications",
  summary: "Operator applications sent to POST /apply, newest first (instance administrators only)",
  tags,
  auth: ["session"],
  query: z.strictObject({ status: z.enum(APPLICATION_STATUSES).optional() }),
  responses: { 200: z.object({ items: z.array(application) }), 400: v1Error, 401: v1Error, 403: v1Error },
});

export const approveApplication = defineRoute({
  method: "POST",
  path: "/api/v1/admin/applications/{id}/approve",
  summary: "Approve an application: an operator organization, its first API key mailed to the applicant, the applicant its owner (instance administrators only)",
  tags,
  auth: ["session"],
  params: idParams,
  responses: {
    200: z.object({ application, organization: z.object({ id: z.string(), name: z.string() }), owner: z.enum(["member", "invited"]), apiKeyPrefix: z.string() }),
    400: v1Error,
    401: v1Error,
    403: v1Error,
    404: v1Error,
    409: v1Error,
  },
});

export const rejectApplication = defineRoute({
  method: "POST",
  path: "/api/v1/admin/applications/{id}/reject",
  summary: "Reject an application with a reason, mailed to the applicant (instance administrators only)",
  tags,
  auth: ["session"],
  params: idParams,
  body: z.strictObject({ reason: z.string().trim().min(1, { message: "A reason is required" }).max(1000) }),
  responses: { 200: z.object({ application }), 400: v1Error, 401: v1Error, 403: v1Error, 404: v1Error, 409: v1Error },
});

// --- An organization's trust settings ---

const trustSettings = z.object({ countersignEvidence: z.boolean().meta({ description: "Countersign's own outcomes (signing allowed/denied, human approvals and rejections, gateway blocks and reviews) feed this organization's agents' trust scores as source \"countersign\" transactions" }) });

export const getTrustSettings = defineRoute({
  method: "GET",
  path: "/api/v1/trust/settings",
  summary: "Whether Countersign's own evidence feeds this organization's trust scores",
  tags,
  auth: ["session", "apiKey"],
  permission: "trust:read",
  responses: { 200: z.object({ settings: trustSettings }), 401: v1Error, 403: v1Error },
});

export const updateTrustSettings = defineRoute({
  method: "PATCH",
  path: "/api/v1/trust/settings",
  summary: "Turn Countersign's own evidence in the trust scores on or off (owners and admins; audited as trust.settings.updated)",
  tags,
  auth: ["session"],
  permission: "org:manage",
  body: trustSettings.strict(),
  responses: { 200: z.object({ settings: trustSettings }), 400: v1Error, 401: v1Error, 403: v1Error },
});

// --- An agent's score and configuration history, for the dashboard's chart ---

const historyEvent = z.object({
  at: z.string(),
  eventType: z.string().meta({ description: "registered, transaction:<outcome>, config_change:<type>, inactivity:week_<n>" }),
  kind: z.string(),
  source: z.enum(["reported", "countersign"]).nullable().meta({ description: "For a transaction: reported (POST /transactions) or countersign (observed)" }),
  transactionType: z.string().nullable(),
  composite: z.int(),
  reliability: z.int(),
  quality: z.int(),
  financial: z.int(),
  security: z.int(),
  stability: z.int(),
});
const historyConfig = z.object({ at: z.string(), changeType: z.string().nullable(), fingerprint: z.string(), modelProvider: z.string(), modelName: z.string(), tools: z.array(z.string()) });

export const getTrustHistory = defineRoute({
  method: "GET",
  path: "/api/v1/agents/{id}/trust-history",
  summary: "The agent's trust score history (last 100 events, with the score after each) and configuration history (last 20), oldest first; empty without a trust score",
  tags,
  auth: ["session", "apiKey"],
  permission: "agents:read",
  params: idParams,
  responses: { 200: z.object({ sid: z.string().nullable(), events: z.array(historyEvent), configs: z.array(historyConfig) }), 400: v1Error, 401: v1Error, 403: v1Error, 404: v1Error },
});
