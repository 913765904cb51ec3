import { getAddress, isAddress, parseAbiItem, parseUnits, toFunctionSelector } from "viem";
import { z } from "zod";
import { PolicyValidationError, issuesFromZod } from "./errors";
import { canonicalTimeZone } from "./time";
import {
  POLICY_TYPES,
  WEEKDAYS,
  type ActivePolicy,
  type Address,
  type Hex,
  type PolicyConfigByType,
  type PolicyType,
  type TokenRef,
} from "./types";

export const MAX_UINT256 = (1n << 256n) - 1n;

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

function show(input: unknown): string {
  if (typeof input === "bigint") return input.toString();
  const text = JSON.stringify(input) ?? String(input);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/* ───────────── Primitive parsers, shared with the rules document validator ───────────── */

export function parseAddress(input: unknown): Parsed<Address> {
  if (typeof input !== "string") return { ok: false, message: `must be an address string, got ${show(input)}` };
  if (!isAddress(input, { strict: false })) {
    return { ok: false, message: `must be a 0x-prefixed 20-byte address, got ${show(input)}` };
  }
  const mixedCase = input.slice(2) !== input.slice(2).toLowerCase() && input.slice(2) !== input.slice(2).toUpperCase();
  if (mixedCase && !isAddress(input, { strict: true })) {
    return { ok: false, message: `has an invalid EIP-55 checksum: ${input}` };
  }
  return { ok: true, value: getAddress(input) };
}

const DECIMAL_INTEGER = /^(0|[1-9][0-9]*)$/;
const UNIT_AMOUNT = /^([0-9]+(?:\.[0-9]+)?)\s*(eth|ether|gwei|wei)$/i;

/**
 * Non-negative integer amount in wei / token base units, as a decimal string (bigint accepted for
 * in-process callers). With `allowUnits`, "1.5 ETH", "20 gwei" and "7 wei" are accepted as well.
 */
export function parseAmount(input: unknown, options: { allowUnits?: boolean } = {}): Parsed<bigint> {
  let value: bigint;
  if (typeof input === "bigint") {
    value = input;
  } else if (typeof input === "string" && DECIMAL_INTEGER.test(input)) {
    value = BigInt(input);
  } else if (typeof input === "string" && options.allowUnits && UNIT_AMOUNT.test(input.trim())) {
    const [, num = "0", unit = "wei"] = UNIT_AMOUNT.exec(input.trim()) ?? [];
    const decimals = { eth: 18, ether: 18, gwei: 9, wei: 0 }[unit.toLowerCase() as "eth"];
    const [, frac = ""] = num.split(".");
    if (frac.length > decimals) return { ok: false, message: `has more than ${decimals} decimals for ${unit}: ${show(input)}` };
    value = parseUnits(num, decimals);
  } else {
    const expected = options.allowUnits
      ? `a non-negative integer wei amount as a decimal string (or "<n> ETH" / "<n> gwei")`
      : `a non-negative integer amount in base units as a decimal string`;
    return { ok: false, message: `must be ${expected}, got ${show(input)}` };
  }
  if (value < 0n) return { ok: false, message: `must not be negative, got ${value}` };
  if (value > MAX_UINT256) return { ok: false, message: `must fit in uint256, got ${value}` };
  return { ok: true, value };
}

const SELECTOR = /^0x[0-9a-fA-F]{8}$/;

/** `0x` + 8 hex, or a human-readable signature such as `transfer(address,uint256)`. */
export function parseSelector(input: unknown): Parsed<Hex> {
  if (typeof input !== "string") return { ok: false, message: `must be a selector string, got ${show(input)}` };
  const text = input.trim();
  if (SELECTOR.test(text)) return { ok: true, value: text.toLowerCase() as Hex };
  if (text.startsWith("0x")) return { ok: false, message: `must be 0x followed by 8 hex digits, got ${show(input)}` };
  try {
    const item = parseAbiItem(text.startsWith("function ") ? text : `function ${text}`);
    if (item.type !== "function") throw new Error("not a function");
    return { ok: true, value: toFunctionSelector(item) };
  } catch {
    return { ok: false, message: `is neither a 4-byte selector nor a valid function signature: ${show(input)}` };
  }
}

export function parseTimeZone(input: unknown): Parsed<string> {
  if (typeof input !== "string") return { ok: false, message: `must be an IANA time zone name, got ${show(input)}` };
  const zone = canonicalTimeZone(input);
  return zone === null ? { ok: false, message: `unknown IANA time zone ${show(input)}` } : { ok: true, value: zone };
}

/* ───────────── zod wrappers ───────────── */

function fromParser<T>(parse: (input: unknown) => Parsed<T>) {
  return z.unknown().transform((input, ctx): T => {
    if (input === undefined) {
      ctx.addIssue({ code: "custom", message: "is required" });
      return z.NEVER;
    }
    const r = parse(input);
    if (!r.ok) {
      ctx.addIssue({ code: "custom", message: r.message });
      return z.NEVER;
    }
    return r.value;
  });
}

export const addressSchema = fromParser(parseAddress);
export const amountSchema = fromParser((i) => parseAmount(i));
export const selectorSchema = fromParser(parseSelector);
export const timeZoneSchema = fromParser(parseTimeZone);

function intSchema(min: number, max: number) {
  return z
    .number({ error: (iss) => (iss.input === undefined ? "is required" : `must be a number, got ${show(iss.input)}`) })
    .int({ error: (iss) => `must be an integer, got ${show(iss.input)}` })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });
}

const booleanSchema = z.boolean({ error: (iss) => `must be true or false, got ${show(iss.input)}` });

function addressListSchema(what: string) {
  return z
    .array(addressSchema, { error: `must be an array of addresses` })
    .min(1, { error: `must list at least one ${what}` })
    .max(10_000, { error: `must list at most 10000 ${what}s` })
    .transform((list) => [...new Set(list)]);
}

const tokenRefSchema = z.preprocess(
  (input) => (typeof input === "string" ? { address: input } : input),
  z.strictObject(
    {
      address: addressSchema,
      decimals: intSchema(0, 77).optional(),
      symbol: z.string().trim().min(1).max(16, { error: "must be at most 16 characters" }).optional(),
    },
    { error: "must be a token address or { address, decimals?, symbol? }" },
  ),
).transform((t): TokenRef => withoutUndefined({ ...t }) as TokenRef);

const limitShape = {
  maxAmount: amountSchema,
  token: tokenRefSchema.optional(),
  nativeSymbol: z.string().trim().min(1).max(16, { error: "must be at most 16 characters" }).optional(),
  blockUnlimitedApprovals: booleanSchema.optional(),
};

/** A token limit blocks unlimited approvals unless told otherwise (they would bypass it). */
function withApprovalDefault<T extends { token?: TokenRef; blockUnlimitedApprovals?: boolean | undefined }>(c: T) {
  return { ...c, blockUnlimitedApprovals: c.blockUnlimitedApprovals ?? c.token !== undefined };
}

function withoutUndefined<T extends object>(o: T): T {
  for (const key of Object.keys(o) as (keyof T)[]) if (o[key] === undefined) delete o[key];
  return o;
}

const weekdaySchema = z.enum(WEEKDAYS, { error: (iss) => `must be one of ${WEEKDAYS.join(", ")}, got ${show(iss.input)}` });

export const policyConfigSchemas = {
  spending_limit: z.strictObject(limitShape).transform((c) => withoutUndefined(withApprovalDefault(c))),
  daily_limit: z.strictObject(limitShape).transform((c) => withoutUndefined(withApprovalDefault(c))),
  monthly_limit: z
    .strictObject({ ...limitShape, timeZone: timeZoneSchema.optional() })
    .transform((c) => withoutUndefined(withApprovalDefault({ ...c, timeZone: c.timeZone ?? "UTC" }))),
  allowed_contracts: z.strictObject({ addresses: addressListSchema("contract address") }),
  allowed_functions: z
    .strictObject({
      selectors: z
        .array(selectorSchema, { error: "must be an array of selectors or function signatures" })
        .min(1, { error: "must list at least one selector or function signature" })
        .max(1000, { error: "must list at most 1000 selectors" })
        .transform((list) => [...new Set(list)]),
      allowNativeTransfers: booleanSchema.optional(),
    })
    .transform((c) => ({ selectors: c.selectors, allowNativeTransfers: c.allowNativeTransfers ?? true })),
  blocked_addresses: z.strictObject({ addresses: addressListSchema("address") }),
  rate_limit: z.strictObject({
    maxRequests: intSchema(1, 1_000_000),
    windowSeconds: intSchema(1, 366 * 24 * 3600),
  }),
  time_window: z
    .strictObject({
      timeZone: timeZoneSchema,
      hours: z
        .strictObject({ startHour: intSchema(0, 23), endHour: intSchema(0, 23) })
        .refine((h) => h.startHour !== h.endHour, {
          error: "startHour and endHour must differ (omit hours to allow the whole day)",
        })
        .optional(),
      weekdays: z
        .array(weekdaySchema, { error: "must be an array of weekday names" })
        .min(1, { error: "must list at least one weekday" })
        .refine((days) => new Set(days).size === days.length, { error: "must not repeat a weekday" })
        .optional(),
    })
    .refine((c) => c.hours !== undefined || c.weekdays !== undefined, {
      error: "must restrict hours, weekdays, or both",
    })
    .transform((c) => withoutUndefined({ ...c })),
} satisfies { [T in PolicyType]: z.ZodType<PolicyConfigByType[T], unknown> };

export function isPolicyType(value: unknown): value is PolicyType {
  return typeof value === "string" && (POLICY_TYPES as readonly string[]).includes(value);
}

/** Validates and normalises one policy's config; throws PolicyValidationError (HTTP 400). */
export function parsePolicyConfig<T extends PolicyType>(type: T, config: unknown): PolicyConfigByType[T] {
  const result = policyConfigSchemas[type].safeParse(config);
  if (!result.success) throw new PolicyValidationError(`${type} config`, issuesFromZod(result.error));
  return result.data as PolicyConfigByType[T];
}

export interface PolicyInput {
  id: string;
  version: number;
  type: unknown;
  config: unknown;
}

export function parsePolicy(input: PolicyInput): ActivePolicy {
  if (!isPolicyType(input.type)) {
    throw new PolicyValidationError("policy", [
      { path: "type", message: `unknown policy type ${show(input.type)}; expected one of ${POLICY_TYPES.join(", ")}` },
    ]);
  }
  const result = policyConfigSchemas[input.type].safeParse(input.config);
  if (!result.success) throw new PolicyValidationError(`${input.type} policy`, issuesFromZod(result.error, ["config"]));
  return { id: input.id, version: input.version, type: input.type, config: result.data } as ActivePolicy;
}
