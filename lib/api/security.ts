import { z } from "zod";
import { defineRoute } from "@/lib/http/contract";
import { pageQuery } from "@/lib/http/pagination";
import { v1Error } from "./schemas";

const securityEvent = z.object({
  id: z.string(),
  kind: z.string(),
  credentialType: z.string(),
  credentialHint: z.string().nullable(),
  credentialId: z.string().nullable(),
  ip: z.string().nullable(),
  method: z.string(),
  route: z.string(),
  requestId: z.string().nullable(),
  createdAt: z.string(),
});

export const listSecurityEvents = defineRoute({
  method: "GET",
  path: "/api/v1/security-events",
  summary: "Failed API-key / signer-key / SCIM-token authentications that presented one of this organization's credential prefixes, newest first (owners and admins)",
  tags: ["Security"],
  auth: ["session"],
  permission: "org:manage",
  query: pageQuery,
  responses: { 200: z.object({ items: z.array(securityEvent), nextCursor: z.string().nullable() }), 400: v1Error, 401: v1Error, 403: v1Error },
});
