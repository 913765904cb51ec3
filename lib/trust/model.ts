/**
 * The trust-score model of seed 001 (Signet), as issue #15 fixes it. Pure: no I/O, no clock, every
 * constant in one place. `recompute` rebuilds an agent's score from its event history alone; the
 * store (lib/trust/store.ts) keeps the folded state beside the events and tests compare the two.
 *
 *   composite      round(Σ weight·dimension), clamped 0–1000
 *   signal         d ← d·(1−α) + s·α,  α = 0.05 + 0.10 / (1 + n/20),  n = transactions before this one
 *   outcome        stability gets s = 1000 success, 700 partial, 300 timeout, 200 failure, 100 error
 *   config change  largest of model_swap 25 %, prompt_update 10 %, tool_change 8 %, memory_change 5 %
 *                  of every dimension's distance above 300 (never below 300 by itself)
 *   inactivity     after 30 days without transactions, every dimension 1 % per whole week toward 500
 *   confidence     low < 5 transactions, medium 5–19, high ≥ 20 and ≥ 7 days since registration
 *   recommendation clear ≥ 700, review 400–699, caution < 400; never clear at low confidence
 */
import { createHash } from "node:crypto";
import { canonicalJson } from "@/lib/signing/message-auth";

export const DIMENSIONS = ["reliability", "quality", "financial", "security", "stability"] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export type Dimensions = Record<Dimension, number>;

export const TRUST = {
  initial: 500,
  min: 0,
  max: 1000,
  weights: { reliability: 0.3, quality: 0.25, financial: 0.2, security: 0.15, stability: 0.1 } satisfies Dimensions,
  alphaBase: 0.05,
  alphaBoost: 0.1,
  alphaHalfLife: 20,
  outcomeStability: { success: 1000, partial: 700, timeout: 300, failure: 200, error: 100 },
  configDecay: { model_swap: 0.25, prompt_update: 0.1, tool_change: 0.08, memory_change: 0.05 },
  decayFloor: 300,
  inactivityGraceDays: 30,
  inactivityWeeklyRate: 0.01,
  inactivityTarget: 500,
  confidenceMedium: 5,
  confidenceHigh: 20,
  confidenceHighMinDays: 7,
  clearAt: 700,
  reviewAt: 400,
} as const;

export const OUTCOMES = ["success", "partial", "failure", "timeout", "error"] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const CHANGE_TYPES = ["model_swap", "prompt_update", "tool_change", "memory_change"] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];
export type Confidence = "low" | "medium" | "high";
export type Recommendation = "clear" | "review" | "caution";
/** Signals a report may carry; stability comes from the outcome only. */
export type Signals = Partial<Record<Exclude<Dimension, "stability">, number>>;
export const SIGNAL_DIMENSIONS = ["reliability", "quality", "financial", "security"] as const;

export const IDENTITY_LABELS = { 0: "None", 1: "Callback-Verified", 2: "Proof-of-Human" } as const;
export type IdentityLevel = keyof typeof IDENTITY_LABELS;

const DAY = 86_400_000;
const WEEK = 7 * DAY;

/** The folded state of one agent. Times are milliseconds since the epoch; dimensions stay unrounded. */
export type TrustState = {
  dims: Dimensions;
  /** Transactions so far. */
  n: number;
  registeredAt: number;
  /** Last transaction, or registration while there is none: the inactivity clock starts here. */
  lastActivityAt: number;
  /** Inactivity weeks already folded into `dims` (by a config change during inactivity). */
  weeksApplied: number;
};

export type TrustEvent =
  | { kind: "register"; at: number }
  | { kind: "transaction"; at: number; outcome: Outcome; signals: Signals }
  | { kind: "config_change"; at: number; changeType: ChangeType };

const clamp = (x: number) => Math.min(TRUST.max, Math.max(TRUST.min, x));
const mapDims = (d: Dimensions, f: (x: number, k: Dimension) => number): Dimensions =>
  Object.fromEntries(DIMENSIONS.map((k) => [k, f(d[k], k)])) as Dimensions;

export function initialState(at: number): TrustState {
  return { dims: mapDims({} as Dimensions, () => TRUST.initial), n: 0, registeredAt: at, lastActivityAt: at, weeksApplied: 0 };
}

export function alpha(n: number): number {
  return TRUST.alphaBase + TRUST.alphaBoost / (1 + n / TRUST.alphaHalfLife);
}

export function compositeOf(d: Dimensions): number {
  return Math.round(clamp(DIMENSIONS.reduce((sum, k) => sum + TRUST.weights[k] * d[k], 0)));
}

export function confidenceOf(n: number, registeredAt: number, now: number): Confidence {
  if (n < TRUST.confidenceMedium) return "low";
  if (n >= TRUST.confidenceHigh && now - registeredAt >= TRUST.confidenceHighMinDays * DAY) return "high";
  return "medium";
}

export function recommendationOf(composite: number, confidence: Confidence): Recommendation {
  if (composite >= TRUST.clearAt) return confidence === "low" ? "review" : "clear";
  return composite >= TRUST.reviewAt ? "review" : "caution";
}

/** Whole weeks of inactivity at `now`: weeks after the 30-day grace since the last transaction. */
export function inactivityWeeks(lastActivityAt: number, now: number): number {
  const idle = now - lastActivityAt - TRUST.inactivityGraceDays * DAY;
  return idle <= 0 ? 0 : Math.floor(idle / WEEK);
}

function towardTarget(d: Dimensions, weeks: number): Dimensions {
  if (weeks <= 0) return d;
  const keep = (1 - TRUST.inactivityWeeklyRate) ** weeks;
  return mapDims(d, (x) => TRUST.inactivityTarget + (x - TRUST.inactivityTarget) * keep);
}

/**
 * The state as of `now` with inactivity applied (lazily on read, and by the sweep, with the same
 * result: both compute from the last folded state and the total weeks, never step by step).
 */
export function stateAt(s: TrustState, now: number): TrustState {
  const weeks = inactivityWeeks(s.lastActivityAt, now);
  if (weeks <= s.weeksApplied) return s;
  return { ...s, dims: towardTarget(s.dims, weeks - s.weeksApplied), weeksApplied: weeks };
}

export function applyTransaction(s0: TrustState, tx: { at: number; outcome: Outcome; signals: Signals }): TrustState {
  const s = stateAt(s0, tx.at);
  const a = alpha(s.n);
  const signal: Partial<Dimensions> = { ...tx.signals, stability: TRUST.outcomeStability[tx.outcome] };
  const dims = mapDims(s.dims, (x, k) => {
    const v = signal[k];
    return v === undefined ? x : clamp(x * (1 - a) + clamp(v) * a);
  });
  return { ...s, dims, n: s.n + 1, lastActivityAt: Math.max(s.lastActivityAt, tx.at), weeksApplied: 0 };
}

export function applyConfigChange(s0: TrustState, change: { at: number; changeType: ChangeType }): TrustState {
  const s = stateAt(s0, change.at);
  const keep = 1 - TRUST.configDecay[change.changeType];
  return { ...s, dims: mapDims(s.dims, (x) => (x > TRUST.decayFloor ? TRUST.decayFloor + (x - TRUST.decayFloor) * keep : x)) };
}

export function applyEvent(s: TrustState | null, e: TrustEvent): TrustState {
  if (e.kind === "register") return initialState(e.at);
  if (!s) throw new Error("A trust history must begin with its registration");
  return e.kind === "transaction" ? applyTransaction(s, e) : applyConfigChange(s, e);
}

/** Rebuilds a score from its history alone (events in the order they happened). */
export function recompute(events: readonly TrustEvent[]): TrustState {
  let s: TrustState | null = null;
  for (const e of events) s = applyEvent(s, e);
  if (!s) throw new Error("Empty trust history");
  return s;
}

/** What the routes show: rounded dimensions, composite, confidence and recommendation as of `now`. */
export type ScoreView = Dimensions & { composite: number; confidence: Confidence; recommendation: Recommendation };

export function viewOf(s0: TrustState, now: number): ScoreView {
  const s = stateAt(s0, now);
  const dims = mapDims(s.dims, (x) => Math.round(x));
  const composite = compositeOf(s.dims);
  const confidence = confidenceOf(s.n, s.registeredAt, now);
  return { ...dims, composite, confidence, recommendation: recommendationOf(composite, confidence) };
}

// --- Configuration fingerprint and change detection ---

export type AgentConfig = { modelProvider: string; modelName: string; systemPromptHash?: string | null; tools?: readonly string[] | null; memoryConfig?: unknown };

function normalized(c: AgentConfig) {
  return {
    provider: c.modelProvider,
    model: c.modelName,
    prompt_hash: c.systemPromptHash ?? null,
    tools: [...new Set(c.tools ?? [])].sort(),
    memory_config: c.memoryConfig ?? null,
  };
}

/** SHA-256 (hex) of the canonical JSON of provider, model, prompt hash, sorted tools and memory config. */
export function fingerprintOf(c: AgentConfig): string {
  return createHash("sha256").update(canonicalJson(normalized(c)), "utf8").digest("hex");
}

/** The largest change between two configurations, or null when they are the same. */
export function changeTypeOf(before: AgentConfig, after: AgentConfig): ChangeType | null {
  const a = normalized(before);
  const b = normalized(after);
  if (a.provider !== b.provider || a.model !== b.model) return "model_swap";
  if (a.prompt_hash !== b.prompt_hash) return "prompt_update";
  if (canonicalJson(a.tools) !== canonicalJson(b.tools)) return "tool_change";
  if (canonicalJson(a.memory_config) !== canonicalJson(b.memory_config)) return "memory_change";
  return null;
}

// --- Signet IDs ---

export const SID_RE = /^SID-0x[0-9a-f]{16}$/;
export const SID_FORMAT_ERROR = "Invalid SID format. Expected: SID-0x[16 hex chars]";

/** A SID as Countersign stores it (lowercase hex), or null when the text is not one. */
export function normalizeSid(text: string): string | null {
  return /^SID-0x[0-9a-fA-F]{16}$/.test(text) ? `SID-0x${text.slice(6).toLowerCase()}` : null;
}

export function sidFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== 8) throw new Error("A SID takes 8 random bytes");
  return `SID-0x${Buffer.from(bytes).toString("hex")}`;
}

/** Operator score: mean composite of the active agents weighted by transaction count; 500 while they have none. */
export function operatorScore(agents: readonly { composite: number; n: number }[]): number {
  const total = agents.reduce((t, a) => t + a.n, 0);
  if (total === 0) return TRUST.initial;
  return Math.round(agents.reduce((t, a) => t + a.composite * a.n, 0) / total);
}
