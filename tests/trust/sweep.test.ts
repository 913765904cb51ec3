import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { GET as score } from "@/app/score/[sid]/route";
import { recomputeAgent, recordTransaction, registerAgent, stateOf, sweepInactivity, updateConfig, findOwned } from "@/lib/trust/store";
import { viewOf } from "@/lib/trust/model";
import { useTestDatabase } from "../helpers/db";
import { call, makeApiKey, makeUser } from "../helpers/http";

useTestDatabase();

const DAY = 86_400_000;

describe("inactivity decay: lazily on read and by the daily sweep, identical", () => {
  it("records the decayed score once per new week, leaves the folded state alone, and reads agree", async () => {
    const u = await makeUser();
    const key = (await makeApiKey(u.organizationId, ["trust:read"])).secret;
    const who = { actor: { type: "anonymous" as const } };
    const t0 = Date.now() - 60 * DAY;
    const { sid, agent } = await registerAgent(db(), u.organizationId, { name: "idle", modelProvider: "openai", modelName: "gpt-4o" }, who, t0);
    for (let i = 0; i < 6; i++) await recordTransaction(db(), agent.id, { transactionType: "t", outcome: "success", signals: { reliability: 1000, quality: 950 } }, t0 + i * 1000);
    const before = await db().trustProfile.findUniqueOrThrow({ where: { agentId: agent.id } });
    const now = Date.now();
    // 60 days idle: 30 days of grace, then 4 whole weeks.
    expect(viewOf(stateOf(before), now).reliability).toBe(Math.round(500 + (before.reliability - 500) * 0.99 ** 4));

    expect(await sweepInactivity(db(), now)).toBeGreaterThanOrEqual(1);
    expect(await sweepInactivity(db(), now + 1000)).toBe(0);
    const after = await db().trustProfile.findUniqueOrThrow({ where: { agentId: agent.id } });
    expect(stateOf(after)).toEqual(stateOf(before));
    const event = await db().trustEvent.findFirstOrThrow({ where: { agentId: agent.id, kind: "inactivity" } });
    expect(event.eventType).toBe("inactivity:week_4");
    const lazy = await call(score, "GET", "/x", { headers: { authorization: `Bearer ${key}` }, params: { sid } });
    expect(lazy.json.reliability).toBe(Math.round(event.reliability));
    expect(lazy.json.composite_score).toBe(event.composite);
    expect(await recomputeAgent(db(), agent.id)).toEqual(stateOf(after));

    // A config change during inactivity folds the weeks so far, then decays; recompute still agrees.
    const found = await findOwned(db(), sid, u.organizationId);
    await updateConfig(db(), found, { modelProvider: "anthropic", modelName: "claude" }, who, now);
    const changed = await db().trustProfile.findUniqueOrThrow({ where: { agentId: agent.id } });
    expect(changed.weeksApplied).toBe(4);
    expect(await recomputeAgent(db(), agent.id)).toEqual(stateOf(changed));
  });
});
