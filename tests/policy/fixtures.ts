import { encodeFunctionData, getAddress, parseAbi, parseEther, type Address, type Hex } from "viem";
import { parsePolicy } from "@/lib/policy/schemas";
import type { ActivePolicy, PolicyRequest, TransactionRequest, UsageSnapshot } from "@/lib/policy/types";

export const ALICE = getAddress("0x1111111111111111111111111111111111111111");
export const BOB = getAddress("0x2222222222222222222222222222222222222222");
export const MALLORY = getAddress("0x3333333333333333333333333333333333333333");
export const TREASURY = getAddress("0x4444444444444444444444444444444444444444");
export const ROUTER = getAddress("0x5555555555555555555555555555555555555555");
export const USDC = getAddress("0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48");
export const DAI = getAddress("0x6b175474e89094c44da98b954eedeac495271d0f");

export const MAX_UINT256 = (1n << 256n) - 1n;

const ERC20 = parseAbi([
  "function transfer(address to, uint256 amount)",
  "function transferFrom(address from, address to, uint256 amount)",
  "function approve(address spender, uint256 amount)",
  "function increaseAllowance(address spender, uint256 amount)",
]);

export function transferData(to: Address, amount: bigint): Hex {
  return encodeFunctionData({ abi: ERC20, functionName: "transfer", args: [to, amount] });
}
export function transferFromData(from: Address, to: Address, amount: bigint): Hex {
  return encodeFunctionData({ abi: ERC20, functionName: "transferFrom", args: [from, to, amount] });
}
export function approveData(spender: Address, amount: bigint): Hex {
  return encodeFunctionData({ abi: ERC20, functionName: "approve", args: [spender, amount] });
}
export function increaseAllowanceData(spender: Address, amount: bigint): Hex {
  return encodeFunctionData({ abi: ERC20, functionName: "increaseAllowance", args: [spender, amount] });
}

export function ethTx(to: Address, value: bigint, extra: Partial<TransactionRequest> = {}): TransactionRequest {
  return { kind: "transaction", chainId: 1, to, value, ...extra };
}
export function tokenTx(token: Address, data: Hex, extra: Partial<TransactionRequest> = {}): TransactionRequest {
  return { kind: "transaction", chainId: 1, to: token, value: 0n, data, ...extra };
}
export function eth(n: string): bigint {
  return parseEther(n);
}

export const personalMessage: PolicyRequest = { kind: "message", message: "Sign in to Example" };

let counter = 0;
export function policy(type: string, config: unknown, id?: string): ActivePolicy {
  counter++;
  return parsePolicy({ id: id ?? `${type}-${counter}`, version: 1, type, config });
}

export function usage(partial: Partial<UsageSnapshot> = {}): UsageSnapshot {
  return { rolling24h: {}, monthly: {}, requestCounts: {}, ...partial };
}

export const NOON_UTC = new Date("2026-06-10T12:00:00Z");
