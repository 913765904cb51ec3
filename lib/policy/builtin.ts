import { ERC20_SELECTORS, decodeRequest } from "./decode";
import { PolicyRequestError } from "./errors";
import { formatNative, formatToken, shortAddress } from "./format";
import { localTime, monthStart, rollingWindowStart } from "./time";
import {
  WEEKDAYS,
  type ActivePolicy,
  type Address,
  type Asset,
  type DecodedRequest,
  type PolicyOf,
  type PolicyRequest,
  type PolicyType,
  type SpendItem,
  type TokenAction,
  type UsageSnapshot,
  type Violation,
} from "./types";

export { monthStart } from "./time";

/** Rate windows are rolling: requests with rateWindowStart(now, w) < at ≤ now count. */
export function rateWindowStart(now: Date, windowSeconds: number): Date {
  return rollingWindowStart(now, windowSeconds);
}

/** Daily limits use a rolling 24 h window with the same exclusive lower bound. */
export function dailyWindowStart(now: Date): Date {
  return rollingWindowStart(now, 24 * 3600);
}

function asDecoded(request: PolicyRequest | DecodedRequest): DecodedRequest {
  return "addresses" in request ? request : decodeRequest(request);
}

/**
 * What a request spends, i.e. what the DB layer reserves at session start: native value plus
 * decoded ERC-20 transfer / transferFrom amounts and finite allowance grants (approve,
 * increaseAllowance, permit), since a granted allowance can be pulled without another signature.
 * Unlimited grants are not counted; `blockUnlimitedApprovals` decides about them.
 */
export function spendOf(request: PolicyRequest | DecodedRequest): SpendItem[] {
  const decoded = asDecoded(request);
  const out: SpendItem[] = [];
  if (decoded.value > 0n) out.push({ asset: "native", amount: decoded.value });
  const t = decoded.token;
  if (t && !t.unlimited && t.amount > 0n) out.push({ asset: t.token, amount: t.amount });
  return out;
}

/** Reads an asset's figure from a usage record whose address keys may be in any case. */
export function usageOf(record: Readonly<Record<string, bigint>> | undefined, asset: Asset): bigint {
  if (!record) return 0n;
  const exact = record[asset];
  if (exact !== undefined) return exact;
  const lower = asset.toLowerCase();
  for (const [key, value] of Object.entries(record)) if (key.toLowerCase() === lower) return value;
  return 0n;
}

export interface BuiltinContext {
  decoded: DecodedRequest;
  usage: UsageSnapshot;
  now: Date;
}

type LimitPolicy = PolicyOf<"spending_limit" | "daily_limit" | "monthly_limit">;

function sameAddress(a: Address, b: Address): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function limitAsset(policy: LimitPolicy): Asset {
  return policy.config.token ? policy.config.token.address : "native";
}

function formatLimitAmount(policy: LimitPolicy, amount: bigint): string {
  const token = policy.config.token;
  return token ? formatToken(amount, token) : formatNative(amount, policy.config.nativeSymbol);
}

function subject(decoded: DecodedRequest): string {
  return decoded.kind === "typed_data" ? "Permit" : "Transaction";
}

/** Amount of this limit's asset the request moves; `null` when the limit does not concern it. */
function limitedAmount(policy: LimitPolicy, decoded: DecodedRequest): bigint | null {
  const token = policy.config.token;
  if (!token) return decoded.value > 0n ? decoded.value : null;
  const t = decoded.token;
  if (!t || !sameAddress(t.token, token.address) || t.unlimited || t.amount === 0n) return null;
  return t.amount;
}

function approvalLabel(t: TokenAction, policy: LimitPolicy): string {
  const token = policy.config.token;
  const name = token?.symbol ?? shortAddress(t.token);
  return `Unlimited ${t.method === "permit" ? "permit" : "approval"} of ${name} to ${shortAddress(t.counterparty)} is blocked`;
}

/** Violations a limit raises before any amount check: undecodable token calldata, unlimited grants. */
function limitPreconditions(policy: LimitPolicy, decoded: DecodedRequest): Violation | null {
  const token = policy.config.token;
  if (token && decoded.calldataError && decoded.to && sameAddress(decoded.to, token.address)) {
    return violation(policy, `Token limit cannot be enforced: ${decoded.calldataError}`);
  }
  const t = decoded.token;
  if (t?.unlimited && policy.config.blockUnlimitedApprovals && (!token || sameAddress(token.address, t.token))) {
    return violation(policy, approvalLabel(t, policy));
  }
  return null;
}

function violation(policy: ActivePolicy, message: string): Violation {
  return { policyId: policy.id, type: policy.type, message };
}

function spendingLimit(policy: PolicyOf<"spending_limit">, { decoded }: BuiltinContext): Violation | null {
  const pre = limitPreconditions(policy, decoded);
  if (pre) return pre;
  const amount = limitedAmount(policy, decoded);
  if (amount === null || amount <= policy.config.maxAmount) return null;
  return violation(policy, `${subject(decoded)} exceeds spending limit of ${formatLimitAmount(policy, policy.config.maxAmount)}`);
}

function dailyLimit(policy: PolicyOf<"daily_limit">, { decoded, usage }: BuiltinContext): Violation | null {
  const pre = limitPreconditions(policy, decoded);
  if (pre) return pre;
  const amount = limitedAmount(policy, decoded);
  if (amount === null) return null;
  const spent = usageOf(usage.rolling24h, limitAsset(policy));
  if (spent + amount <= policy.config.maxAmount) return null;
  return violation(
    policy,
    `${subject(decoded)} would exceed daily limit of ${formatLimitAmount(policy, policy.config.maxAmount)} ` +
      `(${formatLimitAmount(policy, spent)} already spent in the last 24 h)`,
  );
}

function monthlyLimit(policy: PolicyOf<"monthly_limit">, { decoded, usage }: BuiltinContext): Violation | null {
  const pre = limitPreconditions(policy, decoded);
  if (pre) return pre;
  const amount = limitedAmount(policy, decoded);
  if (amount === null) return null;
  const zone = policy.config.timeZone;
  const record = usage.monthly[zone];
  if (!record) throw new PolicyRequestError(`usage.monthly has no figures for time zone ${zone}`);
  const spent = usageOf(record, limitAsset(policy));
  if (spent + amount <= policy.config.maxAmount) return null;
  return violation(
    policy,
    `${subject(decoded)} would exceed monthly limit of ${formatLimitAmount(policy, policy.config.maxAmount)} ` +
      `(${formatLimitAmount(policy, spent)} already spent this month, ${zone})`,
  );
}

const addressSets = new WeakMap<readonly Address[], ReadonlySet<Address>>();

/** Membership set for a policy's (checksummed) address list, built once per config object. */
function addressSet(list: readonly Address[]): ReadonlySet<Address> {
  let set = addressSets.get(list);
  if (!set) {
    set = new Set(list);
    addressSets.set(list, set);
  }
  return set;
}

function allowedContracts(policy: PolicyOf<"allowed_contracts">, { decoded }: BuiltinContext): Violation | null {
  if (decoded.kind === "transaction") {
    if (decoded.to === null) return violation(policy, "Contract deployment is not in the allowed contracts list");
    if (addressSet(policy.config.addresses).has(decoded.to)) return null;
    return violation(policy, `Contract ${decoded.to} is not in the allowed contracts list`);
  }
  if (decoded.kind === "typed_data" && decoded.to !== null && !addressSet(policy.config.addresses).has(decoded.to)) {
    return violation(policy, `Typed data for contract ${decoded.to} is not in the allowed contracts list`);
  }
  return null;
}

function allowedFunctions(policy: PolicyOf<"allowed_functions">, { decoded }: BuiltinContext): Violation | null {
  if (decoded.kind !== "transaction") return null;
  if (decoded.plainTransfer) {
    return policy.config.allowNativeTransfers
      ? null
      : violation(policy, "Plain native transfers are not in the allowed functions list");
  }
  if (decoded.selector === null) return violation(policy, "Calldata is too short to carry a function selector");
  if (policy.config.selectors.includes(decoded.selector)) return null;
  const known = ERC20_SELECTORS[decoded.selector]?.signature;
  const name = known ? `${known} (${decoded.selector})` : decoded.selector;
  return violation(policy, `Function ${name} is not in the allowed functions list`);
}

function blockedAddresses(policy: PolicyOf<"blocked_addresses">, { decoded }: BuiltinContext): Violation | null {
  const blocked = addressSet(policy.config.addresses);
  const hits = decoded.addresses.filter((a) => blocked.has(a));
  if (hits.length === 0) return null;
  return violation(policy, `${hits.length === 1 ? "Address" : "Addresses"} ${hits.join(", ")} ${hits.length === 1 ? "is" : "are"} blocked`);
}

export function formatDuration(seconds: number): string {
  const units: [number, string][] = [[86400, "day"], [3600, "h"], [60, "min"]];
  for (const [size, unit] of units) {
    if (seconds % size === 0) {
      const n = seconds / size;
      return unit === "day" ? `${n} ${n === 1 ? "day" : "days"}` : `${n} ${unit}`;
    }
  }
  return `${seconds} s`;
}

function rateLimit(policy: PolicyOf<"rate_limit">, { usage }: BuiltinContext): Violation | null {
  const key = String(policy.config.windowSeconds);
  const count = usage.requestCounts[key];
  if (count === undefined) throw new PolicyRequestError(`usage.requestCounts has no count for window ${key}`);
  if (count + 1 <= policy.config.maxRequests) return null;
  return violation(
    policy,
    `Rate limit of ${policy.config.maxRequests} requests per ${formatDuration(policy.config.windowSeconds)} reached`,
  );
}

const pad = (n: number) => String(n).padStart(2, "0");

function hourAllowed(hour: number, startHour: number, endHour: number): boolean {
  return startHour < endHour ? hour >= startHour && hour < endHour : hour >= startHour || hour < endHour;
}

export function describeTimeWindow(config: PolicyOf<"time_window">["config"]): string {
  const parts: string[] = [];
  if (config.hours) parts.push(`${pad(config.hours.startHour)}:00–${pad(config.hours.endHour)}:00`);
  if (config.weekdays) {
    const ordered = WEEKDAYS.filter((d) => config.weekdays?.includes(d));
    parts.push(ordered.map((d) => d[0]?.toUpperCase() + d.slice(1)).join(", "));
  }
  return `${parts.join(" on ")} (${config.timeZone})`;
}

function timeWindow(policy: PolicyOf<"time_window">, { now }: BuiltinContext): Violation | null {
  const { hours, weekdays, timeZone } = policy.config;
  const local = localTime(now, timeZone);
  const okHour = !hours || hourAllowed(local.hour, hours.startHour, hours.endHour);
  const okDay = !weekdays || weekdays.includes(local.weekday);
  if (okHour && okDay) return null;
  const day = local.weekday[0]?.toUpperCase() + local.weekday.slice(1);
  return violation(
    policy,
    `Signing is only allowed ${describeTimeWindow(policy.config)}; it is ${day} ${pad(local.hour)}:${pad(local.minute)} there`,
  );
}

type Evaluator<T extends PolicyType> = (policy: PolicyOf<T>, ctx: BuiltinContext) => Violation | null;

const EVALUATORS: { [T in PolicyType]: Evaluator<T> } = {
  spending_limit: spendingLimit,
  daily_limit: dailyLimit,
  monthly_limit: monthlyLimit,
  allowed_contracts: allowedContracts,
  allowed_functions: allowedFunctions,
  blocked_addresses: blockedAddresses,
  rate_limit: rateLimit,
  time_window: timeWindow,
};

export function evaluateBuiltin(policy: ActivePolicy, ctx: BuiltinContext): Violation | null {
  return (EVALUATORS[policy.type] as Evaluator<PolicyType>)(policy, ctx);
}

/** Every violation, in the order the policies were given. */
export function evaluateBuiltins(policies: readonly ActivePolicy[], ctx: BuiltinContext): Violation[] {
  const out: Violation[] = [];
  for (const policy of policies) {
    const v = evaluateBuiltin(policy, ctx);
    if (v) out.push(v);
  }
  return out;
}

/** Window boundaries the DB layer must aggregate over to build a UsageSnapshot for these policies. */
export interface UsageQuery {
  rolling24hStart: Date;
  monthStarts: Record<string, Date>;
  rateWindowStarts: Record<string, Date>;
}

export function usageQuery(policies: readonly ActivePolicy[], now: Date): UsageQuery {
  const q: UsageQuery = { rolling24hStart: dailyWindowStart(now), monthStarts: {}, rateWindowStarts: {} };
  for (const p of policies) {
    if (p.type === "monthly_limit") q.monthStarts[p.config.timeZone] ??= monthStart(now, p.config.timeZone);
    if (p.type === "rate_limit") q.rateWindowStarts[String(p.config.windowSeconds)] ??= rateWindowStart(now, p.config.windowSeconds);
  }
  return q;
}
