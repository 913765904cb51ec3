import { describe, expect, it } from "vitest";
import { backtest, type HistoryItem } from "@/lib/policy/backtest";
import { compileRules } from "@/lib/policy/rules";
import { ALICE, BOB, DAI, MALLORY, ROUTER, TREASURY, USDC, approveData, eth, ethTx, personalMessage, policy, tokenTx, transferData, usage } from "./fixtures";

const policies = [policy("daily_limit", { maxAmount: eth("3").toString() }, "daily")];

const active = {
  id: "doc",
  version: 1,
  rules: compileRules({
    version: 1,
    defaultAction: "allow",
    rules: [
      { id: "no-sign", when: { field: "kind", op: "eq", value: "message" }, action: "deny" },
      { id: "usdc-needs-ok", when: { field: "token", op: "eq", value: USDC }, action: "require_approval" },
    ],
  }),
};

const draft = {
  id: "doc",
  version: 2,
  rules: compileRules({
    version: 1,
    defaultAction: "allow",
    lists: { treasury: [TREASURY] },
    rules: [
      { id: "no-mallory", when: { field: "counterparty", op: "eq", value: MALLORY }, action: "deny" },
      { id: "treasury", when: { field: "to", op: "inList", value: "treasury" }, action: "allow" },
      { id: "big", when: { field: "value", op: "gt", value: "1 ETH" }, action: "require_approval" },
      { id: "small-usdc", when: { all: [{ field: "token", op: "eq", value: USDC }, { field: "tokenAmount", op: "lte", value: "1000000000" }] }, action: "allow" },
      { id: "approvals", when: { field: "selector", op: "eq", value: "approve(address,uint256)" }, action: "deny" },
    ],
  }),
};

const at = (iso: string) => new Date(iso);

// The signer's seeded history, with the decisions the active document (v1) made at the time.
const history: HistoryItem[] = [
  { id: "h1", at: at("2026-06-10T09:00:00Z"), request: ethTx(MALLORY, eth("2.5")), decisionThen: "allow" },
  { id: "h2", at: at("2026-06-10T10:00:00Z"), request: ethTx(BOB, eth("1")), decisionThen: "deny" }, // daily: 2.5 + 1 > 3
  { id: "h3", at: at("2026-06-10T11:00:00Z"), request: tokenTx(USDC, transferData(BOB, 500_000_000n)), decisionThen: "require_approval" },
  { id: "h4", at: at("2026-06-10T12:00:00Z"), request: personalMessage, decisionThen: "deny" },
  { id: "h5", at: at("2026-06-10T13:00:00Z"), request: ethTx(BOB, eth("1.5")), decisionThen: "deny" },
  { id: "h6", at: at("2026-06-10T14:00:00Z"), request: ethTx(TREASURY, eth("2")), decisionThen: "deny" },
  { id: "h7", at: at("2026-06-10T15:00:00Z"), request: tokenTx(DAI, approveData(ROUTER, 100n)), decisionThen: "allow" },
  { id: "h8", at: at("2026-06-11T09:00:01Z"), request: ethTx(ALICE, eth("0.5")), decisionThen: "allow" },
  { id: "h9", at: at("2026-06-11T09:30:00Z"), request: ethTx(ALICE, eth("0.1")), decisionThen: "allow" },
];

describe("backtest", () => {
  it("replaying the active document reproduces every recorded decision", () => {
    const result = backtest({ history, draft: active, policies });
    expect(result.items.map((i) => i.now)).toEqual(history.map((h) => h.decisionThen));
    expect(result.summary).toEqual({ total: 9, changed: 0, allowToDeny: 0, denyToAllow: 0, toApproval: 0, fromApproval: 0 });
  });

  it("reports the draft's changed decisions, with usage rebuilt from the replay", () => {
    const result = backtest({ history, draft, policies });
    expect(result.items.map(({ id, then, now, changed, matchedRuleId }) => ({ id, then, now, changed, matchedRuleId }))).toEqual([
      { id: "h1", then: "allow", now: "deny", changed: true, matchedRuleId: "no-mallory" },
      // h1 is no longer spent, so the daily budget has room for h2.
      { id: "h2", then: "deny", now: "allow", changed: true, matchedRuleId: null },
      { id: "h3", then: "require_approval", now: "allow", changed: true, matchedRuleId: "small-usdc" },
      { id: "h4", then: "deny", now: "allow", changed: true, matchedRuleId: null },
      { id: "h5", then: "deny", now: "require_approval", changed: true, matchedRuleId: "big" },
      // h2 (1) + h5 (1.5, reserved while awaiting approval) + 2 exceeds 3 ETH even though the rule allows the treasury.
      { id: "h6", then: "deny", now: "deny", changed: false, matchedRuleId: "treasury" },
      { id: "h7", then: "allow", now: "deny", changed: true, matchedRuleId: "approvals" },
      // h1 has left the 24 h window; h2 and h5 still count, exactly reaching 3 ETH.
      { id: "h8", then: "allow", now: "allow", changed: false, matchedRuleId: null },
      { id: "h9", then: "allow", now: "deny", changed: true, matchedRuleId: null },
    ]);
    expect(result.items[8]?.reasons).toEqual(["Transaction would exceed daily limit of 3.0 ETH (3.0 ETH already spent in the last 24 h)"]);
    expect(result.summary).toEqual({ total: 9, changed: 7, allowToDeny: 3, denyToAllow: 2, toApproval: 1, fromApproval: 1 });
  });

  it("replays in time order whatever order the history arrives in", () => {
    const shuffled = [history[5], history[0], history[8], history[2], history[1], history[7], history[3], history[6], history[4]].filter(
      (h): h is HistoryItem => h !== undefined,
    );
    const result = backtest({ history: shuffled, draft, policies });
    expect(result.items.map((i) => i.id)).toEqual(history.map((h) => h.id));
    expect(result.summary.changed).toBe(7);
  });

  it("uses recorded usage for an item when it is supplied", () => {
    const first = history[0];
    if (!first) throw new Error("fixture");
    const withUsage: HistoryItem = { id: "late", at: at("2026-06-12T10:00:00Z"), request: ethTx(BOB, eth("1")), decisionThen: "allow", usageThen: usage({ rolling24h: { native: eth("2.5") } }) };
    const result = backtest({ history: [first, withUsage], draft, policies });
    expect(result.items[1]).toMatchObject({ id: "late", now: "deny", changed: true });
  });

  it("without a draft, replays built-in policies alone", () => {
    const result = backtest({ history, policies });
    expect(result.items.find((i) => i.id === "h4")?.now).toBe("allow");
    expect(result.items.find((i) => i.id === "h3")?.now).toBe("allow");
  });
});
