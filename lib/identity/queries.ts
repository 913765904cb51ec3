/**
 * The seed 003 public queries: each resolves the chain's registry, reads the chain and shapes the
 * seed's body (lib/identity/model.ts). Route handlers call these and nothing else.
 */
import { getAddress, type Address } from "viem";
import type { DbOrTx } from "@/lib/db/client";
import { agentCard, infoView, reputationView, verifyStatusView, verifyView } from "./model";
import { CELO_MAINNET_CHAIN_ID } from "./model";
import { agentsOfHolder, agentsOfNullifier, chainIdForNetworkLabel, identityChain, providerName, readAgent, sybilMetrics } from "./registry";

export async function agentInfo(db: DbOrTx, chainId: number, agentId: number) {
  return infoView(await readAgent(await identityChain(db, chainId), agentId));
}

export async function agentVerification(db: DbOrTx, chainId: number, agentId: number) {
  const chain = await identityChain(db, chainId);
  const agent = await readAgent(chain, agentId);
  return verifyView(agent, await sybilMetrics(chain, agent.nullifier));
}

export async function agentReputation(db: DbOrTx, chainId: number, agentId: number) {
  const agent = await readAgent(await identityChain(db, chainId), agentId);
  return reputationView(agent, await providerName(db, agent.proofProvider));
}

export async function agentVerifyStatus(db: DbOrTx, chainId: number, agentId: number) {
  return verifyStatusView(await readAgent(await identityChain(db, chainId), agentId));
}

export async function agentCardFor(db: DbOrTx, chainId: number, agentId: number, origin: string) {
  const chain = await identityChain(db, chainId);
  const agent = await readAgent(chain, agentId);
  return agentCard(agent, origin, await sybilMetrics(chain, agent.nullifier));
}

export async function agentsOfHumanAddress(db: DbOrTx, chainId: number, human: Address) {
  const holder = getAddress(human);
  return { agents: await agentsOfHolder(await identityChain(db, chainId), holder), chainId, humanAddress: holder };
}

export async function agentsOfHumanNullifier(db: DbOrTx, chainId: number, nullifier: string) {
  return { nullifier, agents: await agentsOfNullifier(await identityChain(db, chainId), BigInt(nullifier)), chainId };
}

/**
 * Where /.well-known/a2a/{agentId} redirects: the card on `chain`, else on the chain the seed's
 * default network ("mainnet") selects here — Celo when configured, else the devnet — and when no
 * chain has a registry, Celo mainnet's card (which then answers 503 "Service not configured").
 */
export async function cardLocation(db: DbOrTx, agentId: number, chain: number | undefined): Promise<string> {
  const chainId = chain ?? (await chainIdForNetworkLabel(db, "mainnet").catch(() => CELO_MAINNET_CHAIN_ID));
  return `/api/cards/${chainId}/${agentId}`;
}
