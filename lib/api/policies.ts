import { z } from "zod";
import { defineRoute } from "@/lib/http/contract";
import { POLICY_TYPES } from "@/lib/policy/types";
import { idParams, v1Error } from "./schemas";

const tags = ["Policies"];
const policy = z.object({
  id: z.string(),
  signerId: z.string(),
  type: z.enum(POLICY_TYPES),
  config: z.unknown(),
  enabled: z.boolean(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
/** Each type's config is validated by lib/policy (precise field paths in the 400). */
const config = z.record(z.string(), z.unknown());

export const listPolicies = defineRoute({
  method: "GET",
  path: "/api/v1/signers/{id}/policies",
  summary: "List active policies for a signer",
  tags,
  auth: ["session", "apiKey"],
  permission: "policies:read",
  params: idParams,
  responses: { 200: z.object({ policies: z.array(policy) }), 404: v1Error },
});

export const createPolicy = defineRoute({
  method: "POST",
  path: "/api/v1/signers/{id}/policies",
  summary: "Create a policy (spending_limit, daily_limit, monthly_limit, allowed_contracts, allowed_functions, blocked_addresses, rate_limit, time_window)",
  tags,
  auth: ["session", "apiKey"],
  permission: "policies:manage",
  params: idParams,
  body: z.strictObject({ type: z.enum(POLICY_TYPES), config, enabled: z.boolean().optional() }),
  responses: { 201: z.object({ policy }), 400: v1Error, 404: v1Error },
});

export const updatePolicy = defineRoute({
  method: "PATCH",
  path: "/api/v1/policies/{id}",
  summary: "Update policy config (or enable/disable); the version increases",
  tags,
  auth: ["session", "apiKey"],
  family: "hybrid",
  permission: "policies:manage",
  params: idParams,
  body: z.strictObject({ config: config.optional(), enabled: z.boolean().optional() }).refine((b) => b.config !== undefined || b.enabled !== undefined, "Nothing to update"),
  responses: { 200: z.object({ policy }), 400: v1Error, 404: v1Error },
});

export const deletePolicy = defineRoute({
  method: "DELETE",
  path: "/api/v1/policies/{id}",
  summary: "Delete policy",
  tags,
  auth: ["session", "apiKey"],
  family: "hybrid",
  permission: "policies:manage",
  params: idParams,
  responses: { 204: null, 404: v1Error },
});
