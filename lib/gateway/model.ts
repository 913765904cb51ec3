/** The gateway's vocabulary and small pure helpers (seed 002). */
import { createHash } from "node:crypto";
import { canonicalJson } from "@/lib/signing/message-auth";
import type { RiskLevel, TemplateName, TemplateOptions } from "./templates";

/** The project's deterministic JSON (keys sorted, no whitespace): arguments digests and shapes. */
export { canonicalJson };

export const DECISIONS = ["allow", "block", "pending"] as const;
export type Decision = (typeof DECISIONS)[number];
export const REVIEW_DECISIONS = ["allow", "block"] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];
export const RISK_LEVELS = ["LOW", "MEDIUM", "HIGH", "CRITICAL"] as const satisfies readonly RiskLevel[];
export const ON_MATCH = ["block", "pending"] as const;
export type OnMatch = (typeof ON_MATCH)[number];

/** A tool policy id: a slug unique per organization (or a UUID when the client leaves it out). */
export const POLICY_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export function maxRisk(...levels: RiskLevel[]): RiskLevel {
  let best = 0;
  for (const l of levels) best = Math.max(best, RISK_LEVELS.indexOf(l));
  return RISK_LEVELS[best]!;
}

/** One explanation of the verdict: which policy or rule, what it decided, and what would change it. */
export type Reason = {
  /** kill_switch, rate_limited, policy, rule, anomaly, unknown_tool… */
  code: "agent_paused" | "agent_retired" | "tool_not_allowed" | "rate_limited" | "policy" | "rule" | "anomaly";
  decision: Decision;
  /** The tool policy, the rules document rule ("<documentId>#<ruleId>"), or the built-in check. */
  policy_name: string;
  message: string;
  /** Counterfactual: what would have been allowed (or, for rate limits, when to retry). */
  hint: string;
  risk_level?: RiskLevel;
  /** Seconds until a retry may pass (rate_limited only). */
  retry_after?: number;
  /** Where in the arguments it matched, when known. */
  path?: string;
  signals?: string[];
};

export type AnomalySignal = { signal: "rate_spike" | "first_seen_tool" | "first_seen_shape" | "block_burst" | "off_hours"; weight: number; detail: string };

/** Stable JSON: object keys sorted, so equal arguments always give the same digest. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export function argumentsDigest(args: unknown): string {
  return sha256Hex(canonicalJson(args));
}

/** The structure of the arguments without their values: {sql: string, limit: number} → a short digest. */
export function argumentShape(args: unknown): string {
  const shape = (v: unknown, depth: number): unknown => {
    if (Array.isArray(v)) return depth > 4 ? "array" : [shape(v[0], depth + 1)];
    if (v !== null && typeof v === "object") {
      if (depth > 4) return "object";
      return Object.fromEntries(Object.keys(v).sort().slice(0, 50).map((k) => [k, shape((v as Record<string, unknown>)[k], depth + 1)]));
    }
    return v === null ? "null" : typeof v;
  };
  return sha256Hex(canonicalJson(shape(args, 0))).slice(0, 16);
}

/** The policy a clean call of this category is checked against, as the seed's example names it. */
export const CATEGORY_POLICY: Record<string, TemplateName | "default"> = {
  database: "sql-injection",
  shell: "shell-injection",
  filesystem: "path-traversal",
  network: "exfiltration",
  email: "exfiltration",
  payment: "default",
  code: "shell-injection",
  other: "default",
};

/** A tool policy as the engine evaluates it (platform default or the organization's own). */
export type PolicySpec =
  | { id: string; name: string; kind: "template"; template: TemplateName; options: TemplateOptions; riskLevel: RiskLevel; onMatch: OnMatch; version: number }
  | { id: string; name: string; kind: "schema"; schema: Record<string, unknown>; riskLevel: RiskLevel; onMatch: OnMatch; version: number };

export type GatewaySettingsView = { anomalyThreshold: number; agentRatePerMinute: number; toolRatePerMinute: number; pendingTtlSeconds: number };
export const DEFAULT_SETTINGS: GatewaySettingsView = { anomalyThreshold: 0.8, agentRatePerMinute: 600, toolRatePerMinute: 120, pendingTtlSeconds: 900 };
