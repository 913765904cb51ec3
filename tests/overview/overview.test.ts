/**
 * The dashboard overview's data (lib/overview): pure aggregation on plain rows, and loadOverview on a
 * real database seeded with one organization's signers, limits, decisions, pending approvals,
 * devices and push failures — each card's figures come from those rows, another organization's
 * rows never show, and an unreachable network is reported as such.
 */
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { beforeAll, afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { syncNetworks } from "@/lib/chain/network-registry";
import type { Network } from "@/lib/chain/networks";
import { parsePolicy } from "@/lib/policy";
import { decisionSeries, lastDenials, setupSteps, spendBars, describeParkedRequest, windowStart } from "@/lib/overview/aggregate";
import { loadOverview, probeNetwork } from "@/lib/overview/load";
import { useTestDatabase } from "../helpers/db";
import { makeApiKey, makeUser } from "../helpers/http";

useTestDatabase();

const NOW = new Date("2026-12-06T15:00:00Z");
const hoursBefore = (t: Date, h: number) => new Date(t.getTime() - h * 3600_000);
const hoursAgo = (h: number) => hoursBefore(NOW, h);
/** The database part runs at the real time (the loader reads usage windows up to now). */
const ago = (h: number) => hoursBefore(new Date(), h);
const ETH = 10n ** 18n;

describe("aggregate (pure)", () => {
  it("buckets decisions of all three kinds per UTC day, fills empty days and drops rows outside the window", () => {
    const series = decisionSeries(
      [
        { source: "signing", day: "2026-12-06", status: "committed", count: 2 },
        { source: "signing", day: "2026-12-06", status: "denied", count: 1 },
        { source: "signing", day: "2026-12-05", status: "rejected", count: 1 },
        { source: "signing", day: "2026-12-05", status: "pending_approval", count: 3 },
        { source: "signing", day: "2026-12-04", status: "released", count: 1 },
        { source: "gateway", day: "2026-12-06", decision: "allow", count: 5 },
        { source: "gateway", day: "2026-12-01", decision: "block", count: 2 },
        { source: "gateway", day: "2026-11-30", decision: "block", count: 9 },
        { source: "approval", day: "2026-12-03", status: "pending_human", count: 1 },
        { source: "approval", day: "2026-12-03", status: "rejected_by_human", count: 1 },
        { source: "approval", day: "2026-12-03", status: "executed", count: 1 },
      ],
      NOW,
    );
    expect(series.map((d) => d.day)).toEqual(["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-05", "2026-12-06"]);
    expect(series[6]).toEqual({ day: "2026-12-06", allowed: 7, denied: 1, pending: 0 });
    expect(series[5]).toEqual({ day: "2026-12-05", allowed: 0, denied: 1, pending: 3 });
    expect(series[4]).toEqual({ day: "2026-12-04", allowed: 1, denied: 0, pending: 0 });
    expect(series[3]).toEqual({ day: "2026-12-03", allowed: 1, denied: 1, pending: 1 });
    expect(series[1]!.denied).toBe(2);
    expect(series[0]!.denied).toBe(9);
    expect(decisionSeries([{ source: "gateway", day: "2026-11-29", decision: "block", count: 4 }], NOW).every((d) => d.denied === 0)).toBe(true);
    expect(windowStart(NOW, 7).toISOString()).toBe("2026-11-30T00:00:00.000Z");
  });

  it("draws one bar per daily or monthly limit with the used figure against the maximum", () => {
    const policies = [
      parsePolicy({ id: "p1", version: 1, type: "daily_limit", config: { maxAmount: (2n * ETH).toString() } }),
      parsePolicy({ id: "p2", version: 1, type: "monthly_limit", config: { maxAmount: "1000000", token: { address: "0x00000000000000000000000000000000000000aa", decimals: 6, symbol: "USDC" } } }),
      parsePolicy({ id: "p3", version: 1, type: "rate_limit", config: { maxRequests: 3, windowSeconds: 60 } }),
    ];
    const bars = spendBars({ id: "s", name: "Treasury", nativeSymbol: "ETH", nativeDecimals: 18 }, policies, {
      rolling24h: { native: ETH / 2n },
      monthly: { UTC: { "0x00000000000000000000000000000000000000aa": 1_500_000n } },
      requestCounts: {},
    });
    expect(bars).toHaveLength(2);
    expect(bars[0]).toMatchObject({ window: "Daily", symbol: "ETH", used: "0.5", limit: "2", percent: 25 });
    expect(bars[1]).toMatchObject({ window: "Monthly (UTC)", symbol: "USDC", used: "1.5", limit: "1", percent: 100 });
  });

  it("lists the newest denials of every kind with their reasons", () => {
    const d = lastDenials({
      signing: [
        { id: "a", signerId: "s1", signerName: "Ops", status: "denied", kind: "transaction", decision: { violations: [{ message: "Daily limit exceeded" }] }, createdAt: hoursAgo(3) },
        { id: "b", signerId: "s1", signerName: "Ops", status: "rejected", kind: "typed_data", decision: { violations: [] }, createdAt: hoursAgo(1) },
      ],
      gateway: [{ id: "c", toolName: "shell.exec", agentName: "Bot", reasons: [{ message: "rm -rf is blocked" }], createdAt: hoursAgo(2) }],
      approvals: [],
    });
    expect(d.map((x) => [x.id, x.reason])).toEqual([
      ["b", "Rejected by an approver"],
      ["c", "rm -rf is blocked"],
      ["a", "Daily limit exceeded"],
    ]);
    expect(d[2]!.href).toBe("/signers/s1");
  });

  it("ticks each set-up step once the organization has it", () => {
    expect(setupSteps({ members: 1, invitations: 0, apiKeys: 0, signers: 0, agents: 0 }).map((s) => s.done)).toEqual([false, false, false, false]);
    expect(setupSteps({ members: 1, invitations: 1, apiKeys: 2, signers: 1, agents: 0 }).map((s) => s.done)).toEqual([true, true, true, false]);
  });

  it("describes a parked transaction in the network's units", () => {
    expect(describeParkedRequest({ kind: "transaction", to: "0x1234567890123456789012345678901234567890", value: (3n * ETH) / 2n, data: "0x" }, "ETH", 18)).toBe("Send 1.5 ETH to 0x1234…7890");
    expect(describeParkedRequest({ kind: "transaction", to: "0x1234567890123456789012345678901234567890", value: (3n * ETH / 2n).toString(), data: "0x" }, "ETH", 18)).toBe("Send 1.5 ETH to 0x1234…7890");
    expect(describeParkedRequest({ kind: "message", message: "hi" }, "ETH", 18)).toBe("Sign a message");
  });
});

describe("loadOverview (database)", () => {
  let owner: Awaited<ReturnType<typeof makeUser>>;
  let other: Awaited<ReturnType<typeof makeUser>>;
  let signerId: string;
  let rpc: Server;
  let rpcUrl: string;

  beforeAll(async () => {
    // A tiny JSON-RPC answering as chain 31337 at block 42.
    rpc = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        const { method, id } = JSON.parse(body) as { method: string; id: number };
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ jsonrpc: "2.0", id, result: method === "eth_chainId" ? "0x7a69" : "0x2a" }));
      });
    });
    await new Promise<void>((r) => rpc.listen(0, "127.0.0.1", r));
    rpcUrl = `http://127.0.0.1:${(rpc.address() as AddressInfo).port}`;
    const devnet: Network = { chainId: 31337, name: "Local devnet", rpcUrl, nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, enabled: true, isDevnet: true };
    await syncNetworks(db(), [devnet]);

    owner = await makeUser();
    other = await makeUser();
    const org = owner.organizationId;
    const agent = await db().agent.create({ data: { organizationId: org, name: "Payroll bot" } });
    const signer = await db().signer.create({
      data: { organizationId: org, name: "Payroll", status: "active", chainId: 31337, address: "0x1111111111111111111111111111111111111111", agentId: agent.id },
    });
    signerId = signer.id;
    await db().signer.create({ data: { organizationId: org, name: "Draft wallet", status: "creating", chainId: 31337, agentId: agent.id } });
    // Tracked tokens: one on the signer's network (shown), one on another chain (not the signer's: left out).
    await db().trackedToken.create({ data: { signerId: signer.id, chainId: 31337, address: "0x5FbDB2315678afecb367f032d93F642f64180aa3", symbol: "TUSD", decimals: 18 } });
    await db().trackedToken.create({ data: { signerId: signer.id, chainId: 1, address: "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48", symbol: "USDC", decimals: 6 } });
    await db().policy.create({ data: { organizationId: org, signerId, type: "daily_limit", config: { maxAmount: (4n * ETH).toString() } } });
    const sr = (status: "committed" | "denied" | "pending_approval" | "rejected", at: Date, value: bigint, decision: object = {}) =>
      db().signingRequest.create({
        data: {
          organizationId: org,
          signerId,
          mode: "remote",
          kind: "transaction",
          request: { kind: "transaction", chainId: 31337, to: "0x2222222222222222222222222222222222222222", value: value.toString(), data: "0x" },
          spend: value > 0n ? [{ asset: "native", amount: value.toString() }] : [],
          outcome: status === "denied" ? "deny" : status === "pending_approval" ? "require_approval" : "allow",
          status,
          decision,
          createdAt: at,
        },
      });
    await sr("committed", ago(2), ETH);
    await sr("committed", ago(30), 2n * ETH); // outside the rolling 24 h
    await sr("denied", ago(1), 9n * ETH, { violations: [{ policyId: "x", type: "daily_limit", message: "Would exceed the daily limit of 4 ETH" }] });
    await sr("pending_approval", ago(0.5), ETH / 4n);
    const check = (decision: string, at: Date, reasons: object[] = []) =>
      db().gatewayCheck.create({
        data: {
          id: randomUUID(),
          organizationId: org,
          agentId: agent.id,
          agentRef: "payroll",
          toolName: decision === "block" ? "shell.exec" : "http.get",
          argumentsSealed: {},
          argumentsDigest: "d",
          decision,
          initialDecision: decision,
          policyName: "p",
          riskLevel: "high",
          category: "exec",
          signals: [],
          anomalyScore: 0,
          anomalySignals: [],
          reasons,
          createdAt: at,
        },
      });
    await check("allow", ago(26));
    await check("block", ago(3), [{ message: "Shell commands are blocked" }]);
    await check("pending", new Date(), [{ message: "Needs a human: sends email" }]);

    const pairing = await db().approvalAgent.create({ data: { id: "agt_test", organizationId: org, address: "0x3333333333333333333333333333333333333333", mode: "safe", chainId: 31337 } });
    await db().approvalRequest.create({
      data: {
        id: "req_test",
        organizationId: org,
        agentId: pairing.id,
        mode: "safe",
        status: "pending_human",
        chainId: 31337,
        intent: {},
        clearSigning: {},
        subjectHash: "0x",
        valueWei: "0",
        agentSignature: "0x",
        notification: { create: { id: "ntf_test", organizationId: org, message: "Pay the invoice 0042" } },
      },
    });
    const device = await db().device.create({
      data: { organizationId: org, userId: owner.user.id, endpoint: "https://push.example.test/1", p256dh: "k", authSealed: {}, executionMode: "safe", failureCount: 2 },
    });
    await db().pushDelivery.create({
      data: { deviceId: device.id, organizationId: org, payload: {}, urgency: "high", ttlSeconds: 60, status: "failed", nextAttemptAt: new Date(), lastError: "HTTP 500 from the push service" },
    });
    await makeApiKey(org, ["signers:read"]);

    // Another organization's rows never show.
    await db().signer.create({ data: { organizationId: other.organizationId, name: "Not mine", status: "active", chainId: 31337 } });
  });

  afterAll(async () => {
    await new Promise((r) => rpc?.close(r));
  });

  it("fills every card from this organization's rows", async () => {
    const o = await loadOverview(db(), { organizationId: owner.organizationId, userId: owner.user.id, now: new Date() });

    expect(o.needsYou.pending.map((p) => p.kind).sort()).toEqual(["approval", "signing", "tool_call"]);
    const approval = o.needsYou.pending.find((p) => p.kind === "approval")!;
    expect(approval).toMatchObject({ title: "Pay the invoice 0042", href: "/approvals/ntf_test" });
    expect(o.needsYou.pending.find((p) => p.kind === "signing")!.title).toBe("Send 0.25 ETH to 0x2222…2222");
    expect(o.needsYou.pending.find((p) => p.kind === "tool_call")).toMatchObject({ title: "Payroll bot wants to call http.get", subtitle: "Needs a human: sends email" });
    expect(o.needsYou.devices).toEqual({ mine: 1, organization: 1 });

    expect(o.holdings).toHaveLength(1);
    expect(o.holdings[0]).toMatchObject({ chainId: 31337, name: "Local devnet", symbol: "ETH" });
    expect(o.holdings[0]!.signers.map((s) => s.name)).toEqual(["Payroll", "Draft wallet"]);
    expect(o.holdings[0]!.signers[0]!.tokens).toEqual([{ id: expect.any(String), address: "0x5FbDB2315678afecb367f032d93F642f64180aa3", symbol: "TUSD" }]);
    expect(o.holdings[0]!.signers[1]!.tokens).toEqual([]);
    // No price source is configured by default: no value is shown.
    expect(o.prices).toBeNull();

    expect(o.activity.spend).toHaveLength(1);
    expect(o.activity.spend[0]).toMatchObject({ signerName: "Payroll", window: "Daily", used: "1.25", limit: "4", percent: 31.25 });

    const t = o.activity.decisions.reduce((a, d) => ({ allowed: a.allowed + d.allowed, denied: a.denied + d.denied, pending: a.pending + d.pending }), { allowed: 0, denied: 0, pending: 0 });
    expect(t).toEqual({ allowed: 3, denied: 2, pending: 3 });
    expect(o.activity.decisions).toHaveLength(7);

    expect(o.activity.denials.map((d) => d.reason)).toEqual(["Would exceed the daily limit of 4 ETH", "Shell commands are blocked"]);

    expect(o.health.push).toEqual({ failedLast7Days: 1, devicesFailing: 1, lastError: "HTTP 500 from the push service" });
    expect(o.health.primePool.available).toBe(0);

    expect(o.setup.map((s) => [s.id, s.done])).toEqual([
      ["approvers", false],
      ["api-key", true],
      ["signer", true],
      ["agent", true],
    ]);
  });

  it("shows a new organization nothing but its set-up steps", async () => {
    const o = await loadOverview(db(), { organizationId: other.organizationId, userId: other.user.id });
    expect(o.needsYou.pending).toEqual([]);
    expect(o.activity.spend).toEqual([]);
    expect(o.activity.denials).toEqual([]);
    expect(o.activity.decisions.every((d) => d.allowed + d.denied + d.pending === 0)).toBe(true);
    expect(o.holdings[0]!.signers.map((s) => s.name)).toEqual(["Not mine"]);
    expect(o.setup.map((s) => s.done)).toEqual([false, false, true, true]);
  });

  it("probes a network: reachable with its block, or unreachable with the reason", async () => {
    const ok = await probeNetwork({ chainId: 31337, name: "Local devnet", rpcUrl, nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, enabled: true, isDevnet: true });
    expect(ok).toMatchObject({ reachable: true, blockNumber: "42" });
    const wrong = await probeNetwork({ chainId: 1, name: "Mainnet", rpcUrl, nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, enabled: true, isDevnet: false });
    expect(wrong).toMatchObject({ reachable: false, detail: "answers as chain 31337, expected 1" });
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const down = await probeNetwork({ chainId: 31337, name: "Down", rpcUrl: `http://127.0.0.1:${port}`, nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, enabled: true, isDevnet: true });
    expect(down).toMatchObject({ reachable: false, detail: "unreachable (ECONNREFUSED)" });
  });
});
