import { z } from "zod";
import { defineRoute } from "@/lib/http/contract";
import { POLICY_TYPES } from "@/lib/policy/types";
import { idParams, v1Error } from "./schemas";
import { toolPolicy, toolPolicyBody } from "./gateway";

/** `/api/v1/policies/{id}` serves both kinds: seed 000 signer policies (UUIDs) and seed 002 tool policies (slugs or UUIDs). */
const policyIdParams = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$|^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, { message: "Must be a UUID or a tool policy id" }),
});

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
  summary: "Update a signer policy (config, enabled) or a tool policy (name, description, policy_schema, risk_level, on_match, enabled); the version increases",
  tags,
  auth: ["session", "apiKey"],
  family: "hybrid",
  permission: "policies:manage",
  params: policyIdParams,
  body: z
    .strictObject({
      config: config.optional(),
      enabled: z.boolean().optional(),
      name: toolPolicyBody.name.optional(),
      description: toolPolicyBody.description,
      policy_schema: toolPolicyBody.policy_schema.optional(),
      risk_level: toolPolicyBody.risk_level.optional(),
      on_match: toolPolicyBody.on_match,
    })
    .refine((b) => Object.values(b).some((v) => v !== undefined), "Nothing to update"),
  responses: { 200: z.object({ policy: z.union([policy, toolPolicy]) }), 400: v1Error, 404: v1Error, 409: v1Error },
});

export const deletePolicy = defineRoute({
  method: "DELETE",
  path: "/api/v1/policies/{id}",
  summary: "Delete a signer policy or a tool policy (a platform default: its override is removed, or the default is disabled for the organization). Audited",
  tags,
  auth: ["session", "apiKey"],
  family: "hybrid",
  permission: "policies:manage",
  params: policyIdParams,
  responses: { 204: null, 404: v1Error },
});
