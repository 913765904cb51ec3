import { z } from "zod";
import { defineRoute } from "@/lib/http/contract";
import { ERROR_SCHEMAS } from "@/lib/http/families";

/** Billing (seed 002, issue #18): the Stripe webhook, and the plan the dashboard shows. */

export const stripeWebhook = defineRoute({
  method: "POST",
  path: "/api/v1/stripe/webhook",
  summary: "Stripe → plans: subscription created/updated/deleted, invoice paid/failed. Signature-verified (Stripe-Signature), idempotent by event id",
  tags: ["Billing"],
  auth: ["public"],
  family: "aegis",
  rawBody: { description: "A Stripe event, verified over its exact bytes with the Stripe-Signature header" },
  responses: { 200: z.object({ received: z.literal(true), duplicate: z.boolean(), outcome: z.string() }), 400: ERROR_SCHEMAS.aegis, 404: ERROR_SCHEMAS.aegis },
});

const limit = z.int().nullable();
export const getBilling = defineRoute({
  method: "GET",
  path: "/api/v1/billing",
  summary: "The organization's plan, usage against its limits, and the subscription state",
  tags: ["Billing"],
  auth: ["session"],
  permission: "org:read",
  responses: {
    200: z.object({
      enabled: z.boolean(),
      plan: z.string(),
      status: z.string().nullable(),
      currentPeriodEnd: z.string().nullable(),
      graceUntil: z.string().nullable(),
      readOnly: z.boolean(),
      limits: z.object({ agents: limit, signers: limit, checksPerMonth: limit, members: limit, scim: z.boolean() }),
      usage: z.object({ agents: z.int(), signers: z.int(), members: z.int(), checksThisMonth: z.int().meta({ description: "Gateway checks (POST /api/v1/check) counted this calendar month (UTC), against limits.checksPerMonth" }) }),
    }),
  },
});
