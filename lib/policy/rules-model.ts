import type { Address, Outcome, RequestKind } from "./types";

/* The normalised, JSON-safe shape of a rules document, as stored and as compiled. */

export const RULE_ACTIONS = ["allow", "deny", "require_approval"] as const;
export const REQUEST_KINDS = ["transaction", "message", "typed_data"] as const satisfies readonly RequestKind[];
export const OPERATORS = ["eq", "neq", "in", "notIn", "gt", "gte", "lt", "lte", "inList", "notInList"] as const;
export type Operator = (typeof OPERATORS)[number];

export const BASE_FIELDS = [
  "to", "value", "selector", "chainId", "token", "tokenAmount", "counterparty", "hour", "weekday", "kind",
] as const;
export type BaseField = (typeof BASE_FIELDS)[number];
export type Field = BaseField | `args.${string}`;

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

export type FieldKind = "address" | "amount" | "selector" | "integer" | "weekday" | "kind" | "arg";

export const OPS_BY_KIND: Readonly<Record<FieldKind, readonly Operator[]>> = {
  address: ["eq", "neq", "in", "notIn", "inList", "notInList"],
  amount: ["eq", "neq", "in", "notIn", "gt", "gte", "lt", "lte"],
  selector: ["eq", "neq", "in", "notIn"],
  integer: ["eq", "neq", "in", "notIn", "gt", "gte", "lt", "lte"],
  weekday: ["eq", "neq", "in", "notIn"],
  kind: ["eq", "neq", "in", "notIn"],
  arg: OPERATORS,
};

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
  return /^args\.[A-Za-z_][A-Za-z0-9_]*$/.test(field) ? "arg" : null;
}
