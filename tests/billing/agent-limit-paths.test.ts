/**
 * The plan's agent limit on every path that creates an Agent record (issue #18), all through
 * lib/billing's `assertCanAdd(…, "agents")`: the registry (POST /api/v1/agents, and `agentForNew`,
 * which new signers, approval pairings and Turnkey setups use), seed 002's agent_id registered by
 * POST /api/v1/check and by PUT /api/v1/gateway/agents/{id}/tools, and the trust registry's
 * POST /register. Each answers 402 in its own family's shape naming the limit, and creates nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as createAgentRoute } from "@/app/api/v1/agents/route";
import { POST as check } from "@/app/api/v1/check/route";
import { PUT as putTools } from "@/app/api/v1/gateway/agents/[id]/tools/route";
import { POST as register } from "@/app/register/route";
import { agentForNew } from "@/lib/agents/registry";
import { PlanLimitError } from "@/lib/billing/limits";
import { resetEnvCache } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { useTestDatabase } from "../helpers/db";
import { call, makeApiKey, makeUser } from "../helpers/http";

useTestDatabase();

const FULL = "Plan limit reached: the free plan allows 3 agents";
let saved: string | undefined;
beforeAll(() => {
  saved = process.env.STRIPE_WEBHOOK_SECRET;
  process.env.STRIPE_WEBHOOK_SECRET = "whsec_test_agents";
  resetEnvCache();
});
afterAll(() => {
  if (saved === undefined) delete process.env.STRIPE_WEBHOOK_SECRET;
  else process.env.STRIPE_WEBHOOK_SECRET = saved;
  resetEnvCache();
});

/** An organization on the free plan (3 agents) with `n` agents, one of them a seed 002 agent "known". */
async function orgWithAgents(n: number) {
  const owner = await makeUser();
  const org = owner.organizationId;
  for (let i = 0; i < n; i++) await db().agent.create({ data: { organizationId: org, name: `a${i}`, aegisAgentId: i === 0 ? "known" : null } });
  const key = (await makeApiKey(org, ["gateway:check", "gateway:admin", "trust:write"])).secret;
  const agents = () => db().agent.count({ where: { organizationId: org } });
  return { ...owner, key, agents };
}

const gate = (key: string, agent_id: string) => call(check, "POST", "/api/v1/check", { headers: { "x-aegis-api-key": key }, body: { agent_id, tool_name: "search", arguments: {} } });

describe("every path that creates an Agent stops at the plan's agent limit", () => {
  it("POST /api/v1/agents (the registry)", async () => {
    const o = await orgWithAgents(3);
    const r = await call(createAgentRoute, "POST", "/api/v1/agents", { cookie: o.cookie, body: { name: "fourth" } });
    expect([r.status, r.json]).toEqual([402, { statusCode: 402, message: FULL }]);
    expect(await o.agents()).toBe(3);
  });

  it("agentForNew, the path of new signers, approval pairings and Turnkey setups", async () => {
    const o = await orgWithAgents(3);
    await expect(agentForNew(db(), { organizationId: o.organizationId, field: "body.agentId", create: { name: "for a signer" }, createdById: o.user.id })).rejects.toThrow(PlanLimitError);
    // Naming an existing agent creates nothing, so it is not limited.
    const existing = await db().agent.findFirstOrThrow({ where: { organizationId: o.organizationId } });
    expect((await agentForNew(db(), { organizationId: o.organizationId, agentId: existing.id, field: "body.agentId", create: { name: "x" }, createdById: o.user.id })).created).toBe(false);
    expect(await o.agents()).toBe(3);
  });

  it("POST /api/v1/check with a new seed 002 agent_id: 402 in seed 002's shape; a known agent still checks", async () => {
    const o = await orgWithAgents(3);
    const r = await gate(o.key, "brand-new");
    expect([r.status, r.json]).toEqual([402, { error: { code: "PLAN_LIMIT", message: FULL } }]);
    expect((await gate(o.key, "known")).status).toBe(200);
    expect(await o.agents()).toBe(3);
    // Below the limit the same call registers the agent.
    const roomy = await orgWithAgents(2);
    expect((await gate(roomy.key, "brand-new")).status).toBe(200);
    expect(await roomy.agents()).toBe(3);
  });

  it("PUT /api/v1/gateway/agents/{id}/tools for an agent_id not seen yet", async () => {
    const o = await orgWithAgents(3);
    const r = await call(putTools, "PUT", "/api/v1/gateway/agents/unseen/tools", { headers: { "x-aegis-api-key": o.key }, params: { id: "unseen" }, body: { allowed_tools: ["search"] } });
    expect([r.status, r.json]).toEqual([402, { error: { code: "PLAN_LIMIT", message: FULL } }]);
    expect((await call(putTools, "PUT", "/api/v1/gateway/agents/known/tools", { headers: { "x-aegis-api-key": o.key }, params: { id: "known" }, body: { allowed_tools: ["search"] } })).status).toBe(200);
    expect(await o.agents()).toBe(3);
  });

  it("POST /register (trust registry): 402 in its family's shape", async () => {
    const o = await orgWithAgents(3);
    const r = await call(register, "POST", "/register", { headers: { authorization: `Bearer ${o.key}` }, body: { name: "trusted", modelProvider: "openai", modelName: "gpt-4o" } });
    expect([r.status, r.json]).toEqual([402, { error: FULL }]);
    expect(await o.agents()).toBe(3);
  });

  it("a retired agent frees its place; past a failed payment's grace period no path creates one", async () => {
    const o = await orgWithAgents(3);
    await db().agent.updateMany({ where: { organizationId: o.organizationId, aegisAgentId: null }, data: { status: "retired" } });
    expect((await gate(o.key, "after-retire")).status).toBe(200);
    await db().billingAccount.create({ data: { organizationId: o.organizationId, plan: "free", graceUntil: new Date(Date.now() - 1000) } });
    const r = await gate(o.key, "overdue");
    expect(r.status).toBe(402);
    expect(r.json.error.message).toMatch(/^Payment overdue since the grace period ended/);
    expect((await call(register, "POST", "/register", { headers: { authorization: `Bearer ${o.key}` }, body: { name: "t", modelProvider: "p", modelName: "m" } })).status).toBe(402);
    // Existing agents keep checking.
    expect((await gate(o.key, "known")).status).toBe(200);
  });
});
