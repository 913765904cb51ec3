/**
 * Deployment of the demo verifier (node only: it compiles with solc-js). `npm start` runs
 * `setUpDevnetDemoVerifier` after the identity registry (lib/identity/devnet.ts): the verifier is
 * deployed by the devnet's first funded account against the chain's registry, with this server's
 * relayer as its Ed25519 attester, the relayer gets gas, and the address goes into the network
 * registry (`networks.demo_verifier`).
 */
import { getAddress, isAddressEqual, keccak256, type Account, type Address } from "viem";
import type { DbOrTx } from "@/lib/db/client";
import { publicClientFor, walletClientFor, type Network } from "@/lib/chain/networks";
import { ensureProviderGas } from "@/lib/identity/provider-key";
import { identityChain } from "@/lib/identity/registry";
import { compileDemoVerifier } from "./compile";
import { demoVerifierAbi } from "./verifier-abi";
import { recordDemoVerifier, relayerAddress } from "./chain-verify";

export async function deployDemoVerifier(network: Network, deployer: Account, registry: Address, attester: Address): Promise<Address> {
  const compiled = compileDemoVerifier();
  const client = publicClientFor(network);
  const hash = await walletClientFor(network, deployer).deployContract({ abi: demoVerifierAbi, bytecode: compiled.bytecode, args: [registry, deployer.address, attester] });
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success" || !receipt.contractAddress) throw new Error(`demo verifier deployment ${hash} failed`);
  return getAddress(receipt.contractAddress);
}

/** True when `address` holds this build's verifier, reading `registry`, with `attester` authorised. */
async function isCurrentVerifier(network: Network, address: Address, registry: Address, attester: Address): Promise<boolean> {
  const client = publicClientFor(network);
  const code = await client.getCode({ address });
  // No immutables: the runtime code equals solc's deployedBytecode exactly.
  if (!code || keccak256(code) !== keccak256(compileDemoVerifier().deployedBytecode)) return false;
  const [reads, isAttester] = await Promise.all([
    client.readContract({ address, abi: demoVerifierAbi, functionName: "registry" }),
    client.readContract({ address, abi: demoVerifierAbi, functionName: "isAttester", args: [attester] }),
  ]);
  return isAddressEqual(reads, registry) && isAttester;
}

export async function setUpDevnetDemoVerifier(db: DbOrTx, network: Network, owner: Account): Promise<{ verifier: Address; deployed: boolean; relayer: Address }> {
  if (!network.isDevnet) throw new Error("setUpDevnetDemoVerifier is for a local devnet only");
  const chain = await identityChain(db, network.chainId);
  const relayer = await relayerAddress(db);
  await ensureProviderGas(network, relayer);
  const row = await db.network.findUnique({ where: { chainId: network.chainId } });
  const recorded = (row?.demoVerifier ?? null) as Address | null;
  if (recorded && (await isCurrentVerifier(network, recorded, chain.registry, relayer))) return { verifier: getAddress(recorded), deployed: false, relayer };
  const verifier = await deployDemoVerifier(network, owner, chain.registry, relayer);
  await recordDemoVerifier(db, network.chainId, verifier);
  return { verifier, deployed: true, relayer };
}
