import { encodeFunctionData, parseAbiItem, type AbiFunction, type Hex } from "viem";
import type { Descriptor, FormatSpec, JsonObject } from "@/lib/clearsign/types";

export const CONTRACT = "0x1111111111111111111111111111111111111111";
export const ALICE = "0xa11ce00000000000000000000000000000000a11";
export const BOB = "0xb0b0000000000000000000000000000000000b0b";
export const TOKEN = "0x7070707070707070707070707070707070707070";

/** Calldata for a human-readable signature such as "transfer(address to, uint256 amount)". */
export function calldata(signature: string, args: readonly unknown[]): Hex {
  const fn = parseAbiItem(`function ${signature}`) as AbiFunction;
  return encodeFunctionData({ abi: [fn], functionName: fn.name, args });
}

/** A descriptor deployed at CONTRACT on chain 1 with the given formats and metadata. */
export function makeDescriptor(formats: Record<string, FormatSpec>, metadata: JsonObject = {}, extra: Partial<Descriptor> = {}): Descriptor {
  return {
    context: { $id: "test", contract: { deployments: [{ chainId: 1, address: CONTRACT }] } },
    ...extra,
    metadata: { owner: "Test Owner", ...metadata },
    display: { ...(extra.display ?? {}), formats },
  } as Descriptor;
}
