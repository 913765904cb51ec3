import { formatUnits } from "viem";
import { describeRule } from "@/lib/policy/describe";
import { PolicyValidationError, type ValidationIssue } from "@/lib/policy/errors";
import { BASE_FIELDS, OPERATORS, OPS_BY_KIND, fieldKind, type Operator, type Rule, type RulesDocument } from "@/lib/policy/rules-model";
import { parseRulesDocument } from "@/lib/policy/rules-schema";
import type { Outcome } from "@/lib/policy/types";

/*
 * The rules editor's own model: rules as rows of simple conditions (all must hold) plus an action,
 * with anything more elaborate (any / not / nesting) kept as raw JSON for the JSON view. Pure, so the
 * conversions and the diff are unit-tested (tests/ui/policies-rules.test.ts).
 */

export interface EditorCondition {
  field: string;
  op: Operator;
  /** As typed: "1 ETH", "0xabc…, 0xdef…", "9", "treasury". */
  value: string;
}

export interface EditorRule {
  key: string;
  id: string;
  description: string;
  action: Outcome;
  conditions: EditorCondition[];
  /** A `when` the row editor cannot show (any / not / nested groups); edited in the JSON view. */
  rawWhen: unknown;
}

export interface EditorDoc {
  defaultAction: Outcome;
  timeZone: string;
  lists: Record<string, string[]>;
  rules: EditorRule[];
}

export const FIELD_LABEL: Record<string, string> = {
  to: "To (target)",
  value: "Value (ETH)",
  selector: "Function",
  chainId: "Chain id",
  token: "Token",
  tokenAmount: "Token amount (base units)",
  counterparty: "Counterparty",
  hour: "Hour (0-23)",
  weekday: "Weekday",
  kind: "Request kind",
};

export const OP_LABEL: Record<Operator, string> = {
  eq: "is",
  neq: "is not",
  in: "is one of",
  notIn: "is not one of",
  gt: ">",
  gte: "≥",
  lt: "<",
  lte: "≤",
  inList: "is in list",
  notInList: "is not in list",
  contains: "contains",
  matches: "matches (regex)",
};

export const ACTION_LABEL: Record<Outcome, string> = { allow: "Allow", deny: "Deny", require_approval: "Require approval" };

export { BASE_FIELDS, OPERATORS };

export function operatorsFor(field: string): readonly Operator[] {
  const kind = fieldKind(field);
  return kind ? OPS_BY_KIND[kind] : OPERATORS;
}

let counter = 0;
export function newKey(): string {
  counter += 1;
  return `r${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

function rec(value: unknown): Record<string, unknown> | null {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function isComparison(value: unknown): value is { field: string; op: Operator; value: unknown } {
  const r = rec(value);
  return !!r && typeof r.field === "string" && typeof r.op === "string" && (OPERATORS as readonly string[]).includes(r.op);
}

function scalarText(field: string, value: unknown): string {
  if (field === "value" && typeof value === "string" && /^\d+$/.test(value)) return `${formatUnits(BigInt(value), 18)} ETH`;
  return String(value);
}

function valueText(field: string, value: unknown): string {
  return Array.isArray(value) ? value.map((v) => scalarText(field, v)).join(", ") : value === undefined ? "" : scalarText(field, value);
}

/** A stored or typed document → editor rows (tolerant: anything unexpected falls back to raw JSON). */
export function fromDocument(input: unknown): EditorDoc {
  const doc = rec(input) ?? {};
  const lists: Record<string, string[]> = {};
  for (const [name, entries] of Object.entries(rec(doc.lists) ?? {})) lists[name] = Array.isArray(entries) ? entries.map(String) : [];
  const rules = (Array.isArray(doc.rules) ? doc.rules : []).map((item, index): EditorRule => {
    const r = rec(item) ?? {};
    const when = r.when;
    const group = rec(when);
    let conditions: EditorCondition[] = [];
    let rawWhen: unknown = undefined;
    if (isComparison(when)) conditions = [{ field: when.field, op: when.op, value: valueText(when.field, when.value) }];
    else if (group && Object.keys(group).length === 1 && Array.isArray(group.all) && group.all.every(isComparison)) {
      conditions = (group.all as { field: string; op: Operator; value: unknown }[]).map((c) => ({ field: c.field, op: c.op, value: valueText(c.field, c.value) }));
    } else rawWhen = when ?? { all: [] };
    return {
      key: newKey(),
      id: typeof r.id === "string" ? r.id : `rule-${index + 1}`,
      description: typeof r.description === "string" ? r.description : "",
      action: (["allow", "deny", "require_approval"] as const).find((a) => a === r.action) ?? "deny",
      conditions,
      rawWhen,
    };
  });
  return {
    defaultAction: (["allow", "deny", "require_approval"] as const).find((a) => a === doc.defaultAction) ?? "allow",
    timeZone: typeof doc.timeZone === "string" ? doc.timeZone : "UTC",
    lists,
    rules,
  };
}

function scalarFromText(field: string, text: string): string | number | boolean {
  const t = text.trim();
  const kind = fieldKind(field);
  if (kind === "integer" && /^-?\d+$/.test(t)) return Number(t);
  if ((kind === "arg" || kind === "argument") && (t === "true" || t === "false")) return t === "true";
  if ((kind === "score" || kind === "argument") && /^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  return t;
}

function comparisonFrom(c: EditorCondition): Record<string, unknown> {
  if (c.op === "in" || c.op === "notIn") {
    const parts = c.value.split(",").map((p) => p.trim()).filter(Boolean);
    return { field: c.field, op: c.op, value: parts.map((p) => scalarFromText(c.field, p)) };
  }
  if (c.op === "inList" || c.op === "notInList") return { field: c.field, op: c.op, value: c.value.trim() };
  return { field: c.field, op: c.op, value: scalarFromText(c.field, c.value) };
}

export function whenOf(rule: EditorRule): unknown {
  if (rule.rawWhen !== undefined) return rule.rawWhen;
  if (rule.conditions.length === 1) return comparisonFrom(rule.conditions[0]!);
  return { all: rule.conditions.map(comparisonFrom) };
}

/** Editor rows → the JSON document the API takes (validated by parseRulesDocument). */
export function toDocument(doc: EditorDoc): Record<string, unknown> {
  return {
    version: 1,
    defaultAction: doc.defaultAction,
    timeZone: doc.timeZone,
    lists: doc.lists,
    rules: doc.rules.map((r) => ({
      id: r.id,
      ...(r.description.trim() ? { description: r.description.trim() } : {}),
      when: whenOf(r),
      action: r.action,
    })),
  };
}

export type Validation = { ok: true; document: RulesDocument } | { ok: false; issues: ValidationIssue[] };

export function validateDocument(input: unknown): Validation {
  try {
    return { ok: true, document: parseRulesDocument(input) };
  } catch (error) {
    if (error instanceof PolicyValidationError) return { ok: false, issues: [...error.issues] };
    return { ok: false, issues: [{ path: "", message: error instanceof Error ? error.message : "Invalid document" }] };
  }
}

/** Issues that belong to rule `index` (path `rules[index]…`), with the prefix removed. */
export function issuesForRule(issues: readonly ValidationIssue[], index: number): ValidationIssue[] {
  const prefix = `rules[${index}]`;
  return issues.filter((i) => i.path === prefix || i.path.startsWith(`${prefix}.`)).map((i) => ({ path: i.path.slice(prefix.length + 1), message: i.message }));
}

/** Readable preview of one row, or null while it is invalid. */
export function previewRule(doc: EditorDoc, rule: EditorRule): string | null {
  const r = validateDocument({ version: 1, defaultAction: "allow", timeZone: doc.timeZone, lists: doc.lists, rules: [{ id: "preview", when: whenOf(rule), action: rule.action }] });
  return r.ok && r.document.rules[0] ? describeRule(r.document.rules[0]) : null;
}

/* ───────────────────────── Draft vs active ───────────────────────── */

export type DiffEntry =
  | { kind: "added"; ruleId: string; after: string; position: number }
  | { kind: "removed"; ruleId: string; before: string }
  | { kind: "changed"; ruleId: string; before: string; after: string }
  | { kind: "moved"; ruleId: string; from: number; to: number; after: string }
  | { kind: "setting"; name: string; before: string; after: string };

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

function ruleText(rule: Rule): string {
  const text = describeRule(rule);
  return rule.description ? `${text} — “${rule.description}”` : text;
}

const ACTION_WORD: Record<Outcome, string> = { allow: "allow", deny: "deny", require_approval: "require approval" };

/** Ids in a longest common subsequence of two orderings (rules that kept their relative order). */
export function longestCommonOrder(a: readonly string[], b: readonly string[]): Set<string> {
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i]![j] = a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    }
  }
  const out = new Set<string>();
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) {
      out.add(a[i]!);
      i++;
      j++;
    } else if (table[i + 1]![j]! >= table[i]![j + 1]!) i++;
    else j++;
  }
  return out;
}

/**
 * What activating `draft` would change compared with `active` (null: nothing active yet). Rules are
 * matched by id; order matters in a rules document, so a rule that moved relative to the others is
 * reported too.
 */
export function diffDocuments(active: RulesDocument | null, draft: RulesDocument): DiffEntry[] {
  const out: DiffEntry[] = [];
  const before = active ?? { version: 1 as const, defaultAction: "allow" as Outcome, timeZone: "UTC", lists: {}, rules: [] };
  if (before.defaultAction !== draft.defaultAction) {
    out.push({ kind: "setting", name: "Default action", before: ACTION_WORD[before.defaultAction], after: ACTION_WORD[draft.defaultAction] });
  }
  if (before.timeZone !== draft.timeZone) out.push({ kind: "setting", name: "Time zone", before: before.timeZone, after: draft.timeZone });
  const names = new Set([...Object.keys(before.lists), ...Object.keys(draft.lists)]);
  for (const name of [...names].sort()) {
    const a = before.lists[name];
    const b = draft.lists[name];
    if (canonical(a ?? null) === canonical(b ?? null)) continue;
    out.push({ kind: "setting", name: `List “${name}”`, before: a ? `${a.length} address${a.length === 1 ? "" : "es"}` : "none", after: b ? `${b.length} address${b.length === 1 ? "" : "es"}` : "removed" });
  }
  const oldById = new Map(before.rules.map((r, i) => [r.id, { rule: r, index: i }]));
  const newIds = new Set(draft.rules.map((r) => r.id));
  for (const r of before.rules) if (!newIds.has(r.id)) out.push({ kind: "removed", ruleId: r.id, before: ruleText(r) });
  // Rules both versions keep: those outside the longest common order moved.
  const keptOld = before.rules.filter((r) => newIds.has(r.id)).map((r) => r.id);
  const keptNew = draft.rules.filter((r) => oldById.has(r.id)).map((r) => r.id);
  const stayed = longestCommonOrder(keptOld, keptNew);
  draft.rules.forEach((r, i) => {
    const old = oldById.get(r.id);
    if (!old) {
      out.push({ kind: "added", ruleId: r.id, after: ruleText(r), position: i + 1 });
      return;
    }
    const same = canonical({ ...old.rule }) === canonical({ ...r });
    if (!same) out.push({ kind: "changed", ruleId: r.id, before: ruleText(old.rule), after: ruleText(r) });
    if (!stayed.has(r.id)) out.push({ kind: "moved", ruleId: r.id, from: old.index + 1, to: i + 1, after: ruleText(r) });
  });
  return out;
}

/** Counts for the diff headline. */
export function diffCounts(entries: readonly DiffEntry[]): { added: number; removed: number; changed: number; moved: number; settings: number } {
  const count = (k: DiffEntry["kind"]) => entries.filter((e) => e.kind === k).length;
  return { added: count("added"), removed: count("removed"), changed: count("changed"), moved: count("moved"), settings: count("setting") };
}

/** A starter document for a signer without one. */
export function starterDocument(): EditorDoc {
  return {
    defaultAction: "allow",
    timeZone: "UTC",
    lists: {},
    rules: [
      {
        key: newKey(),
        id: "large-transfers",
        description: "Large transfers need a human",
        action: "require_approval",
        conditions: [{ field: "value", op: "gt", value: "1 ETH" }],
        rawWhen: undefined,
      },
    ],
  };
}
