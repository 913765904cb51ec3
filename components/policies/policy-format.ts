import { formatUnits, parseUnits } from "viem";
import { ERC20_SELECTORS } from "@/lib/policy/decode";
import { formatPath } from "@/lib/policy/errors";
import { policyConfigSchemas } from "@/lib/policy/schemas";
import { POLICY_TYPES, WEEKDAYS, type PolicyType, type Weekday } from "@/lib/policy/types";

/* Pure helpers for the guardrail pages: labels, amounts, the eight policy forms and their summaries. */

export const POLICY_TYPE_LABEL: Record<PolicyType, string> = {
  spending_limit: "Spending limit",
  daily_limit: "Daily limit",
  monthly_limit: "Monthly limit",
  allowed_contracts: "Allowed contracts",
  allowed_functions: "Allowed functions",
  blocked_addresses: "Blocked addresses",
  rate_limit: "Rate limit",
  time_window: "Time window",
};

export const POLICY_TYPE_HINT: Record<PolicyType, string> = {
  spending_limit: "Caps the value of any single transaction.",
  daily_limit: "Caps the total spent in any rolling 24 hours.",
  monthly_limit: "Caps the total spent per calendar month.",
  allowed_contracts: "Only these contracts (and plain transfers) may be called.",
  allowed_functions: "Only these functions may be called.",
  blocked_addresses: "Never send to or interact with these addresses.",
  rate_limit: "At most N requests per time window.",
  time_window: "Only sign on certain weekdays and hours.",
};

export { POLICY_TYPES, WEEKDAYS };

export const WEEKDAY_LABEL: Record<Weekday, string> = { sun: "Sun", mon: "Mon", tue: "Tue", wed: "Wed", thu: "Thu", fri: "Fri", sat: "Sat" };

export class AmountInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AmountInputError";
  }
}

/** "1.5" in whole units (ETH, or a token with `decimals`) → base units as a decimal string. */
export function unitsToBase(input: string, decimals: number): string {
  const value = input.trim().replace(/_/g, "");
  if (value === "") throw new AmountInputError("Enter an amount");
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(value)) throw new AmountInputError("Enter an amount like 1.5");
  const fraction = value.split(".")[1] ?? "";
  if (fraction.length > decimals) throw new AmountInputError(decimals === 0 ? "Whole numbers only" : `At most ${decimals} decimal places`);
  return parseUnits(value.startsWith(".") ? `0${value}` : value, decimals).toString();
}

/** Base units → whole units without trailing zeros ("1500000000000000000", 18 → "1.5"). */
export function baseToUnits(base: string | bigint, decimals: number): string {
  try {
    return formatUnits(BigInt(base), decimals);
  } catch {
    return String(base);
  }
}

/** Splits a pasted list on newlines, commas and spaces; empty entries are dropped. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Function signatures contain commas, so selectors are one per line. */
export function splitLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((item) => item.trim())
    .filter(Boolean);
}

export function shortHex(value: string): string {
  return /^0x[0-9a-fA-F]{40}$/.test(value) ? `${value.slice(0, 6)}…${value.slice(-4)}` : value;
}

/* ───────────────────────── Forms ───────────────────────── */

export type WindowUnit = "seconds" | "minutes" | "hours" | "days";
export const WINDOW_UNIT_SECONDS: Record<WindowUnit, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 };

/** Every input of the eight forms; each type uses a subset. */
export interface PolicyForm {
  asset: "native" | "token";
  amount: string;
  tokenAddress: string;
  tokenDecimals: string;
  tokenSymbol: string;
  blockUnlimitedApprovals: boolean;
  timeZone: string;
  addresses: string;
  selectors: string;
  allowNativeTransfers: boolean;
  maxRequests: string;
  windowAmount: string;
  windowUnit: WindowUnit;
  restrictHours: boolean;
  startHour: string;
  endHour: string;
  weekdays: Weekday[];
}

export type PolicyFormField = keyof PolicyForm | "form";
export type FormErrors = Partial<Record<PolicyFormField, string>>;

export function emptyPolicyForm(timeZone = "UTC"): PolicyForm {
  return {
    asset: "native",
    amount: "",
    tokenAddress: "",
    tokenDecimals: "18",
    tokenSymbol: "",
    blockUnlimitedApprovals: true,
    timeZone,
    addresses: "",
    selectors: "",
    allowNativeTransfers: true,
    maxRequests: "10",
    windowAmount: "1",
    windowUnit: "hours",
    restrictHours: true,
    startHour: "9",
    endHour: "17",
    weekdays: ["mon", "tue", "wed", "thu", "fri"],
  };
}

function rec(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function bestWindow(seconds: number): { windowAmount: string; windowUnit: WindowUnit } {
  for (const unit of ["days", "hours", "minutes"] as const) {
    const size = WINDOW_UNIT_SECONDS[unit];
    if (seconds >= size && seconds % size === 0) return { windowAmount: String(seconds / size), windowUnit: unit };
  }
  return { windowAmount: String(seconds), windowUnit: "seconds" };
}

/** A stored config back into form inputs (amounts shown in whole units). */
export function formFromConfig(type: PolicyType, config: unknown, defaultTimeZone = "UTC"): PolicyForm {
  const c = rec(config);
  const form = emptyPolicyForm(typeof c.timeZone === "string" ? c.timeZone : defaultTimeZone);
  switch (type) {
    case "spending_limit":
    case "daily_limit":
    case "monthly_limit": {
      const token = typeof c.token === "string" ? { address: c.token } : rec(c.token);
      const isToken = typeof token.address === "string";
      const decimals = isToken ? (typeof token.decimals === "number" ? token.decimals : 0) : 18;
      return {
        ...form,
        asset: isToken ? "token" : "native",
        amount: c.maxAmount === undefined ? "" : baseToUnits(String(c.maxAmount), decimals),
        tokenAddress: isToken ? String(token.address) : "",
        tokenDecimals: isToken && typeof token.decimals === "number" ? String(token.decimals) : isToken ? "" : "18",
        tokenSymbol: isToken && typeof token.symbol === "string" ? token.symbol : "",
        blockUnlimitedApprovals: typeof c.blockUnlimitedApprovals === "boolean" ? c.blockUnlimitedApprovals : isToken,
      };
    }
    case "allowed_contracts":
    case "blocked_addresses":
      return { ...form, addresses: strings(c.addresses).join("\n") };
    case "allowed_functions":
      return {
        ...form,
        selectors: strings(c.selectors)
          .map((s) => ERC20_SELECTORS[s.toLowerCase()]?.signature ?? s)
          .join("\n"),
        allowNativeTransfers: c.allowNativeTransfers !== false,
      };
    case "rate_limit":
      return { ...form, maxRequests: String(c.maxRequests ?? ""), ...bestWindow(Number(c.windowSeconds) || 3600) };
    case "time_window": {
      const hours = rec(c.hours);
      const hasHours = typeof hours.startHour === "number" && typeof hours.endHour === "number";
      return {
        ...form,
        restrictHours: hasHours,
        startHour: hasHours ? String(hours.startHour) : form.startHour,
        endHour: hasHours ? String(hours.endHour) : form.endHour,
        weekdays: Array.isArray(c.weekdays) ? (c.weekdays.filter((d) => (WEEKDAYS as readonly string[]).includes(String(d))) as Weekday[]) : [...WEEKDAYS],
      };
    }
  }
}

/** Which input a config path (`maxAmount`, `token.address`, `addresses[2]`, `hours.startHour`) belongs to. */
export function fieldForPath(path: string): PolicyFormField {
  const clean = path.replace(/^body\.config\.?/, "").replace(/^config\.?/, "");
  const head = clean.split(/[.[]/)[0] ?? "";
  if (clean.startsWith("token.decimals")) return "tokenDecimals";
  if (clean.startsWith("token.symbol")) return "tokenSymbol";
  if (clean.startsWith("token")) return "tokenAddress";
  if (clean.startsWith("hours.endHour")) return "endHour";
  if (clean.startsWith("hours")) return "startHour";
  const direct: Record<string, PolicyFormField> = {
    maxAmount: "amount",
    nativeSymbol: "amount",
    blockUnlimitedApprovals: "blockUnlimitedApprovals",
    timeZone: "timeZone",
    addresses: "addresses",
    selectors: "selectors",
    allowNativeTransfers: "allowNativeTransfers",
    maxRequests: "maxRequests",
    windowSeconds: "windowAmount",
    weekdays: "weekdays",
  };
  return direct[head] ?? "form";
}

/** Adds `message` to `errors[field]` (several messages for one field are joined). */
function addError(errors: FormErrors, field: PolicyFormField, message: string): void {
  errors[field] = errors[field] ? `${errors[field]}; ${message}` : message;
}

/** Server or schema issues (path + message) → errors per form input. */
export function errorsFromIssues(issues: readonly { path?: string; message: string }[]): FormErrors {
  const errors: FormErrors = {};
  for (const issue of issues) {
    const path = issue.path ?? "";
    const field = fieldForPath(path);
    const index = /\[(\d+)\]/.exec(path);
    const prefix = index && (field === "addresses" || field === "selectors") ? `Entry ${Number(index[1]) + 1} ` : "";
    addError(errors, field, `${prefix}${issue.message}`.replace(/^./, (c) => c.toUpperCase()));
  }
  return errors;
}

function integer(text: string): number | string {
  const trimmed = text.trim();
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
}

export type BuildResult = { ok: true; config: Record<string, unknown> } | { ok: false; errors: FormErrors };

/**
 * Form inputs → the config the API takes (amounts in base units), checked with the same schemas the
 * server uses, so most mistakes are shown before anything is sent.
 */
export function buildConfig(type: PolicyType, form: PolicyForm): BuildResult {
  const errors: FormErrors = {};
  let config: Record<string, unknown> = {};
  switch (type) {
    case "spending_limit":
    case "daily_limit":
    case "monthly_limit": {
      const isToken = form.asset === "token";
      let decimals = 18;
      if (isToken) {
        const text = form.tokenDecimals.trim();
        if (text === "") decimals = 0;
        else if (!/^\d+$/.test(text) || Number(text) > 77) addError(errors, "tokenDecimals", "Enter a whole number from 0 to 77");
        else decimals = Number(text);
      }
      let maxAmount: string | undefined;
      try {
        maxAmount = unitsToBase(form.amount, decimals);
      } catch (error) {
        addError(errors, "amount", error instanceof Error ? error.message : "Enter an amount");
      }
      config = { maxAmount };
      if (isToken) {
        const token: Record<string, unknown> = { address: form.tokenAddress.trim() };
        if (form.tokenDecimals.trim() !== "") token.decimals = decimals;
        if (form.tokenSymbol.trim() !== "") token.symbol = form.tokenSymbol.trim();
        config.token = token;
      }
      config.blockUnlimitedApprovals = form.blockUnlimitedApprovals;
      if (type === "monthly_limit") config.timeZone = form.timeZone.trim();
      break;
    }
    case "allowed_contracts":
    case "blocked_addresses":
      config = { addresses: splitList(form.addresses) };
      break;
    case "allowed_functions":
      config = { selectors: splitLines(form.selectors), allowNativeTransfers: form.allowNativeTransfers };
      break;
    case "rate_limit": {
      const amount = integer(form.windowAmount);
      if (typeof amount !== "number" || amount < 1) addError(errors, "windowAmount", "Enter a whole number of at least 1");
      config = {
        maxRequests: integer(form.maxRequests),
        windowSeconds: typeof amount === "number" ? amount * WINDOW_UNIT_SECONDS[form.windowUnit] : amount,
      };
      break;
    }
    case "time_window":
      config = { timeZone: form.timeZone.trim() };
      if (form.restrictHours) config.hours = { startHour: integer(form.startHour), endHour: integer(form.endHour) };
      if (form.weekdays.length < WEEKDAYS.length) config.weekdays = WEEKDAYS.filter((d) => form.weekdays.includes(d));
      if (form.weekdays.length === 0) addError(errors, "weekdays", "Pick at least one weekday");
      break;
  }
  const parsed = policyConfigSchemas[type].safeParse(config);
  if (!parsed.success) {
    const schemaErrors = errorsFromIssues(
      parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })),
    );
    for (const [field, message] of Object.entries(schemaErrors) as [PolicyFormField, string][]) if (!errors[field]) errors[field] = message;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, config };
}

/* ───────────────────────── Summaries ───────────────────────── */

function limitAmount(c: Record<string, unknown>): string {
  const token = typeof c.token === "string" ? { address: c.token } : rec(c.token);
  const raw = String(c.maxAmount ?? "?");
  if (typeof token.address === "string") {
    const label = typeof token.symbol === "string" ? token.symbol : shortHex(token.address);
    if (typeof token.decimals !== "number") return `${raw} base units of ${label}`;
    return `${baseToUnits(raw, token.decimals)} ${label}`;
  }
  return `${baseToUnits(raw, 18)} ${typeof c.nativeSymbol === "string" ? c.nativeSymbol : "ETH"}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function formatWindow(seconds: number): string {
  const { windowAmount, windowUnit } = bestWindow(seconds);
  const n = Number(windowAmount);
  return n === 1 ? windowUnit.slice(0, -1) : `${n} ${windowUnit}`;
}

function listPreview(items: string[], max = 3): string {
  const shown = items.slice(0, max).map(shortHex).join(", ");
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

function pad(hour: unknown): string {
  return `${String(hour).padStart(2, "0")}:00`;
}

/** Weekday runs, e.g. ["mon","tue","wed","fri"] → "Mon–Wed, Fri". */
export function weekdayRanges(days: readonly string[]): string {
  const idx = WEEKDAYS.map((d, i) => (days.includes(d) ? i : -1)).filter((i) => i >= 0);
  if (idx.length === 7) return "every day";
  const parts: string[] = [];
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1] === idx[j]! + 1) j++;
    const a = WEEKDAY_LABEL[WEEKDAYS[idx[i]!]!];
    const b = WEEKDAY_LABEL[WEEKDAYS[idx[j]!]!];
    parts.push(j - i >= 2 ? `${a}–${b}` : j === i ? a : `${a}, ${b}`);
    i = j + 1;
  }
  return parts.join(", ");
}

/** One readable line per policy, e.g. "At most 2 ETH in any 24 hours". */
export function summarisePolicy(type: PolicyType, config: unknown): string {
  const c = rec(config);
  switch (type) {
    case "spending_limit":
      return `At most ${limitAmount(c)} per transaction`;
    case "daily_limit":
      return `At most ${limitAmount(c)} in any 24 hours`;
    case "monthly_limit":
      return `At most ${limitAmount(c)} per calendar month (${typeof c.timeZone === "string" ? c.timeZone : "UTC"})`;
    case "allowed_contracts": {
      const list = strings(c.addresses);
      return `Only ${plural(list.length, "contract")}: ${listPreview(list)}`;
    }
    case "blocked_addresses": {
      const list = strings(c.addresses);
      return `Never ${list.length === 1 ? "this address" : `these ${list.length} addresses`}: ${listPreview(list)}`;
    }
    case "allowed_functions": {
      const names = strings(c.selectors).map((s) => ERC20_SELECTORS[s.toLowerCase()]?.method ?? s.replace(/\(.*$/, ""));
      const native = c.allowNativeTransfers === false ? "; no plain transfers" : "";
      return `Only ${names.length === 1 ? "function" : "functions"} ${listPreview(names, 4)}${native}`;
    }
    case "rate_limit":
      return `At most ${plural(Number(c.maxRequests), "request")} per ${formatWindow(Number(c.windowSeconds))}`;
    case "time_window": {
      const hours = rec(c.hours);
      const when = typeof hours.startHour === "number" ? `${pad(hours.startHour)}–${pad(hours.endHour)}` : "any hour";
      const days = Array.isArray(c.weekdays) ? weekdayRanges(strings(c.weekdays)) : "every day";
      return `Only ${days}, ${when} (${typeof c.timeZone === "string" ? c.timeZone : "UTC"})`;
    }
  }
}

/** IANA zones the browser knows (with UTC first), for the time zone picker. */
export function timeZoneOptions(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: string) => string[] };
  const zones = intl.supportedValuesOf ? intl.supportedValuesOf("timeZone") : [];
  return ["UTC", ...zones.filter((z) => z !== "UTC")];
}
