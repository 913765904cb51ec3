import { stripeWebhook } from "@/lib/api/billing";
import { handleStripeWebhook } from "@/lib/billing/webhook";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";

export const POST = handle(stripeWebhook, async ({ req, rawBody }) => ({ status: 200, body: await handleStripeWebhook(db(), rawBody, req.headers.get("stripe-signature")) }));
