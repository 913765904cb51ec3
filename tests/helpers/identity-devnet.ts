/**
 * A fresh anvil with the identity registry set up as `npm start` does (setUpDevnetIdentity): the
 * network registered, the registry and the local proof provider deployed by funded account 0
 * (`owner`). `maxAgentsPerHuman` raises the registry's Sybil limit for tests that mint several agents
 * for one human. Stop `devnet` in afterAll.
 */
import type { Address } from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { startDevnet, type Devnet } from "@/lib/chain/devnet";
import { localDevnetNetwork, publicClientFor, walletClientFor, type Network } from "@/lib/chain/networks";
import { syncNetworks } from "@/lib/chain/network-registry";
import { db } from "@/lib/db/client";
import { agentRegistryAbi } from "@/lib/identity/abi";
import { setUpDevnetIdentity } from "@/lib/identity/devnet";
import { identityChain, type IdentityChain } from "@/lib/identity/registry";

export type IdentityDevnet = {
  devnet: Devnet;
  network: Network;
  chain: IdentityChain;
  owner: PrivateKeyAccount;
  provider: Address;
};

export async function startIdentityDevnet(opts: { maxAgentsPerHuman?: bigint } = {}): Promise<IdentityDevnet> {
  const devnet = await startDevnet({ port: 0 });
  const network = localDevnetNetwork(devnet.rpcUrl, devnet.chainId);
  await syncNetworks(db(), [network]);
  const owner = privateKeyToAccount(devnet.fundedAccounts[0]!.privateKey);
  const { provider } = await setUpDevnetIdentity(db(), network, owner);
  const chain = await identityChain(db(), network.chainId);
  if (opts.maxAgentsPerHuman !== undefined) {
    const hash = await walletClientFor(network, owner).writeContract({ address: chain.registry, abi: agentRegistryAbi, functionName: "setMaxAgentsPerHuman", args: [opts.maxAgentsPerHuman] });
    await publicClientFor(network).waitForTransactionReceipt({ hash });
  }
  return { devnet, network, chain, owner, provider };
}
