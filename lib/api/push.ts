import { z } from "zod";
import { defineRoute } from "@/lib/http/contract";
import { v1Error } from "./schemas";

/** Web push helpers for the dashboard: the VAPID public key and a test notification. */
const tags = ["Devices"];

export const vapidPublicKey = defineRoute({
  method: "GET",
  path: "/api/v1/push/vapid-public-key",
  summary: "The server's VAPID public key (base64url, uncompressed P-256 point) for PushManager.subscribe's applicationServerKey",
  tags,
  auth: ["public"],
  responses: { 200: z.object({ publicKey: z.string() }), 503: v1Error },
});

export const sendTestPush = defineRoute({
  method: "POST",
  path: "/api/v1/push/test",
  summary: "Send a test notification to one of your own devices (or all of them) and report each delivery",
  tags,
  auth: ["session"],
  permission: "approvals:read",
  body: z.strictObject({ deviceId: z.string().min(1).optional() }),
  responses: {
    200: z.object({
      deliveries: z.array(z.object({ deviceId: z.string(), status: z.enum(["sent", "pending", "gone", "failed"]), error: z.string().nullable() })),
    }),
    400: v1Error,
    403: v1Error,
    404: v1Error,
  },
});
