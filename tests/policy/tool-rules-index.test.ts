import { describe, expect, it } from "vitest";
import { compileRules, evaluateToolRules, evaluateToolRulesInOrder, requiredTool, type ToolCallFacts } from "@/lib/policy/rules";
import { NOON_UTC } from "./fixtures";

/**
 * Tool rules are indexed by the tool name they require (lib/policy/rules.ts, toolIndex): a call is
 * tested only against its tool's rules and the rules naming no tool. On random documents and calls,
 * the indexed evaluation must answer exactly what testing every rule in document order answers.
 */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const TOOLS = ["db_query", "send_email", "refund", "read_file", "tool_1", "tool_2", "Tool_1"];
const RISKS = ["LOW", "MEDIUM", "HIGH", "CRITICAL"];

function generators(rand: () => number) {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const comparison = (): unknown => {
    switch (Math.floor(rand() * 9)) {
      case 0: case 1: case 2: return { field: "tool", op: "eq", value: pick(TOOLS) };
      case 3: return rand() < 0.3 ? { field: "tool", op: "neq", value: pick(TOOLS) } : { field: "tool", op: pick(["in", "notIn"]), value: [pick(TOOLS), pick(TOOLS)] };
      case 4: return { field: "tool", op: pick(["contains", "matches"]), value: pick(["tool", "^db", "_1$", "send"]) };
      case 5: return { field: "risk", op: pick(["eq", "gte", "lt"]), value: pick(RISKS) };
      case 6: return { field: "arguments.amount", op: pick(["gt", "lte", "eq"]), value: Math.floor(rand() * 200) };
      case 7: return { field: "category", op: "eq", value: pick(["database", "email", "payment", "other"]) };
      default: return { field: "anomaly_score", op: pick(["gte", "lt"]), value: Math.round(rand() * 10) / 10 };
    }
  };
  const condition = (depth: number): unknown => {
    const r = rand();
    if (depth >= 3 || r < 0.4) return comparison();
    if (r < 0.75) return { all: Array.from({ length: 1 + Math.floor(rand() * 3) }, () => condition(depth + 1)) };
    if (r < 0.9) return { any: Array.from({ length: 1 + Math.floor(rand() * 3) }, () => condition(depth + 1)) };
    return { not: condition(depth + 1) };
  };
  const document = () => ({
    version: 1,
    defaultAction: "allow",
    rules: Array.from({ length: 1 + Math.floor(rand() * 40) }, (_, i) => ({
      id: `r${i}`,
      // Now and then a signing rule, which tool calls never see.
      when: rand() < 0.1 ? { field: "chainId", op: "eq", value: 1 } : condition(0),
      action: pick(["allow", "deny", "require_approval"]),
    })),
  });
  const facts = (): ToolCallFacts => ({
    tool: pick([...TOOLS, "unknown_tool", ""]),
    arguments: rand() < 0.8 ? { amount: Math.floor(rand() * 200) } : {},
    category: pick(["database", "email", "payment", "other"]),
    risk: pick(RISKS),
    anomalyScore: Math.round(rand() * 10) / 10,
    agent: ["a"],
  });
  return { document, facts };
}

describe("tool rules: indexed evaluation", () => {
  it("agrees with the in-order evaluation on random documents and calls", () => {
    const rand = prng(20261207);
    const { document, facts } = generators(rand);
    let matched = 0;
    let indexedRules = 0;
    for (let d = 0; d < 400; d++) {
      const compiled = compileRules(document());
      indexedRules += [...compiled.toolIndex!.byTool.values()].reduce((n, l) => n + l.length, 0);
      for (let c = 0; c < 50; c++) {
        const f = facts();
        const want = evaluateToolRulesInOrder(compiled, f, NOON_UTC);
        const got = evaluateToolRules(compiled, f, NOON_UTC);
        expect(got?.index ?? null, JSON.stringify({ rules: compiled.source.rules, f })).toBe(want?.index ?? null);
        if (want) matched++;
      }
    }
    // The generator exercises both paths: rules found through the index, and calls some rule matches.
    expect(indexedRules).toBeGreaterThan(1000);
    expect(matched).toBeGreaterThan(2000);
  });

  it("indexes a rule by the tool an `all` requires, and leaves any/not/other operators unindexed", () => {
    expect(requiredTool({ field: "tool", op: "eq", value: "x" })).toBe("x");
    expect(requiredTool({ all: [{ field: "risk", op: "gte", value: "HIGH" }, { all: [{ field: "tool", op: "eq", value: "y" }] }] })).toBe("y");
    expect(requiredTool({ any: [{ field: "tool", op: "eq", value: "x" }] })).toBeNull();
    expect(requiredTool({ not: { field: "tool", op: "eq", value: "x" } })).toBeNull();
    expect(requiredTool({ field: "tool", op: "in", value: ["x"] })).toBeNull();
    const compiled = compileRules({ version: 1, defaultAction: "allow", rules: [
      { id: "free", when: { field: "risk", op: "gte", value: "HIGH" }, action: "deny" },
      { id: "x", when: { all: [{ field: "tool", op: "eq", value: "x" }] }, action: "deny" },
    ] });
    expect(compiled.toolIndex!.free.map((e) => e.rule.id)).toEqual(["free"]);
    expect(compiled.toolIndex!.byTool.get("x")!.map((e) => e.rule.id)).toEqual(["x"]);
    const f = { tool: "x", arguments: {}, category: "other", risk: "CRITICAL", anomalyScore: 0, agent: [] };
    expect(evaluateToolRules(compiled, f, NOON_UTC)?.rule.id).toBe("free");
    expect(evaluateToolRules(compiled, { ...f, risk: "LOW" }, NOON_UTC)?.rule.id).toBe("x");
    expect(evaluateToolRules(compiled, { ...f, tool: "z", risk: "LOW" }, NOON_UTC)).toBeNull();
  });
});
