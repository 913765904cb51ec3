import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { POST as apply } from "@/app/apply/route";
import { POST as register } from "@/app/register/route";
import { GET as score } from "@/app/score/[sid]/route";
import { GET as publicScore } from "@/app/score/[sid]/public/route";
import { POST as transactions } from "@/app/transactions/route";
import { POST as config } from "@/app/agents/[id]/config/route";
import { GET as report } from "@/app/report/[sid]/route";
import { GET as me } from "@/app/me/route";
import { GET as getAgent } from "@/app/api/v1/agents/[id]/route";
import { applyConfigChange, applyTransaction, compositeOf, fingerprintOf, initialState, OUTCOMES, viewOf, type Outcome } from "@/lib/trust/model";
import { recomputeAgent, stateOf } from "@/lib/trust/store";
import { apiKeyPrefix } from "@/lib/trust/present";
import { useTestDatabase } from "../helpers/db";
import { call, makeApiKey, makeUser } from "../helpers/http";

useTestDatabase();

type Org = { organizationId: string; cookie: string; key: string; prefix: string };
let alice: Org;
let bob: Org;
let readOnly: string;

async function org(): Promise<Org> {
  const u = await makeUser();
  const k = await makeApiKey(u.organizationId, ["trust:read", "trust:write"]);
  return { organizationId: u.organizationId, cookie: u.cookie, key: k.secret, prefix: k.credential.prefix };
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const SID_ERROR = "Invalid SID format. Expected: SID-0x[16 hex chars]";
const UNKNOWN_SID = "SID-0x00000000000000ff";

const registerAs = (who: Org, body: unknown) => call(register, "POST", "/register", { headers: bearer(who.key), body });
const newAgent = async (who: Org, extra: Record<string, unknown> = {}) => {
  const r = await registerAs(who, { name: "my-trading-agent", description: "Automated portfolio rebalancing agent", modelProvider: "openai", modelName: "gpt-4o", systemPromptHash: "a1b2", tools: ["financial-transactions", "data-analysis"], ...extra });
  expect(r.status).toBe(201);
  return r.json.sid as string;
};
const tx = (who: Org, body: unknown) => call(transactions, "POST", "/transactions", { headers: bearer(who.key), body });
const cfg = (who: Org, sid: string, body: unknown) => call(config, "POST", `/agents/${sid}/config`, { headers: bearer(who.key), params: { id: sid }, body });

beforeAll(async () => {
  alice = await org();
  bob = await org();
  readOnly = (await makeApiKey(alice.organizationId, ["trust:read"])).secret;
});

describe("POST /apply", () => {
  const post = (body: unknown, ip = "198.51.100.1") => call(apply, "POST", "/apply", { body, clientIp: ip });
  it("stores an application: 201 with the seed's message", async () => {
    const r = await post({ name: "Alice Smith", email: "alice@example.com", company: "Acme AI", reason: "Building autonomous trading agents" });
    expect(r.status).toBe(201);
    expect(r.json).toEqual({ message: "Application received. We will review it and get back to you shortly." });
    expect(await db().trustApplication.findUnique({ where: { email: "alice@example.com" } })).toMatchObject({ name: "Alice Smith", company: "Acme AI", status: "pending" });
  });
  it("answers the seed's errors exactly", async () => {
    expect(await post({ email: "x@example.com" }, "198.51.100.2")).toMatchObject({ status: 400, json: { error: "Name is required" } });
    expect(await post({ name: "  ", email: "x@example.com" }, "198.51.100.2")).toMatchObject({ status: 400, json: { error: "Name is required" } });
    expect(await post({ name: "X", email: "not-an-email" }, "198.51.100.2")).toMatchObject({ status: 400, json: { error: "Invalid email format" } });
    expect(await post({ name: "X" }, "198.51.100.3")).toMatchObject({ status: 400, json: { error: "Invalid email format" } });
    const dup = await post({ name: "Alice again", email: "ALICE@example.com" }, "198.51.100.3");
    expect(dup.status).toBe(409);
    expect(dup.json).toEqual({ error: "An application with this email already exists." });
  });
  it("allows 5 per hour per IP, then 429 with the seed's message and Retry-After", async () => {
    const ip = "198.51.100.99";
    for (let i = 0; i < 5; i++) expect((await post({ name: "N", email: `n${i}@example.com` }, ip)).status).toBe(201);
    const sixth = await post({ name: "N", email: "n6@example.com" }, ip);
    expect(sixth.status).toBe(429);
    expect(sixth.json).toEqual({ error: "Too many requests. Please try again later." });
    expect(Number(sixth.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await post({ name: "N", email: "n7@example.com" }, "198.51.100.98")).status).toBe(201);
  });
});

describe("authentication (Authorization: Bearer, the seed's 401 strings)", () => {
  it("401 without a header and with an unknown key; 403 without the scope", async () => {
    const none = await call(register, "POST", "/register", { body: { name: "a", modelProvider: "p", modelName: "m" } });
    expect(none).toMatchObject({ status: 401, json: { error: "Missing or invalid Authorization header..." } });
    const bad = await call(me, "GET", "/me", { headers: bearer("cso_AAAAAAAAAAAA_" + "A".repeat(43)) });
    expect(bad).toMatchObject({ status: 401, json: { error: "Invalid API key" } });
    const scope = await call(register, "POST", "/register", { headers: bearer(readOnly), body: { name: "a", modelProvider: "p", modelName: "m" } });
    expect(scope.status).toBe(403);
    expect(typeof scope.json.error).toBe("string");
  });
});

describe("POST /register", () => {
  it("creates an Agent with a SID and a trust profile at 500", async () => {
    const r = await registerAs(alice, { name: "my-trading-agent", description: "Automated portfolio rebalancing agent", modelProvider: "openai", modelName: "gpt-4o", systemPromptHash: "a1b2c3", tools: ["financial-transactions", "data-analysis"] });
    expect(r.status).toBe(201);
    expect(Object.keys(r.json).sort()).toEqual(["composite_score", "confidence", "fingerprint", "message", "name", "sid"]);
    expect(r.json).toMatchObject({ name: "my-trading-agent", composite_score: 500, confidence: "low", message: "Agent registered successfully" });
    expect(r.json.sid).toMatch(/^SID-0x[0-9a-f]{16}$/);
    expect(r.json.fingerprint).toBe(fingerprintOf({ modelProvider: "openai", modelName: "gpt-4o", systemPromptHash: "a1b2c3", tools: ["data-analysis", "financial-transactions"] }));
    const agent = await db().agent.findUniqueOrThrow({ where: { signetSid: r.json.sid } });
    expect(agent).toMatchObject({ organizationId: alice.organizationId, name: "my-trading-agent", status: "active" });
    // One agent: the registry API shows the same record.
    const viaRegistry = await call(getAgent, "GET", `/api/v1/agents/${agent.id}`, { cookie: alice.cookie, params: { id: agent.id } });
    expect(viaRegistry.json.agent.identifiers.signetSid).toBe(r.json.sid);
  });
  it("400 names the missing fields exactly", async () => {
    for (const body of [{}, { name: "x" }, { name: "x", modelProvider: "openai" }, { modelProvider: "a", modelName: "b" }, { name: "", modelProvider: "a", modelName: "b" }]) {
      expect(await registerAs(alice, body)).toMatchObject({ status: 400, json: { error: "Missing required fields: name, modelProvider, modelName" } });
    }
    const typed = await registerAs(alice, { name: 7, modelProvider: "a", modelName: "b" });
    expect(typed.status).toBe(400);
    expect(typeof typed.json.error).toBe("string");
  });
});

describe("GET /score/{sid}, /score/{sid}/public", () => {
  it("returns every seed field; the owner only", async () => {
    const sid = await newAgent(alice);
    const r = await call(score, "GET", `/score/${sid}`, { headers: bearer(alice.key), params: { sid } });
    expect(r.status).toBe(200);
    expect(Object.keys(r.json).sort()).toEqual(
      ["agent_name", "composite_score", "confidence", "config_fingerprint", "financial", "identity_level", "last_updated", "operator", "quality", "recommendation", "reliability", "security", "sid", "stability"].sort(),
    );
    expect(r.json).toMatchObject({ sid, agent_name: "my-trading-agent", composite_score: 500, reliability: 500, stability: 500, confidence: "low", recommendation: "review", identity_level: 0 });
    expect(r.json.operator).toEqual({ name: expect.any(String), score: 500, verified: false });
    expect(new Date(r.json.last_updated).toISOString()).toBe(r.json.last_updated);
    // Upper-case hex names the same agent.
    expect((await call(score, "GET", "/x", { headers: bearer(alice.key), params: { sid: sid.toUpperCase().replace("SID-0X", "SID-0x") } })).json.sid).toBe(sid);

    expect(await call(score, "GET", "/x", { headers: bearer(bob.key), params: { sid } })).toMatchObject({ status: 403, json: { error: "Forbidden: you do not own this agent" } });
    expect(await call(score, "GET", "/x", { headers: bearer(alice.key), params: { sid: UNKNOWN_SID } })).toMatchObject({ status: 404, json: { error: "Agent not found" } });
    expect(await call(score, "GET", "/x", { headers: bearer(alice.key), params: { sid: "SID-0x123" } })).toMatchObject({ status: 400, json: { error: SID_ERROR } });
    expect((await call(score, "GET", "/x", { params: { sid } })).status).toBe(401);

    const pub = await call(publicScore, "GET", `/score/${sid}/public`, { params: { sid } });
    expect(pub.status).toBe(200);
    expect(pub.json).toEqual({ sid, agent_name: "my-trading-agent", composite_score: 500, confidence: "low", recommendation: "review", identity_level: 0, operator_name: r.json.operator.name });
    expect(await call(publicScore, "GET", "/x", { params: { sid: UNKNOWN_SID } })).toMatchObject({ status: 404, json: { error: "Agent not found" } });
    expect(await call(publicScore, "GET", "/x", { params: { sid: "nope" } })).toMatchObject({ status: 400, json: { error: SID_ERROR } });
  });
});

describe("POST /transactions", () => {
  it("folds the signals by the model and answers integer transaction ids", async () => {
    const sid = await newAgent(alice);
    const r1 = await tx(alice, { sid, transactionType: "task_completion", outcome: "success", reliabilitySignal: 900, qualitySignal: 850, financialSignal: 950 });
    expect(r1.status).toBe(200);
    expect(Object.keys(r1.json).sort()).toEqual(["message", "success", "transaction_id", "updated_scores"]);
    expect(r1.json).toMatchObject({ success: true, message: "Transaction recorded and scores updated" });
    expect(Number.isInteger(r1.json.transaction_id)).toBe(true);
    const expected = viewOf(applyTransaction(initialState(0), { at: 0, outcome: "success", signals: { reliability: 900, quality: 850, financial: 950 } }), 0);
    expect(r1.json.updated_scores).toEqual({
      composite_score: expected.composite,
      dimensions: { reliability: 560, quality: 553, financial: 568, security: 500, stability: 575 },
      confidence: "low",
      recommendation: "review",
    });
    const r2 = await tx(alice, { sid, transactionType: "payment", outcome: "failure", metadata: { note: "kept, not scored" } });
    expect(r2.json.transaction_id).toBeGreaterThan(r1.json.transaction_id);
    expect(r2.json.updated_scores.dimensions.reliability).toBe(560);
    expect((await db().trustTransaction.findUniqueOrThrow({ where: { id: r2.json.transaction_id } })).metadata).toEqual({ note: "kept, not scored" });
  });
  it("answers the seed's errors", async () => {
    const sid = await newAgent(alice);
    expect(await tx(alice, { sid, outcome: "success" })).toMatchObject({ status: 400, json: { error: "Missing required fields: sid, transactionType, outcome" } });
    expect(await tx(alice, { sid: "SID-0xzz", transactionType: "t", outcome: "success" })).toMatchObject({ status: 400, json: { error: SID_ERROR } });
    expect((await tx(alice, { sid, transactionType: "t", outcome: "maybe" })).status).toBe(400);
    expect((await tx(alice, { sid, transactionType: "t", outcome: "success", qualitySignal: 1001 })).status).toBe(400);
    expect(await tx(alice, { sid: UNKNOWN_SID, transactionType: "t", outcome: "success" })).toMatchObject({ status: 404, json: { error: "Agent not found" } });
    expect(await tx(bob, { sid, transactionType: "t", outcome: "success" })).toMatchObject({ status: 403, json: { error: "Forbidden: you do not own this agent" } });
    expect(await db().trustTransaction.count({ where: { profile: { agent: { signetSid: sid } } } })).toBe(0);
  });
});

describe("POST /agents/{sid}/config", () => {
  it("no change: nothing decays; a model swap decays every dimension's distance above 300 by 25 %", async () => {
    const sid = await newAgent(alice);
    await tx(alice, { sid, transactionType: "t", outcome: "success", reliabilitySignal: 1000 });
    const same = await cfg(alice, sid, { modelProvider: "openai", modelName: "gpt-4o", systemPromptHash: "a1b2", tools: ["data-analysis", "financial-transactions"] });
    expect(same.status).toBe(200);
    expect(same.json).toMatchObject({ change_detected: false, change_type: null, message: "No configuration change detected" });
    expect(same.json.updated_scores.dimensions.reliability).toBe(575);

    const swap = await cfg(alice, sid, { modelProvider: "anthropic", modelName: "claude-sonnet-4-5", systemPromptHash: "f5e4", tools: ["web-search"] });
    expect(swap.status).toBe(200);
    expect(Object.keys(swap.json).sort()).toEqual(["change_detected", "change_type", "fingerprint_hash", "message", "updated_scores"]);
    expect(swap.json).toMatchObject({ change_detected: true, change_type: "model_swap", message: "Configuration change detected: model_swap. Decay applied." });
    expect(swap.json.fingerprint_hash).toBe(fingerprintOf({ modelProvider: "anthropic", modelName: "claude-sonnet-4-5", systemPromptHash: "f5e4", tools: ["web-search"] }));
    // reliability 575 → 300 + 275·0.75 = 506.25; stability 575 → 506.25; the others 500 → 450.
    expect(swap.json.updated_scores.dimensions).toEqual({ reliability: 506, quality: 450, financial: 450, security: 450, stability: 506 });
    const prompt = await cfg(alice, sid, { modelProvider: "anthropic", modelName: "claude-sonnet-4-5", systemPromptHash: "other", tools: [] });
    expect(prompt.json.change_type).toBe("prompt_update");
    const tools = await cfg(alice, sid, { modelProvider: "anthropic", modelName: "claude-sonnet-4-5", systemPromptHash: "other", tools: ["x"] });
    expect(tools.json.change_type).toBe("tool_change");
    const memory = await cfg(alice, sid, { modelProvider: "anthropic", modelName: "claude-sonnet-4-5", systemPromptHash: "other", tools: ["x"], memoryConfig: { rag: true } });
    expect(memory.json).toMatchObject({ change_type: "memory_change", message: "Configuration change detected: memory_change. Decay applied." });
    const sc = await call(score, "GET", "/x", { headers: bearer(alice.key), params: { sid } });
    expect(sc.json.config_fingerprint).toBe(memory.json.fingerprint_hash);
  });
  it("answers the seed's errors: owner only", async () => {
    const sid = await newAgent(alice);
    const body = { modelProvider: "anthropic", modelName: "x" };
    expect(await cfg(bob, sid, body)).toMatchObject({ status: 403, json: { error: "Forbidden: you do not own this agent" } });
    expect(await cfg(alice, UNKNOWN_SID, body)).toMatchObject({ status: 404, json: { error: "Agent not found" } });
    expect(await cfg(alice, "7f0c3a52-9a55-4a57-9f0e-2f6d3c1b8a11", body)).toMatchObject({ status: 400, json: { error: SID_ERROR } });
    expect(await cfg(alice, sid, { modelProvider: "anthropic" })).toMatchObject({ status: 400, json: { error: "Missing required fields: modelProvider, modelName" } });
    expect((await call(score, "GET", "/x", { headers: bearer(alice.key), params: { sid } })).json.composite_score).toBe(500);
  });
});

describe("GET /report/{sid} and GET /me", () => {
  it("reports the last 50 score events, the last 20 configurations and the outcome counts", async () => {
    const sid = await newAgent(alice);
    const outcomes: Outcome[] = [];
    for (let i = 0; i < 30; i++) {
      const o = OUTCOMES[i % 4]!;
      outcomes.push(o);
      expect((await tx(alice, { sid, transactionType: "t", outcome: o, qualitySignal: 800 })).status).toBe(200);
    }
    for (let i = 0; i < 22; i++) expect((await cfg(alice, sid, { modelProvider: "openai", modelName: `m${i}` })).json.change_type).toBe("model_swap");
    const r = await call(report, "GET", `/report/${sid}`, { headers: bearer(alice.key), params: { sid } });
    expect(r.status).toBe(200);
    expect(Object.keys(r.json).sort()).toEqual(["agent_name", "config_history", "current_score", "description", "last_updated", "operator", "score_history", "sid", "status", "transaction_summary"]);
    expect(r.json).toMatchObject({ sid, agent_name: "my-trading-agent", description: "Automated portfolio rebalancing agent", status: "active" });
    expect(Object.keys(r.json.current_score).sort()).toEqual(["composite", "confidence", "financial", "quality", "recommendation", "reliability", "security", "stability"]);
    expect(r.json.score_history).toHaveLength(50);
    expect(r.json.score_history.at(-1).event_type).toBe("config_change:model_swap");
    expect(r.json.score_history[0].event_type).toMatch(/^transaction:/);
    const times = r.json.score_history.map((e: { timestamp: string }) => e.timestamp);
    expect([...times].sort()).toEqual(times);
    expect(r.json.score_history.at(-1).composite).toBe(r.json.current_score.composite);
    expect(r.json.config_history).toHaveLength(20);
    expect(r.json.config_history.at(-1)).toMatchObject({ model_provider: "openai", model_name: "m21", change_type: "model_swap" });
    expect(r.json.transaction_summary).toEqual({ total: 30, outcomes: { success: 8, partial: 8, failure: 7, timeout: 7 }, sources: { reported: 30 } });
    expect(r.json.current_score.confidence).toBe("medium"); // 30 transactions, but registered under 7 days ago
    expect(await call(report, "GET", "/x", { headers: bearer(bob.key), params: { sid } })).toMatchObject({ status: 403, json: { error: "Forbidden: you do not own this agent" } });
    expect(await call(report, "GET", "/x", { headers: bearer(bob.key), params: { sid: "bad" } })).toMatchObject({ status: 400, json: { error: SID_ERROR } });
  });

  it("GET /me: the organization as operator with an integer id and its agents", async () => {
    const fresh = await org();
    const sid = await newAgent(fresh);
    await tx(fresh, { sid, transactionType: "t", outcome: "success", reliabilitySignal: 1000 });
    const r = await call(me, "GET", "/me", { headers: bearer(fresh.key) });
    expect(r.status).toBe(200);
    expect(Object.keys(r.json.operator).sort()).toEqual(["api_key_prefix", "created_at", "email", "id", "name", "operator_score", "verified"]);
    expect(Number.isInteger(r.json.operator.id)).toBe(true);
    expect(r.json.operator.api_key_prefix).toBe(apiKeyPrefix(fresh.prefix));
    expect(r.json.operator.api_key_prefix).toMatch(/^[0-9a-f]{8}$/);
    expect(r.json.operator.email).toMatch(/@example\.com$/);
    expect(r.json.operator.operator_score).toBe(r.json.agents[0].composite_score);
    expect(r.json.agents).toEqual([{ sid, name: "my-trading-agent", description: "Automated portfolio rebalancing agent", composite_score: expect.any(Number), confidence: "low", recommendation: expect.any(String), status: "active", created_at: expect.any(String) }]);
    // Stable id per organization; another organization gets another.
    expect((await call(me, "GET", "/me", { headers: bearer(fresh.key) })).json.operator.id).toBe(r.json.operator.id);
    const other = await call(me, "GET", "/me", { headers: bearer(bob.key) });
    expect(other.json.operator.id).not.toBe(r.json.operator.id);
    expect(other.json.agents.map((a: { sid: string }) => a.sid)).not.toContain(sid);
  });
});

describe("recompute", () => {
  it("rebuilds every agent's stored score from its history alone after a random workload", async () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const who = await org();
    const sids = [await newAgent(who), await newAgent(who), await newAgent(who)];
    for (let i = 0; i < 60; i++) {
      const sid = sids[Math.floor(rand() * sids.length)]!;
      if (rand() < 0.2) await cfg(who, sid, { modelProvider: rand() < 0.5 ? "openai" : "anthropic", modelName: "m", tools: rand() < 0.5 ? ["a"] : [], systemPromptHash: rand() < 0.5 ? "p" : "q" });
      else {
        const body: Record<string, unknown> = { sid, transactionType: "t", outcome: OUTCOMES[Math.floor(rand() * 5)] };
        for (const f of ["reliabilitySignal", "qualitySignal", "financialSignal", "securitySignal"]) if (rand() < 0.5) body[f] = Math.round(rand() * 1000 * 100) / 100;
        expect((await tx(who, body)).status).toBe(200);
      }
    }
    const profiles = await db().trustProfile.findMany({ where: { organizationId: who.organizationId } });
    expect(profiles).toHaveLength(3);
    for (const p of profiles) {
      expect(await recomputeAgent(db(), p.agentId)).toEqual(stateOf(p));
      const last = await db().trustEvent.findFirstOrThrow({ where: { agentId: p.agentId }, orderBy: { seq: "desc" } });
      expect(last.composite).toBe(compositeOf(stateOf(p).dims));
    }
    // And the model alone agrees with a hand fold for one decay.
    expect(applyConfigChange(initialState(0), { at: 0, changeType: "model_swap" }).dims.quality).toBe(450);
  });
});

describe("GET /score/{sid}/badge.svg", () => {
  it("is a public SVG of the composite and recommendation; unknown and malformed SIDs answer JSON", async () => {
    const { GET: badge } = await import("@/app/score/[sid]/badge.svg/route");
    const sid = await newAgent(alice);
    const r = await call(badge, "GET", `/score/${sid}/badge.svg`, { params: { sid } });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
    expect(r.text).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(r.text).toContain("<title>trust score: 500 review</title>");
    expect(await call(badge, "GET", "/x", { params: { sid: UNKNOWN_SID } })).toMatchObject({ status: 404, json: { error: "Agent not found" } });
    expect(await call(badge, "GET", "/x", { params: { sid: "x" } })).toMatchObject({ status: 400, json: { error: SID_ERROR } });
  });
});

describe("an agent given its SID in the Agent registry", () => {
  it("has no score until its first POST /agents/{sid}/config, which starts it at 500", async () => {
    const sid = "SID-0x00000000000abc01";
    await db().agent.create({ data: { organizationId: alice.organizationId, name: "registry agent", signetSid: sid } });
    expect(await call(score, "GET", "/x", { headers: bearer(alice.key), params: { sid } })).toMatchObject({ status: 404, json: { error: "Agent not found" } });
    expect(await cfg(bob, sid, { modelProvider: "openai", modelName: "gpt-4o" })).toMatchObject({ status: 403, json: { error: "Forbidden: you do not own this agent" } });
    const first = await cfg(alice, sid, { modelProvider: "openai", modelName: "gpt-4o" });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ change_detected: false, change_type: null, message: "No configuration change detected", updated_scores: { composite_score: 500 } });
    expect((await call(score, "GET", "/x", { headers: bearer(alice.key), params: { sid } })).json).toMatchObject({ sid, agent_name: "registry agent", composite_score: 500 });
    expect((await cfg(alice, sid, { modelProvider: "anthropic", modelName: "claude" })).json.change_type).toBe("model_swap");
  });
});
