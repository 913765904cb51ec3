import { describe, expect, it } from "vitest";
import { decodeRequest } from "@/lib/policy/decode";
import { PolicyValidationError, formatIssue } from "@/lib/policy/errors";
import { compileRules, counterfactual, evaluateRules, evaluateToolRules, parseRulesDocument, type ToolCallFacts } from "@/lib/policy/rules";
import { ALICE, NOON_UTC, eth, ethTx } from "./fixtures";

/** One rules document holds money rules and tool-call rules (issue #13); each kind sees only its own. */
const mixed = {
  version: 1,
  defaultAction: "deny",
  rules: [
    { id: "no-drop", when: { all: [{ field: "tool", op: "eq", value: "db_query" }, { field: "arguments.sql", op: "matches", value: "\\bdrop\\s+table\\b" }] }, action: "deny" },
    { id: "external-mail", when: { all: [{ field: "tool", op: "eq", value: "send_email" }, { not: { field: "arguments.to", op: "matches", value: "@acme\\.com$" } }] }, action: "require_approval" },
    { id: "big-refund", when: { all: [{ field: "category", op: "eq", value: "payment" }, { field: "arguments.amount", op: "gt", value: 100 }] }, action: "deny" },
    { id: "risky", when: { field: "risk", op: "gte", value: "HIGH" }, action: "require_approval" },
    { id: "weird", when: { field: "anomaly_score", op: "gte", value: 0.5 }, action: "require_approval" },
    { id: "bot-7", when: { field: "agent", op: "eq", value: "bot-7" }, action: "deny" },
    { id: "big-transfer", when: { field: "value", op: "gt", value: "1 ETH" }, action: "require_approval" },
    { id: "small", when: { field: "value", op: "lte", value: "1 ETH" }, action: "allow" },
  ],
};

const facts = (over: Partial<ToolCallFacts> = {}): ToolCallFacts => ({ tool: "db_query", arguments: { sql: "SELECT 1" }, category: "database", risk: "LOW", anomalyScore: 0, agent: ["my-agent", "00000000-0000-4000-8000-000000000001"], ...over });

describe("tool-call fields in rules documents", () => {
  const compiled = compileRules(mixed);
  const tool = (f: Partial<ToolCallFacts>) => evaluateToolRules(compiled, facts(f), NOON_UTC)?.rule.id ?? null;

  it("matches tool, arguments.<path> (regex, negated regex, numbers), category, risk by rank, anomaly score and agent", () => {
    expect(tool({})).toBeNull();
    expect(tool({ arguments: { sql: "select 1; DROP  TABLE users" } })).toBe("no-drop");
    expect(tool({ tool: "send_email", category: "email", arguments: { to: "bob@acme.com" } })).toBeNull();
    expect(tool({ tool: "send_email", category: "email", arguments: { to: "eve@evil.example" } })).toBe("external-mail");
    expect(tool({ tool: "refund", category: "payment", arguments: { amount: 150 } })).toBe("big-refund");
    expect(tool({ tool: "refund", category: "payment", arguments: { amount: 100 } })).toBeNull();
    expect(tool({ tool: "refund", category: "payment", arguments: { amount: "250.5" } })).toBe("big-refund");
    expect(tool({ risk: "MEDIUM" })).toBeNull();
    expect(tool({ risk: "CRITICAL" })).toBe("risky");
    expect(tool({ anomalyScore: 0.49 })).toBeNull();
    expect(tool({ anomalyScore: 0.5 })).toBe("weird");
    expect(tool({ agent: ["bot-7", "00000000-0000-4000-8000-000000000002"] })).toBe("bot-7");
  });

  it("keeps the kinds apart: tool rules never decide a transaction, money rules and the default never decide a tool call", () => {
    const tx = (value: string) => evaluateRules(compiled, decodeRequest(ethTx(ALICE, eth(value))), NOON_UTC);
    expect(tx("2")).toMatchObject({ action: "require_approval", matched: { rule: { id: "big-transfer" } } });
    expect(tx("0.5")).toMatchObject({ action: "allow", matched: { rule: { id: "small" } } });
    // a tool call matches no money rule, and the document's defaultAction (deny) does not apply to it
    expect(tool({ tool: "search", category: "other", arguments: { q: "weather" } })).toBeNull();
  });

  it("reads nested argument paths and array indexes; a missing path never matches", () => {
    const c = compileRules({ version: 1, defaultAction: "allow", rules: [{ id: "r", when: { field: "arguments.to.0.host", op: "contains", value: "EVIL" }, action: "deny" }] });
    expect(evaluateToolRules(c, facts({ arguments: { to: [{ host: "api.evil.io" }] } }), NOON_UTC)?.rule.id).toBe("r");
    expect(evaluateToolRules(c, facts({ arguments: { to: [] } }), NOON_UTC)).toBeNull();
    expect(evaluateToolRules(c, facts({ arguments: "plain" }), NOON_UTC)).toBeNull();
  });

  it("validates operands for tool fields with exact paths", () => {
    const bad = { version: 1, defaultAction: "allow", rules: [
      { id: "a", when: { field: "risk", op: "gt", value: "SEVERE" }, action: "deny" },
      { id: "b", when: { field: "anomaly_score", op: "gt", value: 2 }, action: "deny" },
      { id: "c", when: { field: "arguments.sql", op: "matches", value: "(" }, action: "deny" },
      { id: "d", when: { field: "tool", op: "gt", value: "x" }, action: "deny" },
      { id: "e", when: { field: "arguments.n", op: "lt", value: "ten" }, action: "deny" },
    ] };
    let issues: string[] = [];
    try {
      parseRulesDocument(bad);
    } catch (e) {
      expect(e).toBeInstanceOf(PolicyValidationError);
      issues = (e as PolicyValidationError).issues.map(formatIssue);
    }
    expect(issues).toEqual([
      'rules[0].when.value: must be one of LOW, MEDIUM, HIGH, CRITICAL, got "SEVERE"',
      "rules[1].when.value: must be a number from 0 to 1, got 2",
      expect.stringMatching(/^rules\[2\]\.when\.value: is not a valid regular expression/),
      'rules[3].when.op: operator "gt" does not apply to field "tool"; use one of eq, neq, in, notIn, contains, matches',
      'rules[4].when.value: must be a number for operator "lt", got "ten"',
    ]);
  });

  it("gives a counterfactual hint for the matched rule", () => {
    expect(counterfactual(mixed.rules[2] as never)).toBe("would be allowed if arguments.amount ≤ 100");
    expect(counterfactual(mixed.rules[6] as never)).toBe("would be allowed if value ≤ 1 ETH");
    expect(counterfactual(mixed.rules[0] as never)).toBe("would be allowed if arguments.sql does not match \\bdrop\\s+table\\b");
  });
});
