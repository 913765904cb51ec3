import { describe, expect, it } from "vitest";
import { anomalyOf, EMPTY_STATS, updateStats, type AgentStats } from "@/lib/gateway/anomaly";
import { argumentShape } from "@/lib/gateway/model";

/** Synthetic histories: an agent's own baseline, then the call under test. */
function history(calls: { tool: string; args: unknown; at: Date; blocked?: boolean }[]): AgentStats {
  return calls.reduce((s, c) => updateStats(s, { tool: c.tool, shape: argumentShape(c.args), now: c.at, blocked: c.blocked ?? false }), EMPTY_STATS);
}

/** A working-hours agent: db_query and send_email every 10 minutes, 09:00–16:59 UTC, for `days` days. */
function officeAgent(days = 3) {
  const calls = [];
  for (let d = 0; d < days; d++) {
    for (let m = 9 * 60; m < 17 * 60; m += 10) {
      const at = new Date(Date.UTC(2026, 10, 2 + d, 0, m));
      calls.push(m % 20 === 0 ? { tool: "db_query", args: { sql: "SELECT 1", limit: 10 }, at } : { tool: "send_email", args: { to: "a@acme.com", body: "hi" }, at });
    }
  }
  return { stats: history(calls), last: calls[calls.length - 1]!.at };
}

const later = (d: Date, seconds: number) => new Date(d.getTime() + seconds * 1000);
/** 10:00 UTC the day after `last`: inside the agent's usual hours. */
const workday = (last: Date) => new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth(), last.getUTCDate() + 1, 10, 0));

describe("anomaly score", () => {
  it("is 0 for a new agent (no baseline yet) and for a call that fits its history", () => {
    expect(anomalyOf(EMPTY_STATS, { tool: "db_query", shape: argumentShape({ sql: "x" }), now: new Date() })).toEqual({ score: 0, signals: [] });
    const { stats, last } = officeAgent();
    const usual = anomalyOf(stats, { tool: "db_query", shape: argumentShape({ sql: "SELECT 2", limit: 5 }), now: workday(last) });
    expect(usual).toEqual({ score: 0, signals: [] });
  });

  it("flags a first-seen tool and a first-seen argument shape, each explained", () => {
    const { stats, last } = officeAgent();
    const tool = anomalyOf(stats, { tool: "delete_user", shape: argumentShape({ id: 1 }), now: workday(last) });
    expect(tool.signals.map((s) => s.signal)).toEqual(["first_seen_tool"]);
    expect(tool.signals[0]!.detail).toContain('"delete_user"');
    const shape = anomalyOf(stats, { tool: "db_query", shape: argumentShape({ sql: "x", database: "prod" }), now: workday(last) });
    expect(shape.signals.map((s) => s.signal)).toEqual(["first_seen_shape"]);
    expect(shape.score).toBeGreaterThan(0);
    expect(shape.score).toBeLessThan(tool.score);
  });

  it("flags a burst far faster than the agent's EWMA rate, off-hours calls and a run of blocks; combined signals raise the score", () => {
    const { stats, last } = officeAgent();
    const burst = anomalyOf(stats, { tool: "db_query", shape: argumentShape({ sql: "SELECT 1", limit: 10 }), now: later(last, 0.5) });
    expect(burst.signals.map((s) => s.signal)).toEqual(["rate_spike"]);
    // 03:00 UTC, a time this agent never worked
    const night = new Date(Date.UTC(2026, 10, 6, 3, 0));
    const off = anomalyOf(stats, { tool: "db_query", shape: argumentShape({ sql: "SELECT 1", limit: 10 }), now: night });
    expect(off.signals.map((s) => s.signal)).toEqual(["off_hours"]);
    const blocked = history([...Array(12)].map((_, i) => ({ tool: "db_query", args: { sql: "x" }, at: new Date(Date.UTC(2026, 10, 2, 10, i)), blocked: i >= 6 })));
    const b = anomalyOf(blocked, { tool: "db_query", shape: argumentShape({ sql: "y" }), now: new Date(Date.UTC(2026, 10, 2, 10, 13)) });
    expect(b.signals.map((s) => s.signal)).toContain("block_burst");
    const all = anomalyOf(stats, { tool: "exfiltrate", shape: argumentShape({ url: "x" }), now: later(night, 0) });
    expect(all.signals.map((s) => s.signal).sort()).toEqual(["first_seen_tool", "off_hours"]);
    expect(all.score).toBeGreaterThan(Math.max(tool(stats, last), off.score));
    expect(all.score).toBeLessThanOrEqual(1);
  });

  it("keeps the statistics bounded and the EWMA moving toward the new rate", () => {
    let s = EMPTY_STATS;
    const t0 = Date.UTC(2026, 10, 2, 10);
    for (let i = 0; i < 20; i++) s = updateStats(s, { tool: "t", shape: "a", now: new Date(t0 + i * 60_000), blocked: false });
    expect(s.ewmaInterval).toBeCloseTo(60, 5);
    for (let i = 0; i < 20; i++) s = updateStats(s, { tool: "t", shape: "a", now: new Date(t0 + 20 * 60_000 + i * 1000), blocked: false });
    expect(s.ewmaInterval!).toBeLessThan(20);
    expect(s.calls).toBe(40);
    expect(s.hours.reduce((a, b) => a + b, 0)).toBe(40);
  });
});

function tool(stats: AgentStats, last: Date) {
  return anomalyOf(stats, { tool: "delete_user", shape: argumentShape({ id: 1 }), now: workday(last) }).score;
}
