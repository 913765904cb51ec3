import { formatUnits, getAddress, isAddressEqual, type Address } from "viem";
import { chainName, nativeCurrency } from "./chains";
import type { DataProvider } from "./data-provider";
import { FieldFormatError } from "./errors";
import type { JsonValue } from "./types";

/** `amount`: a native-currency amount, e.g. "0.00187 ETH". */
export function formatNativeAmount(chainId: number, value: bigint): string {
  const currency = nativeCurrency(chainId);
  return `${formatUnits(value, currency.decimals)} ${currency.symbol}`;
}

export interface TokenAmountOptions {
  chainId: number;
  token?: Address;
  nativeCurrencyAddresses: Address[];
  threshold?: bigint;
  message?: string;
}

export type TokenAmountResult = { text: string; tokenKnown: boolean };

/**
 * `tokenAmount`: the amount in the token's unit followed by its ticker, or the message (default
 * "Unlimited") when at or above the threshold. Without token metadata the raw integer is shown.
 */
export async function formatTokenAmount(provider: DataProvider, value: bigint, options: TokenAmountOptions): Promise<TokenAmountResult> {
  const { chainId, token } = options;
  if (!token) return { text: value.toString(), tokenKnown: false };
  const isNative = options.nativeCurrencyAddresses.some((a) => isAddressEqual(a, token));
  const info = isNative ? nativeCurrency(chainId) : await provider.token(chainId, token);
  if (!info) return { text: value.toString(), tokenKnown: false };
  if (options.threshold !== undefined && value >= options.threshold) {
    return { text: `${options.message ?? "Unlimited"} ${info.symbol}`, tokenKnown: true };
  }
  return { text: `${formatUnits(value, info.decimals)} ${info.symbol}`, tokenKnown: true };
}

export interface AddressNameOptions {
  chainId: number;
  sources?: string[];
  senderAddresses: Address[];
}

/** `addressName`: "Sender" for a sender placeholder, else a trusted name (local, then ENS), else the checksummed address. */
export async function formatAddressName(provider: DataProvider, address: Address, options: AddressNameOptions): Promise<string> {
  if (options.senderAddresses.some((a) => isAddressEqual(a, address))) return "Sender";
  for (const source of options.sources ?? ["local", "ens"]) {
    const name =
      source === "local"
        ? await provider.addressName(options.chainId, address)
        : source === "ens"
          ? await provider.ensName(options.chainId, address)
          : undefined;
    if (name) return name;
  }
  return getAddress(address);
}

function pad2(n: number): string {
  return n.toString().padStart(2, "0");
}

const MAX_DATE_SECONDS = 8_640_000_000_000n;

/** `date`: a Unix timestamp as "YYYY-MM-DD HH:MM:SSZ" (UTC). */
export function formatTimestamp(seconds: bigint): string {
  if (seconds < 0n || seconds > MAX_DATE_SECONDS) return seconds.toString();
  const d = new Date(Number(seconds) * 1000);
  return (
    `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}Z`
  );
}

/** `duration`: a number of seconds as HH:MM:SS (hours are not wrapped into days). */
export function formatDuration(seconds: bigint): string {
  if (seconds < 0n) throw new FieldFormatError(`negative duration ${seconds}`);
  const h = seconds / 3600n;
  const m = (seconds % 3600n) / 60n;
  const s = seconds % 60n;
  return `${h.toString().padStart(2, "0")}:${pad2(Number(m))}:${pad2(Number(s))}`;
}

const SI_PREFIXES = ["", "k", "M", "G", "T", "P", "E", "Z", "Y"];

/** `unit`: value / 10^decimals followed by the unit symbol, optionally with an SI prefix (k, M, G, ...). */
export function formatUnit(value: bigint, base: string, decimals: number, prefix: boolean): string {
  let scaledDecimals = decimals;
  let prefixIndex = 0;
  if (prefix) {
    const abs = value < 0n ? -value : value;
    while (prefixIndex < SI_PREFIXES.length - 1 && abs >= 1000n * 10n ** BigInt(scaledDecimals)) {
      scaledDecimals += 3;
      prefixIndex += 1;
    }
  }
  return `${formatUnits(value, scaledDecimals)}${SI_PREFIXES[prefixIndex] ?? ""}${base}`;
}

/** `enum`: the enum entry for the value, or the raw value when the enum has no such key. */
export function formatEnum(enumeration: JsonValue, value: bigint): string {
  if (typeof enumeration !== "object" || enumeration === null || Array.isArray(enumeration)) {
    throw new FieldFormatError("enum format references something that is not an enum");
  }
  const label = enumeration[value.toString()];
  return typeof label === "string" ? label : value.toString();
}

/** `chainId`: the EIP-155 chain name, or the raw id when unknown. */
export function formatChainId(value: bigint): string {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) return value.toString();
  return chainName(Number(value)) ?? value.toString();
}
