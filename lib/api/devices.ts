import { z } from "zod";
import { defineRoute } from "@/lib/http/contract";
import { ERROR_SCHEMAS } from "@/lib/http/families";
import { address, unixMs } from "./schemas";

/**
 * seed 004's device routes (web push subscriptions for human approvals), with the exact shapes of
 * the seed. Errors use the seed's `{ error }` body. Human side: dashboard session only.
 */
const tags = ["Devices"];

/** lib/api/schemas.ts `address`: all-lowercase or EIP-55 checksummed. */
export const evmAddress = address;
export { unixMs };
export const executionMode = z.enum(["relay", "safe"]);
export const hfaError = ERROR_SCHEMAS.error;

export const deviceSchema = z.strictObject({
  id: z.string(),
  endpoint: z.string(),
  p256dh: z.string(),
  /** The subscription's auth secret is sealed at rest and never returned: always "redacted". */
  auth: z.string().meta({ description: "Always \"redacted\": the subscription's auth secret is sealed at rest and never returned" }),
  agentAddress: evmAddress.nullable(),
  executionMode,
  safeAddress: evmAddress.nullable(),
  maxActions: z.int().min(0).nullable(),
  supportsNotificationActions: z.boolean(),
  supportsRequireInteraction: z.boolean(),
  createdAt: unixMs,
});

export const registerDeviceBody = z.strictObject({
  subscription: z.strictObject({
    endpoint: z.string().min(1).max(2048),
    expirationTime: unixMs.nullable().optional(),
    keys: z.strictObject({ p256dh: z.string().min(1).max(256), auth: z.string().min(1).max(64) }),
  }),
  agentAddress: evmAddress.optional(),
  executionMode: executionMode.optional(),
  safeAddress: evmAddress.optional(),
  capabilities: z
    .strictObject({
      maxActions: z.int().min(0).max(100).optional(),
      supportsNotificationActions: z.boolean().optional(),
      supportsRequireInteraction: z.boolean().optional(),
    })
    .optional(),
});

export const registerDevice = defineRoute({
  method: "POST",
  path: "/api/devices",
  summary: "Register a device for push approvals",
  tags,
  auth: ["session"],
  permission: "approvals:read",
  family: "error",
  body: registerDeviceBody,
  responses: { 201: deviceSchema, 400: hfaError, 409: hfaError },
});

export const listDevices = defineRoute({
  method: "GET",
  path: "/api/devices",
  summary: "List devices",
  tags,
  auth: ["session"],
  permission: "approvals:read",
  family: "error",
  responses: { 200: z.array(deviceSchema) },
});

export const deleteDevice = defineRoute({
  method: "DELETE",
  path: "/api/devices/{id}",
  summary: "Delete a registered device",
  tags,
  auth: ["session"],
  permission: "approvals:read",
  family: "error",
  params: z.strictObject({ id: z.string().min(1) }),
  responses: { 204: null, 403: hfaError, 404: hfaError },
});
