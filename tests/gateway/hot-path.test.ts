import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, type Db } from "@/lib/db/client";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { runCheck, updateGatewaySettings, type CheckInput } from "@/lib/gateway/checks";
import { createToolPolicy, deleteToolPolicy, updateToolPolicy } from "@/lib/gateway/policies";
import { useTestDatabase } from "../helpers/db";
import { makeUser } from "../helpers/http";

/**
 * The gateway's hot path: each app instance caches what a check decides with (settings, tool
 * policies, agents, rules documents) and revalidates it with a version that database triggers bump
 * on every write, and checks are recorded in group-committed batches. `other` is a second Prisma
 * client with its own pool and its own cache: another app instance on the same database.
 */
const database = useTestDatabase();
let other: Db;
const system = { type: "system" as const, id: "test" };

beforeAll(() => {
  other = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.current.url, max: database.current.kind === "postgres" ? 4 : 1 }) }) as Db;
});
afterAll(async () => {
  await other.$disconnect();
});

const input = (organizationId: string, agentRef: string, toolName: string, args: unknown = {}): CheckInput => ({ organizationId, agentRef, toolName, arguments: args, tokenAgentId: null });
const decide = async (client: Db, i: CheckInput) => (await runCheck(client, i)).view;

describe("configuration cache (per instance, invalidated through the database)", () => {
  it("a tool policy created, changed and deleted on one instance decides the next check on the other", async () => {
    const { organizationId: org } = await makeUser();
    // Warm both instances' caches.
    expect((await decide(db(), input(org, "cache-a", "refund", { amount: 500 }))).decision).toBe("allow");
    expect((await decide(other, input(org, "cache-a", "refund", { amount: 500 }))).decision).toBe("allow");

    const schema = { if: { properties: { tool_name: { const: "refund" } } }, then: { properties: { arguments: { properties: { amount: { type: "number", maximum: 100 } } } } } };
    await createToolPolicy(other, org, { id: "refund-cap", name: "Refund cap", policy_schema: schema, risk_level: "HIGH" }, null);
    const blocked = await decide(db(), input(org, "cache-a", "refund", { amount: 500 }));
    expect(blocked).toMatchObject({ decision: "block", policy_name: "refund-cap" });

    await updateToolPolicy(db(), org, "refund-cap", { on_match: "pending", risk_level: "MEDIUM" });
    expect(await decide(other, input(org, "cache-a", "refund", { amount: 500 }))).toMatchObject({ decision: "pending", policy_name: "refund-cap" });

    await deleteToolPolicy(other, org, "refund-cap");
    expect((await decide(db(), input(org, "cache-a", "refund", { amount: 500 }))).decision).toBe("allow");
  });

  it("disabling a platform default and changing settings on one instance are seen by the other's next check", async () => {
    const { organizationId: org } = await makeUser();
    const attack = input(org, "cache-b", "db_query", { sql: "SELECT * FROM users WHERE id = 1 UNION SELECT password FROM admins" });
    const policiesOf = (v: { reasons: { policy_name: string }[] }) => v.reasons.map((r) => r.policy_name);
    const before = await decide(db(), attack);
    expect(before.decision).toBe("block");
    expect(policiesOf(before)).toContain("sql-injection");
    await deleteToolPolicy(other, org, "sql-injection");
    expect(policiesOf(await decide(db(), attack))).not.toContain("sql-injection");

    expect((await decide(other, input(org, "cache-b", "search"))).decision).toBe("allow");
    await updateGatewaySettings(db(), org, { toolRatePerMinute: 1 }, system);
    expect(await decide(other, input(org, "cache-b", "search"))).toMatchObject({ decision: "block", policy_name: "rate_limited" });
  });

  it("an agent paused on one instance is blocked by the other's next check (kill switch), and resumed", async () => {
    const { organizationId: org } = await makeUser();
    const first = await decide(other, input(org, "cache-c", "search"));
    expect(first.decision).toBe("allow");
    await db().agent.update({ where: { id: first.agent.id }, data: { status: "paused" } });
    expect(await decide(other, input(org, "cache-c", "search"))).toMatchObject({ decision: "block", policy_name: "kill-switch" });
    await db().agent.update({ where: { id: first.agent.id }, data: { status: "active" } });
    expect((await decide(other, input(org, "cache-c", "search"))).decision).toBe("allow");
  });

  it("a rules document activated for the agent's signer on one instance decides the other's next check", async () => {
    const { organizationId: org } = await makeUser();
    const first = await decide(other, input(org, "cache-d", "db_query", { sql: "drop index users_email" }));
    expect(first.decision).toBe("allow");
    const signer = await db().signer.create({ data: { organizationId: org, name: "s", chainId: 31337, status: "active", agentId: first.agent.id } });
    await db().policyDocument.create({
      data: { organizationId: org, signerId: signer.id, version: 1, status: "active", activatedAt: new Date(), rules: { version: 1, defaultAction: "allow", timeZone: "UTC", lists: {}, rules: [{ id: "no-drop", when: { all: [{ field: "tool", op: "eq", value: "db_query" }, { field: "arguments.sql", op: "contains", value: "drop" }] }, action: "deny" }] } as never },
    });
    expect(await decide(other, input(org, "cache-d", "db_query", { sql: "drop index users_email" }))).toMatchObject({ decision: "block", policy_name: expect.stringMatching(/#no-drop$/) });
    await db().signer.update({ where: { id: signer.id }, data: { deletedAt: new Date() } });
    expect((await decide(other, input(org, "cache-d", "db_query", { sql: "drop index users_email" }))).decision).toBe("allow");
  });

  it("a trigger bumps the organization's version on each write to what a check decides with, and not on unrelated agent writes", async () => {
    const { organizationId: org } = await makeUser();
    const version = async () => (await db().gatewayConfigVersion.findUnique({ where: { organizationId: org } }))?.version ?? 0n;
    const agent = await db().agent.create({ data: { organizationId: org, name: "v", aegisAgentId: "v" } });
    const v0 = await version();
    await db().agent.update({ where: { id: agent.id }, data: { pausedAt: null, turnkeyWalletId: "w" } });
    expect(await version()).toBe(v0);
    await db().agent.update({ where: { id: agent.id }, data: { status: "retired" } });
    const v1 = await version();
    expect(v1).toBeGreaterThan(v0);
    await db().gatewaySettings.create({ data: { organizationId: org, anomalyThreshold: 0.5 } });
    expect(await version()).toBeGreaterThan(v1);
  });
});

describe("group commit", () => {
  it("concurrent checks on two instances are each recorded with their trace and log leaf, statistics counting every one", async () => {
    const { organizationId: org } = await makeUser();
    await updateGatewaySettings(db(), org, { agentRatePerMinute: 10_000, toolRatePerMinute: 10_000 }, system);
    const views = await Promise.all(Array.from({ length: 60 }, (_, i) => decide(i % 2 ? other : db(), input(org, `burst-${i % 3}`, i % 4 ? "search" : "db_query", { q: `query ${i}` }))));
    const ids = views.map((v) => v.check_id);
    expect(new Set(ids).size).toBe(60);
    expect(await db().gatewayCheck.count({ where: { id: { in: ids } } })).toBe(60);
    expect(await db().gatewayTrace.count({ where: { checkId: { in: ids } } })).toBe(60);
    expect(await db().tlogEntry.count({ where: { decisionId: { in: ids }, kind: "gateway.check" } })).toBe(60);
    const stats = await db().gatewayAgentStats.findMany({ where: { organizationId: org } });
    expect(stats.map((s) => s.calls).sort()).toEqual([20, 20, 20]);
    expect(stats.reduce((n, s) => n + Object.values(s.tools as Record<string, number>).reduce((a, b) => a + b, 0), 0)).toBe(60);
    expect(await db().agent.count({ where: { organizationId: org } })).toBe(3);
  });

  it("a per-tool rate limit holds exactly under concurrent checks from two instances", async () => {
    const { organizationId: org } = await makeUser();
    await updateGatewaySettings(db(), org, { toolRatePerMinute: 7 }, system);
    const views = await Promise.all(Array.from({ length: 20 }, (_, i) => decide(i % 2 ? other : db(), input(org, "limited", "search", { q: String(i) }))));
    expect(views.filter((v) => v.decision === "allow")).toHaveLength(7);
    const limited = views.filter((v) => v.policy_name === "rate_limited");
    expect(limited).toHaveLength(13);
    expect(limited[0]!.reasons[0]!.hint).toMatch(/^Retry-After: \d+ \(seconds\)$/);
    // Rate-limited checks are recorded but not counted in the statistics.
    expect((await db().gatewayAgentStats.findFirstOrThrow({ where: { organizationId: org } })).calls).toBe(7);
  });

  it("a check refused inside a batch (an agent token naming another agent) fails alone", async () => {
    const { organizationId: org } = await makeUser();
    const mine = await db().agent.create({ data: { organizationId: org, name: "tok", aegisAgentId: "tok" } });
    const results = await Promise.allSettled([
      runCheck(db(), { ...input(org, "someone-else", "search"), tokenAgentId: mine.id }),
      ...Array.from({ length: 5 }, (_, i) => runCheck(db(), { ...input(org, "tok", "search", { i }), tokenAgentId: mine.id })),
    ]);
    expect(results[0]).toMatchObject({ status: "rejected", reason: { status: 403 } });
    expect(results.slice(1).every((r) => r.status === "fulfilled" && r.value.view.decision === "allow")).toBe(true);
    expect(await db().agent.count({ where: { organizationId: org, aegisAgentId: "someone-else" } })).toBe(0);
  });
});
