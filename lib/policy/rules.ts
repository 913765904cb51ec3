import { INTEGER_TEXT, type Comparison, type Condition, type Field, type Rule, type RulesDocument, type Scalar } from "./rules-model";
import { parseRulesDocument } from "./rules-schema";
import { localTime, type LocalTime } from "./time";
import type { ArgValue, DecodedRequest, Outcome } from "./types";

export * from "./rules-model";
export { parseRulesDocument } from "./rules-schema";
export { describeRule, describeCondition } from "./describe";

/* ───────────────────────── Compilation and evaluation ───────────────────────── */

export interface RuleContext {
  decoded: DecodedRequest;
  now: Date;
  local: LocalTime | undefined;
}

type Predicate = (ctx: RuleContext) => boolean;
type FieldValue = bigint | string | number | boolean | null;

export interface CompiledRules {
  readonly source: RulesDocument;
  readonly rules: readonly { rule: Rule; index: number; matches: Predicate }[];
}

function local(ctx: RuleContext, timeZone: string): LocalTime {
  ctx.local ??= localTime(ctx.now, timeZone);
  return ctx.local;
}

function reader(field: Field, timeZone: string): (ctx: RuleContext) => FieldValue {
  switch (field) {
    case "to": return (c) => c.decoded.to;
    case "value": return (c) => c.decoded.value;
    case "selector": return (c) => c.decoded.selector;
    case "chainId": return (c) => c.decoded.chainId;
    case "token": return (c) => c.decoded.token?.token ?? null;
    case "tokenAmount": return (c) => c.decoded.token?.amount ?? null;
    // A plain native transfer's counterparty is its recipient.
    case "counterparty": return (c) => c.decoded.token?.counterparty ?? (c.decoded.plainTransfer ? c.decoded.to : null);
    case "hour": return (c) => local(c, timeZone).hour;
    case "weekday": return (c) => local(c, timeZone).weekday;
    case "kind": return (c) => c.decoded.kind;
    default: {
      const name = field.slice("args.".length);
      return (c) => (c.decoded.args as Record<string, ArgValue | undefined>)[name] ?? null;
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

function compileComparison(c: Comparison, doc: RulesDocument): Predicate {
  const read = reader(c.field, doc.timeZone);
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
      const cmp = { gt: (a: bigint) => a > bound, gte: (a: bigint) => a >= bound, lt: (a: bigint) => a < bound, lte: (a: bigint) => a <= bound }[c.op];
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
  return { source, rules: source.rules.map((rule, index) => ({ rule, index, matches: compileCondition(rule.when, source) })) };
}

export interface RulesOutcome {
  action: Outcome;
  /** The first rule whose condition matched; null when the default action applied. */
  matched: { rule: Rule; index: number } | null;
}

/** First matching rule wins; otherwise the document's default action. */
export function evaluateRules(compiled: CompiledRules, decoded: DecodedRequest, now: Date): RulesOutcome {
  const ctx: RuleContext = { decoded, now, local: undefined };
  for (const entry of compiled.rules) {
    if (entry.matches(ctx)) return { action: entry.rule.action, matched: { rule: entry.rule, index: entry.index } };
  }
  return { action: compiled.source.defaultAction, matched: null };
}
