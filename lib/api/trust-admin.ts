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
