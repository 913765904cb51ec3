import { INTEGER_TEXT, RISK_LEVELS, fieldKind, isToolField, type Comparison, type Condition, type Field, type Rule, type RulesDocument, type Scalar } from "./rules-model";
import { parseRulesDocument } from "./rules-schema";
import { localTime, type LocalTime } from "./time";
import type { ArgValue, DecodedRequest, Outcome } from "./types";

export * from "./rules-model";
export { parseRulesDocument } from "./rules-schema";
export { describeRule, describeCondition, counterfactual } from "./describe";

/* ───────────────────────── Compilation and evaluation ───────────────────────── */

/** What a rule sees of a tool call (seed 002 gateway, lib/gateway). */
export interface ToolCallFacts {
  tool: string;
  arguments: unknown;
  category: string;
  risk: string;
  anomalyScore: number;
  /** The agent's identifiers: its seed 002 agent_id and its registry id (either matches `agent`). */
  agent: readonly string[];
}

/** The agent's trust score at decision time (seed 001, lib/trust `trustFacts`); null when it has none. */
export interface TrustFacts {
  composite: number;
  reliability: number;
  quality: number;
  financial: number;
  security: number;
  stability: number;
  confidence: string;
  recommendation: string;
}

export interface RuleContext {
  /** A signing request; absent for a tool call. */
  decoded?: DecodedRequest;
  /** A tool call; absent for a signing request. */
  tool?: ToolCallFacts;
  /** The acting agent's trust score, for `trust.*` fields. */
  trust?: TrustFacts | null;
  now: Date;
  local: LocalTime | undefined;
}

type Predicate = (ctx: RuleContext) => boolean;
type FieldValue = bigint | string | number | boolean | null;

/** A rule naming any tool-call field applies to tool calls only; any other rule to signing requests only. */
export type RuleDomain = "transaction" | "tool";

type Entry = { rule: Rule; index: number; domain: RuleDomain; matches: Predicate };

export interface CompiledRules {
  readonly source: RulesDocument;
  readonly rules: readonly Entry[];
  /**
   * The tool rules by the tool name they require (`tool eq "x"`, alone or in an `all`): a call is
   * tested only against the rules for its tool and the rules that name no tool, in document order.
   */
  readonly toolIndex?: { readonly free: readonly Entry[]; readonly byTool: ReadonlyMap<string, readonly Entry[]> };
}

/** The tool name a condition requires (`tool eq "x"`, or such a comparison inside an `all`), else null. */
export function requiredTool(c: Condition): string | null {
  if ("all" in c) {
    for (const x of c.all) {
      const t = requiredTool(x);
      if (t !== null) return t;
    }
    return null;
  }
  if ("any" in c || "not" in c) return null;
  return c.field === "tool" && c.op === "eq" && typeof c.value === "string" ? c.value : null;
}

function indexToolRules(entries: readonly Entry[]): NonNullable<CompiledRules["toolIndex"]> {
  const free: Entry[] = [];
  const byTool = new Map<string, Entry[]>();
  for (const e of entries) {
    if (e.domain !== "tool") continue;
    const tool = requiredTool(e.rule.when);
    if (tool === null) free.push(e);
    else {
      const list = byTool.get(tool);
      if (list) list.push(e);
      else byTool.set(tool, [e]);
    }
  }
  return { free, byTool };
}

function fieldsOf(c: Condition): string[] {
  if ("all" in c) return c.all.flatMap(fieldsOf);
  if ("any" in c) return c.any.flatMap(fieldsOf);
  if ("not" in c) return fieldsOf(c.not);
  return [c.field];
}

export function ruleDomain(rule: Pick<Rule, "when">): RuleDomain {
  return fieldsOf(rule.when).some(isToolField) ? "tool" : "transaction";
}

/** `arguments.a.0.b` read from the call's arguments (arrays by index); null when absent or not a scalar. */
function argumentAt(args: unknown, path: string[]): FieldValue {
  let v: unknown = args;
  for (const part of path) {
    if (v === null || typeof v !== "object") return null;
    v = Array.isArray(v) ? (/^\d+$/.test(part) ? v[Number(part)] : undefined) : Object.hasOwn(v, part) ? (v as Record<string, unknown>)[part] : undefined;
  }
  if (typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  // Objects and arrays are compared (contains / matches / eq) as their JSON text.
  if (v !== null && typeof v === "object") return JSON.stringify(v);
  return null;
}

const RISK_RANK = new Map<string, number>(RISK_LEVELS.map((r, i) => [r, i]));

function local(ctx: RuleContext, timeZone: string): LocalTime {
  ctx.local ??= localTime(ctx.now, timeZone);
  return ctx.local;
}

function reader(field: Field, timeZone: string): (ctx: RuleContext) => FieldValue {
  const tx = (read: (d: DecodedRequest) => FieldValue) => (c: RuleContext) => (c.decoded ? read(c.decoded) : null);
  const tool = (read: (t: ToolCallFacts) => FieldValue) => (c: RuleContext) => (c.tool ? read(c.tool) : null);
  switch (field) {
    case "to": return tx((d) => d.to);
    case "value": return tx((d) => d.value);
    case "selector": return tx((d) => d.selector);
    case "chainId": return tx((d) => d.chainId);
    case "token": return tx((d) => d.token?.token ?? null);
    case "tokenAmount": return tx((d) => d.token?.amount ?? null);
    // A plain native transfer's counterparty is its recipient.
    case "counterparty": return tx((d) => d.token?.counterparty ?? (d.plainTransfer ? d.to : null));
    case "hour": return (c) => local(c, timeZone).hour;
    case "weekday": return (c) => local(c, timeZone).weekday;
    case "kind": return tx((d) => d.kind);
    case "tool": return tool((t) => t.tool);
    case "category": return tool((t) => t.category);
    case "risk": return tool((t) => t.risk);
    case "anomaly_score": return tool((t) => t.anomalyScore);
    case "agent": return tool((t) => t.agent[0] ?? null);
    default: {
      if (field.startsWith("trust.")) {
        const key = field.slice("trust.".length) as keyof TrustFacts;
        return (c) => c.trust?.[key] ?? null;
      }
      if (field.startsWith("arguments.")) {
        const path = field.split(".").slice(1);
        return tool((t) => argumentAt(t.arguments, path));
      }
      const name = field.slice("args.".length);
      return tx((d) => (d.args as Record<string, ArgValue | undefined>)[name] ?? null);
    }
  }
}

const ADDRESS_TEXT = /^0x[0-9a-fA-F]{40}$/;

/** Comparable key for equality: addresses and hex case-insensitive, integers canonical. */
function key(v: FieldValue | Scalar): string {
  if (typeof v === "bigint" || typeof v === "number") return `n:${v.toString()}`;
  if (typeof v === "boolean") return `b:${v}`;
  if (v === null) return "null";
  if (ADDRESS_TEXT.test(v) || /^0x[0-9a-fA-F]*$/.test(v)) return `s:${v.toLowerCase()}`;
  if (INTEGER_TEXT.test(v)) return `n:${BigInt(v).toString()}`;
  return `s:${v}`;
}

function toBig(v: FieldValue): bigint | null {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isInteger(v)) return BigInt(v);
  if (typeof v === "string" && INTEGER_TEXT.test(v)) return BigInt(v);
  return null;
}

/** Tool-call comparisons: text (case-sensitive equality; contains / matches ignore case), risk by rank, numbers. */
function compileToolComparison(c: Comparison, read: (ctx: RuleContext) => FieldValue): Predicate {
  const kind = fieldKind(c.field);
  const when = (test: (v: Exclude<FieldValue, null>) => boolean): Predicate => (ctx) => {
    const v = read(ctx);
    return v !== null && test(v);
  };
  const norm = (v: FieldValue | Scalar) => (typeof v === "string" ? `s:${v}` : `${typeof v}:${String(v)}`);
  if (c.field === "agent") {
    // The agent may be named by its seed 002 agent_id or its registry id.
    const values = new Set((Array.isArray(c.value) ? c.value : [c.value]).map(String));
    const hit = (ctx: RuleContext) => (ctx.tool?.agent ?? []).some((a) => values.has(a));
    if (c.op === "eq" || c.op === "in") return (ctx) => !!ctx.tool && hit(ctx);
    if (c.op === "neq" || c.op === "notIn") return (ctx) => !!ctx.tool && !hit(ctx);
  }
  switch (c.op) {
    case "eq": case "neq": {
      const target = norm(c.value as Scalar);
      return c.op === "eq" ? when((v) => norm(v) === target) : when((v) => norm(v) !== target);
    }
    case "in": case "notIn": {
      const set = new Set((c.value as Scalar[]).map(norm));
      return c.op === "in" ? when((v) => set.has(norm(v))) : when((v) => !set.has(norm(v)));
    }
    case "contains": {
      const needle = String(c.value).toLowerCase();
      return when((v) => String(v).toLowerCase().includes(needle));
    }
    case "matches": {
      const re = new RegExp(String(c.value), "iu");
      return when((v) => re.test(String(v)));
    }
    default: {
      const rank = (v: FieldValue | Scalar): number | null =>
        kind === "risk" ? (RISK_RANK.get(String(v)) ?? null) : typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : null;
      const bound = rank(c.value as Scalar) as number;
      const cmp = { gt: (a: number) => a > bound, gte: (a: number) => a >= bound, lt: (a: number) => a < bound, lte: (a: number) => a <= bound }[c.op as "gt" | "gte" | "lt" | "lte"];
      return when((v) => {
        const n = rank(v);
        return n !== null && cmp(n);
      });
    }
  }
}

function compileComparison(c: Comparison, doc: RulesDocument): Predicate {
  const read = reader(c.field, doc.timeZone);
  if (isToolField(c.field)) return compileToolComparison(c, read);
  // A missing field (e.g. `token` on a plain transfer) makes every comparison false, including neq / notIn.
  const when = (test: (v: Exclude<FieldValue, null>) => boolean): Predicate => (ctx) => {
    const v = read(ctx);
    return v !== null && test(v);
  };
  switch (c.op) {
    case "eq": case "neq": {
      const target = key(c.value as Scalar);
      return c.op === "eq" ? when((v) => key(v) === target) : when((v) => key(v) !== target);
    }
    case "in": case "notIn": {
      const set = new Set((c.value as Scalar[]).map(key));
      return c.op === "in" ? when((v) => set.has(key(v))) : when((v) => !set.has(key(v)));
    }
    case "inList": case "notInList": {
      const set = new Set((doc.lists[c.value as string] ?? []).map((a) => a.toLowerCase()));
      const member = (v: Exclude<FieldValue, null>) => typeof v === "string" && set.has(v.toLowerCase());
      const isAddr = (v: Exclude<FieldValue, null>) => typeof v === "string" && ADDRESS_TEXT.test(v);
      return c.op === "inList" ? when((v) => isAddr(v) && member(v)) : when((v) => isAddr(v) && !member(v));
    }
    default: {
      const bound = BigInt(String(c.value));
      const cmp = { gt: (a: bigint) => a > bound, gte: (a: bigint) => a >= bound, lt: (a: bigint) => a < bound, lte: (a: bigint) => a <= bound }[c.op as "gt" | "gte" | "lt" | "lte"];
      return when((v) => {
        const n = toBig(v);
        return n !== null && cmp(n);
      });
    }
  }
}

function compileCondition(c: Condition, doc: RulesDocument): Predicate {
  if ("all" in c) {
    const parts = c.all.map((x) => compileCondition(x, doc));
    return (ctx) => parts.every((p) => p(ctx));
  }
  if ("any" in c) {
    const parts = c.any.map((x) => compileCondition(x, doc));
    return (ctx) => parts.some((p) => p(ctx));
  }
  if ("not" in c) {
    const inner = compileCondition(c.not, doc);
    return (ctx) => !inner(ctx);
  }
  return compileComparison(c, doc);
}

/** Validates (when given raw input) and compiles a document into predicates, once per version. */
export function compileRules(input: unknown): CompiledRules {
  const source = parseRulesDocument(input);
  const rules = source.rules.map((rule, index) => ({ rule, index, domain: ruleDomain(rule), matches: compileCondition(rule.when, source) }));
  return { source, rules, toolIndex: indexToolRules(rules) };
}

export interface RulesOutcome {
  action: Outcome;
  /** The first rule whose condition matched; null when the default action applied. */
  matched: { rule: Rule; index: number } | null;
}

/** First matching rule wins; otherwise the document's default action. */
export function evaluateRules(compiled: CompiledRules, decoded: DecodedRequest, now: Date, trust: TrustFacts | null = null): RulesOutcome {
  const ctx: RuleContext = { decoded, now, local: undefined, trust };
  for (const entry of compiled.rules) {
    if (entry.domain === "transaction" && entry.matches(ctx)) return { action: entry.rule.action, matched: { rule: entry.rule, index: entry.index } };
  }
  return { action: compiled.source.defaultAction, matched: null };
}

/**
 * A tool call against a document's tool rules: the first matching tool rule, or null. The document's
 * defaultAction is written for signing requests and does not apply to tool calls.
 */
export function evaluateToolRules(compiled: CompiledRules, facts: ToolCallFacts, now: Date, trust: TrustFacts | null = null): { rule: Rule; index: number } | null {
  const index = compiled.toolIndex;
  if (!index) return evaluateToolRulesInOrder(compiled, facts, now, trust);
  const ctx: RuleContext = { tool: facts, now, local: undefined, trust };
  const free = index.free;
  const named = (typeof facts.tool === "string" && index.byTool.get(facts.tool)) || NO_ENTRIES;
  // Merge the two lists in document order; the first rule that matches wins.
  let i = 0;
  let j = 0;
  while (i < free.length || j < named.length) {
    const entry = j >= named.length || (i < free.length && free[i]!.index < named[j]!.index) ? free[i++]! : named[j++]!;
    if (entry.matches(ctx)) return { rule: entry.rule, index: entry.index };
  }
  return null;
}

const NO_ENTRIES: readonly Entry[] = [];

/** The same answer as evaluateToolRules by testing every tool rule in document order (the reference the index must agree with). */
export function evaluateToolRulesInOrder(compiled: CompiledRules, facts: ToolCallFacts, now: Date, trust: TrustFacts | null = null): { rule: Rule; index: number } | null {
  const ctx: RuleContext = { tool: facts, now, local: undefined, trust };
  for (const entry of compiled.rules) {
    if (entry.domain === "tool" && entry.matches(ctx)) return { rule: entry.rule, index: entry.index };
  }
  return null;
}
