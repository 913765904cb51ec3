/**
 * The anomaly score (0–1) of a tool call against its agent's own history, from streaming statistics
 * kept in the database (gateway_agent_stats). Pure: the caller loads and stores the statistics under
 * a row lock. Each contributing signal is returned with its weight; the score combines them as
 * independent evidence, 1 − Π(1 − wᵢ).
 */
import type { AnomalySignal } from "./model";

export type AgentStats = {
  calls: number;
  /** EWMA of the seconds between calls; null before the second call. */
  ewmaInterval: number | null;
  /** EWMA of the share of blocked checks. */
  ewmaBlocks: number;
  lastCallAt: Date | null;
  tools: Record<string, number>;
  shapes: string[];
  /** 24 counts by UTC hour. */
  hours: number[];
};

export const EMPTY_STATS: AgentStats = { calls: 0, ewmaInterval: null, ewmaBlocks: 0, lastCallAt: null, tools: {}, shapes: [], hours: [] };

/** Below this many calls an agent has no baseline: history-based signals stay quiet. */
export const WARMUP_CALLS = 10;
const RATE_ALPHA = 0.1;
const BLOCK_ALPHA = 0.2;
const MAX_TOOLS = 500;
const MAX_SHAPES = 1000;

export type AnomalyInput = { tool: string; shape: string; now: Date };

export function anomalyOf(stats: AgentStats, input: AnomalyInput): { score: number; signals: AnomalySignal[] } {
  const signals: AnomalySignal[] = [];
  const warm = stats.calls >= WARMUP_CALLS;
  if (warm && stats.lastCallAt && stats.ewmaInterval !== null) {
    const interval = Math.max((input.now.getTime() - stats.lastCallAt.getTime()) / 1000, 0.001);
    const ratio = stats.ewmaInterval / interval;
    if (ratio >= 5) {
      signals.push({ signal: "rate_spike", weight: round(Math.min(0.5, 0.25 * Math.log10(ratio))), detail: `${interval.toFixed(3)} s since the last call vs a usual ${stats.ewmaInterval.toFixed(1)} s (${Math.round(ratio)}× faster)` });
    }
  }
  if (warm && !(input.tool in stats.tools)) {
    signals.push({ signal: "first_seen_tool", weight: 0.45, detail: `first call of tool "${input.tool}" after ${stats.calls} calls of ${Object.keys(stats.tools).length} other tool(s)` });
  }
  if (warm && !stats.shapes.includes(input.shape) && input.tool in stats.tools) {
    signals.push({ signal: "first_seen_shape", weight: 0.3, detail: `arguments of "${input.tool}" with a structure not seen before` });
  }
  if (stats.ewmaBlocks >= 0.3) {
    signals.push({ signal: "block_burst", weight: round(Math.min(0.6, stats.ewmaBlocks * 0.7)), detail: `${Math.round(stats.ewmaBlocks * 100)}% of recent checks were blocked` });
  }
  if (stats.calls >= 5 * WARMUP_CALLS) {
    const hour = input.now.getUTCHours();
    const share = (stats.hours[hour] ?? 0) / stats.calls;
    if (share < 0.01) signals.push({ signal: "off_hours", weight: 0.35, detail: `${(share * 100).toFixed(1)}% of this agent's ${stats.calls} calls were at ${hour}:00 UTC` });
  }
  const score = round(1 - signals.reduce((p, s) => p * (1 - s.weight), 1));
  return { score: Math.min(1, Math.max(0, score)), signals };
}

/** The statistics after this call (blocked: whether the final decision was block). */
export function updateStats(stats: AgentStats, input: AnomalyInput & { blocked: boolean }): AgentStats {
  const interval = stats.lastCallAt ? Math.max((input.now.getTime() - stats.lastCallAt.getTime()) / 1000, 0) : null;
  const ewmaInterval = interval === null ? stats.ewmaInterval : stats.ewmaInterval === null ? interval : RATE_ALPHA * interval + (1 - RATE_ALPHA) * stats.ewmaInterval;
  const tools = { ...stats.tools };
  if (input.tool in tools || Object.keys(tools).length < MAX_TOOLS) tools[input.tool] = (tools[input.tool] ?? 0) + 1;
  const shapes = stats.shapes.includes(input.shape) ? stats.shapes : [...stats.shapes, input.shape].slice(-MAX_SHAPES);
  const hours = Array.from({ length: 24 }, (_, h) => stats.hours[h] ?? 0);
  hours[input.now.getUTCHours()]! += 1;
  return {
    calls: stats.calls + 1,
    ewmaInterval,
    ewmaBlocks: BLOCK_ALPHA * (input.blocked ? 1 : 0) + (1 - BLOCK_ALPHA) * stats.ewmaBlocks,
    lastCallAt: input.now,
    tools,
    shapes,
    hours,
  };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
