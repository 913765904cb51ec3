/**
 * Deploys the agent identity registry (node only: it compiles with solc-js). `npm start` calls
 * `ensureAgentRegistry` for the local devnet; tests deploy fresh registries with `deployAgentRegistry`.
 */
import { getAddress, isAddressEqual, keccak256, type Account, type Address } from "viem";
import { publicClientFor, walletClientFor, type Network } from "@/lib/chain/networks";
import { agentRegistryAbi } from "./abi";
import { compileAgentRegistry } from "./compile";

export interface DeployAgentRegistryOptions {
  /** Pays for the deployment and becomes the registry's owner (adds providers, sets the Sybil limit). */
  deployer: Account;
  /** Proof providers authorised right away. */
  providers?: Address[];
  /** Default 1 (the contract's own default). */
  maxAgentsPerHuman?: number;
}

export async function deployAgentRegistry(network: Network, options: DeployAgentRegistryOptions): Promise<Address> {
  const compiled = compileAgentRegistry();
  const wallet = walletClientFor(network, options.deployer);
  const client = publicClientFor(network);
  const hash = await wallet.deployContract({ abi: agentRegistryAbi, bytecode: compiled.bytecode, args: [options.deployer.address] });
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success" || !receipt.contractAddress) throw new Error(`registry deployment ${hash} failed`);
  const address = getAddress(receipt.contractAddress);
  for (const provider of options.providers ?? []) await authoriseProofProvider(network, options.deployer, address, provider);
  if (options.maxAgentsPerHuman !== undefined && options.maxAgentsPerHuman !== 1) {
    const h = await wallet.writeContract({ address, abi: agentRegistryAbi, functionName: "setMaxAgentsPerHuman", args: [BigInt(options.maxAgentsPerHuman)] });
    await client.waitForTransactionReceipt({ hash: h });
  }
  return address;
}

export async function authoriseProofProvider(network: Network, owner: Account, registry: Address, provider: Address, authorised = true): Promise<void> {
  const client = publicClientFor(network);
  const current = await client.readContract({ address: registry, abi: agentRegistryAbi, functionName: "isProofProvider", args: [provider] });
  if (current === authorised) return;
  const hash = await walletClientFor(network, owner).writeContract({ address: registry, abi: agentRegistryAbi, functionName: "setProofProvider", args: [provider, authorised] });
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`setProofProvider ${hash} reverted`);
}

/** True when `address` holds this build's registry code. */
export async function isCurrentRegistry(network: Network, address: Address): Promise<boolean> {
  const code = await publicClientFor(network).getCode({ address });
  if (!code || code === "0x") return false;
  // Immutable-free contract: the runtime code equals solc's deployedBytecode exactly.
  return keccak256(code) === keccak256(compileAgentRegistry().deployedBytecode);
}

/**
 * The registry on a devnet: reuses `recorded` when it still holds this build's code (a persisted
 * anvil state), else deploys a new one; either way `provider` ends up authorised.
 */
export async function ensureAgentRegistry(network: Network, deployer: Account, provider: Address, recorded: Address | null): Promise<{ address: Address; deployed: boolean }> {
  if (recorded && (await isCurrentRegistry(network, recorded))) {
    const owner = await publicClientFor(network).readContract({ address: recorded, abi: agentRegistryAbi, functionName: "owner" });
    if (isAddressEqual(owner, deployer.address)) {
      await authoriseProofProvider(network, deployer, recorded, provider);
      return { address: getAddress(recorded), deployed: false };
    }
  }
  const address = await deployAgentRegistry(network, { deployer, providers: [provider] });
  return { address, deployed: true };
}
