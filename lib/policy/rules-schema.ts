import { z } from "zod";
import { PolicyValidationError, formatPath, zodIssues } from "./errors";
import {
  INTEGER_TEXT,
  OPERATORS,
  OPS_BY_KIND,
  BASE_FIELDS,
  MAX_PATTERN_LENGTH,
  REQUEST_KINDS,
  RISK_LEVELS,
  TOOL_FIELDS,
  TRUST_LEVELS,
  RULE_ACTIONS,
  RULES_LIMITS,
  fieldKind,
  type Comparison,
  type Condition,
  type Field,
  type FieldKind,
  type Operator,
  type RulesDocument,
  type Scalar,
} from "./rules-model";
import { addressSchema, parseAddress, parseAmount, parseSelector, timeZoneSchema } from "./schemas";
import { WEEKDAYS } from "./types";

type Ctx = z.core.$RefinementCtx<unknown>;
type Path = (string | number)[];

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fail(ctx: Ctx, path: Path, message: string): undefined {
  ctx.addIssue({ code: "custom", message, path });
  return undefined;
}

/** Re-emits a nested parse's issues at their paths relative to the current node. */
function forward(ctx: Ctx, error: z.ZodError): void {
  for (const issue of zodIssues(error)) ctx.addIssue({ code: "custom", message: issue.message, path: issue.rawPath });
}

/* ───────────── Operands: one value checked against the field's kind ───────────── */

function operandScalar(ctx: Ctx, field: Field, kind: FieldKind, op: Operator, raw: unknown, path: Path): Scalar | undefined {
  switch (kind) {
    case "address": {
      const r = parseAddress(raw);
      return r.ok ? r.value : fail(ctx, path, r.message);
    }
    case "amount": {
      const r = parseAmount(raw, { allowUnits: field === "value" });
      return r.ok ? r.value.toString() : fail(ctx, path, r.message);
    }
    case "selector": {
      const r = parseSelector(raw);
      return r.ok ? r.value : fail(ctx, path, r.message);
    }
    case "integer": {
      const isHour = field === "hour";
      const max = isHour ? 23 : Number.MAX_SAFE_INTEGER;
      const min = isHour ? 0 : 1;
      if (typeof raw !== "number" || !Number.isInteger(raw) || raw < min || raw > max) {
        return fail(ctx, path, `must be an integer from ${min} to ${isHour ? max : "2^53-1"}, got ${show(raw)}`);
      }
      return raw;
    }
    case "weekday":
      if (typeof raw === "string" && (WEEKDAYS as readonly string[]).includes(raw)) return raw;
      return fail(ctx, path, `must be one of ${WEEKDAYS.join(", ")}, got ${show(raw)}`);
    case "kind":
      if (typeof raw === "string" && (REQUEST_KINDS as readonly string[]).includes(raw)) return raw;
      return fail(ctx, path, `must be one of ${REQUEST_KINDS.join(", ")}, got ${show(raw)}`);
    case "text": case "argument": {
      if (op === "matches") {
        if (typeof raw !== "string" || raw.length === 0 || raw.length > MAX_PATTERN_LENGTH) return fail(ctx, path, `must be a regular expression of 1-${MAX_PATTERN_LENGTH} characters`);
        try {
          new RegExp(raw, "iu");
        } catch (err) {
          return fail(ctx, path, `is not a valid regular expression: ${(err as Error).message}`);
        }
        return raw;
      }
      if (op === "contains") return typeof raw === "string" && raw.length > 0 ? raw : fail(ctx, path, `must be a non-empty string for operator "contains", got ${show(raw)}`);
      if (kind === "argument" && (op === "gt" || op === "gte" || op === "lt" || op === "lte")) {
        return typeof raw === "number" && Number.isFinite(raw) ? raw : fail(ctx, path, `must be a number for operator "${op}", got ${show(raw)}`);
      }
      if (typeof raw === "string") return raw;
      if (kind === "argument" && (typeof raw === "number" || typeof raw === "boolean")) return raw;
      return fail(ctx, path, `must be a string${kind === "argument" ? ", number or boolean" : ""}, got ${show(raw)}`);
    }
    case "risk":
      if (typeof raw === "string" && (RISK_LEVELS as readonly string[]).includes(raw)) return raw;
      return fail(ctx, path, `must be one of ${RISK_LEVELS.join(", ")}, got ${show(raw)}`);
    case "score":
      if (typeof raw === "number" && raw >= 0 && raw <= 1) return raw;
      return fail(ctx, path, `must be a number from 0 to 1, got ${show(raw)}`);
    case "trustScore":
      if (typeof raw === "number" && Number.isInteger(raw) && raw >= 0 && raw <= 1000) return raw;
      return fail(ctx, path, `must be an integer from 0 to 1000, got ${show(raw)}`);
    case "trustLevel": {
      const levels = TRUST_LEVELS[field as keyof typeof TRUST_LEVELS] as readonly string[];
      if (typeof raw === "string" && levels.includes(raw)) return raw;
      return fail(ctx, path, `must be one of ${levels.join(", ")}, got ${show(raw)}`);
    }
    case "arg": {
      if (op === "gt" || op === "gte" || op === "lt" || op === "lte") {
        const text = typeof raw === "number" && Number.isSafeInteger(raw) ? String(raw) : raw;
        if (typeof text === "string" && INTEGER_TEXT.test(text)) return text;
        return fail(ctx, path, `must be an integer (decimal string) for operator "${op}", got ${show(raw)}`);
      }
      if (typeof raw === "number") {
        return Number.isSafeInteger(raw) ? String(raw) : fail(ctx, path, `must be an integer or a decimal string, got ${show(raw)}`);
      }
      if (typeof raw === "string" || typeof raw === "boolean") return raw;
      return fail(ctx, path, `must be a string, integer or boolean, got ${show(raw)}`);
    }
  }
}

const comparisonSchema = z
  .strictObject({
    field: z.string({ error: (iss) => (iss.input === undefined ? "is required" : `must be a string, got ${show(iss.input)}`) }).refine(
      (f) => fieldKind(f) !== null,
      { error: (iss) => `unknown field ${show(iss.input)}; expected one of ${BASE_FIELDS.join(", ")}, args.<name>, ${TOOL_FIELDS.join(", ")}, arguments.<path>, trust.composite, trust.<dimension>, trust.confidence or trust.recommendation` },
    ),
    op: z.enum(OPERATORS, {
      error: (iss) => (iss.input === undefined ? "is required" : `unknown operator ${show(iss.input)}; expected one of ${OPERATORS.join(", ")}`),
    }),
    value: z.unknown().optional(),
  })
  .transform((c, ctx): Comparison => {
    const field = c.field as Field;
    const kind = fieldKind(field) as FieldKind;
    if (!OPS_BY_KIND[kind].includes(c.op)) {
      fail(ctx, ["op"], `operator "${c.op}" does not apply to field "${field}"; use one of ${OPS_BY_KIND[kind].join(", ")}`);
      return z.NEVER;
    }
    const raw = c.value;
    if (raw === undefined) return fail(ctx, ["value"], "is required") ?? z.NEVER;
    if (c.op === "inList" || c.op === "notInList") {
      // Whether the list exists is checked against the whole document (see rulesDocumentSchema).
      if (typeof raw !== "string") return fail(ctx, ["value"], `must name a list declared in "lists", got ${show(raw)}`) ?? z.NEVER;
      return { field, op: c.op, value: raw };
    }
    if (c.op === "in" || c.op === "notIn") {
      if (!Array.isArray(raw) || raw.length === 0) return fail(ctx, ["value"], `must be a non-empty array for operator "${c.op}"`) ?? z.NEVER;
      if (raw.length > RULES_LIMITS.maxInValues) return fail(ctx, ["value"], `must have at most ${RULES_LIMITS.maxInValues} values`) ?? z.NEVER;
      const values = raw.map((item, i) => operandScalar(ctx, field, kind, c.op, item, ["value", i]));
      return values.every((v) => v !== undefined) ? { field, op: c.op, value: values as Scalar[] } : z.NEVER;
    }
    const value = operandScalar(ctx, field, kind, c.op, raw, ["value"]);
    return value === undefined ? z.NEVER : { field, op: c.op, value };
  });

/* ───────────── Conditions: a boolean tree, dispatched on its one group key ───────────── */

const conditionSchemas: z.ZodType<Condition, unknown>[] = [];

/** Schema for a condition at nesting level `depth` (1 = a rule's `when`); built once per level. */
function conditionSchema(depth: number): z.ZodType<Condition, unknown> {
  const cached = conditionSchemas[depth];
  if (cached) return cached;
  const child = z.lazy(() => conditionSchema(depth + 1));
  const list = z.array(child, { error: "must be an array of conditions" });
  const groupSchemas = {
    all: z.strictObject({ all: list }),
    any: z.strictObject({ any: list.min(1, { error: "must contain at least one condition" }) }),
    not: z.strictObject({ not: child }),
  };
  const schema = z.unknown().transform((input, ctx): Condition => {
    if (input === undefined) return fail(ctx, [], "is required") ?? z.NEVER;
    if (!isRecord(input)) {
      return fail(ctx, [], `must be a condition object ({ all }, { any }, { not } or { field, op, value }), got ${show(input)}`) ?? z.NEVER;
    }
    if (depth > RULES_LIMITS.maxDepth) return fail(ctx, [], `conditions nest deeper than ${RULES_LIMITS.maxDepth} levels`) ?? z.NEVER;
    const groups = (["all", "any", "not"] as const).filter((k) => k in input);
    if (groups.length > 1) return fail(ctx, [], `must use exactly one of all / any / not, found ${groups.join(" and ")}`) ?? z.NEVER;
    const group = groups[0];
    const r = (group ? groupSchemas[group] : comparisonSchema).safeParse(input);
    if (!r.success) {
      forward(ctx, r.error);
      return z.NEVER;
    }
    return r.data as Condition;
  });
  conditionSchemas[depth] = schema;
  return schema;
}

/* ───────────── Document ───────────── */

const actionSchema = z.enum(RULE_ACTIONS, {
  error: (iss) => (iss.input === undefined ? "is required" : `unknown action ${show(iss.input)}; expected one of ${RULE_ACTIONS.join(", ")}`),
});

const ruleSchema = z.strictObject({
  id: z
    .string({ error: (iss) => (iss.input === undefined ? "is required" : `must be a string, got ${show(iss.input)}`) })
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, {
      error: (iss) => `must be 1-64 letters, digits, ".", "_" or "-" (starting with a letter or digit), got ${show(iss.input)}`,
    }),
  description: z.string({ error: "must be a string" }).max(280, { error: "must be at most 280 characters" }).optional(),
  when: z.unknown().pipe(conditionSchema(1)),
  action: actionSchema,
});

const listsSchema = z.record(
  z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/),
  z
    .array(addressSchema, { error: "must be an array of addresses" })
    .max(RULES_LIMITS.maxListEntries, { error: `must have at most ${RULES_LIMITS.maxListEntries} entries` })
    .transform((list) => [...new Set(list)]),
  {
    error: (iss) =>
      iss.code === "invalid_key"
        ? `list name ${show(iss.input)} must be 1-64 letters, digits, "_" or "-", starting with a letter`
        : "must be an object mapping list names to address arrays",
  },
);

/**
 * Cross-references zod cannot see while any part of the document is invalid: duplicate rule ids
 * and `inList` names missing from `lists`. Works on the raw input, so they are reported in the same
 * pass as structural errors.
 */
function crossReferenceIssues(input: unknown): { rawPath: Path; message: string }[] {
  if (!isRecord(input) || !Array.isArray(input.rules)) return [];
  const declared = isRecord(input.lists) ? new Set(Object.keys(input.lists)) : new Set<string>();
  const out: { rawPath: Path; message: string }[] = [];
  const visit = (c: unknown, path: Path, depth: number): void => {
    if (!isRecord(c) || depth > RULES_LIMITS.maxDepth) return;
    for (const group of ["all", "any"] as const) {
      const items = c[group];
      if (Array.isArray(items)) items.forEach((x, i) => visit(x, [...path, group, i], depth + 1));
    }
    if ("not" in c) visit(c.not, [...path, "not"], depth + 1);
    if ((c.op === "inList" || c.op === "notInList") && typeof c.value === "string" && !declared.has(c.value)) {
      out.push({ rawPath: [...path, "value"], message: `unknown list "${c.value}"; declare it under "lists"` });
    }
  };
  const firstIndex = new Map<string, number>();
  input.rules.forEach((rule: unknown, i: number) => {
    if (!isRecord(rule)) return;
    if (typeof rule.id === "string") {
      const first = firstIndex.get(rule.id);
      if (first !== undefined) out.push({ rawPath: ["rules", i, "id"], message: `duplicate rule id "${rule.id}" (also rules[${first}])` });
      else firstIndex.set(rule.id, i);
    }
    visit(rule.when, ["rules", i, "when"], 1);
  });
  return out;
}

const documentShape = z
  .strictObject({
    version: z.literal(1, { error: (iss) => (iss.input === undefined ? "is required (1)" : `unsupported version ${show(iss.input)}; expected 1`) }),
    defaultAction: actionSchema,
    timeZone: timeZoneSchema.optional(),
    lists: listsSchema.optional(),
    rules: z
      .array(ruleSchema, { error: (iss) => (iss.input === undefined ? "is required" : "must be an array of rules") })
      .max(RULES_LIMITS.maxRules, { error: `must have at most ${RULES_LIMITS.maxRules} rules` }),
  }, { error: (iss) => `must be a rules document object, got ${show(iss.input)}` })
  .transform((doc): RulesDocument => ({
    version: 1,
    defaultAction: doc.defaultAction,
    timeZone: doc.timeZone ?? "UTC",
    lists: doc.lists ?? {},
    rules: doc.rules.map((r) => (r.description === undefined ? { id: r.id, when: r.when, action: r.action } : { id: r.id, description: r.description, when: r.when, action: r.action })),
  }));

const TOP_LEVEL_ORDER = ["version", "defaultAction", "timeZone", "lists", "rules"];

/** Orders issues by document position: top-level key, then rule index (stable within a rule). */
function byPosition(a: { rawPath: PropertyKey[] }, b: { rawPath: PropertyKey[] }): number {
  const rank = (p: PropertyKey[]) => {
    const top = TOP_LEVEL_ORDER.indexOf(String(p[0]));
    return [top === -1 ? TOP_LEVEL_ORDER.length : top, typeof p[1] === "number" && p[0] === "rules" ? p[1] : -1] as const;
  };
  const [ta, ia] = rank(a.rawPath);
  const [tb, ib] = rank(b.rawPath);
  return ta - tb || ia - ib;
}

/** Validates a rules document; every problem is reported with its exact path. Throws PolicyValidationError. */
export function parseRulesDocument(input: unknown): RulesDocument {
  const result = documentShape.safeParse(input);
  const issues = [...(result.success ? [] : zodIssues(result.error)), ...crossReferenceIssues(input)].sort(byPosition);
  if (issues.length > 0 || !result.success) {
    throw new PolicyValidationError("rules document", issues.map((i) => ({ path: formatPath(i.rawPath), message: i.message })));
  }
  return result.data;
}
