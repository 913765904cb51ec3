/**
 * The per-agent rate-limit window (pure): per-second call counts of the last window, for the agent
 * and per tool, kept in the agent's statistics row (gateway_agent_stats.rate_window) — the row a
 * check locks anyway — so counting a check's rate costs no query over gateway_checks. A second is
 * in the window while it is one of the last `windowSeconds` whole seconds (the current one included).
 */
export type RateBuckets = [second: number, count: number][];
export type RateWindow = { agent?: RateBuckets; tools?: Record<string, RateBuckets> };

/** Bound on the tools one agent's window tracks at once; past it a new tool counts for the agent only. */
const MAX_TOOLS = 1000;

export function parseRateWindow(raw: unknown): RateWindow {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return {};
  const w = raw as RateWindow;
  return { agent: Array.isArray(w.agent) ? w.agent : [], tools: w.tools && typeof w.tools === "object" ? w.tools : {} };
}

function live(b: RateBuckets | undefined, sinceSecond: number): RateBuckets {
  if (!b?.length) return [];
  let i = 0;
  while (i < b.length && b[i]![0] <= sinceSecond) i++;
  return i === 0 ? b : b.slice(i);
}

const sum = (b: RateBuckets) => b.reduce((n, x) => n + x[1], 0);

export type RateCounts = { agentCalls: number; toolCalls: number; oldestInWindow: { agent?: Date; tool?: Date } };

export function rateCounts(w: RateWindow, tool: string, now: Date, windowSeconds: number): RateCounts {
  const since = Math.floor(now.getTime() / 1000) - windowSeconds;
  const a = live(w.agent, since);
  const t = live(w.tools?.[tool], since);
  return {
    agentCalls: sum(a),
    toolCalls: sum(t),
    oldestInWindow: { agent: a.length ? new Date(a[0]![0] * 1000) : undefined, tool: t.length ? new Date(t[0]![0] * 1000) : undefined },
  };
}

function bump(b: RateBuckets, second: number): RateBuckets {
  const last = b[b.length - 1];
  if (last && last[0] === second) return [...b.slice(0, -1), [second, last[1] + 1]];
  // Checks of one agent decided on several instances may arrive a little out of order: keep seconds sorted.
  if (last && last[0] > second) {
    const i = b.findIndex((x) => x[0] >= second);
    return b[i]![0] === second ? b.map((x, k) => (k === i ? [second, x[1] + 1] : x)) : [...b.slice(0, i), [second, 1], ...b.slice(i)];
  }
  return [...b, [second, 1]];
}

/** The window after one more counted call of `tool` at `now`, with expired seconds (and tools) dropped. */
export function countCall(w: RateWindow, tool: string, now: Date, windowSeconds: number): RateWindow {
  const second = Math.floor(now.getTime() / 1000);
  const since = second - windowSeconds;
  const tools: Record<string, RateBuckets> = {};
  for (const [name, b] of Object.entries(w.tools ?? {})) {
    const l = live(b, since);
    if (l.length) tools[name] = l;
  }
  if (tool in tools || Object.keys(tools).length < MAX_TOOLS) tools[tool] = bump(tools[tool] ?? [], second);
  return { agent: bump(live(w.agent, since), second), tools };
}
