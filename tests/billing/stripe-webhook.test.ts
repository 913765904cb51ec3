/**
 * POST /api/v1/stripe/webhook (issue #18): events shaped as Stripe's CLI fixtures send them, signed
 * with the test secret by the official package (`generateTestHeaderString`); a bad signature, a stale
 * timestamp, a replay, out-of-order updated/deleted; and the limits the resulting plan enforces.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Stripe from "stripe";
import { POST as webhook } from "@/app/api/v1/stripe/webhook/route";
import { GET as billing } from "@/app/api/v1/billing/route";
import { POST as createAgent } from "@/app/api/v1/agents/route";
import { POST as addMember } from "@/app/api/v1/members/route";
import * as Users from "@/app/scim/v2/Users/route";
import { issueCredential } from "@/lib/auth/credentials";
import { resetEnvCache } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { useTestDatabase } from "../helpers/db";
import { call, makeUser } from "../helpers/http";

useTestDatabase();

const SECRET = "whsec_test_countersign";
const stripe = new Stripe("sk_test_unused");
let saved: string | undefined;
beforeAll(() => {
  saved = process.env.STRIPE_WEBHOOK_SECRET;
  process.env.STRIPE_WEBHOOK_SECRET = SECRET;
  resetEnvCache();
});
afterAll(() => {
  if (saved === undefined) delete process.env.STRIPE_WEBHOOK_SECRET;
  else process.env.STRIPE_WEBHOOK_SECRET = saved;
  resetEnvCache();
});

let n = 0;
/** An event as `stripe trigger customer.subscription.updated` delivers it (API 2024+ shape: period end on the item). */
function subscriptionEvent(type: string, o: { org?: string; sub: string; cus: string; plan?: string; status?: string; created: number }) {
  return {
    id: `evt_${Date.now()}_${++n}`,
    object: "event",
    api_version: "2025-03-31.basil",
    created: o.created,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: {
      object: {
        id: o.sub,
        object: "subscription",
        customer: o.cus,
        status: o.status ?? "active",
        metadata: o.org ? { organization_id: o.org } : {},
        items: { object: "list", data: [{ id: `si_${n}`, object: "subscription_item", current_period_end: o.created + 30 * 86400, price: { id: `price_${o.plan}`, object: "price", lookup_key: o.plan ?? null, metadata: {} } }] },
      },
    },
  };
}

function invoiceEvent(type: string, o: { sub: string; cus: string; created: number }) {
  return { id: `evt_${Date.now()}_${++n}`, object: "event", created: o.created, livemode: false, type, data: { object: { id: `in_${n}`, object: "invoice", customer: o.cus, parent: { type: "subscription_details", subscription_details: { subscription: o.sub, metadata: {} } }, status: type.endsWith("failed") ? "open" : "paid" } } };
}

async function send(event: object, opts: { secret?: string; timestamp?: number; header?: string | null } = {}) {
  const payload = JSON.stringify(event);
  const header = opts.header !== undefined ? opts.header : stripe.webhooks.generateTestHeaderString({ payload, secret: opts.secret ?? SECRET, timestamp: opts.timestamp });
  return call(webhook, "POST", "/api/v1/stripe/webhook", { rawBody: payload, headers: { "content-type": "application/json", ...(header ? { "stripe-signature": header } : {}) } });
}

const now = () => Math.floor(Date.now() / 1000);

describe("signature", () => {
  it("refuses a bad signature, a stale timestamp and a missing header in seed 002's error shape; changes nothing", async () => {
    const { organizationId: org } = await makeUser();
    const ev = subscriptionEvent("customer.subscription.created", { org, sub: "sub_sig", cus: "cus_sig", plan: "team", created: now() });
    for (const r of [await send(ev, { secret: "whsec_wrong" }), await send(ev, { timestamp: now() - 301 }), await send(ev, { header: null }), await send(ev, { header: "t=1,v1=00" })]) {
      expect(r.status).toBe(400);
      expect(r.json).toEqual({ error: { code: "VALIDATION_ERROR", message: expect.stringMatching(/Stripe/), details: [] } });
    }
    // A body altered after signing.
    const payload = JSON.stringify(ev);
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET });
    const tampered = await call(webhook, "POST", "/api/v1/stripe/webhook", { rawBody: payload.replace('"team"', '"enterprise"'), headers: { "content-type": "application/json", "stripe-signature": header } });
    expect(tampered.status).toBe(400);
    expect(await db().billingAccount.count({ where: { organizationId: org } })).toBe(0);
    expect(await db().stripeEvent.count({ where: { id: ev.id } })).toBe(0);
  });
});

describe("subscription lifecycle", () => {
  it("created → team; a replay is 200 without effect; out-of-order updated after deleted is stale; invoices start and end the grace period", async () => {
    const owner = await makeUser();
    const org = owner.organizationId;
    const t = now() - 100;
    const created = subscriptionEvent("customer.subscription.created", { org, sub: "sub_1", cus: "cus_1", plan: "team", created: t });
    const r1 = await send(created);
    expect(r1.status).toBe(200);
    expect(r1.json).toMatchObject({ received: true, duplicate: false, outcome: "applied: team (active)" });
    expect(await db().billingAccount.findUnique({ where: { organizationId: org } })).toMatchObject({ plan: "team", status: "active", stripeCustomerId: "cus_1", stripeSubscriptionId: "sub_1" });
    // Replay: same id.
    await db().billingAccount.update({ where: { organizationId: org }, data: { plan: "free" } });
    const replay = await send(created);
    expect(replay.json).toMatchObject({ duplicate: true });
    expect((await db().billingAccount.findUniqueOrThrow({ where: { organizationId: org } })).plan).toBe("free");
    await db().billingAccount.update({ where: { organizationId: org }, data: { plan: "team" } });
    // Upgrade, found by subscription id (no metadata on this one).
    expect((await send(subscriptionEvent("customer.subscription.updated", { sub: "sub_1", cus: "cus_1", plan: "enterprise", created: t + 10 }))).json.outcome).toBe("applied: enterprise (active)");
    // Out of order: deleted (t+30) arrives before an updated written at t+20.
    expect((await send(subscriptionEvent("customer.subscription.deleted", { sub: "sub_1", cus: "cus_1", plan: "enterprise", status: "canceled", created: t + 30 }))).json.outcome).toBe("applied: enterprise (canceled)");
    const late = await send(subscriptionEvent("customer.subscription.updated", { sub: "sub_1", cus: "cus_1", plan: "enterprise", status: "active", created: t + 20 }));
    expect(late.json.outcome).toMatch(/^stale/);
    const b1 = await call(billing, "GET", "/api/v1/billing", { cookie: owner.cookie });
    expect(b1.json).toMatchObject({ enabled: true, plan: "free", status: "canceled", readOnly: false, limits: { agents: 3, scim: false } });
    // A new subscription; a failed payment starts 7 days of grace, a paid invoice ends it.
    await send(subscriptionEvent("customer.subscription.created", { org, sub: "sub_2", cus: "cus_1", plan: "team", created: t + 40 }));
    const failed = await send(invoiceEvent("invoice.payment_failed", { sub: "sub_2", cus: "cus_1", created: t + 50 }));
    expect(failed.json.outcome).toMatch(/^grace period until/);
    const grace = (await db().billingAccount.findUniqueOrThrow({ where: { organizationId: org } })).graceUntil!;
    expect(grace.getTime()).toBe((t + 50) * 1000 + 7 * 86_400_000);
    // A retry's failure does not extend it.
    await send(invoiceEvent("invoice.payment_failed", { sub: "sub_2", cus: "cus_1", created: t + 90 }));
    expect((await db().billingAccount.findUniqueOrThrow({ where: { organizationId: org } })).graceUntil).toEqual(grace);
    const b2 = await call(billing, "GET", "/api/v1/billing", { cookie: owner.cookie });
    expect(b2.json).toMatchObject({ plan: "team", graceUntil: grace.toISOString(), readOnly: false });
    await send(invoiceEvent("invoice.payment_succeeded", { sub: "sub_2", cus: "cus_1", created: t + 95 }));
    expect((await db().billingAccount.findUniqueOrThrow({ where: { organizationId: org } })).graceUntil).toBeNull();
    const audit = await db().auditEvent.findMany({ where: { organizationId: org, resourceType: "billing" }, select: { action: true } });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["billing.created", "billing.updated", "billing.deleted", "billing.payment_failed", "billing.payment_succeeded"]));
  });

  it("is absent (404) on an installation without billing", async () => {
    delete process.env.STRIPE_WEBHOOK_SECRET;
    resetEnvCache();
    try {
      const r = await send(subscriptionEvent("customer.subscription.created", { sub: "sub_x", cus: "cus_x", plan: "team", created: now() }));
      expect([r.status, r.json.error.code]).toEqual([404, "NOT_FOUND"]);
    } finally {
      process.env.STRIPE_WEBHOOK_SECRET = SECRET;
      resetEnvCache();
    }
  });

  it("answers 200 for an event it does not handle or an unknown customer, recording it once", async () => {
    const other = { id: `evt_other_${Date.now()}`, object: "event", created: now(), type: "charge.succeeded", data: { object: { id: "ch_1", object: "charge" } } };
    expect((await send(other)).json).toMatchObject({ duplicate: false, outcome: "ignored: charge.succeeded is not handled" });
    expect((await send(subscriptionEvent("customer.subscription.updated", { sub: "sub_nobody", cus: "cus_nobody", plan: "team", created: now() }))).json.outcome).toMatch(/^ignored: no organization/);
  });
});

describe("limits", () => {
  it("the free plan caps agents and members and leaves SCIM out; past the grace period no new agents; enterprise lifts them", async () => {
    const owner = await makeUser();
    const org = owner.organizationId;
    const mk = (i: number) => call(createAgent, "POST", "/api/v1/agents", { cookie: owner.cookie, body: { name: `agent ${i}` } });
    for (let i = 0; i < 3; i++) expect((await mk(i)).status).toBe(201);
    const over = await mk(3);
    expect(over.status).toBe(402);
    expect(over.json.message).toBe("Plan limit reached: the free plan allows 3 agents");
    for (let i = 0; i < 4; i++) expect((await call(addMember, "POST", "/api/v1/members", { cookie: owner.cookie, body: { email: `m${i}-${Date.now()}@x.io`, role: "viewer" } })).status).toBe(201);
    const sixth = await call(addMember, "POST", "/api/v1/members", { cookie: owner.cookie, body: { email: `m9-${Date.now()}@x.io`, role: "viewer" } });
    expect([sixth.status, sixth.json.message]).toEqual([402, "Plan limit reached: the free plan allows 5 members"]);
    const { secret } = await issueCredential(db(), { organizationId: org, kind: "scim_token", name: "idp", scopes: ["scim"] });
    const scim = await call(Users.GET, "GET", "/scim/v2/Users", { headers: { authorization: `Bearer ${secret}` } });
    expect(scim.status).toBe(403);
    expect(scim.json).toMatchObject({ status: "403", detail: "Plan limit: SCIM provisioning is not included in the free plan" });
    // Enterprise: unlimited, SCIM on.
    await send(subscriptionEvent("customer.subscription.created", { org, sub: `sub_${org}`, cus: `cus_${org}`, plan: "enterprise", created: now() - 8 * 86400 - 100 }));
    expect((await mk(4)).status).toBe(201);
    expect((await call(Users.GET, "GET", "/scim/v2/Users", { headers: { authorization: `Bearer ${secret}` } })).status).toBe(200);
    // A failed payment 8 days ago: past the grace period, no new agents (existing ones are untouched).
    await send(invoiceEvent("invoice.payment_failed", { sub: `sub_${org}`, cus: `cus_${org}`, created: now() - 8 * 86400 }));
    const blocked = await mk(5);
    expect(blocked.status).toBe(402);
    expect(blocked.json.message).toMatch(/^Payment overdue/);
    expect(await db().agent.count({ where: { organizationId: org, status: "active" } })).toBe(4);
  });
});
