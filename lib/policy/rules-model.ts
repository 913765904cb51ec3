import type { Address, Outcome, RequestKind } from "./types";

/* The normalised, JSON-safe shape of a rules document, as stored and as compiled. */

export const RULE_ACTIONS = ["allow", "deny", "require_approval"] as const;
export const REQUEST_KINDS = ["transaction", "message", "typed_data"] as const satisfies readonly RequestKind[];
export const OPERATORS = ["eq", "neq", "in", "notIn", "gt", "gte", "lt", "lte", "inList", "notInList", "contains", "matches"] as const;
export type Operator = (typeof OPERATORS)[number];

export const BASE_FIELDS = [
  "to", "value", "selector", "chainId", "token", "tokenAmount", "counterparty", "hour", "weekday", "kind",
] as const;
export type BaseField = (typeof BASE_FIELDS)[number];

/**
 * Tool-call fields (seed 002 gateway, lib/gateway): the tool's name, its classification category,
 * the risk level the tool policies found, the agent's anomaly score (0–1), the agent (its seed 002
 * agent_id or registry id) and `arguments.<path>` into the call's arguments. A rule that names any of
 * them applies to tool calls only; every other rule applies to signing requests only.
 */
export const TOOL_FIELDS = ["tool", "category", "risk", "anomaly_score", "agent"] as const;
export type ToolField = (typeof TOOL_FIELDS)[number];
/**
 * Trust-score fields (seed 001, lib/trust): the agent's score as it is at decision time. They apply
 * to whichever kind of rule names them (signing, or a tool call when a tool field is named too). An
 * agent without a trust score has none of them, so every comparison on them is false.
 */
export const TRUST_SCORE_FIELDS = ["trust.composite", "trust.reliability", "trust.quality", "trust.financial", "trust.security", "trust.stability"] as const;
export const TRUST_FIELDS = [...TRUST_SCORE_FIELDS, "trust.confidence", "trust.recommendation"] as const;
export type TrustField = (typeof TRUST_FIELDS)[number];
export const TRUST_LEVELS = { "trust.confidence": ["low", "medium", "high"], "trust.recommendation": ["clear", "review", "caution"] } as const;
export type Field = BaseField | ToolField | TrustField | `args.${string}` | `arguments.${string}`;

export const RISK_LEVELS = ["LOW", "MEDIUM", "HIGH", "CRITICAL"] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
/** Longest pattern a `matches` operand may have (evaluated case-insensitively). */
export const MAX_PATTERN_LENGTH = 200;

export type Scalar = string | number | boolean;

export interface Comparison {
  field: Field;
  op: Operator;
  /** Amounts are decimal wei / base-unit strings, addresses checksummed, selectors lowercase hex. */
  value: Scalar | Scalar[];
}

export type Condition = { all: Condition[] } | { any: Condition[] } | { not: Condition } | Comparison;

export interface Rule {
  id: string;
  description?: string;
  when: Condition;
  action: Outcome;
}

export interface RulesDocument {
  version: 1;
  defaultAction: Outcome;
  /** Zone in which `hour` and `weekday` are read; "UTC" unless configured. */
  timeZone: string;
  /** Named counterparty lists referenced by `inList` / `notInList`. */
  lists: Record<string, Address[]>;
  rules: Rule[];
}

export const RULES_LIMITS = { maxRules: 1000, maxDepth: 12, maxListEntries: 10_000, maxInValues: 1000 } as const;

export type FieldKind = "address" | "amount" | "selector" | "integer" | "weekday" | "kind" | "arg" | "text" | "risk" | "score" | "argument" | "trustScore" | "trustLevel";

export const OPS_BY_KIND: Readonly<Record<FieldKind, readonly Operator[]>> = {
  address: ["eq", "neq", "in", "notIn", "inList", "notInList"],
  amount: ["eq", "neq", "in", "notIn", "gt", "gte", "lt", "lte"],
  selector: ["eq", "neq", "in", "notIn"],
  integer: ["eq", "neq", "in", "notIn", "gt", "gte", "lt", "lte"],
  weekday: ["eq", "neq", "in", "notIn"],
  kind: ["eq", "neq", "in", "notIn"],
  arg: ["eq", "neq", "in", "notIn", "gt", "gte", "lt", "lte", "inList", "notInList"],
  text: ["eq", "neq", "in", "notIn", "contains", "matches"],
  risk: ["eq", "neq", "in", "notIn", "gt", "gte", "lt", "lte"],
  score: ["gt", "gte", "lt", "lte"],
  argument: ["eq", "neq", "in", "notIn", "gt", "gte", "lt", "lte", "contains", "matches"],
  trustScore: ["eq", "neq", "gt", "gte", "lt", "lte"],
  trustLevel: ["eq", "neq", "in", "notIn"],
};

const TOOL_FIELD_KIND: Readonly<Record<ToolField, FieldKind>> = { tool: "text", category: "text", agent: "text", risk: "risk", anomaly_score: "score" };

/** `arguments.sql`, `arguments.to.0`, `arguments.headers.x-api-key`. */
export const ARGUMENT_PATH = /^arguments(\.[A-Za-z0-9_$-]{1,64}){1,8}$/;

export function isToolField(field: string): boolean {
  return (TOOL_FIELDS as readonly string[]).includes(field) || ARGUMENT_PATH.test(field);
}

export const FIELD_KIND: Readonly<Record<BaseField, FieldKind>> = {
  to: "address",
  token: "address",
  counterparty: "address",
  value: "amount",
  tokenAmount: "amount",
  selector: "selector",
  chainId: "integer",
  hour: "integer",
  weekday: "weekday",
  kind: "kind",
};

export const INTEGER_TEXT = /^-?(0|[1-9][0-9]*)$/;

export function fieldKind(field: string): FieldKind | null {
  if ((BASE_FIELDS as readonly string[]).includes(field)) return FIELD_KIND[field as BaseField];
  if ((TOOL_FIELDS as readonly string[]).includes(field)) return TOOL_FIELD_KIND[field as ToolField];
  if ((TRUST_SCORE_FIELDS as readonly string[]).includes(field)) return "trustScore";
  if (field in TRUST_LEVELS) return "trustLevel";
  if (ARGUMENT_PATH.test(field)) return "argument";
  return /^args\.[A-Za-z_][A-Za-z0-9_]*$/.test(field) ? "arg" : null;
}
