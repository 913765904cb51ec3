import Stripe from "stripe";
import { recordAudit } from "@/lib/audit/record";
import { env } from "@/lib/config/env";
import type { Db, Tx } from "@/lib/db/client";
import { BadRequestError, NotFoundError } from "@/lib/http/errors";
import { GRACE_DAYS, isPlan, type PlanName } from "./plans";

/**
 * POST /api/v1/stripe/webhook (seed 002): Stripe → plans. The signature is checked by the official
 * `stripe` package over the raw bytes (5 minutes tolerance); each event id is applied once (a replay
 * is answered 200 and changes nothing); subscription events older than the last one applied are
 * stale and ignored, so out-of-order delivery cannot resurrect a deleted subscription.
 * Stripe itself is never called: everything comes from the events.
 */

export const SIGNATURE_TOLERANCE_SECONDS = 300;
export const HANDLED_EVENTS = ["customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted", "invoice.payment_succeeded", "invoice.payment_failed"] as const;

export type WebhookOutcome = { received: true; duplicate: boolean; outcome: string };

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
type Json = Record<string, any>;

export function verifyStripeEvent(rawBody: string | undefined, signature: string | null, secret: string): Stripe.Event {
  if (!rawBody) throw new BadRequestError("The Stripe event body is missing");
  if (!signature) throw new BadRequestError("Missing Stripe-Signature header");
  try {
    return Stripe.webhooks.constructEvent(rawBody, signature, secret, SIGNATURE_TOLERANCE_SECONDS);
  } catch {
    // Stripe's message says which check failed (no match, timestamp outside the tolerance), never the secret.
    throw new BadRequestError("Stripe signature verification failed (bad signature or timestamp outside the 5-minute tolerance)");
  }
}

const idOf = (v: unknown): string | null => (typeof v === "string" ? v : v && typeof v === "object" && typeof (v as Json).id === "string" ? (v as Json).id : null);

function planOf(sub: Json): PlanName | null {
  const price = sub.items?.data?.[0]?.price ?? {};
  for (const c of [price.lookup_key, price.metadata?.plan, sub.metadata?.plan]) if (isPlan(c)) return c;
  return null;
}

function periodEndOf(sub: Json): Date | null {
  const s = sub.current_period_end ?? sub.items?.data?.[0]?.current_period_end;
  return typeof s === "number" ? new Date(s * 1000) : null;
}

async function organizationFor(tx: Tx, ref: { metadataOrg?: unknown; subscriptionId?: string | null; customerId?: string | null }): Promise<string | null> {
  if (typeof ref.metadataOrg === "string" && UUID_RE.test(ref.metadataOrg)) {
    const org = await tx.organization.findUnique({ where: { id: ref.metadataOrg }, select: { id: true } });
    if (org) return org.id;
  }
  const or = [...(ref.subscriptionId ? [{ stripeSubscriptionId: ref.subscriptionId }] : []), ...(ref.customerId ? [{ stripeCustomerId: ref.customerId }] : [])];
  if (!or.length) return null;
  return (await tx.billingAccount.findFirst({ where: { OR: or }, select: { organizationId: true } }))?.organizationId ?? null;
}

async function applySubscription(tx: Tx, event: Stripe.Event): Promise<{ organizationId: string | null; outcome: string }> {
  const sub = event.data.object as unknown as Json;
  const subscriptionId = idOf(sub.id);
  const customerId = idOf(sub.customer);
  const organizationId = await organizationFor(tx, { metadataOrg: sub.metadata?.organization_id, subscriptionId, customerId });
  if (!organizationId) return { organizationId: null, outcome: "ignored: no organization (set metadata.organization_id on the subscription)" };
  const at = new Date(event.created * 1000);
  const deleted = event.type === "customer.subscription.deleted";
  const row = await tx.billingAccount.findUnique({ where: { organizationId } });
  if (row?.subscriptionEventAt) {
    const older = at < row.subscriptionEventAt;
    const sameSecondAfterCancel = at.getTime() === row.subscriptionEventAt.getTime() && row.status === "canceled" && row.stripeSubscriptionId === subscriptionId && !deleted;
    if (older || sameSecondAfterCancel) return { organizationId, outcome: "stale: an event at least as recent was applied" };
  }
  const plan = planOf(sub) ?? (row?.plan && isPlan(row.plan) ? row.plan : "free");
  const status = deleted ? "canceled" : typeof sub.status === "string" ? sub.status : "active";
  const data = { plan, status, stripeSubscriptionId: subscriptionId, stripeCustomerId: customerId, currentPeriodEnd: periodEndOf(sub), subscriptionEventAt: at, updatedAt: new Date() };
  await tx.billingAccount.upsert({ where: { organizationId }, create: { organizationId, ...data }, update: data });
  await recordAudit(tx, { organizationId, actor: { type: "system", label: "Stripe webhook" }, action: `billing.${event.type.split(".").pop()}`, resourceType: "billing", resourceId: organizationId, details: { event: event.id, plan, status, from: row ? { plan: row.plan, status: row.status } : null } });
  return { organizationId, outcome: `applied: ${plan} (${status})` };
}

async function applyInvoice(tx: Tx, event: Stripe.Event): Promise<{ organizationId: string | null; outcome: string }> {
  const inv = event.data.object as unknown as Json;
  const subscriptionId = idOf(inv.subscription) ?? idOf(inv.parent?.subscription_details?.subscription);
  const organizationId = await organizationFor(tx, { metadataOrg: inv.metadata?.organization_id ?? inv.subscription_details?.metadata?.organization_id ?? inv.parent?.subscription_details?.metadata?.organization_id, subscriptionId, customerId: idOf(inv.customer) });
  if (!organizationId) return { organizationId: null, outcome: "ignored: no organization for this customer" };
  const row = await tx.billingAccount.findUnique({ where: { organizationId } });
  const failed = event.type === "invoice.payment_failed";
  const at = new Date(event.created * 1000);
  // The grace period starts at the first failure and is not extended by retries; a paid invoice ends it.
  const graceUntil = failed ? (row?.graceUntil ?? new Date(at.getTime() + GRACE_DAYS * 86_400_000)) : null;
  await tx.billingAccount.upsert({ where: { organizationId }, create: { organizationId, graceUntil, stripeCustomerId: idOf(inv.customer) }, update: { graceUntil, updatedAt: new Date() } });
  await recordAudit(tx, { organizationId, actor: { type: "system", label: "Stripe webhook" }, action: failed ? "billing.payment_failed" : "billing.payment_succeeded", resourceType: "billing", resourceId: organizationId, details: { event: event.id, graceUntil: graceUntil?.toISOString() ?? null } });
  return { organizationId, outcome: failed ? `grace period until ${graceUntil!.toISOString()}` : "paid: grace period cleared" };
}

export async function handleStripeWebhook(db: Db, rawBody: string | undefined, signature: string | null): Promise<WebhookOutcome> {
  // The shape of a Stripe event first (400 for anything else), then the configuration and the signature.
  let parsed: unknown;
  try {
    parsed = rawBody ? JSON.parse(rawBody) : undefined;
  } catch {
    throw new BadRequestError("The body is not JSON");
  }
  const ev = parsed as Json | undefined;
  if (!ev || typeof ev !== "object" || Array.isArray(ev) || ev.object !== "event" || typeof ev.id !== "string" || typeof ev.type !== "string") throw new BadRequestError("The body is not a Stripe event");
  const secret = env().STRIPE_WEBHOOK_SECRET;
  // No billing on this installation: there is no webhook to deliver to (a 4xx, so Stripe does not count it as our outage).
  if (!secret) throw new NotFoundError("Billing is not configured on this installation (STRIPE_WEBHOOK_SECRET is unset)");
  const event = verifyStripeEvent(rawBody, signature, secret);
  return db.$transaction(async (tx) => {
    // The event id is claimed first: a concurrent delivery of the same event waits here, then sees it taken.
    const claimed = await tx.$executeRaw`INSERT INTO "stripe_events" ("id", "type", "outcome") VALUES (${event.id}, ${event.type}, 'pending') ON CONFLICT ("id") DO NOTHING`;
    if (claimed === 0) return { received: true as const, duplicate: true, outcome: "duplicate: already applied" };
    let r: { organizationId: string | null; outcome: string };
    if (event.type.startsWith("customer.subscription.") && (HANDLED_EVENTS as readonly string[]).includes(event.type)) r = await applySubscription(tx, event);
    else if (event.type === "invoice.payment_succeeded" || event.type === "invoice.payment_failed") r = await applyInvoice(tx, event);
    else r = { organizationId: null, outcome: `ignored: ${event.type} is not handled` };
    await tx.stripeEvent.update({ where: { id: event.id }, data: { outcome: r.outcome.slice(0, 200), organizationId: r.organizationId } });
    return { received: true as const, duplicate: false, outcome: r.outcome };
  });
}
