/**
 * The plan's gateway checks per month (issue #18, `checksPerMonth`): a counter row per organization
 * and month, granted by one upsert per recorded batch. Over the limit POST /api/v1/check answers 402
 * in seed 002's error shape naming the limit, and the refused check is not recorded. Two instances
 * (two Prisma clients, each with its own batcher) at the boundary: exactly one check is allowed.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as check } from "@/app/api/v1/check/route";
import { GET as billing } from "@/app/api/v1/billing/route";
import { PlanLimitError } from "@/lib/billing/limits";
import { PLANS } from "@/lib/billing/plans";
import { checksThisMonth, grantChecks, monthOf } from "@/lib/billing/usage";
import { resetEnvCache } from "@/lib/config/env";
import { db, type Db } from "@/lib/db/client";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { runCheck, type CheckInput } from "@/lib/gateway/checks";
import { useTestDatabase } from "../helpers/db";
import { call, makeApiKey, makeUser } from "../helpers/http";

const database = useTestDatabase();
const LIMIT = PLANS.free.checksPerMonth;
const LIMIT_MESSAGE = `Plan limit reached: the free plan allows ${LIMIT} gateway checks per month`;
let other: Db;
let saved: string | undefined;

function billingOn(on: boolean) {
  if (on) process.env.STRIPE_WEBHOOK_SECRET = "whsec_test_quota";
  else delete process.env.STRIPE_WEBHOOK_SECRET;
  resetEnvCache();
}

beforeAll(() => {
  saved = process.env.STRIPE_WEBHOOK_SECRET;
  billingOn(true);
  other = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.current.url, max: database.current.kind === "postgres" ? 4 : 1 }) }) as Db;
});
afterAll(async () => {
  await other.$disconnect();
  if (saved === undefined) delete process.env.STRIPE_WEBHOOK_SECRET;
  else process.env.STRIPE_WEBHOOK_SECRET = saved;
  resetEnvCache();
});

async function setUsage(organizationId: string, checks: number, month = monthOf(new Date())) {
  await db().$executeRaw`INSERT INTO "check_usage" ("organization_id", "month", "checks") VALUES (${organizationId}::uuid, ${month}::date, ${checks}::int)
    ON CONFLICT ("organization_id", "month") DO UPDATE SET "checks" = EXCLUDED."checks"`;
}

async function org() {
  const owner = await makeUser();
  const key = (await makeApiKey(owner.organizationId, ["gateway:check"])).secret;
  const gate = (agent_id = "quota-agent") => call(check, "POST", "/api/v1/check", { headers: { "x-aegis-api-key": key }, body: { agent_id, tool_name: "search", arguments: { q: "x" } } });
  return { ...owner, gate };
}

const input = (organizationId: string, agentRef = "quota-agent"): CheckInput => ({ organizationId, agentRef, toolName: "search", arguments: { q: "x" }, tokenAgentId: null });

describe("checks per month", () => {
  it("the check over the month's limit is a 402 in seed 002's shape naming the limit, and is not recorded", async () => {
    const o = await org();
    expect((await o.gate()).status).toBe(200);
    expect(await checksThisMonth(db(), o.organizationId)).toBe(1);
    await setUsage(o.organizationId, LIMIT - 1);
    const last = await o.gate();
    expect(last.status).toBe(200);
    expect(last.json.decision).toBe("allow");
    expect(await checksThisMonth(db(), o.organizationId)).toBe(LIMIT);

    const over = await o.gate();
    expect(over.status).toBe(402);
    expect(over.json).toEqual({ error: { code: "PLAN_LIMIT", message: LIMIT_MESSAGE } });
    expect(await db().gatewayCheck.count({ where: { organizationId: o.organizationId } })).toBe(2);
    expect(await checksThisMonth(db(), o.organizationId)).toBe(LIMIT);

    // The enterprise plan has no limit: the same organization checks again, and is counted.
    await db().billingAccount.create({ data: { organizationId: o.organizationId, plan: "enterprise", status: "active" } });
    expect((await o.gate()).status).toBe(200);
    expect(await checksThisMonth(db(), o.organizationId)).toBe(LIMIT + 1);
  });

  it("last month's checks do not count against this month", async () => {
    const o = await org();
    const now = new Date();
    const lastMonth = monthOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15)));
    await setUsage(o.organizationId, LIMIT, lastMonth);
    expect((await o.gate()).status).toBe(200);
    expect(await checksThisMonth(db(), o.organizationId)).toBe(1);
  });

  it("Settings → Billing's source shows the checks this month against the limit", async () => {
    const o = await org();
    await o.gate();
    await o.gate();
    const r = await call(billing, "GET", "/api/v1/billing", { headers: { cookie: o.cookie } });
    expect(r.status).toBe(200);
    expect(r.json.limits.checksPerMonth).toBe(LIMIT);
    expect(r.json.usage.checksThisMonth).toBe(2);
  });

  it("without billing nothing is limited, and checks are still counted", async () => {
    const o = await org();
    await setUsage(o.organizationId, LIMIT + 5);
    billingOn(false);
    try {
      expect((await o.gate()).status).toBe(200);
    } finally {
      billingOn(true);
    }
    expect(await checksThisMonth(db(), o.organizationId)).toBe(LIMIT + 6);
    expect((await o.gate()).status).toBe(402);
  });
});

describe("the counter at the boundary", () => {
  it("grants what is left of the month and counts only what it granted", async () => {
    const { organizationId } = await makeUser();
    const now = new Date();
    expect(await grantChecks(db(), organizationId, 3, 5, now)).toBe(3);
    expect(await grantChecks(db(), organizationId, 3, 5, now)).toBe(2);
    expect(await grantChecks(db(), organizationId, 1, 5, now)).toBe(0);
    expect(await checksThisMonth(db(), organizationId, now)).toBe(5);
    expect(await grantChecks(db(), organizationId, 4, null, now)).toBe(4);
    expect(await checksThisMonth(db(), organizationId, now)).toBe(9);
  });

  it("two instances, one check left: exactly one is allowed", async () => {
    const o = await org();
    expect((await o.gate()).status).toBe(200);
    await setUsage(o.organizationId, LIMIT - 1);
    const results = await Promise.allSettled([runCheck(db(), input(o.organizationId)), runCheck(other, input(o.organizationId))]);
    const allowed = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(allowed).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.reason).toBeInstanceOf(PlanLimitError);
    expect((refused[0]!.reason as PlanLimitError).message).toBe(LIMIT_MESSAGE);
    expect(await checksThisMonth(db(), o.organizationId)).toBe(LIMIT);
    expect(await db().gatewayCheck.count({ where: { organizationId: o.organizationId } })).toBe(2);
  });

  it("one instance, two concurrent checks, one check left: exactly one is allowed", async () => {
    const o = await org();
    expect((await o.gate("first")).status).toBe(200);
    expect((await o.gate("second")).status).toBe(200);
    await setUsage(o.organizationId, LIMIT - 1);
    const [a, b] = await Promise.allSettled([runCheck(db(), input(o.organizationId, "first")), runCheck(db(), input(o.organizationId, "second"))]);
    expect([a!.status, b!.status].sort()).toEqual(["fulfilled", "rejected"]);
    expect(await checksThisMonth(db(), o.organizationId)).toBe(LIMIT);
  });
});
