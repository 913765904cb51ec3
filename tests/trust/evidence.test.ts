/**
 * Countersign's own evidence in the trust score (issue #15): signing decisions, human decisions and
 * gateway blocks become `source: "countersign"` transactions of the agent — only when its organization
 * turned it on — written with the decision, moving the score exactly as the model says, and
 * rebuilt by `recomputeAgent` like any reported outcome.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { POST as check } from "@/app/api/v1/check/route";
import { PATCH as review } from "@/app/api/v1/check/[id]/route";
import { GET as getSettings, PATCH as patchSettings } from "@/app/api/v1/trust/settings/route";
import { GET as report } from "@/app/report/[sid]/route";
import { GET as history } from "@/app/api/v1/agents/[id]/trust-history/route";
import { createCeremonyShell } from "@/lib/signing/ceremonies";
import { decideSigning } from "@/lib/signing/guardrails";
import { rejectSigningRequest } from "@/lib/signing/approvals";
import { EVIDENCE } from "@/lib/trust/evidence";
import { applyTransaction, type TrustState } from "@/lib/trust/model";
import { recomputeAgent, registerAgent, stateOf } from "@/lib/trust/store";
import { useTestDatabase } from "../helpers/db";
import { call, makeApiKey, makeUser } from "../helpers/http";
import { activateRules } from "../helpers/signer";

useTestDatabase();

const DENIED = "0x00000000000000000000000000000000000000d1";
const PARKED = "0x00000000000000000000000000000000000000a2";
const FINE = "0x00000000000000000000000000000000000000f3";
const RULES = [
  { id: "denied", when: { field: "to", op: "eq", value: DENIED }, action: "deny" },
  { id: "parked", when: { field: "to", op: "eq", value: PARKED }, action: "require_approval" },
  { id: "no-rm", when: { field: "tool", op: "eq", value: "rm" }, action: "deny" },
  { id: "pay-reviewed", when: { field: "tool", op: "eq", value: "pay" }, action: "require_approval" },
];

type Setup = { owner: Awaited<ReturnType<typeof makeUser>>; agentId: string; sid: string; signerId: string; ref: string; trustKey: string; gatewayKey: string };

async function setup(): Promise<Setup> {
  const owner = await makeUser();
  const ref = `agent-${randomUUID().slice(0, 8)}`;
  const { agent, sid } = await registerAgent(db(), owner.organizationId, { name: "evidenced", modelProvider: "openai", modelName: "gpt-4o" }, { actor: { type: "anonymous" } });
  await db().agent.update({ where: { id: agent.id }, data: { aegisAgentId: ref } });
  const signer = await db().signer.create({ data: { organizationId: owner.organizationId, name: "evidenced wallet", chainId: 31337, status: "active", agentId: agent.id } });
  await activateRules(owner.organizationId, signer.id, RULES);
  const trustKey = (await makeApiKey(owner.organizationId, ["trust:read"])).secret;
  const gatewayKey = (await makeApiKey(owner.organizationId, ["gateway:check", "gateway:review"])).secret;
  return { owner, agentId: agent.id, sid, signerId: signer.id, ref, trustKey, gatewayKey };
}

let n = 0;
const sign = (s: Setup, to: string) =>
  decideSigning(db(), {
    organizationId: s.owner.organizationId,
    signerId: s.signerId,
    mode: "signer_server",
    request: { kind: "transaction", chainId: 31337, to: to as `0x${string}`, value: 1000n, data: "0x" },
    messageHash: `0x${(++n).toString(16).padStart(64, "0")}`,
    audit: { actor: { type: "system" } },
    openCeremony: (tx, status) => createCeremonyShell(tx, { id: randomUUID(), organizationId: s.owner.organizationId, signerId: s.signerId, kind: "sign", parties: [0, 1], context: {}, status }),
  });
const gate = (s: Setup, tool: string) => call(check, "POST", "/api/v1/check", { headers: { "x-aegis-api-key": s.gatewayKey }, body: { agent_id: s.ref, tool_name: tool, arguments: { n: ++n } } });
const profile = async (agentId: string) => stateOf(await db().trustProfile.findUniqueOrThrow({ where: { agentId } }));
const countersignTx = (agentId: string) => db().trustTransaction.findMany({ where: { agentId, source: "countersign" }, orderBy: { id: "asc" } });

/** The state the model gives after one piece of evidence, at the time it was recorded. */
async function expectFolded(before: TrustState, agentId: string, kind: keyof typeof EVIDENCE) {
  const row = (await db().trustTransaction.findFirstOrThrow({ where: { agentId, source: "countersign" }, orderBy: { id: "desc" } }));
  expect(row.transactionType).toBe(kind);
  const want = applyTransaction(before, { at: row.createdAt.getTime(), outcome: EVIDENCE[kind].outcome, signals: { ...EVIDENCE[kind].signals } });
  const got = await profile(agentId);
  for (const d of Object.keys(want.dims) as (keyof TrustState["dims"])[]) expect(got.dims[d]).toBeCloseTo(want.dims[d], 9);
  expect(got.n).toBe(want.n);
  return got;
}

describe("Countersign's own evidence in the trust score", () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup();
  });

  it("is off until the organization turns it on: decisions then leave the score alone", async () => {
    const before = await profile(s.agentId);
    expect((await sign(s, DENIED)).decision.outcome).toBe("deny");
    expect((await gate(s, "rm")).json.decision).toBe("block");
    expect(await countersignTx(s.agentId)).toEqual([]);
    expect(await profile(s.agentId)).toEqual(before);
    const r = await call(getSettings, "GET", "/api/v1/trust/settings", { cookie: s.owner.cookie });
    expect(r.json).toEqual({ settings: { countersignEvidence: false } });
  });

  it("only owners and admins turn it on, and the change is audited", async () => {
    const viewer = await makeUser({ organizationId: s.owner.organizationId, role: "viewer" });
    expect((await call(patchSettings, "PATCH", "/api/v1/trust/settings", { cookie: viewer.cookie, body: { countersignEvidence: true } })).status).toBe(403);
    expect((await call(patchSettings, "PATCH", "/api/v1/trust/settings", { cookie: s.owner.cookie, body: { countersignEvidence: "yes" } })).status).toBe(400);
    const r = await call(patchSettings, "PATCH", "/api/v1/trust/settings", { cookie: s.owner.cookie, body: { countersignEvidence: true } });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ settings: { countersignEvidence: true } });
    expect((await call(getSettings, "GET", "/api/v1/trust/settings", { cookie: viewer.cookie })).json.settings.countersignEvidence).toBe(true);
    expect(await db().auditEvent.count({ where: { organizationId: s.owner.organizationId, action: "trust.settings.updated" } })).toBe(1);
  });

  it("signing allowed and denied by the guardrails move the financial dimension as the model says", async () => {
    let before = await profile(s.agentId);
    const allowed = await sign(s, FINE);
    expect(allowed.decision.outcome).toBe("allow");
    before = await expectFolded(before, s.agentId, "signing.allowed");
    expect(before.dims.financial).toBeGreaterThan(500);
    const denied = await sign(s, DENIED);
    expect(denied.decision.outcome).toBe("deny");
    const after = await expectFolded(before, s.agentId, "signing.denied");
    expect(after.dims.financial).toBeLessThan(before.dims.financial);
    const rows = await countersignTx(s.agentId);
    expect(rows.map((t) => [t.transactionType, t.outcome, (t.metadata as { ref: string }).ref])).toEqual([
      ["signing.allowed", "success", allowed.signingRequestId],
      ["signing.denied", "failure", denied.signingRequestId],
    ]);
  });

  it("a request parked for approval adds nothing until a human rejects it, which lowers quality", async () => {
    const before = await profile(s.agentId);
    const parked = await sign(s, PARKED);
    expect(parked.decision.outcome).toBe("require_approval");
    expect((await profile(s.agentId)).n).toBe(before.n);
    await rejectSigningRequest(db(), { organizationId: s.owner.organizationId, signingRequestId: parked.signingRequestId, userId: s.owner.user.id });
    const after = await expectFolded(before, s.agentId, "signing.rejected");
    expect(after.dims.quality).toBeLessThan(before.dims.quality);
  });

  it("a gateway block lowers security; a human's review of a held call informs quality", async () => {
    let before = await profile(s.agentId);
    const blocked = await gate(s, "rm");
    expect(blocked.json.decision).toBe("block");
    before = await expectFolded(before, s.agentId, "gateway.blocked");
    expect(before.dims.security).toBeLessThan(500);
    const held = await gate(s, "pay");
    expect(held.json.decision).toBe("pending");
    expect((await profile(s.agentId)).n).toBe(before.n);
    const r = await call(review, "PATCH", `/api/v1/check/${held.json.check_id}`, { headers: { "x-api-key": s.gatewayKey }, params: { id: held.json.check_id }, body: { decision: "block", decided_by: "reviewer@example.com" } });
    expect(r.status).toBe(200);
    await expectFolded(before, s.agentId, "gateway.review_blocked");
  });

  it("the report tells observed evidence from reported, and the score recomputes from the history alone", async () => {
    const r = await call(report, "GET", `/report/${s.sid}`, { headers: { authorization: `Bearer ${s.trustKey}` }, params: { sid: s.sid } });
    expect(r.status).toBe(200);
    const rows = await countersignTx(s.agentId);
    expect(rows.map((t) => t.transactionType)).toEqual(["signing.allowed", "signing.denied", "signing.rejected", "gateway.blocked", "gateway.review_blocked"]);
    expect(r.json.transaction_summary.total).toBe(5);
    expect(JSON.stringify(r.json.transaction_summary.sources)).toContain("countersign");
    const stored = await profile(s.agentId);
    const rebuilt = await recomputeAgent(db(), s.agentId);
    for (const d of Object.keys(stored.dims) as (keyof TrustState["dims"])[]) expect(rebuilt.dims[d]).toBeCloseTo(stored.dims[d], 9);
    expect(rebuilt.n).toBe(stored.n);
  });

  it("the agent page's history: every event with the score after it and its source, the configurations, nothing of another organization", async () => {
    const r = await call(history, "GET", `/api/v1/agents/${s.agentId}/trust-history`, { cookie: s.owner.cookie, params: { id: s.agentId } });
    expect(r.status).toBe(200);
    expect(r.json.sid).toBe(s.sid);
    expect(r.json.events.map((e: { eventType: string; source: string | null }) => [e.eventType, e.source])).toEqual([
      ["registered", null],
      ["transaction:success", "countersign"],
      ["transaction:failure", "countersign"],
      ["transaction:failure", "countersign"],
      ["transaction:failure", "countersign"],
      ["transaction:failure", "countersign"],
    ]);
    const last = r.json.events.at(-1);
    const stored = await db().trustProfile.findUniqueOrThrow({ where: { agentId: s.agentId } });
    expect(last).toMatchObject({ transactionType: "gateway.review_blocked", security: Math.round(stored.security), quality: Math.round(stored.quality) });
    expect(r.json.configs).toEqual([expect.objectContaining({ changeType: null, modelProvider: "openai", modelName: "gpt-4o" })]);
    const stranger = await makeUser();
    expect((await call(history, "GET", `/api/v1/agents/${s.agentId}/trust-history`, { cookie: stranger.cookie, params: { id: s.agentId } })).status).toBe(404);
    const plain = await db().agent.create({ data: { organizationId: s.owner.organizationId, name: "unscored" } });
    const empty = await call(history, "GET", `/api/v1/agents/${plain.id}/trust-history`, { cookie: s.owner.cookie, params: { id: plain.id } });
    expect(empty.json).toEqual({ sid: null, events: [], configs: [] });
  });

  it("an organization's switch covers its own agents only", async () => {
    const other = await setup();
    expect((await sign(other, DENIED)).decision.outcome).toBe("deny");
    expect(await countersignTx(other.agentId)).toEqual([]);
  });
});
