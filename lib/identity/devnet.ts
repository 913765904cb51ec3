/**
 * `npm start` on the local devnet (node only, compiles with solc-js): the registry deployed by the
 * devnet's first funded account (its owner), the local proof provider authorised and given gas,
 * and the registry's address recorded in the network registry.
 */
import type { Account, Address } from "viem";
import type { DbOrTx } from "@/lib/db/client";
import type { Network } from "@/lib/chain/networks";
import { ensureAgentRegistry } from "./deploy";
import { ensureProviderGas, providerKeyAddress } from "./provider-key";
import { recordIdentityRegistry } from "./registry";

export async function setUpDevnetIdentity(db: DbOrTx, network: Network, owner: Account): Promise<{ registry: Address; deployed: boolean; provider: Address }> {
  if (!network.isDevnet) throw new Error("setUpDevnetIdentity is for a local devnet only");
  const provider = await providerKeyAddress(db);
  await ensureProviderGas(network, provider);
  const row = await db.network.findUnique({ where: { chainId: network.chainId } });
  const recorded = (row?.identityRegistry ?? null) as Address | null;
  const { address, deployed } = await ensureAgentRegistry(network, owner, provider, recorded);
  await recordIdentityRegistry(db, network.chainId, address);
  return { registry: address, deployed, provider };
}
