import { decodeFunctionData, getAddress, isAddress, isHex, parseAbi, stringToHex, type Abi } from "viem";
import { PolicyRequestError } from "./errors";
import type {
  Address,
  ArgValue,
  DecodedMessage,
  DecodedRequest,
  Hex,
  PolicyRequest,
  TokenAction,
  TokenMethod,
  TransactionRequest,
  TypedDataRequest,
} from "./types";

/** Allowance grants at or above 2^255 are treated as unlimited (covers max uint256 and "almost max"). */
export const UNLIMITED_APPROVAL_THRESHOLD = 1n << 255n;

const ERC20_ABI = parseAbi([
  "function transfer(address to, uint256 amount)",
  "function transferFrom(address from, address to, uint256 amount)",
  "function approve(address spender, uint256 amount)",
  "function increaseAllowance(address spender, uint256 amount)",
]);

/** The ERC-20 calls the engine decodes, by selector. */
export const ERC20_SELECTORS: Readonly<Record<string, { method: Exclude<TokenMethod, "permit">; signature: string }>> = {
  "0xa9059cbb": { method: "transfer", signature: "transfer(address,uint256)" },
  "0x23b872dd": { method: "transferFrom", signature: "transferFrom(address,address,uint256)" },
  "0x095ea7b3": { method: "approve", signature: "approve(address,uint256)" },
  "0x39509351": { method: "increaseAllowance", signature: "increaseAllowance(address,uint256)" },
};

function isAllowanceGrant(method: TokenMethod): boolean {
  return method === "approve" || method === "increaseAllowance" || method === "permit";
}

function normaliseAddress(value: string, what: string): Address {
  if (!isAddress(value, { strict: false })) throw new PolicyRequestError(`${what} is not an address: ${value}`);
  return getAddress(value);
}

function tokenAction(method: TokenMethod, token: Address, amount: bigint, counterparty: Address, from?: Address): TokenAction {
  const action: TokenAction = {
    method,
    token,
    amount,
    counterparty,
    unlimited: isAllowanceGrant(method) && amount >= UNLIMITED_APPROVAL_THRESHOLD,
  };
  if (from !== undefined) action.from = from;
  return action;
}

function decodeErc20(
  data: Hex,
  token: Address,
  method: Exclude<TokenMethod, "permit">,
): { token: TokenAction; args: Record<string, ArgValue> } {
  const { args } = decodeFunctionData({ abi: ERC20_ABI as Abi, data });
  const list = (args ?? []) as readonly unknown[];
  if (method === "transferFrom") {
    const [from, to, amount] = list as [Address, Address, bigint];
    const f = getAddress(from);
    const t = getAddress(to);
    return { token: tokenAction(method, token, amount, t, f), args: { from: f, to: t, amount } };
  }
  const [party, amount] = list as [Address, bigint];
  const p = getAddress(party);
  const name = method === "transfer" ? "to" : "spender";
  return { token: tokenAction(method, token, amount, p), args: { [name]: p, amount } };
}

function decodeTransaction(request: TransactionRequest): DecodedRequest {
  if (!Number.isSafeInteger(request.chainId) || request.chainId <= 0) {
    throw new PolicyRequestError(`chainId must be a positive integer, got ${String(request.chainId)}`);
  }
  const to = request.to ? normaliseAddress(request.to, "to") : null;
  const value = request.value ?? 0n;
  if (typeof value !== "bigint" || value < 0n) throw new PolicyRequestError("value must be a non-negative bigint");
  const data = request.data ?? "0x";
  if (!isHex(data, { strict: true }) || data.length % 2 !== 0) throw new PolicyRequestError("data must be even-length hex");

  const selector = data.length >= 10 ? (data.slice(0, 10).toLowerCase() as Hex) : null;
  let token: TokenAction | null = null;
  let args: Record<string, ArgValue> = {};
  let calldataError: string | null = null;
  const known = selector ? ERC20_SELECTORS[selector] : undefined;
  if (known && to) {
    try {
      ({ token, args } = decodeErc20(data, to, known.method));
    } catch {
      calldataError = `calldata for ${known.signature} could not be decoded`;
    }
  }
  const addresses = new Set<Address>();
  if (to) addresses.add(to);
  if (token) {
    addresses.add(token.counterparty);
    if (token.from) addresses.add(token.from);
  }
  return {
    kind: "transaction",
    chainId: request.chainId,
    to,
    value,
    selector,
    plainTransfer: data === "0x",
    token,
    args,
    calldataError,
    addresses: [...addresses],
    message: null,
  };
}

function fieldType(request: TypedDataRequest, name: string): string | undefined {
  return request.typedData.types[request.typedData.primaryType]?.find((f) => f.name === name)?.type;
}

function primitiveArg(type: string | undefined, value: unknown): ArgValue | undefined {
  if (type === undefined) return undefined;
  if (type === "address" && typeof value === "string" && isAddress(value, { strict: false })) return getAddress(value);
  if (/^u?int[0-9]*$/.test(type)) {
    if (typeof value === "bigint") return value;
    if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
    if (typeof value === "string" && /^-?(0x[0-9a-fA-F]+|[0-9]+)$/.test(value)) {
      return value.startsWith("-") ? -BigInt(value.slice(1)) : BigInt(value);
    }
    return undefined;
  }
  if (type === "bool" && typeof value === "boolean") return value;
  if ((type === "string" || /^bytes[0-9]*$/.test(type)) && typeof value === "string") return value;
  return undefined;
}

/** EIP-2612 `Permit(owner,spender,value,nonce,deadline)` and DAI's `Permit(holder,spender,nonce,expiry,allowed)`. */
function decodePermit(args: Record<string, ArgValue>, token: Address | null, primaryType: string): TokenAction | null {
  if (primaryType !== "Permit" || token === null) return null;
  const spender = args.spender;
  if (typeof spender !== "string" || !isAddress(spender)) return null;
  const owner = typeof args.owner === "string" ? args.owner : typeof args.holder === "string" ? args.holder : undefined;
  const from = owner !== undefined && isAddress(owner) ? owner : undefined;
  if (typeof args.value === "bigint") return tokenAction("permit", token, args.value, spender, from);
  if (typeof args.allowed === "boolean") {
    return tokenAction("permit", token, args.allowed ? (1n << 256n) - 1n : 0n, spender, from);
  }
  return null;
}

function decodeTypedData(request: TypedDataRequest): DecodedRequest {
  const { domain, primaryType, message } = request.typedData;
  if (typeof primaryType !== "string" || typeof message !== "object" || message === null) {
    throw new PolicyRequestError("typedData must have a primaryType and a message object");
  }
  const to = domain.verifyingContract ? normaliseAddress(domain.verifyingContract, "domain.verifyingContract") : null;
  const domainChain = domain.chainId === undefined ? undefined : Number(domain.chainId);
  const chainId = domainChain ?? request.chainId ?? null;

  const args: Record<string, ArgValue> = {};
  const addresses = new Set<Address>();
  if (to) addresses.add(to);
  for (const [name, value] of Object.entries(message)) {
    const arg = primitiveArg(fieldType(request, name), value);
    if (arg === undefined) continue;
    args[name] = arg;
    if (typeof arg === "string" && fieldType(request, name) === "address") addresses.add(arg as Address);
  }
  const token = decodePermit(args, to, primaryType);
  const decoded: DecodedMessage = {
    standard: "eip712",
    primaryType,
    domainName: typeof domain.name === "string" ? domain.name : null,
  };
  return {
    kind: "typed_data",
    chainId,
    to,
    value: 0n,
    selector: null,
    plainTransfer: false,
    token,
    args,
    calldataError: null,
    addresses: [...addresses],
    message: decoded,
  };
}

function decodeMessage(request: Extract<PolicyRequest, { kind: "message" }>): DecodedRequest {
  let message: DecodedMessage;
  if (typeof request.message === "string") {
    message = { standard: "eip191", text: request.message, raw: stringToHex(request.message) };
  } else {
    if (!isHex(request.message.raw, { strict: true })) throw new PolicyRequestError("message.raw must be hex");
    message = { standard: "eip191", text: null, raw: request.message.raw };
  }
  return {
    kind: "message",
    chainId: request.chainId ?? null,
    to: null,
    value: 0n,
    selector: null,
    plainTransfer: false,
    token: null,
    args: {},
    calldataError: null,
    addresses: [],
    message,
  };
}

/** Normalises a request into the fields policies and rules look at. Pure; throws PolicyRequestError. */
export function decodeRequest(request: PolicyRequest): DecodedRequest {
  switch (request.kind) {
    case "transaction":
      return decodeTransaction(request);
    case "typed_data":
      return decodeTypedData(request);
    case "message":
      return decodeMessage(request);
    default: {
      const unknownKind: never = request;
      throw new PolicyRequestError(`unsupported request kind ${JSON.stringify((unknownKind as { kind: unknown }).kind)}`);
    }
  }
}
