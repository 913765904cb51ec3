import { describe, expect, it } from "vitest";
import { decodeRequest } from "@/lib/policy/decode";
import { PolicyValidationError, formatIssue } from "@/lib/policy/errors";
import { compileRules, describeRule, evaluateRules, parseRulesDocument } from "@/lib/policy/rules";
import type { PolicyRequest } from "@/lib/policy/types";
import {
  ALICE, BOB, MALLORY, NOON_UTC, ROUTER, TREASURY, USDC, approveData, eth, ethTx, personalMessage, tokenTx, transferData,
} from "./fixtures";

function errorsOf(doc: unknown): string[] {
  try {
    parseRulesDocument(doc);
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyValidationError);
    return (error as PolicyValidationError).issues.map(formatIssue);
  }
  throw new Error("document unexpectedly valid");
}

const doc = (rules: unknown[], extra: Record<string, unknown> = {}) => ({ version: 1, defaultAction: "allow", rules, ...extra });

function decide(document: unknown, request: PolicyRequest, now = NOON_UTC) {
  const r = evaluateRules(compileRules(document), decodeRequest(request), now);
  return { action: r.action, rule: r.matched?.rule.id ?? null };
}

describe("rules document validation", () => {
  it("reports an unknown operator at its exact path", () => {
    const rules = [0, 1, 2].map((i) => ({ id: `r${i}`, when: { field: "kind", op: "eq", value: "message" }, action: "allow" }));
    rules.push({ id: "r3", when: { all: [{ field: "value", op: "gtx", value: "1" }] } as never, action: "deny" });
    expect(errorsOf(doc(rules))).toEqual([
      'rules[3].when.all[0].op: unknown operator "gtx"; expected one of eq, neq, in, notIn, gt, gte, lt, lte, inList, notInList, contains, matches',
    ]);
  });

  it("collects every problem in one pass", () => {
    const errors = errorsOf({
      version: 2,
      defaultAction: "maybe",
      timeZone: "Nowhere/Land",
      lists: { treasury: [TREASURY, "0x12"] },
      rules: [
        { id: "a", when: { field: "colour", op: "eq", value: "red" }, action: "deny" },
        { id: "a", when: { any: [] }, action: "allow" },
        { id: "b", when: { field: "to", op: "inList", value: "vendors" }, action: "allow" },
        { id: "c", when: { field: "hour", op: "gte", value: 24 }, action: "allow", extra: 1 },
        { id: "d", when: { not: { field: "selector", op: "gt", value: "0x00000000" } }, action: "allow" },
        { id: "e", when: { all: [{ field: "value", op: "lt", value: "1.5" }], any: [] }, action: "allow" },
        { id: "f", when: { field: "args.amount", op: "gt", value: "lots" }, action: "halt" },
        { id: "bad id!", action: "deny" },
      ],
    });
    expect(errors).toEqual([
      "version: unsupported version 2; expected 1",
      'defaultAction: unknown action "maybe"; expected one of allow, deny, require_approval',
      'timeZone: unknown IANA time zone "Nowhere/Land"',
      'lists.treasury[1]: must be a 0x-prefixed 20-byte address, got "0x12"',
      'rules[0].when.field: unknown field "colour"; expected one of to, value, selector, chainId, token, tokenAmount, counterparty, hour, weekday, kind, args.<name>, tool, category, risk, anomaly_score, agent, arguments.<path>, trust.composite, trust.<dimension>, trust.confidence or trust.recommendation',
      "rules[1].when.any: must contain at least one condition",
      'rules[1].id: duplicate rule id "a" (also rules[0])',
      'rules[2].when.value: unknown list "vendors"; declare it under "lists"',
      "rules[3].when.value: must be an integer from 0 to 23, got 24",
      'rules[3].extra: unknown key "extra"',
      'rules[4].when.not.op: operator "gt" does not apply to field "selector"; use one of eq, neq, in, notIn',
      "rules[5].when: must use exactly one of all / any / not, found all and any",
      'rules[6].when.value: must be an integer (decimal string) for operator "gt", got "lots"',
      'rules[6].action: unknown action "halt"; expected one of allow, deny, require_approval',
      'rules[7].id: must be 1-64 letters, digits, ".", "_" or "-" (starting with a letter or digit), got "bad id!"',
      "rules[7].when: is required",
    ]);
  });

  it("points into operand arrays, list declarations and the rules array", () => {
    expect(errorsOf(doc([{ id: "r", when: { field: "to", op: "in", value: [BOB, "0xnope"] }, action: "deny" }]))).toEqual([
      'rules[0].when.value[1]: must be a 0x-prefixed 20-byte address, got "0xnope"',
    ]);
    expect(errorsOf(doc([{ id: "r", when: { field: "weekday", op: "in", value: [] }, action: "deny" }]))).toEqual([
      'rules[0].when.value: must be a non-empty array for operator "in"',
    ]);
    expect(errorsOf(doc([], { lists: { "9bad": [BOB] } }))).toEqual([
      'lists.9bad: list name "9bad" must be 1-64 letters, digits, "_" or "-", starting with a letter',
    ]);
    expect(errorsOf({ version: 1, defaultAction: "deny", rules: {} })).toEqual(["rules: must be an array of rules"]);
    expect(errorsOf({ version: 1, defaultAction: "deny" })).toEqual(["rules: is required"]);
    expect(errorsOf(doc([{ id: "r", when: { field: "kind", op: "eq" }, action: "deny" }]))).toEqual(["rules[0].when.value: is required"]);
  });

  it("rejects non-objects and over-deep nesting", () => {
    expect(errorsOf("allow everything")).toEqual(['must be a rules document object, got "allow everything"']);
    let deep: unknown = { field: "kind", op: "eq", value: "message" };
    for (let i = 0; i < 11; i++) deep = { not: deep };
    expect(parseRulesDocument(doc([{ id: "deep", when: deep, action: "deny" }])).rules).toHaveLength(1);
    deep = { not: deep };
    expect(errorsOf(doc([{ id: "deep", when: deep, action: "deny" }]))).toEqual([
      `rules[0].when${".not".repeat(12)}: conditions nest deeper than 12 levels`,
    ]);
  });

  it("normalises values: ETH units to wei, signatures to selectors, addresses to checksum", () => {
    const parsed = parseRulesDocument(
      doc([
        { id: "big", when: { field: "value", op: "gt", value: "1.5 ETH" }, action: "require_approval" },
        { id: "fn", when: { field: "selector", op: "in", value: ["transfer(address,uint256)"] }, action: "allow" },
        { id: "who", when: { field: "to", op: "eq", value: BOB.toLowerCase() }, action: "allow" },
      ]),
    );
    expect(parsed.timeZone).toBe("UTC");
    expect(parsed.rules.map((r) => r.when)).toEqual([
      { field: "value", op: "gt", value: "1500000000000000000" },
      { field: "selector", op: "in", value: ["0xa9059cbb"] },
      { field: "to", op: "eq", value: BOB },
    ]);
  });
});

describe("rules evaluation", () => {
  const policyDoc = doc(
    [
      { id: "block-mallory", when: { field: "counterparty", op: "eq", value: MALLORY }, action: "deny" },
      { id: "treasury-ok", when: { field: "to", op: "inList", value: "treasury" }, action: "allow" },
      {
        id: "big-outside",
        when: { all: [{ field: "value", op: "gt", value: "1 ETH" }, { field: "to", op: "notInList", value: "treasury" }] },
        action: "require_approval",
      },
      { id: "big-usdc", when: { all: [{ field: "token", op: "eq", value: USDC }, { field: "tokenAmount", op: "gte", value: "1000000000" }] }, action: "require_approval" },
    ],
    { defaultAction: "allow", lists: { treasury: [TREASURY] } },
  );

  it("first matching rule wins, in document order", () => {
    expect(decide(policyDoc, ethTx(TREASURY, eth("50")))).toEqual({ action: "allow", rule: "treasury-ok" });
    expect(decide(policyDoc, ethTx(BOB, eth("1") + 1n))).toEqual({ action: "require_approval", rule: "big-outside" });
    expect(decide(policyDoc, ethTx(MALLORY, eth("5")))).toEqual({ action: "deny", rule: "block-mallory" });
    expect(decide(policyDoc, ethTx(BOB, eth("1")))).toEqual({ action: "allow", rule: null });
  });

  it("reorders when the document does", () => {
    const reversed = { ...policyDoc, rules: [...policyDoc.rules].reverse() };
    expect(decide(reversed, ethTx(MALLORY, eth("5")))).toEqual({ action: "require_approval", rule: "big-outside" });
  });

  it("matches token fields from decoded calldata", () => {
    expect(decide(policyDoc, tokenTx(USDC, transferData(BOB, 1_000_000_000n)))).toEqual({ action: "require_approval", rule: "big-usdc" });
    expect(decide(policyDoc, tokenTx(USDC, transferData(BOB, 999_999_999n)))).toEqual({ action: "allow", rule: null });
    expect(decide(policyDoc, tokenTx(USDC, approveData(MALLORY, 1n)))).toEqual({ action: "deny", rule: "block-mallory" });
  });

  it("applies each default action when nothing matches", () => {
    for (const defaultAction of ["allow", "deny", "require_approval"] as const) {
      expect(decide({ ...policyDoc, defaultAction }, ethTx(BOB, 1n))).toEqual({ action: defaultAction, rule: null });
    }
  });

  it("treats a missing field as not matching, even for negative operators", () => {
    const d = doc([
      { id: "not-usdc", when: { field: "token", op: "neq", value: USDC }, action: "deny" },
      { id: "no-list", when: { field: "token", op: "notIn", value: [USDC] }, action: "deny" },
    ]);
    expect(decide(d, ethTx(BOB, 1n))).toEqual({ action: "allow", rule: null });
    expect(decide(d, personalMessage)).toEqual({ action: "allow", rule: null });
  });

  it("supports any / not / kind / chainId / args / hour and weekday in the document's zone", () => {
    const d = doc(
      [
        { id: "sign-in", when: { field: "kind", op: "eq", value: "message" }, action: "allow" },
        { id: "off-hours", when: { any: [{ field: "hour", op: "lt", value: 9 }, { field: "weekday", op: "in", value: ["sat", "sun"] }] }, action: "require_approval" },
        { id: "testnet", when: { not: { field: "chainId", op: "eq", value: 1 } }, action: "allow" },
        { id: "arg-amount", when: { field: "args.amount", op: "gt", value: 100 }, action: "deny" },
        { id: "arg-to", when: { field: "args.to", op: "eq", value: ALICE.toLowerCase() }, action: "deny" },
      ],
      { timeZone: "Asia/Tokyo", defaultAction: "allow" },
    );
    // 23:00 UTC Wednesday is 08:00 Thursday in Tokyo.
    expect(decide(d, ethTx(BOB, 1n), new Date("2026-06-10T23:00:00Z"))).toEqual({ action: "require_approval", rule: "off-hours" });
    expect(decide(d, ethTx(BOB, 1n), new Date("2026-06-11T00:00:00Z"))).toEqual({ action: "allow", rule: null });
    // Saturday 10:00 in Tokyo.
    expect(decide(d, ethTx(BOB, 1n), new Date("2026-06-13T01:00:00Z"))).toEqual({ action: "require_approval", rule: "off-hours" });
    expect(decide(d, personalMessage, new Date("2026-06-13T01:00:00Z"))).toEqual({ action: "allow", rule: "sign-in" });
    expect(decide(d, ethTx(BOB, 1n, { chainId: 8453 }), new Date("2026-06-11T01:00:00Z"))).toEqual({ action: "allow", rule: "testnet" });
    expect(decide(d, tokenTx(USDC, transferData(BOB, 101n)), new Date("2026-06-11T01:00:00Z"))).toEqual({ action: "deny", rule: "arg-amount" });
    expect(decide(d, tokenTx(USDC, transferData(BOB, 100n)), new Date("2026-06-11T01:00:00Z"))).toEqual({ action: "allow", rule: null });
    expect(decide(d, tokenTx(USDC, transferData(ALICE, 1n)), new Date("2026-06-11T01:00:00Z"))).toEqual({ action: "deny", rule: "arg-to" });
  });

  it("counts a plain transfer's recipient as its counterparty", () => {
    const d = doc([{ id: "vendors", when: { field: "counterparty", op: "inList", value: "vendors" }, action: "allow" }], {
      defaultAction: "deny",
      lists: { vendors: [BOB] },
    });
    expect(decide(d, ethTx(BOB, 1n))).toEqual({ action: "allow", rule: "vendors" });
    expect(decide(d, tokenTx(USDC, transferData(BOB, 1n)))).toEqual({ action: "allow", rule: "vendors" });
    expect(decide(d, tokenTx(ROUTER, "0xdeadbeef"))).toEqual({ action: "deny", rule: null });
  });
});

describe("describeRule", () => {
  it("renders the dashboard preview", () => {
    const parsed = parseRulesDocument(
      doc(
        [
          {
            id: "r1",
            when: { all: [{ field: "value", op: "gt", value: "1 ETH" }, { field: "to", op: "notInList", value: "treasury" }] },
            action: "require_approval",
          },
          {
            id: "r2",
            when: { any: [{ field: "selector", op: "in", value: ["approve(address,uint256)", "0x12345678"] }, { not: { field: "tokenAmount", op: "lte", value: "5" } }] },
            action: "deny",
          },
          { id: "r3", when: { all: [] }, action: "allow" },
          { id: "r4", when: { all: [{ field: "chainId", op: "eq", value: 1 }, { any: [{ field: "counterparty", op: "eq", value: BOB }, { field: "args.spender", op: "eq", value: "x" }] }] }, action: "allow" },
        ],
        { lists: { treasury: [TREASURY] } },
      ),
    );
    expect(parsed.rules.map(describeRule)).toEqual([
      "Require approval when value > 1 ETH and to is not in treasury",
      "Deny when function is one of approve or 0x12345678 or not (token amount ≤ 5)",
      "Allow every request",
      "Allow when chain is 1 and (counterparty is 0x2222…2222 or argument spender is x)",
    ]);
  });
});
