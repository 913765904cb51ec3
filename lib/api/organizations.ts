import { z } from "zod";
import { defineRoute } from "@/lib/http/contract";
import { credentialSchema, idParams, orgSchema, roleSchema, v1Error } from "./schemas";
import { pageQuery } from "@/lib/http/pagination";

export const listOrganizations = defineRoute({
  method: "GET",
  path: "/api/v1/organizations",
  summary: "Organizations the signed-in user belongs to",
  tags: ["Organizations"],
  auth: ["session"],
  responses: { 200: z.object({ organizations: z.array(orgSchema) }) },
});

export const createOrganization = defineRoute({
  method: "POST",
  path: "/api/v1/organizations",
  summary: "Create an organization; the caller becomes its owner",
  tags: ["Organizations"],
  auth: ["session"],
  body: z.strictObject({ name: z.string().trim().min(1).max(100) }),
  responses: { 201: z.object({ organization: orgSchema }), 400: v1Error },
});

const member = z.object({ userId: z.string(), email: z.string().nullable(), name: z.string().nullable(), role: roleSchema, joinedAt: z.string() });
const invitation = z.object({ id: z.string(), email: z.string(), role: roleSchema, createdAt: z.string() });

export const listMembers = defineRoute({
  method: "GET",
  path: "/api/v1/members",
  summary: "Members and pending invitations of the active organization",
  tags: ["Members"],
  auth: ["session", "apiKey"],
  permission: "org:read",
  responses: { 200: z.object({ members: z.array(member), invitations: z.array(invitation) }) },
});

export const addMember = defineRoute({
  method: "POST",
  path: "/api/v1/members",
  summary: "Add a member by email (an invitation until that address is verified)",
  tags: ["Members"],
  auth: ["session"],
  permission: "members:manage",
  body: z.strictObject({ email: z.email().max(254), role: roleSchema }),
  responses: { 201: z.object({ member: member.nullable(), invitation: invitation.nullable() }), 400: v1Error, 403: v1Error, 409: v1Error },
});

const memberParams = z.strictObject({ userId: z.uuid({ message: "Must be a UUID" }) });

export const updateMember = defineRoute({
  method: "PATCH",
  path: "/api/v1/members/{userId}",
  summary: "Change a member's role",
  tags: ["Members"],
  auth: ["session"],
  permission: "members:manage",
  params: memberParams,
  body: z.strictObject({ role: roleSchema }),
  responses: { 200: z.object({ member }), 403: v1Error, 404: v1Error, 409: v1Error },
});

export const removeMember = defineRoute({
  method: "DELETE",
  path: "/api/v1/members/{userId}",
  summary: "Remove a member (the last owner cannot be removed)",
  tags: ["Members"],
  auth: ["session"],
  permission: "members:manage",
  params: memberParams,
  responses: { 204: null, 403: v1Error, 404: v1Error, 409: v1Error },
});

export const deleteInvitation = defineRoute({
  method: "DELETE",
  path: "/api/v1/invitations/{id}",
  summary: "Withdraw a pending invitation",
  tags: ["Members"],
  auth: ["session"],
  permission: "members:manage",
  params: idParams,
  responses: { 204: null, 404: v1Error },
});

export const listApiKeys = defineRoute({
  method: "GET",
  path: "/api/v1/api-keys",
  summary: "Organization API keys (prefix only; secrets are never shown again)",
  tags: ["API keys"],
  auth: ["session"],
  permission: "api_keys:manage",
  responses: { 200: z.object({ apiKeys: z.array(credentialSchema) }) },
});

export const listApiKeyScopes = defineRoute({
  method: "GET",
  path: "/api/v1/api-keys/scopes",
  summary: "Scopes an organization API key can carry",
  tags: ["API keys"],
  auth: ["session"],
  responses: { 200: z.object({ scopes: z.array(z.object({ id: z.string(), description: z.string() })) }) },
});

export const createApiKey = defineRoute({
  method: "POST",
  path: "/api/v1/api-keys",
  summary: "Create an organization API key; the secret is in this response only",
  tags: ["API keys"],
  auth: ["session"],
  permission: "api_keys:manage",
  body: z.strictObject({
    name: z.string().trim().min(1).max(100),
    scopes: z.array(z.string()).min(1).max(20),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  }),
  responses: { 201: z.object({ apiKey: credentialSchema, secret: z.string() }), 400: v1Error },
});

export const revokeApiKey = defineRoute({
  method: "DELETE",
  path: "/api/v1/api-keys/{id}",
  summary: "Revoke an API key; it stops working at once",
  tags: ["API keys"],
  auth: ["session"],
  permission: "api_keys:manage",
  params: idParams,
  responses: { 204: null, 404: v1Error },
});

const passkey = z.object({ id: z.string(), name: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable(), deviceType: z.string(), backedUp: z.boolean() });

export const listPasskeys = defineRoute({
  method: "GET",
  path: "/api/v1/passkeys",
  summary: "The signed-in user's passkeys",
  tags: ["Passkeys"],
  auth: ["session"],
  responses: { 200: z.object({ passkeys: z.array(passkey) }) },
});

export const renamePasskey = defineRoute({
  method: "PATCH",
  path: "/api/v1/passkeys/{id}",
  summary: "Rename a passkey",
  tags: ["Passkeys"],
  auth: ["session"],
  params: idParams,
  body: z.strictObject({ name: z.string().trim().min(1).max(64) }),
  responses: { 200: z.object({ passkey }), 404: v1Error },
});

export const deletePasskey = defineRoute({
  method: "DELETE",
  path: "/api/v1/passkeys/{id}",
  summary: "Remove a passkey (not the last one)",
  tags: ["Passkeys"],
  auth: ["session"],
  params: idParams,
  responses: { 204: null, 404: v1Error, 409: v1Error },
});

const auditItem = z.object({
  id: z.string(),
  action: z.string(),
  actor: z.object({ type: z.string(), id: z.string().nullable(), label: z.string().nullable() }),
  resourceType: z.string(),
  resourceId: z.string().nullable(),
  outcome: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  createdAt: z.string(),
  details: z.unknown(),
});

const isoDateTime = z.iso.datetime({ offset: true, message: "ISO 8601 date-time, e.g. 2026-11-27T00:00:00Z" }).or(z.iso.date());
const auditFilter = z.strictObject({
  action: z.string().max(100).regex(/^[a-z0-9_.]+\*?$/, "An action like signer.created, or a prefix like signer.*").optional(),
  resource_type: z.string().max(50).regex(/^[a-z_]+$/).optional(),
  q: z.string().min(1).max(200).optional(),
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
  signer: z.uuid().optional(),
});

export const listAuditLog = defineRoute({
  method: "GET",
  path: "/api/v1/audit-log",
  summary: "Paginated audit log of the organization, newest first; filters ?action=&resource_type=&q=&from=&to=&signer=",
  tags: ["Audit"],
  auth: ["session", "apiKey"],
  family: "hybrid",
  permission: "audit:read",
  query: auditFilter.extend(pageQuery.shape),
  responses: { 200: z.object({ items: z.array(auditItem), nextCursor: z.string().nullable() }), 400: v1Error, 401: v1Error },
});

export const exportAuditLog = defineRoute({
  method: "GET",
  path: "/api/v1/audit-log/export",
  summary: "The audit log as CSV (same filters), streamed; formula-injection safe",
  tags: ["Audit"],
  auth: ["session", "apiKey"],
  family: "hybrid",
  permission: "audit:read",
  query: auditFilter,
  produces: "text/csv",
  responses: { 200: z.string(), 400: v1Error, 401: v1Error },
});

export const devOutbox = defineRoute({
  method: "GET",
  path: "/api/v1/dev/outbox",
  summary: "Development outbox: mail captured because no SMTP server is configured — only the mail sent to the signed-in user's own address (none when signed out)",
  tags: ["Development"],
  auth: ["session", "public"],
  responses: {
    200: z.object({ messages: z.array(z.object({ id: z.string(), to: z.string(), subject: z.string(), text: z.string(), createdAt: z.string() })) }),
    404: v1Error,
  },
});
