/** Validation of user-typed amounts, addresses and hex, as usage errors. */
import { getAddress, isAddress, isHex, parseEther, type Hex } from "viem";
import { UsageError } from "./errors";

const ETHER_AMOUNT = /^(\d+(\.\d{1,18})?|\.\d{1,18})$/;

/** Ether as a decimal string ("0.5"); more than 18 decimals is refused rather than rounded. */
export function parseEtherAmount(text: string, flag: string): bigint {
  if (!ETHER_AMOUNT.test(text)) throw new UsageError(`${flag} must be an ether amount like 0.5 (at most 18 decimals), got ${JSON.stringify(text)}`);
  return parseEther(text);
}

export function parseAddress(text: string, flag: string): `0x${string}` {
  if (!isAddress(text, { strict: false })) throw new UsageError(`${flag} must be a 20-byte hex address, got ${JSON.stringify(text)}`);
  return getAddress(text);
}

export function parseHexData(text: string, flag: string): Hex {
  if (!isHex(text, { strict: true }) || text.length % 2 !== 0) throw new UsageError(`${flag} must be 0x-prefixed hex with whole bytes`);
  return text.toLowerCase() as Hex;
}
