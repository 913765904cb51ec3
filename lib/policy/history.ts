import { decodeRequest } from "./decode";
import { PolicyRequestError } from "./errors";
import { formatNative, formatToken, shortAddress } from "./format";
import type { HistoryItem } from "./backtest";
import type { Address, DecodedRequest, Hex, Outcome, PolicyRequest, TokenRef, TypedDataRequest } from "./types";

/*
 * Signing history as stored in signing_requests, turned back into what the engine replays. Pure:
 * rows come in as plain objects; nothing here touches the database.
 */

/** Request kinds a rules document decides on, and so the rows a backtest replays. */
export const HISTORY_KINDS = ["transaction", "message", "typed_data"] as const;
const OUTCOMES: readonly Outcome[] = ["allow", "deny", "require_approval"];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The JSON form stored in signing_requests.request: the PolicyRequest with bigints as decimal strings. */
export function requestToJson(request: PolicyRequest): JsonValue {
  const walk = (v: unknown): JsonValue | undefined => {
    if (typeof v === "bigint") return v.toString();
    if (v === null || typeof v === "string" || typeof v === "boolean") return v;
    if (typeof v === "number") return Number.isFinite(v) ? v : null;
    if (Array.isArray(v)) return v.map((x) => walk(x) ?? null);
    if (typeof v === "object") {
      const out: Record<string, JsonValue> = {};
      for (const [k, x] of Object.entries(v)) {
        const j = walk(x);
        if (j !== undefined) out[k] = j;
      }
      return out;
    }
    return undefined;
  };
  return walk(request) ?? null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;

function chainIdOf(v: unknown, what: string, required: boolean): number | undefined {
  if (v === undefined || v === null) {
    if (required) throw new PolicyRequestError(`${what} is required`);
    return undefined;
  }
  const n = typeof v === "string" && DECIMAL.test(v) ? Number(v) : v;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n <= 0) throw new PolicyRequestError(`${what} must be a positive integer`);
  return n;
}

function weiOf(v: unknown): bigint {
  if (v === undefined || v === null) return 0n;
  if (typeof v === "string" && DECIMAL.test(v)) return BigInt(v);
  if (typeof v === "string" && /^0x[0-9a-fA-F]+$/.test(v)) return BigInt(v);
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  throw new PolicyRequestError("value must be a non-negative decimal string");
}

/**
 * Revives a stored request (bigints as decimal strings) into a PolicyRequest. Throws
 * PolicyRequestError naming what is wrong when the JSON is not a request of a known kind.
 */
export function requestFromJson(json: unknown): PolicyRequest {
  if (!isRecord(json)) throw new PolicyRequestError("request must be an object");
  switch (json.kind) {
    case "transaction": {
      if (json.to !== undefined && json.to !== null && typeof json.to !== "string") throw new PolicyRequestError("to must be an address or null");
      if (json.data !== undefined && json.data !== null && typeof json.data !== "string") throw new PolicyRequestError("data must be hex");
      return {
        kind: "transaction",
        chainId: chainIdOf(json.chainId, "chainId", true) as number,
        to: (json.to ?? null) as Address | null,
        value: weiOf(json.value),
        data: (json.data ?? "0x") as Hex,
      };
    }
    case "message": {
      const chainId = chainIdOf(json.chainId, "chainId", false);
      const m = json.message;
      let message: string | { raw: Hex };
      if (typeof m === "string") message = m;
      else if (isRecord(m) && typeof m.raw === "string") message = { raw: m.raw as Hex };
      else throw new PolicyRequestError("message must be text or { raw: hex }");
      return chainId === undefined ? { kind: "message", message } : { kind: "message", chainId, message };
    }
    case "typed_data": {
      const chainId = chainIdOf(json.chainId, "chainId", false);
      const td = json.typedData;
      if (!isRecord(td) || !isRecord(td.types) || typeof td.primaryType !== "string" || !isRecord(td.message)) {
        throw new PolicyRequestError("typedData must have types, a primaryType and a message");
      }
      const domainIn = isRecord(td.domain) ? td.domain : {};
      const domain: TypedDataRequest["typedData"]["domain"] = { ...(domainIn as TypedDataRequest["typedData"]["domain"]) };
      if (domainIn.chainId !== undefined) domain.chainId = chainIdOf(domainIn.chainId, "typedData.domain.chainId", false);
      const typedData = { domain, types: td.types as TypedDataRequest["typedData"]["types"], primaryType: td.primaryType, message: td.message };
      return chainId === undefined ? { kind: "typed_data", typedData } : { kind: "typed_data", chainId, typedData };
    }
    default:
      throw new PolicyRequestError(`unsupported request kind ${JSON.stringify(json.kind) ?? "undefined"}`);
  }
}

/** The columns of a signing_requests row a backtest needs. */
export interface SigningHistoryRow {
  id: string;
  kind: string;
  request: unknown;
  outcome: string;
  createdAt: Date;
}

export type HistoryRowResult =
  | { ok: true; item: HistoryItem; decoded: DecodedRequest }
  | { ok: false; id: string; reason: string };

/**
 * One stored row as a HistoryItem (decisionThen = the outcome recorded then). A row that cannot be
 * replayed (unknown kind or outcome, malformed request) is reported instead of thrown, so one bad
 * row never fails a whole backtest.
 */
export function historyItemFromRow(row: SigningHistoryRow): HistoryRowResult {
  if (!(HISTORY_KINDS as readonly string[]).includes(row.kind)) return { ok: false, id: row.id, reason: `kind "${row.kind}" is not replayed` };
  if (!(OUTCOMES as readonly string[]).includes(row.outcome)) return { ok: false, id: row.id, reason: `unknown outcome "${row.outcome}"` };
  try {
    const request = requestFromJson(row.request);
    if (request.kind !== row.kind) return { ok: false, id: row.id, reason: `request kind "${request.kind}" does not match the row's kind "${row.kind}"` };
    const decoded = decodeRequest(request);
    return { ok: true, item: { id: row.id, request, at: row.createdAt, decisionThen: row.outcome as Outcome }, decoded };
  } catch (error) {
    if (error instanceof PolicyRequestError) return { ok: false, id: row.id, reason: error.message };
    throw error;
  }
}

/* ───────────── A readable view of a request, for backtest tables ───────────── */

export interface RequestView {
  kind: PolicyRequest["kind"];
  to: Address | null;
  /** Native value in wei, decimal. */
  value: string;
  selector: Hex | null;
  token: { address: Address; symbol?: string; amount: string } | null;
  summary: string;
}

export interface ViewOptions {
  /** Known ERC-20 metadata (symbol, decimals) by token address and chain, e.g. the signer's tracked tokens. */
  tokenInfo?: (address: Address, chainId: number | null) => TokenRef | undefined;
  /** Symbol of the chain's native currency; "ETH" when absent. */
  nativeSymbol?: string;
}

function quote(text: string, max = 60): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return `"${oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine}"`;
}

function describeDecoded(d: DecodedRequest, tokenRef: TokenRef | undefined, nativeSymbol: string): string {
  const native = formatNative(d.value, nativeSymbol);
  const withValue = d.value > 0n ? ` with ${native}` : "";
  if (d.kind === "message") {
    const m = d.message;
    if (m && m.standard === "eip191") return m.text !== null ? `Sign message ${quote(m.text)}` : `Sign raw message (${(m.raw.length - 2) / 2} bytes)`;
    return "Sign message";
  }
  if (d.kind === "typed_data") {
    const m = d.message;
    const name = m && m.standard === "eip712" ? `${m.primaryType}${m.domainName ? ` for ${m.domainName}` : ""}` : "typed data";
    if (d.token && tokenRef) {
      const amount = d.token.unlimited ? `unlimited ${tokenRef.symbol ?? shortAddress(tokenRef.address)}` : formatToken(d.token.amount, tokenRef);
      return `Sign permit: ${shortAddress(d.token.counterparty)} may spend ${amount}`;
    }
    return `Sign typed data ${name}`;
  }
  if (d.to === null) return `Deploy a contract${withValue}`;
  const to = shortAddress(d.to);
  if (d.token && tokenRef) {
    const t = d.token;
    const amount = formatToken(t.amount, tokenRef);
    const label = tokenRef.symbol ?? shortAddress(tokenRef.address);
    switch (t.method) {
      case "transfer":
        return `Transfer ${amount} to ${shortAddress(t.counterparty)}${withValue}`;
      case "transferFrom":
        return `Transfer ${amount} from ${t.from ? shortAddress(t.from) : "?"} to ${shortAddress(t.counterparty)}${withValue}`;
      case "approve":
        return `Approve ${shortAddress(t.counterparty)} to spend ${t.unlimited ? `unlimited ${label}` : amount}${withValue}`;
      case "increaseAllowance":
        return `Increase ${shortAddress(t.counterparty)}'s allowance by ${t.unlimited ? `unlimited ${label}` : amount}${withValue}`;
      case "permit":
        return `Permit ${shortAddress(t.counterparty)} to spend ${amount}`;
    }
  }
  if (d.plainTransfer) return `Send ${native} to ${to}`;
  const call = d.calldataError ? `${d.selector} (undecodable calldata)` : d.selector ?? "0x";
  return `Call ${call} on ${to}${withValue}`;
}

/** Kind, target, value, selector, token movement and a one-line summary of a request. */
export function requestView(request: PolicyRequest | DecodedRequest, options: ViewOptions = {}): RequestView {
  const d = "addresses" in request ? request : decodeRequest(request);
  const info = d.token ? options.tokenInfo?.(d.token.token, d.chainId) : undefined;
  const tokenRef: TokenRef | undefined = d.token ? { ...info, address: d.token.token } : undefined;
  const token = d.token
    ? { address: d.token.token, ...(info?.symbol !== undefined ? { symbol: info.symbol } : {}), amount: d.token.amount.toString() }
    : null;
  return {
    kind: d.kind,
    to: d.to,
    value: d.value.toString(),
    selector: d.selector,
    token,
    summary: describeDecoded(d, tokenRef, options.nativeSymbol ?? "ETH"),
  };
}
