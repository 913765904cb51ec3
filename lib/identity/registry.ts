/**
 * The agent identity registry as the app reads it: which registry serves a chain (the network
 * registry's `identity_registry` column), and the on-chain records (viem reads, no writes here).
 */
import { BaseError, ContractFunctionRevertedError, getAddress, isAddressEqual, type Address } from "viem";
import type { DbOrTx } from "@/lib/db/client";
import { publicClientFor, type Network } from "@/lib/chain/networks";
import { toNetwork } from "@/lib/chain/network-registry";
import { ApiError, BadRequestError, NotConfiguredError, NotFoundError } from "@/lib/http/errors";
import { agentRegistryAbi } from "./abi";
import { chainIdForNetwork, SEED_IDENTITY_CHAINS } from "./config";
import type { IdentityNetwork, OnchainAgent } from "./model";

export type IdentityChain = { network: Network; registry: Address };

/** A registry network with its contract: 400 for a chain the network registry does not know, 503 "Service not configured" without a registry. */
export async function identityChain(db: DbOrTx, chainId: number): Promise<IdentityChain> {
  const row = await db.network.findUnique({ where: { chainId } });
  if (!row && SEED_IDENTITY_CHAINS.includes(chainId)) throw new NotConfiguredError();
  if (!row) throw new BadRequestError(`Unsupported chain ${chainId}`, [{ field: "params.chainId", message: `Chain ${chainId} is not in the network registry` }]);
  if (!row.enabled || !row.identityRegistry) throw new NotConfiguredError();
  return { network: toNetwork(row), registry: getAddress(row.identityRegistry) };
}

/** The chain a seed `network` ("mainnet" | "testnet") selects on this instance; 503 when none serves it. */
export async function chainIdForNetworkLabel(db: DbOrTx, label: IdentityNetwork): Promise<number> {
  const rows = await db.network.findMany({ where: { enabled: true, identityRegistry: { not: null } }, select: { chainId: true, isDevnet: true }, orderBy: { chainId: "asc" } });
  const chainId = chainIdForNetwork(label, rows);
  if (chainId === null) throw new NotConfiguredError();
  return chainId;
}

/** Records (or clears) the registry's address for a chain. */
export async function recordIdentityRegistry(db: DbOrTx, chainId: number, registry: Address | null): Promise<void> {
  await db.network.update({ where: { chainId }, data: { identityRegistry: registry ? getAddress(registry) : null } });
}

class RpcFailureError extends ApiError {
  constructor(cause: unknown) {
    super(500, "RPC failure", { cause });
  }
}

/** Runs chain reads; a revert with `AgentNotFound` is a 404, any other node failure the seed's 500 "RPC failure". */
async function onChain<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof BaseError) {
      const revert = err.walk((e) => e instanceof ContractFunctionRevertedError);
      if (revert instanceof ContractFunctionRevertedError && revert.data?.errorName === "AgentNotFound") throw new NotFoundError("Agent not found");
    }
    throw new RpcFailureError(err);
  }
}

const ZERO32 = `0x${"00".repeat(32)}`;

export async function readAgent(chain: IdentityChain, agentId: number): Promise<OnchainAgent> {
  const client = publicClientFor(chain.network);
  return onChain(async () => {
    const rec = await client.readContract({ address: chain.registry, abi: agentRegistryAbi, functionName: "getAgent", args: [BigInt(agentId)] });
    const providerAuthorised = await client.readContract({ address: chain.registry, abi: agentRegistryAbi, functionName: "isProofProvider", args: [rec.proofProvider] });
    return {
      agentId,
      chainId: chain.network.chainId,
      registry: chain.registry,
      nullifier: rec.nullifier,
      agentAddress: getAddress(rec.agentAddress),
      ed25519Key: rec.ed25519Key === ZERO32 ? null : rec.ed25519Key,
      humanAddress: isAddressEqual(rec.humanAddress, "0x0000000000000000000000000000000000000000") ? null : getAddress(rec.humanAddress),
      proofProvider: getAddress(rec.proofProvider),
      providerAuthorised,
      verificationStrength: rec.verificationStrength,
      registeredAt: Number(rec.registeredAt),
      registeredAtBlock: rec.registeredAtBlock,
      proofRefreshedAt: Number(rec.proofRefreshedAt),
      credentials: { nationality: rec.credentials.nationality, olderThan: rec.credentials.olderThan, ofac: [...rec.credentials.ofac] as [boolean, boolean, boolean] },
      metadata: { ...rec.metadata },
    };
  });
}

export async function sybilMetrics(chain: IdentityChain, nullifier: bigint): Promise<{ humanAgentCount: number; maxAgentsPerHuman: number }> {
  const client = publicClientFor(chain.network);
  return onChain(async () => {
    const [count, max] = await Promise.all([
      client.readContract({ address: chain.registry, abi: agentRegistryAbi, functionName: "humanAgentCount", args: [nullifier] }),
      client.readContract({ address: chain.registry, abi: agentRegistryAbi, functionName: "maxAgentsPerHuman" }),
    ]);
    return { humanAgentCount: Number(count), maxAgentsPerHuman: Number(max) };
  });
}

export async function agentsOfHolder(chain: IdentityChain, holder: Address): Promise<number[]> {
  const ids = await onChain(() => publicClientFor(chain.network).readContract({ address: chain.registry, abi: agentRegistryAbi, functionName: "agentsOfHolder", args: [holder] }));
  return ids.map(Number);
}

export async function agentsOfNullifier(chain: IdentityChain, nullifier: bigint): Promise<number[]> {
  const ids = await onChain(() => publicClientFor(chain.network).readContract({ address: chain.registry, abi: agentRegistryAbi, functionName: "agentsOfNullifier", args: [nullifier] }));
  return ids.map(Number);
}

/** The agent id an address is registered under (0: none). */
export async function agentIdOf(chain: IdentityChain, agentAddress: Address): Promise<number> {
  return Number(await onChain(() => publicClientFor(chain.network).readContract({ address: chain.registry, abi: agentRegistryAbi, functionName: "agentIdOf", args: [agentAddress] })));
}

export async function sameHuman(chain: IdentityChain, a: number, b: number): Promise<boolean> {
  return onChain(() => publicClientFor(chain.network).readContract({ address: chain.registry, abi: agentRegistryAbi, functionName: "sameHuman", args: [BigInt(a), BigInt(b)] }));
}

/** Display name of a proof provider: one of this server's own keys, else Self Protocol's. */
export async function providerName(db: DbOrTx, provider: Address): Promise<string> {
  const own = await db.identityProviderKey.findFirst({ where: { address: { equals: provider, mode: "insensitive" } } });
  if (own?.name === "local") return "Local proof provider (mock)";
  return own ? own.name : "Self Protocol";
}
