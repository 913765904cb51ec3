import { z } from "zod";
import { defineRoute, type RouteContract } from "@/lib/http/contract";
import { ERROR_SCHEMAS } from "@/lib/http/families";
import { credentialSchema, idParams, roleSchema, v1Error } from "./schemas";

/**
 * SCIM 2.0 (RFC 7643/7644, seed 002, issue #18) at /scim/v2, for an organization's identity provider:
 * Authorization: Bearer with a SCIM token (csm_), nothing else. Errors in RFC 7644 §3.12 form.
 * And the owner's side in /api/v1/scim: tokens and the group → role mapping (Settings → Provisioning).
 */

const scimError = ERROR_SCHEMAS.scim;
const tags = ["SCIM 2.0"];
const base = { auth: ["apiKey"], permission: "scim", family: "scim", tags } as const satisfies Partial<RouteContract>;

const meta = z.object({ resourceType: z.string(), created: z.string(), lastModified: z.string(), location: z.string(), version: z.string() }).partial();
const multi = z.array(z.looseObject({ value: z.string().optional(), type: z.string().optional(), primary: z.boolean().optional(), display: z.string().optional(), $ref: z.string().optional() }));

/** RFC 7643 §4.1 User; every attribute but id and schemas may be left out by `attributes`/`excludedAttributes`. */
export const scimUserSchema = z
  .looseObject({
    schemas: z.array(z.string()).min(1),
    id: z.string(),
    externalId: z.string().optional(),
    userName: z.string().optional(),
    name: z.looseObject({ formatted: z.string().optional(), familyName: z.string().optional(), givenName: z.string().optional() }).optional(),
    displayName: z.string().optional(),
    title: z.string().optional(),
    active: z.boolean().optional(),
    emails: multi.optional(),
    groups: multi.optional(),
    meta: meta.optional(),
  })
  .meta({ description: "RFC 7643 §4.1 User" });

/** RFC 7643 §4.2 Group. */
export const scimGroupSchema = z
  .looseObject({ schemas: z.array(z.string()).min(1), id: z.string(), externalId: z.string().optional(), displayName: z.string().optional(), members: multi.optional(), meta: meta.optional() })
  .meta({ description: "RFC 7643 §4.2 Group" });

const listOf = (item: z.ZodType) => z.object({ schemas: z.tuple([z.literal("urn:ietf:params:scim:api:messages:2.0:ListResponse")]), totalResults: z.int(), startIndex: z.int(), itemsPerPage: z.int(), Resources: z.array(item) });

const intQuery = z.coerce.number().int().min(-2_147_483_648).max(2_147_483_647);
const listQuery = z.object({
  filter: z.string().max(4096).optional(),
  sortBy: z.string().max(256).optional(),
  sortOrder: z.enum(["ascending", "descending"]).optional(),
  startIndex: intQuery.optional(),
  count: intQuery.optional(),
  attributes: z.string().max(2048).optional(),
  excludedAttributes: z.string().max(2048).optional(),
});
const projectionQuery = listQuery.pick({ attributes: true, excludedAttributes: true });
const resourceBody = z.record(z.string(), z.unknown()).meta({ description: "A SCIM resource (application/scim+json or application/json)" });
const patchBody = z.looseObject({ schemas: z.array(z.string()), Operations: z.array(z.looseObject({ op: z.string(), path: z.string().optional(), value: z.unknown().optional() })) }).meta({ description: "RFC 7644 §3.5.2 PatchOp" });
const searchBody = z.looseObject({
  schemas: z.array(z.string()).optional(),
  filter: z.string().max(4096).optional(),
  sortBy: z.string().max(256).optional(),
  sortOrder: z.enum(["ascending", "descending"]).optional(),
  startIndex: z.int().min(-2_147_483_648).max(2_147_483_647).optional(),
  count: z.int().min(-2_147_483_648).max(2_147_483_647).optional(),
  attributes: z.union([z.string(), z.array(z.string())]).optional(),
  excludedAttributes: z.union([z.string(), z.array(z.string())]).optional(),
});
const idParam = z.object({ id: z.string().max(64) });

export const scimListUsers = defineRoute({ ...base, method: "GET", path: "/scim/v2/Users", summary: "List or filter Users (RFC 7644 §3.4.2)", query: listQuery, responses: { 200: listOf(scimUserSchema), 400: scimError } });
export const scimCreateUser = defineRoute({ ...base, method: "POST", path: "/scim/v2/Users", summary: "Provision a User: a membership (an invitation until the address is verified)", body: resourceBody, responses: { 201: scimUserSchema, 400: scimError, 409: scimError } });
export const scimGetUser = defineRoute({ ...base, method: "GET", path: "/scim/v2/Users/{id}", summary: "A User", params: idParam, query: projectionQuery, responses: { 200: scimUserSchema, 404: scimError } });
export const scimReplaceUser = defineRoute({ ...base, method: "PUT", path: "/scim/v2/Users/{id}", summary: "Replace a User (If-Match honoured)", params: idParam, body: resourceBody, responses: { 200: scimUserSchema, 400: scimError, 404: scimError, 409: scimError, 412: scimError } });
export const scimPatchUser = defineRoute({ ...base, method: "PATCH", path: "/scim/v2/Users/{id}", summary: "Modify a User with a PatchOp; active false suspends the membership and ends its sessions", params: idParam, body: patchBody, responses: { 200: scimUserSchema, 400: scimError, 404: scimError, 409: scimError, 412: scimError } });
export const scimDeleteUser = defineRoute({ ...base, method: "DELETE", path: "/scim/v2/Users/{id}", summary: "Deprovision a User: the membership goes (not the last owner: 409)", params: idParam, responses: { 204: null, 404: scimError, 409: scimError, 412: scimError } });
export const scimSearchUsers = defineRoute({ ...base, method: "POST", path: "/scim/v2/Users/.search", summary: "Search Users (RFC 7644 §3.4.3)", body: searchBody, responses: { 200: listOf(scimUserSchema), 400: scimError } });

export const scimListGroups = defineRoute({ ...base, method: "GET", path: "/scim/v2/Groups", summary: "List or filter Groups", query: listQuery, responses: { 200: listOf(scimGroupSchema), 400: scimError } });
export const scimCreateGroup = defineRoute({ ...base, method: "POST", path: "/scim/v2/Groups", summary: "Create a Group (named owner/admin/approver/viewer: grants that role)", body: resourceBody, responses: { 201: scimGroupSchema, 400: scimError, 409: scimError } });
export const scimGetGroup = defineRoute({ ...base, method: "GET", path: "/scim/v2/Groups/{id}", summary: "A Group", params: idParam, query: projectionQuery, responses: { 200: scimGroupSchema, 404: scimError } });
export const scimReplaceGroup = defineRoute({ ...base, method: "PUT", path: "/scim/v2/Groups/{id}", summary: "Replace a Group", params: idParam, body: resourceBody, responses: { 200: scimGroupSchema, 400: scimError, 404: scimError, 409: scimError, 412: scimError } });
export const scimPatchGroup = defineRoute({ ...base, method: "PATCH", path: "/scim/v2/Groups/{id}", summary: "Modify a Group with a PatchOp (members add/remove)", params: idParam, body: patchBody, responses: { 200: scimGroupSchema, 400: scimError, 404: scimError, 409: scimError, 412: scimError } });
export const scimDeleteGroup = defineRoute({ ...base, method: "DELETE", path: "/scim/v2/Groups/{id}", summary: "Delete a Group; its members' roles are derived again", params: idParam, responses: { 204: null, 404: scimError, 409: scimError, 412: scimError } });
export const scimSearchGroups = defineRoute({ ...base, method: "POST", path: "/scim/v2/Groups/.search", summary: "Search Groups", body: searchBody, responses: { 200: listOf(scimGroupSchema), 400: scimError } });
export const scimSearch = defineRoute({ ...base, method: "POST", path: "/scim/v2/.search", summary: "Search Users and Groups (RFC 7644 §3.4.3)", body: searchBody, responses: { 200: listOf(z.union([scimUserSchema, scimGroupSchema])), 400: scimError } });

const discovery = z.looseObject({ schemas: z.array(z.string()) });
export const scimServiceProviderConfig = defineRoute({ ...base, method: "GET", path: "/scim/v2/ServiceProviderConfig", summary: "What this service provider supports (RFC 7643 §5)", responses: { 200: discovery } });
export const scimResourceTypes = defineRoute({ ...base, method: "GET", path: "/scim/v2/ResourceTypes", summary: "User and Group (RFC 7643 §6)", responses: { 200: listOf(discovery) } });
export const scimResourceType = defineRoute({ ...base, method: "GET", path: "/scim/v2/ResourceTypes/{id}", summary: "One resource type", params: idParam, responses: { 200: discovery, 404: scimError } });
export const scimSchemas = defineRoute({ ...base, method: "GET", path: "/scim/v2/Schemas", summary: "The User, Group and enterprise User schemas (RFC 7643 §7)", responses: { 200: listOf(discovery) } });
export const scimSchema = defineRoute({ ...base, method: "GET", path: "/scim/v2/Schemas/{id}", summary: "One schema, by URN", params: z.object({ id: z.string().max(128) }), responses: { 200: discovery, 404: scimError } });

// --- Settings → Provisioning (owners) ------------------------------------------------------------

const provisioning = { auth: ["session"], permission: "provisioning:manage", tags: ["Provisioning"] } as const satisfies Partial<RouteContract>;

export const listScimTokens = defineRoute({ ...provisioning, method: "GET", path: "/api/v1/scim/tokens", summary: "SCIM tokens of the organization (prefix only)", responses: { 200: z.object({ tokens: z.array(credentialSchema), baseUrl: z.string() }) } });
export const createScimToken = defineRoute({
  ...provisioning,
  method: "POST",
  path: "/api/v1/scim/tokens",
  summary: "Create a SCIM token for the identity provider; the secret is in this response only",
  body: z.strictObject({ name: z.string().trim().min(1).max(100) }),
  responses: { 201: z.object({ token: credentialSchema, secret: z.string(), baseUrl: z.string() }), 400: v1Error, 403: v1Error },
});
export const revokeScimToken = defineRoute({ ...provisioning, method: "DELETE", path: "/api/v1/scim/tokens/{id}", summary: "Revoke a SCIM token; it stops working at once", params: idParams, responses: { 204: null, 404: v1Error } });

const groupMapping = z.object({ id: z.string(), displayName: z.string(), externalId: z.string().nullable(), role: roleSchema.nullable(), byName: z.boolean(), members: z.int() });
export const listScimGroups = defineRoute({ ...provisioning, method: "GET", path: "/api/v1/scim/groups", summary: "Provisioned groups and the role each grants", responses: { 200: z.object({ groups: z.array(groupMapping), users: z.object({ total: z.int(), active: z.int() }) }) } });
export const mapScimGroup = defineRoute({
  ...provisioning,
  method: "PUT",
  path: "/api/v1/scim/groups/{id}/role",
  summary: "Map a custom group to a role (null: it grants none)",
  params: idParams,
  body: z.strictObject({ role: roleSchema.nullable() }),
  responses: { 200: z.object({ group: groupMapping }), 400: v1Error, 404: v1Error, 409: v1Error },
});
