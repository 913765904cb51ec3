import type { Address, Hex } from "viem";
import type { DescriptorLookup } from "./descriptor-lookup";
import { indexFormats } from "./format-index";
import type { Descriptor } from "./types";

/** Where a descriptor came from: the product's own (`vendor`), an operator overlay, or a public registry copy. */
export type DescriptorSource = "vendor" | "overlay" | "registry";

/** The call a descriptor is being matched against. */
export interface CallTarget {
  chainId: number;
  to: Address | string;
  from?: Address | string;
}

export interface RegistryEntry {
  id: string;
  descriptor: Descriptor;
  /** Extra condition on the call for a generic descriptor to apply (e.g. a Safe calling itself). */
  appliesTo?: (call: CallTarget) => boolean;
}

export interface RegisteredDescriptor extends RegistryEntry {
  source: DescriptorSource;
}

function deploymentKey(chainId: number, address: string): string {
  return `${chainId}:${address.toLowerCase()}`;
}

function formats(entry: RegisteredDescriptor, selector: Hex): boolean {
  return indexFormats(entry.descriptor).has(selector.toLowerCase() as Hex);
}

/**
 * A set of merged descriptors. Descriptors with `context.contract.deployments` match only those
 * (chainId, address) pairs; descriptors without deployments are generic and match any address whose
 * call selector they format (e.g. ERC-20 `transfer`), subject to their `appliesTo` condition.
 */
export class DescriptorRegistry implements DescriptorLookup {
  private readonly byDeployment = new Map<string, RegisteredDescriptor[]>();
  private readonly generic: RegisteredDescriptor[] = [];
  private readonly all: RegisteredDescriptor[] = [];

  constructor(
    readonly source: DescriptorSource,
    entries: readonly RegistryEntry[],
  ) {
    for (const e of entries) {
      const entry: RegisteredDescriptor = { ...e, source };
      this.all.push(entry);
      const deployments = entry.descriptor.context?.contract?.deployments ?? [];
      if (deployments.length === 0) this.generic.push(entry);
      for (const d of deployments) {
        const key = deploymentKey(d.chainId, d.address);
        this.byDeployment.set(key, [...(this.byDeployment.get(key) ?? []), entry]);
      }
    }
  }

  get size(): number {
    return this.all.length;
  }

  /** The descriptor deployed at the call's (chainId, address) that formats `selector`, if any. */
  findDeployed(call: CallTarget, selector: Hex): RegisteredDescriptor | undefined {
    const candidates = this.byDeployment.get(deploymentKey(call.chainId, call.to)) ?? [];
    return candidates.find((c) => formats(c, selector));
  }

  /** A generic (deployment-free) descriptor that formats `selector` and applies to the call, if any. */
  findGeneric(call: CallTarget, selector: Hex): RegisteredDescriptor | undefined {
    return this.generic.find((c) => formats(c, selector) && (c.appliesTo?.(call) ?? true));
  }

  /** Any descriptor at the call's address or generic that formats `selector`, ignoring `appliesTo`: an ABI source. */
  findAbiSource(call: CallTarget, selector: Hex): RegisteredDescriptor | undefined {
    return this.findDeployed(call, selector) ?? this.generic.find((c) => formats(c, selector));
  }

  /** Deployment-bound descriptors first, generic ones as a fallback. */
  findEntry(call: CallTarget, selector: Hex): RegisteredDescriptor | undefined {
    return this.findDeployed(call, selector) ?? this.findGeneric(call, selector);
  }

  find(chainId: number, address: Address, selector: Hex, from?: Address): Descriptor | undefined {
    return this.findEntry({ chainId, to: address, from }, selector)?.descriptor;
  }
}
