import erc20 from "./registry/erc20.json";
import safeOwners from "./registry/safe-owners.json";
import weth from "./registry/weth.json";
import { isAddressEqual } from "viem";
import { DescriptorRegistry, type CallTarget, type RegistryEntry } from "./registry";
import type { Descriptor } from "./types";

/** Owner management only means something when a Safe calls itself (`to` is the calling Safe). */
function isSelfCall(call: CallTarget): boolean {
  return call.from !== undefined && isAddressEqual(call.from as `0x${string}`, call.to as `0x${string}`);
}

const VENDOR_DESCRIPTORS: readonly RegistryEntry[] = [
  { id: "weth", descriptor: weth as unknown as Descriptor },
  { id: "erc20", descriptor: erc20 as unknown as Descriptor },
  { id: "safe-owner-management", descriptor: safeOwners as unknown as Descriptor, appliesTo: isSelfCall },
];

let vendor: DescriptorRegistry | undefined;

/** Countersign's own descriptors (lib/clearsign/registry/*.json), source "vendor". */
export function vendorRegistry(): DescriptorRegistry {
  vendor ??= new DescriptorRegistry("vendor", VENDOR_DESCRIPTORS);
  return vendor;
}
