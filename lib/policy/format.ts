import { formatUnits, getAddress } from "viem";
import type { Address, TokenRef } from "./types";

function withDecimalPoint(s: string): string {
  return s.includes(".") ? s : `${s}.0`;
}

export function formatNative(wei: bigint, symbol = "ETH"): string {
  return `${withDecimalPoint(formatUnits(wei, 18))} ${symbol}`;
}

export function shortAddress(address: Address): string {
  const a = getAddress(address);
  return `${a.slice(0, 6)}…${a.slice(-4)}`;
}

export function formatToken(amount: bigint, token: TokenRef): string {
  const label = token.symbol ?? shortAddress(token.address);
  if (token.decimals === undefined) return `${amount.toString()} base units of ${label}`;
  return `${withDecimalPoint(formatUnits(amount, token.decimals))} ${label}`;
}
