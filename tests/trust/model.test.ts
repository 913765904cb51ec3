import { describe, expect, it } from "vitest";
import {
  alpha,
  applyConfigChange,
  applyTransaction,
  changeTypeOf,
  compositeOf,
  confidenceOf,
  DIMENSIONS,
  fingerprintOf,
  inactivityWeeks,
  initialState,
  normalizeSid,
  operatorScore,
  OUTCOMES,
  recommendationOf,
  recompute,
  stateAt,
  TRUST,
  viewOf,
  type ChangeType,
  type Outcome,
  type TrustEvent,
  type TrustState,
} from "@/lib/trust/model";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

/** A small deterministic PRNG (mulberry32), so the property runs are reproducible. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomHistory(r: () => number, length: number): TrustEvent[] {
  const events: TrustEvent[] = [{ kind: "register", at: T0 }];
  let at = T0;
  const changes: ChangeType[] = ["model_swap", "prompt_update", "tool_change", "memory_change"];
  for (let i = 0; i < length; i++) {
    at += Math.floor(r() * (r() < 0.1 ? 90 : 2) * DAY);
    if (r() < 0.15) events.push({ kind: "config_change", at, changeType: changes[Math.floor(r() * 4)]! });
    else {
      const signals: Record<string, number> = {};
      for (const d of ["reliability", "quality", "financial", "security"]) if (r() < 0.6) signals[d] = Math.floor(r() * 1001);
      events.push({ kind: "transaction", at, outcome: OUTCOMES[Math.floor(r() * 5)]!, signals });
    }
  }
  return events;
}

describe("trust model: the issue's formulas", () => {
  it("starts every dimension at 500: composite 500, low confidence, review", () => {
    const v = viewOf(initialState(T0), T0);
    expect(v).toEqual({ reliability: 500, quality: 500, financial: 500, security: 500, stability: 500, composite: 500, confidence: "low", recommendation: "review" });
  });

  it("weights the composite 0.30/0.25/0.20/0.15/0.10 and rounds", () => {
    expect(compositeOf({ reliability: 850, quality: 790, financial: 710, security: 720, stability: 680 })).toBe(771); // 770.5 rounds up
    expect(compositeOf({ reliability: 1000, quality: 0, financial: 0, security: 0, stability: 0 })).toBe(300);
    expect(compositeOf({ reliability: 0, quality: 0, financial: 0, security: 0, stability: 1000 })).toBe(100);
  });

  it("moves a dimension by EMA with alpha = 0.05 + 0.10/(1 + n/20) and stability by the outcome", () => {
    expect(alpha(0)).toBeCloseTo(0.15, 12);
    expect(alpha(20)).toBeCloseTo(0.1, 12);
    const s = applyTransaction(initialState(T0), { at: T0 + 1000, outcome: "failure", signals: { reliability: 900 } });
    expect(s.dims.reliability).toBeCloseTo(500 * 0.85 + 900 * 0.15, 9);
    expect(s.dims.stability).toBeCloseTo(500 * 0.85 + 200 * 0.15, 9);
    expect(s.dims.quality).toBe(500);
    expect(s.n).toBe(1);
    for (const [o, v] of Object.entries(TRUST.outcomeStability)) {
      expect(applyTransaction(initialState(T0), { at: T0, outcome: o as Outcome, signals: {} }).dims.stability).toBeCloseTo(500 * 0.85 + v * 0.15, 9);
    }
  });

  it("config decay takes the change's share of the distance above 300 and never goes below 300", () => {
    const s: TrustState = { ...initialState(T0), dims: { reliability: 900, quality: 700, financial: 300, security: 200, stability: 500 } };
    const d = applyConfigChange(s, { at: T0, changeType: "model_swap" }).dims;
    expect(d).toEqual({ reliability: 750, quality: 600, financial: 300, security: 200, stability: 450 });
    expect(applyConfigChange(s, { at: T0, changeType: "prompt_update" }).dims.reliability).toBeCloseTo(840, 9);
    expect(applyConfigChange(s, { at: T0, changeType: "tool_change" }).dims.reliability).toBeCloseTo(852, 9);
    expect(applyConfigChange(s, { at: T0, changeType: "memory_change" }).dims.reliability).toBeCloseTo(870, 9);
  });

  it("inactivity: nothing for 30 days, then 1 % per whole week toward 500, the same applied once or in steps", () => {
    const s: TrustState = { ...initialState(T0), dims: { reliability: 900, quality: 100, financial: 500, security: 700, stability: 300 } };
    expect(inactivityWeeks(T0, T0 + 30 * DAY)).toBe(0);
    expect(inactivityWeeks(T0, T0 + 37 * DAY - 1)).toBe(0);
    expect(inactivityWeeks(T0, T0 + 37 * DAY)).toBe(1);
    expect(stateAt(s, T0 + 36 * DAY)).toBe(s);
    const later = stateAt(s, T0 + 51 * DAY);
    expect(later.dims.reliability).toBeCloseTo(500 + 400 * 0.99 ** 3, 9);
    expect(later.dims.quality).toBeCloseTo(500 - 400 * 0.99 ** 3, 9);
    // A read never changes the folded state: the decay is always computed from it and the total weeks.
    expect(s.dims.reliability).toBe(900);
    expect(stateAt(s, T0 + 100 * DAY).weeksApplied).toBe(10);
  });

  it("confidence: low < 5, medium 5-19, high >= 20 and 7 days; never clear at low confidence", () => {
    expect(confidenceOf(4, T0, T0 + 30 * DAY)).toBe("low");
    expect(confidenceOf(5, T0, T0)).toBe("medium");
    expect(confidenceOf(20, T0, T0 + 6 * DAY)).toBe("medium");
    expect(confidenceOf(20, T0, T0 + 7 * DAY)).toBe("high");
    expect(recommendationOf(700, "medium")).toBe("clear");
    expect(recommendationOf(950, "low")).toBe("review");
    expect(recommendationOf(699, "high")).toBe("review");
    expect(recommendationOf(400, "high")).toBe("review");
    expect(recommendationOf(399, "high")).toBe("caution");
  });

  it("operator score: transaction-weighted mean of composites, 500 with no transactions", () => {
    expect(operatorScore([])).toBe(500);
    expect(operatorScore([{ composite: 800, n: 0 }])).toBe(500);
    expect(operatorScore([{ composite: 800, n: 3 }, { composite: 400, n: 1 }])).toBe(700);
  });
});

describe("trust model: properties over random histories", () => {
  it("stays within 0..1000 and replays to the same state", () => {
    for (let seed = 1; seed <= 40; seed++) {
      const events = randomHistory(rng(seed), 120);
      const s = recompute(events);
      for (const d of DIMENSIONS) {
        expect(s.dims[d]).toBeGreaterThanOrEqual(0);
        expect(s.dims[d]).toBeLessThanOrEqual(1000);
      }
      expect(recompute(events)).toEqual(s);
      const v = viewOf(s, events.at(-1)!.at + 400 * DAY);
      expect(v.composite).toBeGreaterThanOrEqual(0);
      expect(v.composite).toBeLessThanOrEqual(1000);
    }
  });

  it("is monotonic in signals: a higher signal never lowers any dimension or the composite", () => {
    const r = rng(7);
    for (let i = 0; i < 300; i++) {
      const base = recompute(randomHistory(r, 30));
      const at = base.lastActivityAt + Math.floor(r() * 60 * DAY);
      const low = Math.floor(r() * 1001);
      const high = low + Math.floor(r() * (1001 - low));
      const d = (["reliability", "quality", "financial", "security"] as const)[i % 4]!;
      const outcome = OUTCOMES[i % 5]!;
      const a = applyTransaction(base, { at, outcome, signals: { [d]: low } });
      const b = applyTransaction(base, { at, outcome, signals: { [d]: high } });
      expect(b.dims[d]).toBeGreaterThanOrEqual(a.dims[d]);
      expect(compositeOf(b.dims)).toBeGreaterThanOrEqual(compositeOf(a.dims));
    }
  });

  it("config decay never increases a dimension, and a bigger change never decays less", () => {
    const r = rng(11);
    const order: ChangeType[] = ["memory_change", "tool_change", "prompt_update", "model_swap"];
    for (let i = 0; i < 200; i++) {
      const s = recompute(randomHistory(r, 25));
      const at = s.lastActivityAt;
      const before = stateAt(s, at).dims;
      let prev = before;
      for (const c of order) {
        const after = applyConfigChange(s, { at, changeType: c }).dims;
        for (const d of DIMENSIONS) {
          expect(after[d]).toBeLessThanOrEqual(before[d]);
          expect(after[d]).toBeLessThanOrEqual(prev[d]);
          expect(after[d]).toBeGreaterThanOrEqual(Math.min(before[d], 300));
        }
        prev = after;
      }
    }
  });
});

describe("configuration fingerprint and change type", () => {
  const base = { modelProvider: "openai", modelName: "gpt-4o", systemPromptHash: "a1", tools: ["b", "a"], memoryConfig: { k: 1, j: [2] } };
  it("is SHA-256 hex, independent of tool order and key order", () => {
    expect(fingerprintOf(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprintOf({ ...base, tools: ["a", "b"], memoryConfig: { j: [2], k: 1 } })).toBe(fingerprintOf(base));
  });
  it("names the largest change", () => {
    expect(changeTypeOf(base, { ...base })).toBeNull();
    expect(changeTypeOf(base, { ...base, modelName: "gpt-5", systemPromptHash: "x", tools: [] })).toBe("model_swap");
    expect(changeTypeOf(base, { ...base, modelProvider: "anthropic" })).toBe("model_swap");
    expect(changeTypeOf(base, { ...base, systemPromptHash: "x", tools: [] })).toBe("prompt_update");
    expect(changeTypeOf(base, { ...base, tools: ["a"], memoryConfig: null })).toBe("tool_change");
    expect(changeTypeOf(base, { ...base, memoryConfig: { k: 2 } })).toBe("memory_change");
  });
  it("normalizes SIDs to lowercase and refuses anything else", () => {
    expect(normalizeSid("SID-0x7A3F8B2C1D4E5F6A")).toBe("SID-0x7a3f8b2c1d4e5f6a");
    expect(normalizeSid("SID-0x7a3f8b2c1d4e5f6")).toBeNull();
    expect(normalizeSid("sid-0x7a3f8b2c1d4e5f6a")).toBeNull();
  });
});
