import type { Address, Hex } from "viem";
import type { Descriptor } from "./types";

/** How the engine finds the descriptor of a nested call (a field with format `calldata`). */
export interface DescriptorLookup {
  /** `from` is the nested call's sender (the contract making it, or the spender the descriptor names). */
  find(chainId: number, address: Address, selector: Hex, from?: Address): Descriptor | undefined;
}
