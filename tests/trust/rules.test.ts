import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { compileRules, describeRule, evaluate, evaluateRules, evaluateToolRules, parseRulesDocument, PolicyValidationError, type TrustFacts } from "@/lib/policy";
import { POST as check } from "@/app/api/v1/check/route";
import { POST as register } from "@/app/register/route";
import { POST as transactions } from "@/app/transactions/route";
import { checkGuardrails } from "@/lib/signing/guardrails";
import { backtestSigner } from "@/lib/policy/documents";
import { recordTransaction, registerAgent } from "@/lib/trust/store";
import { useTestDatabase } from "../helpers/db";
import { call, makeApiKey, makeUser } from "../helpers/http";
import { activateRules } from "../helpers/signer";

const doc = (rules: unknown[]) => ({ version: 1, defaultAction: "allow", timeZone: "UTC", lists: {}, rules });
const facts = (o: Partial<TrustFacts> = {}): TrustFacts => ({ composite: 500, reliability: 500, quality: 500, financial: 500, security: 500, stability: 500, confidence: "low", recommendation: "review", ...o });
const transfer = { kind: "transaction" as const, chainId: 31337, to: "0x00000000000000000000000000000000000000a1" as const, value: 10n ** 17n };
const decoded = () => ({ ...transfer }) as never;

describe("trust.* fields in rules documents (pure)", () => {
  it("validates operands: scores 0-1000 with comparisons, confidence and recommendation by name", () => {
    expect(() => parseRulesDocument(doc([{ id: "a", when: { field: "trust.composite", op: "lt", value: 400 }, action: "deny" }]))).not.toThrow();
    expect(() => parseRulesDocument(doc([{ id: "a", when: { field: "trust.recommendation", op: "in", value: ["review", "caution"] }, action: "require_approval" }]))).not.toThrow();
    const bad = (when: unknown) => {
      try {
        parseRulesDocument(doc([{ id: "a", when, action: "deny" }]));
      } catch (e) {
        expect(e).toBeInstanceOf(PolicyValidationError);
        return (e as Error).message;
      }
      throw new Error("accepted");
    };
    expect(bad({ field: "trust.composite", op: "lt", value: 1001 })).toMatch(/must be an integer from 0 to 1000/);
    expect(bad({ field: "trust.security", op: "gte", value: "700" })).toMatch(/must be an integer from 0 to 1000/);
    expect(bad({ field: "trust.recommendation", op: "eq", value: "great" })).toMatch(/must be one of clear, review, caution/);
    expect(bad({ field: "trust.confidence", op: "gt", value: "low" })).toMatch(/does not apply/);
    expect(bad({ field: "trust.karma", op: "eq", value: 1 })).toMatch(/unknown field/);
  });

  it("decides signing requests by the score; an agent without a score matches no trust comparison", () => {
    const rules = compileRules(doc([
      { id: "low", when: { field: "trust.composite", op: "lt", value: 400 }, action: "deny" },
      { id: "unclear", when: { not: { field: "trust.recommendation", op: "eq", value: "clear" } }, action: "require_approval" },
    ]));
    const now = new Date();
    expect(evaluateRules(rules, decoded(), now, facts({ composite: 399, recommendation: "caution" })).matched?.rule.id).toBe("low");
    expect(evaluateRules(rules, decoded(), now, facts({ composite: 650 })).matched?.rule.id).toBe("unclear");
    expect(evaluateRules(rules, decoded(), now, facts({ composite: 800, recommendation: "clear" })).matched).toBeNull();
    // No score: "lt 400" is false, and "not (recommendation is clear)" is true.
    expect(evaluateRules(rules, decoded(), now, null).matched?.rule.id).toBe("unclear");
    expect(describeRule({ when: { field: "trust.composite", op: "lt", value: 400 }, action: "deny" })).toBe("Deny when trust score < 400");
    const decision = evaluate({ request: decoded(), policies: [], document: { id: "d", version: 1, rules }, usage: {} as never, now, trust: facts({ composite: 100, recommendation: "caution" }) });
    expect(decision.outcome).toBe("deny");
  });

  it("decides tool calls by the score together with tool fields", () => {
    const rules = compileRules(doc([{ id: "pay-trusted", when: { all: [{ field: "tool", op: "eq", value: "pay" }, { field: "trust.financial", op: "lt", value: 600 }] }, action: "require_approval" }]));
    const call = { tool: "pay", arguments: {}, category: "payment", risk: "LOW", anomalyScore: 0, agent: ["a"] };
    expect(evaluateToolRules(rules, call, new Date(), facts({ financial: 599 }))?.rule.id).toBe("pay-trusted");
    expect(evaluateToolRules(rules, call, new Date(), facts({ financial: 600 }))).toBeNull();
    expect(evaluateToolRules(rules, { ...call, tool: "read" }, new Date(), facts({ financial: 0 }))).toBeNull();
  });
});

describe("the score as a guardrail input in the product", () => {
  useTestDatabase();
  let org: Awaited<ReturnType<typeof makeUser>>;
  let trustKey: string;
  let gatewayKey: string;
  beforeAll(async () => {
    org = await makeUser();
    trustKey = (await makeApiKey(org.organizationId, ["trust:write", "trust:read"])).secret;
    gatewayKey = (await makeApiKey(org.organizationId, ["gateway:check"])).secret;
  });
  const bearer = () => ({ authorization: `Bearer ${trustKey}` });

  it("the gateway asks a human while the agent is not clear, and blocks once its score falls below 400", async () => {
    const reg = await call(register, "POST", "/register", { headers: bearer(), body: { name: "payer", modelProvider: "openai", modelName: "gpt-4o" } });
    const agent = await db().agent.update({ where: { signetSid: reg.json.sid }, data: { aegisAgentId: "payer" } });
    const signer = await db().signer.create({ data: { organizationId: org.organizationId, name: "payer wallet", chainId: 31337, status: "active", agentId: agent.id } });
    await activateRules(org.organizationId, signer.id, [
      { id: "untrusted", when: { all: [{ field: "tool", op: "eq", value: "pay" }, { field: "trust.composite", op: "lt", value: 400 }] }, action: "deny" },
      { id: "unclear", when: { all: [{ field: "tool", op: "eq", value: "pay" }, { not: { field: "trust.recommendation", op: "eq", value: "clear" } }] }, action: "require_approval" },
    ]);
    const gate = () => call(check, "POST", "/api/v1/check", { headers: { "x-aegis-api-key": gatewayKey }, body: { agent_id: "payer", tool_name: "pay", arguments: { amount: 5 } } });
    const first = await gate();
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ decision: "pending" });
    expect(first.json.policy_name).toMatch(/#unclear$/);
    for (let i = 0; i < 4; i++) {
      expect((await call(transactions, "POST", "/transactions", { headers: bearer(), body: { sid: reg.json.sid, transactionType: "payment", outcome: "error", reliabilitySignal: 0, qualitySignal: 0, financialSignal: 0, securitySignal: 0 } })).status).toBe(200);
    }
    const second = await gate();
    expect(second.json.decision).toBe("block");
    expect(second.json.policy_name).toMatch(/#untrusted$/);
  });

  it("the signing guardrails read the signer's agent's score", async () => {
    const reg = await call(register, "POST", "/register", { headers: bearer(), body: { name: "signer agent", modelProvider: "openai", modelName: "gpt-4o" } });
    const agent = await db().agent.findUniqueOrThrow({ where: { signetSid: reg.json.sid } });
    const signer = await db().signer.create({ data: { organizationId: org.organizationId, name: "scored", chainId: 31337, status: "active", agentId: agent.id } });
    const unscored = await db().signer.create({ data: { organizationId: org.organizationId, name: "unscored", chainId: 31337, status: "active", agentId: (await db().agent.create({ data: { organizationId: org.organizationId, name: "no score" } })).id } });
    const rules = [{ id: "reviewed", when: { field: "trust.recommendation", op: "eq", value: "review" }, action: "require_approval" }];
    await activateRules(org.organizationId, signer.id, rules);
    await activateRules(org.organizationId, unscored.id, rules);
    const scored = await checkGuardrails(db(), { signerId: signer.id, request: transfer, now: new Date() });
    expect(scored.decision.outcome).toBe("require_approval");
    expect(scored.decision.matchedRule?.ruleId).toBe("reviewed");
    const none = await checkGuardrails(db(), { signerId: unscored.id, request: transfer, now: new Date() });
    expect(none.decision.outcome).toBe("allow");
  });

  it("the backtest replays trust rules with the score as it was at each request", async () => {
    const DAY = 86_400_000;
    const t0 = Date.now() - 10 * DAY;
    const who = { actor: { type: "anonymous" as const } };
    const { agent } = await registerAgent(db(), org.organizationId, { name: "replayed", modelProvider: "openai", modelName: "gpt-4o" }, who, t0);
    for (let i = 0; i < 4; i++) await recordTransaction(db(), agent.id, { transactionType: "t", outcome: "error", signals: { reliability: 0, quality: 0, financial: 0, security: 0 } }, t0 + DAY + i);
    const signer = await db().signer.create({ data: { organizationId: org.organizationId, name: "replayed wallet", chainId: 31337, status: "active", agentId: agent.id } });
    const at = [t0 - DAY, t0 + 3_600_000, t0 + 2 * DAY];
    for (const t of at) {
      await db().signingRequest.create({
        data: { organizationId: org.organizationId, signerId: signer.id, mode: "signer_server", kind: "message", request: { kind: "message", message: "gm" }, spend: [], outcome: "allow", status: "committed", decision: { outcome: "allow", violations: [], approvals: [] }, createdAt: new Date(t) },
      });
    }
    const view = await backtestSigner(db(), {
      signerId: signer.id,
      document: doc([
        { id: "low", when: { field: "trust.composite", op: "lt", value: 400 }, action: "deny" },
        { id: "review", when: { field: "trust.recommendation", op: "eq", value: "review" }, action: "require_approval" },
      ]) as never,
    });
    // Before registration: no score, no trust rule holds; an hour after: 500 (review); after the errors: below 400.
    expect(view.items.map((i) => [i.now, i.matchedRuleId])).toEqual([["allow", null], ["require_approval", "review"], ["deny", "low"]]);
  });
});
