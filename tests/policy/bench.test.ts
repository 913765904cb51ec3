import { describe, expect, it } from "vitest";
import { evaluate } from "@/lib/policy/engine";
import { POLICY_TYPES } from "@/lib/policy/types";
import { benchPolicy, buildBenchScenario } from "@/tools/bench-policy";

describe("guardrail benchmark scenario", () => {
  it("covers all eight policy types and a 50-rule document", () => {
    const s = buildBenchScenario();
    expect(new Set(s.policies.map((p) => p.type))).toEqual(new Set(POLICY_TYPES));
    expect(s.document.rules.rules).toHaveLength(50);
  });

  it("makes every request scan the whole document (worst case) and pass every policy", () => {
    const s = buildBenchScenario();
    for (const request of s.requests) {
      const d = evaluate({ request, policies: s.policies, document: s.document, usage: s.usage, now: s.now });
      expect(d.outcome).toBe("allow");
      expect(d.matchedRule).toBeUndefined();
    }
  });

  it("reports ordered percentiles over the requested iterations", async () => {
    const r = await benchPolicy({ iterations: 200, warmup: 20 });
    expect(r.iterations).toBe(200);
    expect(r.outcomes).toEqual({ allow: 200 });
    expect(r.p50Us).toBeGreaterThan(0);
    expect(r.p50Us).toBeLessThanOrEqual(r.p99Us);
    expect(r.p99Us).toBeLessThanOrEqual(r.maxUs);
    expect(r.cpuP50Us).toBeLessThanOrEqual(r.cpuP99Us);
  });
});
