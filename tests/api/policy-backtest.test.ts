import { encodeFunctionData, getAddress, parseAbi, parseEther } from "viem";
import { describe, expect, it } from "vitest";
import { POST as backtestRoute } from "@/app/api/v1/signers/[id]/policy/backtest/route";
import { PUT as putDraft } from "@/app/api/v1/signers/[id]/policy/draft/route";
import { POST as createPolicy } from "@/app/api/v1/signers/[id]/policies/route";
import { db } from "@/lib/db/client";
import { backtestSigner } from "@/lib/policy/documents";
import { useTestDatabase } from "../helpers/db";
import { call, makeApiKey, makeUser } from "../helpers/http";

useTestDatabase();

const ALICE = getAddress("0x1111111111111111111111111111111111111111");
const BOB = getAddress("0x2222222222222222222222222222222222222222");
const MALLORY = getAddress("0x3333333333333333333333333333333333333333");
const TREASURY = getAddress("0x4444444444444444444444444444444444444444");
const ROUTER = getAddress("0x5555555555555555555555555555555555555555");
const USDC = getAddress("0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48");
const T0 = new Date("2026-11-20T09:00:00Z").getTime();
const minutes = (n: number) => new Date(T0 + n * 60_000);

const erc20 = parseAbi(["function transfer(address to, uint256 amount)"]);

const DRAFT = {
  version: 1,
  defaultAction: "allow",
  lists: { treasury: [TREASURY] },
  rules: [
    { id: "treasury", when: { field: "to", op: "inList", value: "treasury" }, action: "allow" },
    { id: "big-eth", when: { field: "value", op: "gt", value: "1 ETH" }, action: "deny" },
    { id: "big-usdc", description: "USDC transfers over 1,000 USDC need a human", when: { all: [{ field: "token", op: "eq", value: USDC }, { field: "tokenAmount", op: "gt", value: "1000000000" }] }, action: "require_approval" },
    { id: "router", when: { field: "selector", op: "eq", value: "0x12345678" }, action: "require_approval" },
  ],
};

type Seed = { kind?: string; request: unknown; outcome: string; at: Date };

async function seedHistory(organizationId: string, signerId: string, rows: Seed[]) {
  const ids: string[] = [];
  for (const r of rows) {
    const row = await db().signingRequest.create({
      data: {
        organizationId,
        signerId,
        mode: "signer_server",
        kind: r.kind ?? (r.request as { kind: string }).kind,
        request: r.request as object,
        spend: [],
        outcome: r.outcome,
        status: r.outcome === "deny" ? "denied" : r.outcome === "require_approval" ? "pending_approval" : "committed",
        decision: { outcome: r.outcome, violations: [], approvals: [] },
        createdAt: r.at,
      },
    });
    ids.push(row.id);
  }
  return ids;
}

const tx = (to: string, value: bigint, data = "0x") => ({ kind: "transaction", chainId: 31337, to, value: value.toString(), data });

/** A signer with the history of seven replayable requests, plus rows the backtest must leave out. */
async function setup() {
  const owner = await makeUser();
  const signer = await db().signer.create({ data: { organizationId: owner.organizationId, name: "ops", chainId: 31337, status: "active" } });
  await db().trackedToken.create({ data: { signerId: signer.id, chainId: 31337, address: USDC, symbol: "USDC", decimals: 6 } });
  // Enabled built-in policies take part in the replay; disabled ones do not.
  const blocked = await call(createPolicy, "POST", "/x", { cookie: owner.cookie, params: { id: signer.id }, body: { type: "blocked_addresses", config: { addresses: [MALLORY] } } });
  await call(createPolicy, "POST", "/x", { cookie: owner.cookie, params: { id: signer.id }, body: { type: "spending_limit", config: { maxAmount: "1" }, enabled: false } });

  const ids = await seedHistory(owner.organizationId, signer.id, [
    { request: tx(BOB, parseEther("0.5")), outcome: "allow", at: minutes(0) }, // allow → allow
    { request: tx(BOB, parseEther("2")), outcome: "allow", at: minutes(1) }, // allow → deny (big-eth)
    { request: tx(TREASURY, parseEther("5")), outcome: "deny", at: minutes(2) }, // deny → allow (treasury)
    { request: tx(USDC, 0n, encodeFunctionData({ abi: erc20, functionName: "transfer", args: [ALICE, 2_000_000_000n] })), outcome: "allow", at: minutes(3) }, // allow → approval
    { request: tx(ROUTER, 0n, "0x12345678abcd"), outcome: "require_approval", at: minutes(4) }, // approval → approval
    { request: tx(MALLORY, parseEther("0.1")), outcome: "deny", at: minutes(5) }, // deny → deny (built-in)
    { request: { kind: "message", message: "gm" }, outcome: "require_approval", at: minutes(6) }, // approval → allow
  ]);
  // Not replayed: another kind, and a row whose stored request is malformed (counted as skipped).
  await seedHistory(owner.organizationId, signer.id, [
    { kind: "tool_call", request: { kind: "tool_call", tool: "x" }, outcome: "allow", at: minutes(7) },
    { kind: "transaction", request: { kind: "transaction", to: BOB }, outcome: "allow", at: minutes(8) },
  ]);
  // Another signer's history never leaks in.
  const other = await db().signer.create({ data: { organizationId: owner.organizationId, name: "other", chainId: 31337, status: "active" } });
  await seedHistory(owner.organizationId, other.id, [{ request: tx(BOB, parseEther("9")), outcome: "allow", at: minutes(1) }]);
  return { owner, signer, ids, blockedPolicyId: blocked.json.policy.id as string };
}

describe("POST /signers/{id}/policy/backtest", () => {
  it("replays the draft with the enabled built-in policies over the whole history: exact changes and summary", async () => {
    const { owner, signer, ids, blockedPolicyId } = await setup();
    const p = { cookie: owner.cookie, params: { id: signer.id } };

    // No draft yet and no document in the body: nothing to replay.
    const none = await call(backtestRoute, "POST", "/x", { ...p, body: {} });
    expect(none.status).toBe(400);
    expect(none.json).toMatchObject({ statusCode: 400, violations: [{ field: "body.document" }] });

    const draft = await call(putDraft, "PUT", "/x", { ...p, body: DRAFT });
    expect(draft.status).toBe(200);

    const r = await call(backtestRoute, "POST", "/x", { ...p, body: {} });
    expect(r.status).toBe(200);
    expect(r.json.document).toEqual({ id: draft.json.draft.id, version: 1 });
    expect(r.json.truncated).toBe(false);
    expect(r.json.skipped).toBe(1);
    expect(r.json.summary).toEqual({ total: 7, changed: 4, allowToDeny: 1, denyToAllow: 1, toApproval: 1, fromApproval: 1 });
    expect(r.json.items.map((i: { id: string; then: string; now: string; changed: boolean; matchedRuleId: string | null }) => [i.id, i.then, i.now, i.changed, i.matchedRuleId])).toEqual([
      [ids[0], "allow", "allow", false, null],
      [ids[1], "allow", "deny", true, "big-eth"],
      [ids[2], "deny", "allow", true, "treasury"],
      [ids[3], "allow", "require_approval", true, "big-usdc"],
      [ids[4], "require_approval", "require_approval", false, "router"],
      [ids[5], "deny", "deny", false, null],
      [ids[6], "require_approval", "allow", true, null],
    ]);

    const [first, second, , usdc, router, mallory, message] = r.json.items;
    expect(first).toEqual({
      id: ids[0],
      at: minutes(0).toISOString(),
      request: { kind: "transaction", to: BOB, value: "500000000000000000", selector: null, token: null, summary: "Send 0.5 ETH to 0x2222…2222" },
      then: "allow",
      now: "allow",
      changed: false,
      reasons: [],
      matchedRuleId: null,
    });
    expect(second.reasons).toEqual(['Denied by rule "big-eth": Deny when value > 1 ETH']);
    expect(usdc.request).toEqual({
      kind: "transaction",
      to: USDC,
      value: "0",
      selector: "0xa9059cbb",
      token: { address: USDC, symbol: "USDC", amount: "2000000000" },
      summary: "Transfer 2000.0 USDC to 0x1111…1111",
    });
    expect(usdc.reasons).toEqual(['Rule "big-usdc" requires approval: USDC transfers over 1,000 USDC need a human']);
    expect(router.request).toMatchObject({ selector: "0x12345678", summary: "Call 0x12345678 on 0x5555…5555" });
    // The built-in blocked-address policy still denies; the draft's rules do not override it.
    expect(mallory.reasons).toHaveLength(1);
    expect(mallory.reasons[0]).toContain("0x3333");
    expect(message.request).toEqual({ kind: "message", to: null, value: "0", selector: null, token: null, summary: 'Sign message "gm"' });

    // Nothing about the replay is written: no decisions change, the draft stays a draft.
    expect(await db().signingRequest.count({ where: { signerId: signer.id } })).toBe(9);
    expect((await db().policyDocument.findUniqueOrThrow({ where: { id: draft.json.draft.id } })).status).toBe("draft");

    // Disabling the built-in policy changes the replay accordingly.
    await db().policy.update({ where: { id: blockedPolicyId }, data: { enabled: false } });
    const without = await call(backtestRoute, "POST", "/x", { ...p, body: {} });
    expect(without.json.items[5]).toMatchObject({ then: "deny", now: "allow", changed: true });
    expect(without.json.summary).toEqual({ total: 7, changed: 5, allowToDeny: 1, denyToAllow: 2, toApproval: 1, fromApproval: 1 });
  });

  it("replays a document sent in the body instead of the draft; an invalid one is a 400 with paths under body.document", async () => {
    const { owner, signer, ids } = await setup();
    const p = { cookie: owner.cookie, params: { id: signer.id } };
    const denyAll = { version: 1, defaultAction: "deny", rules: [{ id: "bob", when: { field: "to", op: "eq", value: BOB }, action: "allow" }] };
    const r = await call(backtestRoute, "POST", "/x", { ...p, body: { document: denyAll } });
    expect(r.status).toBe(200);
    expect(r.json.document).toBeNull();
    expect(r.json.items.map((i: { now: string }) => i.now)).toEqual(["allow", "allow", "deny", "deny", "deny", "deny", "deny"]);
    expect(r.json.summary).toEqual({ total: 7, changed: 3, allowToDeny: 1, denyToAllow: 0, toApproval: 0, fromApproval: 2 });
    expect(r.json.items[2].reasons).toEqual(["No rule matched and the rules document denies by default"]);
    expect(r.json.items[0].id).toBe(ids[0]);

    const bad = await call(backtestRoute, "POST", "/x", { ...p, body: { document: { version: 2, defaultAction: "allow", rules: [{ id: "a", when: { field: "colour", op: "eq", value: 1 }, action: "allow" }] } } });
    expect(bad.status).toBe(400);
    expect(bad.json.violations).toEqual([
      { field: "body.document.version", message: "unsupported version 2; expected 1" },
      { field: "body.document.rules[0].when.field", message: 'unknown field "colour"; expected one of to, value, selector, chainId, token, tokenAmount, counterparty, hour, weekday, kind, args.<name>, tool, category, risk, anomaly_score, agent, arguments.<path>, trust.composite, trust.<dimension>, trust.confidence or trust.recommendation' },
    ]);
    const unknownKey = await call(backtestRoute, "POST", "/x", { ...p, body: { draft: denyAll } });
    expect(unknownKey.status).toBe(400);
    expect(unknownKey.json.violations[0].field).toBe("body.draft");
  });

  it("reads history in pages and caps the items to the most recent ones, the summary still covering all", async () => {
    const { signer, ids } = await setup();
    const document = { version: 1 as const, defaultAction: "deny" as const, timeZone: "UTC", lists: {}, rules: [] };
    const r = await backtestSigner(db(), { signerId: signer.id, document, maxItems: 3, pageSize: 2 });
    expect(r.truncated).toBe(true);
    expect(r.skipped).toBe(1);
    expect(r.items.map((i) => i.id)).toEqual(ids.slice(4));
    expect(r.summary).toEqual({ total: 7, changed: 5, allowToDeny: 3, denyToAllow: 0, toApproval: 0, fromApproval: 2 });

    // Same createdAt on a page boundary: keyset paging on (createdAt, id) loses and repeats nothing.
    const tie = await db().signer.create({ data: { organizationId: signer.organizationId, name: "tie", chainId: 31337, status: "active" } });
    const same = await seedHistory(signer.organizationId, tie.id, Array.from({ length: 5 }, () => ({ request: tx(BOB, 1n), outcome: "allow", at: minutes(0) })));
    const t = await backtestSigner(db(), { signerId: tie.id, document, pageSize: 2 });
    expect(t.items.map((i) => i.id).sort()).toEqual([...same].sort());
    expect(t.summary.total).toBe(5);
  });

  it("is scoped: another organization gets 404; reading policies is enough to backtest", async () => {
    const { owner, signer } = await setup();
    await call(putDraft, "PUT", "/x", { cookie: owner.cookie, params: { id: signer.id }, body: DRAFT });
    const stranger = await makeUser();
    const r = await call(backtestRoute, "POST", "/x", { cookie: stranger.cookie, params: { id: signer.id }, body: {} });
    expect(r.status).toBe(404);
    expect(r.json).toEqual({ statusCode: 404, message: "Signer not found" });

    const viewer = await makeUser({ organizationId: owner.organizationId, role: "viewer" });
    expect((await call(backtestRoute, "POST", "/x", { cookie: viewer.cookie, params: { id: signer.id }, body: {} })).json.summary.total).toBe(7);
    const readKey = await makeApiKey(owner.organizationId, ["policies:read"]);
    expect((await call(backtestRoute, "POST", "/x", { apiKey: readKey.secret, params: { id: signer.id }, body: {} })).status).toBe(200);
    const otherKey = await makeApiKey(owner.organizationId, ["signers:read"]);
    expect((await call(backtestRoute, "POST", "/x", { apiKey: otherKey.secret, params: { id: signer.id }, body: {} })).status).toBe(403);
  });
});
