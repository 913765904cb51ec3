import { erc20Abi, getAddress, type Address } from "viem";
import { aggregateDescription, DescriptorRegistry, resolveActions, vendorRegistry, type ActionResult, type DataProvider, type TokenInfo } from "@/lib/clearsign";
import { publicClientFor, type Network } from "@/lib/chain/networks";
import type { DbOrTx } from "@/lib/db/client";
import { overlayRegistry } from "@/lib/clearsign/overlay-store";

/** seed 004's clearSigning object. */
export type ClearSigningJson = {
  actionResults: (
    | { resolved: true; descriptorId: string; description: string; protocolTag: string; bindingKind: "calldata" | "eip712"; source: "vendor" | "overlay" }
    | { resolved: false; reason: string }
  )[];
  aggregatedDescription: string;
};

export type IntentAction = { chainId: number; to: string; data: string; value: string };

/** Token metadata read from the chain (symbol/decimals), cached per provider instance. */
export class ChainDataProvider implements DataProvider {
  private readonly tokens = new Map<string, Promise<TokenInfo | undefined>>();
  constructor(private readonly network: Network) {}

  token(chainId: number, address: string): Promise<TokenInfo | undefined> {
    if (chainId !== this.network.chainId) return Promise.resolve(undefined);
    const key = address.toLowerCase();
    let hit = this.tokens.get(key);
    if (!hit) {
      hit = this.read(getAddress(address));
      this.tokens.set(key, hit);
    }
    return hit;
  }
  private async read(address: Address): Promise<TokenInfo | undefined> {
    const client = publicClientFor(this.network);
    try {
      const [symbol, decimals] = await Promise.all([
        client.readContract({ address, abi: erc20Abi, functionName: "symbol" }),
        client.readContract({ address, abi: erc20Abi, functionName: "decimals" }),
      ]);
      return { symbol, decimals };
    } catch {
      return undefined;
    }
  }
  addressName(): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }
  ensName(): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }
  nftCollectionName(): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }
  async blockTimestamp(chainId: number, blockNumber: bigint): Promise<bigint | undefined> {
    if (chainId !== this.network.chainId) return undefined;
    try {
      return (await publicClientFor(this.network).getBlock({ blockNumber })).timestamp;
    } catch {
      return undefined;
    }
  }
}

/** Pure: the engine's results in the seed's shape (detail such as decoded calls stays out). */
export function toClearSigningJson(results: readonly ActionResult[]): ClearSigningJson {
  return {
    actionResults: results.map((r) =>
      r.resolved
        ? { resolved: true as const, descriptorId: r.descriptorId, description: r.description, protocolTag: r.protocolTag, bindingKind: r.bindingKind, source: r.descriptorSource }
        : { resolved: false as const, reason: r.reason },
    ),
    aggregatedDescription: aggregateDescription(results),
  };
}

/**
 * Clear-signs each action as called by the Safe (`from`), with on-chain token data, the vendor
 * descriptors and, given an organization, its overlay descriptors first (an overlay bound to the
 * call's chain, address and selector wins over the vendor descriptor; see lib/clearsign/overlay-store.ts).
 * In the browser (the send dialog) the overlay comes as a registry built from the API's descriptors.
 */
export async function clearSign(
  network: Network,
  actions: readonly IntentAction[],
  from: Address,
  overlay?: { db: DbOrTx; organizationId: string } | DescriptorRegistry,
): Promise<{ json: ClearSigningJson; results: ActionResult[] }> {
  const registries = overlay instanceof DescriptorRegistry ? [overlay, vendorRegistry()] : overlay ? [await overlayRegistry(overlay.db, overlay.organizationId), vendorRegistry()] : [vendorRegistry()];
  const results = await resolveActions(
    actions.map((a) => ({ ...a, from })),
    { registries, provider: new ChainDataProvider(network) },
  );
  return { json: toClearSigningJson(results), results };
}
