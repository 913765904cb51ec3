import { describe, expect, it } from "vitest";
import { decodeRequest } from "@/lib/policy/decode";
import { evaluate, policyViolationBody, type ActiveRulesDocument } from "@/lib/policy/engine";
import { compileRules } from "@/lib/policy/rules";
import type { ActivePolicy, TypedDataRequest } from "@/lib/policy/types";
import { ALICE, BOB, MALLORY, NOON_UTC, ROUTER, TREASURY, USDC, eth, ethTx, personalMessage, policy, tokenTx, transferData, usage } from "./fixtures";

const all8: ActivePolicy[] = [
  policy("spending_limit", { maxAmount: eth("1").toString() }, "p-spend"),
  policy("daily_limit", { maxAmount: eth("3").toString() }, "p-daily"),
  policy("monthly_limit", { maxAmount: eth("10").toString(), timeZone: "Europe/Berlin" }, "p-monthly"),
  policy("allowed_contracts", { addresses: [USDC, ROUTER] }, "p-contracts"),
  policy("allowed_functions", { selectors: ["transfer(address,uint256)"], allowNativeTransfers: false }, "p-functions"),
  policy("blocked_addresses", { addresses: [MALLORY] }, "p-blocked"),
  policy("rate_limit", { maxRequests: 5, windowSeconds: 3600 }, "p-rate"),
  policy("time_window", { timeZone: "UTC", hours: { startHour: 9, endHour: 17 } }, "p-time"),
];

const quietUsage = usage({ monthly: { "Europe/Berlin": {} }, requestCounts: { "3600": 0 } });

function rulesDoc(id: string, version: number, body: unknown): ActiveRulesDocument {
  return { id, version, rules: compileRules(body) };
}

const approvals = rulesDoc("doc-1", 7, {
  version: 1,
  defaultAction: "allow",
  lists: { treasury: [TREASURY] },
  rules: [
    { id: "no-mallory", description: "Never pay Mallory", when: { field: "to", op: "eq", value: MALLORY }, action: "deny" },
    { id: "big", when: { all: [{ field: "value", op: "gt", value: "0.5 ETH" }, { field: "to", op: "notInList", value: "treasury" }] }, action: "require_approval" },
  ],
});

describe("evaluate", () => {
  it("stacks all eight policy types and reports every violation", () => {
    const heavy = usage({
      rolling24h: { native: eth("2.5") },
      monthly: { "Europe/Berlin": { native: eth("9.5") } },
      requestCounts: { "3600": 5 },
    });
    const decision = evaluate({ request: ethTx(MALLORY, eth("1") + 1n), policies: all8, usage: heavy, now: new Date("2026-06-10T20:00:00Z") });
    expect(decision.outcome).toBe("deny");
    expect(decision.violations.map((v) => v.type)).toEqual([
      "spending_limit", "daily_limit", "monthly_limit", "allowed_contracts", "allowed_functions", "blocked_addresses", "rate_limit", "time_window",
    ]);
    expect(policyViolationBody(decision)).toEqual({
      statusCode: 403,
      message: "Policy violation",
      violations: [
        { policyId: "p-spend", type: "spending_limit", message: "Transaction exceeds spending limit of 1.0 ETH" },
        { policyId: "p-daily", type: "daily_limit", message: "Transaction would exceed daily limit of 3.0 ETH (2.5 ETH already spent in the last 24 h)" },
        { policyId: "p-monthly", type: "monthly_limit", message: "Transaction would exceed monthly limit of 10.0 ETH (9.5 ETH already spent this month, Europe/Berlin)" },
        { policyId: "p-contracts", type: "allowed_contracts", message: `Contract ${MALLORY} is not in the allowed contracts list` },
        { policyId: "p-functions", type: "allowed_functions", message: "Plain native transfers are not in the allowed functions list" },
        { policyId: "p-blocked", type: "blocked_addresses", message: `Address ${MALLORY} is blocked` },
        { policyId: "p-rate", type: "rate_limit", message: "Rate limit of 5 requests per 1 h reached" },
        { policyId: "p-time", type: "time_window", message: "Signing is only allowed 09:00–17:00 (UTC); it is Wed 20:00 there" },
      ],
    });
  });

  it("allows a request every policy accepts and records the versions that decided", () => {
    const decision = evaluate({ request: tokenTx(USDC, transferData(BOB, 5n)), policies: all8, document: approvals, usage: quietUsage, now: NOON_UTC });
    expect(decision).toEqual({
      outcome: "allow",
      violations: [],
      approvals: [],
      evaluated: { policies: all8.map((p) => ({ id: p.id, version: 1 })), document: { id: "doc-1", version: 7 } },
    });
  });

  it("parks a request for a human when a rule asks and nothing refuses it", () => {
    const decision = evaluate({ request: ethTx(BOB, eth("0.6")), policies: [], document: approvals, usage: usage(), now: NOON_UTC });
    expect(decision.outcome).toBe("require_approval");
    expect(decision.approvals).toEqual([
      { source: "rule", documentId: "doc-1", ruleId: "big", message: 'Rule "big" requires approval: Require approval when value > 0.5 ETH and to is not in treasury' },
    ]);
    expect(decision.matchedRule).toEqual({
      documentId: "doc-1", ruleId: "big", index: 1, action: "require_approval",
      description: "Require approval when value > 0.5 ETH and to is not in treasury",
    });
  });

  it("denies instead of asking when a built-in policy is violated", () => {
    const decision = evaluate({
      request: ethTx(BOB, eth("2")),
      policies: [policy("spending_limit", { maxAmount: eth("1").toString() }, "cap")],
      document: approvals,
      usage: usage(),
      now: NOON_UTC,
    });
    expect(decision.outcome).toBe("deny");
    expect(decision.approvals).toHaveLength(1);
    expect(decision.violations.map((v) => v.policyId)).toEqual(["cap"]);
  });

  it("lists a denying rule beside built-in violations", () => {
    const decision = evaluate({
      request: ethTx(MALLORY, eth("2")),
      policies: [policy("spending_limit", { maxAmount: eth("1").toString() }, "cap")],
      document: approvals,
      usage: usage(),
      now: NOON_UTC,
    });
    expect(policyViolationBody(decision).violations).toEqual([
      { policyId: "cap", type: "spending_limit", message: "Transaction exceeds spending limit of 1.0 ETH" },
      { policyId: "doc-1", type: "rule", message: 'Denied by rule "no-mallory": Never pay Mallory' },
    ]);
  });

  it("explains a default deny", () => {
    const strict = rulesDoc("doc-2", 1, { version: 1, defaultAction: "deny", rules: [{ id: "to-alice", when: { field: "to", op: "eq", value: ALICE }, action: "allow" }] });
    expect(evaluate({ request: ethTx(ALICE, 1n), policies: [], document: strict, usage: usage(), now: NOON_UTC }).outcome).toBe("allow");
    const denied = evaluate({ request: ethTx(BOB, 1n), policies: [], document: strict, usage: usage(), now: NOON_UTC });
    expect(denied.violations).toEqual([{ policyId: "doc-2", type: "rule", message: "No rule matched and the rules document denies by default" }]);
  });

  it("lets only the policies that apply fire for a personal message", () => {
    const decision = evaluate({ request: personalMessage, policies: all8, usage: quietUsage, now: new Date("2026-06-10T08:00:00Z") });
    expect(decision.violations.map((v) => v.type)).toEqual(["time_window"]);
    expect(evaluate({ request: personalMessage, policies: all8, usage: quietUsage, now: NOON_UTC }).outcome).toBe("allow");
  });

  it("holds an EIP-2612 permit to the token's limits", () => {
    const permit: TypedDataRequest = {
      kind: "typed_data",
      typedData: {
        domain: { name: "USD Coin", version: "2", chainId: 1, verifyingContract: USDC },
        primaryType: "Permit",
        types: { Permit: [{ name: "owner", type: "address" }, { name: "spender", type: "address" }, { name: "value", type: "uint256" }] },
        message: { owner: ALICE, spender: ROUTER, value: "1000001" },
      },
    };
    const cap = policy("spending_limit", { maxAmount: "1000000", token: { address: USDC, decimals: 6, symbol: "USDC" } }, "usdc-cap");
    const decision = evaluate({ request: permit, policies: [cap], usage: usage(), now: NOON_UTC });
    expect(decision.violations).toEqual([{ policyId: "usdc-cap", type: "spending_limit", message: "Permit exceeds spending limit of 1.0 USDC" }]);
  });

  it("accepts an already decoded request and is deterministic", () => {
    const decoded = decodeRequest(ethTx(BOB, eth("0.6")));
    const a = evaluate({ request: decoded, policies: all8, document: approvals, usage: quietUsage, now: NOON_UTC });
    const b = evaluate({ request: ethTx(BOB, eth("0.6")), policies: all8, document: approvals, usage: quietUsage, now: NOON_UTC });
    expect(a).toEqual(b);
  });
});
