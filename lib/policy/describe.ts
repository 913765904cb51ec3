import { formatUnits } from "viem";
import { ERC20_SELECTORS } from "./decode";
import { shortAddress } from "./format";
import type { Address, Outcome } from "./types";
import type { Comparison, Condition, Operator, Rule, Scalar } from "./rules-model";

const ACTION_LABEL: Record<Outcome, string> = {
  allow: "Allow",
  deny: "Deny",
  require_approval: "Require approval",
};

const OP_LABEL: Record<Operator, string> = {
  eq: "is",
  neq: "is not",
  in: "is one of",
  notIn: "is not one of",
  gt: ">",
  gte: "≥",
  lt: "<",
  lte: "≤",
  inList: "is in",
  notInList: "is not in",
  contains: "contains",
  matches: "matches",
};

/** The comparison that holds exactly when `op` does not. */
const NEGATED: Record<Operator, Operator | null> = {
  eq: "neq", neq: "eq", in: "notIn", notIn: "in", gt: "lte", gte: "lt", lt: "gte", lte: "gt", inList: "notInList", notInList: "inList", contains: null, matches: null,
};
const NEGATED_LABEL: Partial<Record<Operator, string>> = { contains: "does not contain", matches: "does not match" };

function fieldLabel(field: string): string {
  if (field.startsWith("args.")) return `argument ${field.slice(5)}`;
  if (field.startsWith("arguments.")) return field;
  if (field === "anomaly_score") return "anomaly score";
  if (field.startsWith("trust.")) return `trust ${field.slice(6) === "composite" ? "score" : field.slice(6)}`;
  return { tokenAmount: "token amount", chainId: "chain", selector: "function" }[field] ?? field;
}

function valueLabel(field: string, value: Scalar): string {
  if (field === "value" && /^-?[0-9]+$/.test(String(value))) return `${formatUnits(BigInt(String(value)), 18)} ETH`;
  if (field === "selector" && typeof value === "string") return ERC20_SELECTORS[value]?.method ?? value;
  if (typeof value === "string" && /^0x[0-9a-fA-F]{40}$/.test(value)) return shortAddress(value as Address);
  return String(value);
}

function joinAlternatives(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

function describeComparison(c: Comparison): string {
  const values = Array.isArray(c.value) ? joinAlternatives(c.value.map((v) => valueLabel(c.field, v))) : valueLabel(c.field, c.value);
  return `${fieldLabel(c.field)} ${OP_LABEL[c.op]} ${values}`;
}

function isGroup(c: Condition): boolean {
  return ("all" in c && c.all.length > 1) || ("any" in c && c.any.length > 1);
}

/** One-line English rendering of a condition, parenthesising nested groups. */
export function describeCondition(c: Condition): string {
  const nested = (x: Condition) => (isGroup(x) ? `(${describeCondition(x)})` : describeCondition(x));
  if ("all" in c) return c.all.length === 0 ? "always" : c.all.map(nested).join(" and ");
  if ("any" in c) return c.any.map(nested).join(" or ");
  if ("not" in c) return `not (${describeCondition(c.not)})`;
  return describeComparison(c);
}

/** Dashboard preview, e.g. "Require approval when value > 1 ETH and to is not in treasury". */
export function describeRule(rule: Pick<Rule, "when" | "action">): string {
  const condition = describeCondition(rule.when);
  return condition === "always" ? `${ACTION_LABEL[rule.action]} every request` : `${ACTION_LABEL[rule.action]} when ${condition}`;
}

function negateComparison(c: Comparison): string {
  const negated = NEGATED[c.op];
  if (negated) return describeComparison({ ...c, op: negated });
  const values = Array.isArray(c.value) ? c.value.join(", ") : String(c.value);
  return `${fieldLabel(c.field)} ${NEGATED_LABEL[c.op]} ${values}`;
}

/** What would have made the condition false: one way out (the first part of an "and", every part of an "or"). */
function negateCondition(c: Condition): string {
  if ("all" in c) {
    // One way out: an amount-like bound if there is one (the useful counterfactual), else the last part.
    const bound = c.all.find((x) => "op" in x && ["gt", "gte", "lt", "lte"].includes(x.op));
    return c.all.length === 0 ? "never" : negateCondition(bound ?? c.all[c.all.length - 1]!);
  }
  if ("any" in c) return c.any.map(negateCondition).join(" and ");
  if ("not" in c) return describeCondition(c.not);
  return negateComparison(c);
}

/** A counterfactual hint for a rule that matched, e.g. "would be allowed if value ≤ 1 ETH". */
export function counterfactual(rule: Pick<Rule, "when" | "action">): string {
  return `would ${rule.action === "allow" ? "not be allowed by this rule" : "be allowed"} if ${negateCondition(rule.when)}`;
}
