import type { Address, Hex } from "viem";

export type { Address, Hex };

/* ───────────────────────── Requests ───────────────────────── */

/**
 * Every signing (and, later, tool-call) request passes through the engine as one member of this
 * discriminated union. Built-in policies that do not apply to a kind simply do not fire.
 */
export type RequestKind = "transaction" | "message" | "typed_data";

export interface TransactionRequest {
  kind: "transaction";
  chainId: number;
  /** `null` / absent for contract creation. */
  to?: Address | null;
  /** Native value in wei. */
  value?: bigint;
  data?: Hex;
}

/** EIP-191 personal_sign message: UTF-8 text or raw hex bytes. */
export interface MessageRequest {
  kind: "message";
  chainId?: number;
  message: string | { raw: Hex };
}

export interface TypedDataField {
  name: string;
  type: string;
}

export interface TypedDataDomain {
  name?: string;
  version?: string;
  chainId?: number | bigint;
  verifyingContract?: Address;
  salt?: Hex;
}

/** EIP-712 typed data as handed to `eth_signTypedData_v4`. */
export interface TypedDataRequest {
  kind: "typed_data";
  chainId?: number;
  typedData: {
    domain: TypedDataDomain;
    types: Record<string, readonly TypedDataField[]>;
    primaryType: string;
    message: Record<string, unknown>;
  };
}

export type PolicyRequest = TransactionRequest | MessageRequest | TypedDataRequest;

/* ───────────────────────── Decoded request ───────────────────────── */

export type TokenMethod = "transfer" | "transferFrom" | "approve" | "increaseAllowance" | "permit";

/** An ERC-20 movement or allowance grant recovered from calldata or from an EIP-2612 permit. */
export interface TokenAction {
  method: TokenMethod;
  token: Address;
  amount: bigint;
  /** Recipient for transfers, spender for approvals. */
  counterparty: Address;
  /** Source account of transferFrom / owner of a permit. */
  from?: Address;
  /** Allowance grants of max uint256 or ≥ 2^255. */
  unlimited: boolean;
}

export type ArgValue = string | bigint | boolean;

export interface DecodedRequest {
  kind: RequestKind;
  chainId: number | null;
  /** Transaction target, or the EIP-712 domain's verifyingContract. */
  to: Address | null;
  /** Native value in wei (0 for anything but transactions). */
  value: bigint;
  selector: Hex | null;
  /** True for a transaction whose calldata is empty. */
  plainTransfer: boolean;
  token: TokenAction | null;
  /** Decoded arguments by name (ERC-20 calls, or top-level primitive fields of typed data). */
  args: Readonly<Record<string, ArgValue>>;
  /** Set when the calldata carries a known ERC-20 selector but cannot be decoded. */
  calldataError: string | null;
  /** Every address the request touches (target, counterparty, permit spender, ...). */
  addresses: readonly Address[];
  message: DecodedMessage | null;
}

export type DecodedMessage =
  | { standard: "eip191"; text: string | null; raw: Hex }
  | { standard: "eip712"; primaryType: string; domainName: string | null };

/* ───────────────────────── Built-in policies ───────────────────────── */

export const POLICY_TYPES = [
  "spending_limit",
  "daily_limit",
  "monthly_limit",
  "allowed_contracts",
  "allowed_functions",
  "blocked_addresses",
  "rate_limit",
  "time_window",
] as const;

export type PolicyType = (typeof POLICY_TYPES)[number];

export const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface TokenRef {
  address: Address;
  /** When known, amounts are shown in whole units (e.g. "250.5 USDC"). */
  decimals?: number;
  symbol?: string;
}

interface LimitBase {
  /** Wei (native) or token base units. */
  maxAmount: bigint;
  /** Absent: the limit counts native value. Present: it counts decoded ERC-20 amounts of this token. */
  token?: TokenRef;
  /** Symbol used in messages for native amounts ("ETH" when absent). */
  nativeSymbol?: string;
  /**
   * Unlimited allowance grants can never fit a finite limit, so they are handled by this flag
   * instead of being counted: true blocks them, false lets them through uncounted. A token limit
   * defaults to true; a native limit with the flag set blocks unlimited approvals of any token.
   */
  blockUnlimitedApprovals: boolean;
}

export type SpendingLimitConfig = LimitBase;
export type DailyLimitConfig = LimitBase;
export interface MonthlyLimitConfig extends LimitBase {
  /** IANA zone whose calendar month is used; "UTC" when not configured. */
  timeZone: string;
}
export interface AllowedContractsConfig {
  addresses: Address[];
}
export interface AllowedFunctionsConfig {
  /** Normalised 4-byte selectors. */
  selectors: Hex[];
  /** Plain native transfers (empty calldata) call no function; allowed unless set to false. */
  allowNativeTransfers: boolean;
}
export interface BlockedAddressesConfig {
  addresses: Address[];
}
export interface RateLimitConfig {
  maxRequests: number;
  windowSeconds: number;
}
export interface TimeWindowConfig {
  timeZone: string;
  /** Allowed local hours [startHour, endHour); wraps past midnight when endHour ≤ startHour. */
  hours?: { startHour: number; endHour: number };
  /** Allowed local weekdays (of the moment itself, also inside a window that wraps midnight). */
  weekdays?: Weekday[];
}

export interface PolicyConfigByType {
  spending_limit: SpendingLimitConfig;
  daily_limit: DailyLimitConfig;
  monthly_limit: MonthlyLimitConfig;
  allowed_contracts: AllowedContractsConfig;
  allowed_functions: AllowedFunctionsConfig;
  blocked_addresses: BlockedAddressesConfig;
  rate_limit: RateLimitConfig;
  time_window: TimeWindowConfig;
}

export type ActivePolicy = {
  [T in PolicyType]: { id: string; version: number; type: T; config: PolicyConfigByType[T] };
}[PolicyType];

export type PolicyOf<T extends PolicyType> = Extract<ActivePolicy, { type: T }>;

/* ───────────────────────── Usage ───────────────────────── */

/** "native" or a checksummed ERC-20 address. */
export type Asset = "native" | Address;

export interface SpendItem {
  asset: Asset;
  amount: bigint;
}

/**
 * Usage figures the caller (the DB layer) supplies: committed spend plus reservations of sessions
 * still in flight, but not the request being evaluated (the engine adds that itself). Assets are
 * keyed as returned by `spendOf` (address keys match case-insensitively). Every signing request of
 * any kind counts once toward `requestCounts`. `usageQuery` lists the windows to aggregate and
 * `usageFromEvents` is the reference aggregation.
 */
export interface UsageSnapshot {
  /** Spend per asset with `at` in (now − 24 h, now]. */
  rolling24h: Readonly<Record<string, bigint>>;
  /** Spend per asset with `at` ≥ `monthStart(now, timeZone)`, keyed by time zone then asset. */
  monthly: Readonly<Record<string, Readonly<Record<string, bigint>>>>;
  /** Count of signing requests with `at` in (now − windowSeconds, now], keyed by windowSeconds. */
  requestCounts: Readonly<Record<string, number>>;
}

/* ───────────────────────── Decisions ───────────────────────── */

export type Outcome = "allow" | "deny" | "require_approval";

export interface Violation {
  policyId: string;
  type: PolicyType | "rule";
  message: string;
  ruleId?: string;
}

export interface ApprovalReason {
  source: "rule";
  documentId: string;
  ruleId: string | null;
  message: string;
}

export interface PolicyDecision {
  outcome: Outcome;
  violations: Violation[];
  approvals: ApprovalReason[];
  matchedRule?: { documentId: string; ruleId: string; index: number; action: Outcome; description: string };
  evaluated: {
    policies: { id: string; version: number }[];
    document?: { id: string; version: number };
  };
}
