/**
 * The identity face of a Countersign agent: the Agent record (lib/agents) names its on-chain
 * identity with `onchain_chain_id` + `onchain_agent_id` (set on create/PATCH /api/v1/agents); this
 * reads that identity from the registry. No identity data is copied into the database: the chain is
 * the source of truth.
 */
import { isAddressEqual, type Address } from "viem";
import type { DbOrTx } from "@/lib/db/client";
import { getAgentRow } from "@/lib/agents/registry";
import { NotFoundError } from "@/lib/http/errors";
import { infoView } from "./model";
import { identityChain, readAgent, sybilMetrics } from "./registry";

export type AgentIdentityFace =
  | { status: "not_linked"; identity: null }
  | { status: "not_on_chain"; identity: null; chainId: number; agentId: string }
  | {
      status: "registered";
      identity: ReturnType<typeof infoView> & { humanAgentCount: number; maxAgentsPerHuman: number; proofRefreshedAt: number; registry: Address; addressMatches: boolean | null };
    };

export async function agentIdentityFace(db: DbOrTx, organizationId: string, recordId: string): Promise<AgentIdentityFace> {
  const row = await getAgentRow(db, organizationId, recordId);
  if (row.onchainChainId === null || row.onchainAgentId === null) return { status: "not_linked", identity: null };
  const chain = await identityChain(db, row.onchainChainId);
  const agentId = Number(row.onchainAgentId);
  const notOnChain = { status: "not_on_chain" as const, identity: null, chainId: row.onchainChainId, agentId: row.onchainAgentId };
  if (!Number.isSafeInteger(agentId) || agentId < 1) return notOnChain;
  try {
    const onchain = await readAgent(chain, agentId);
    const sybil = await sybilMetrics(chain, onchain.nullifier);
    return {
      status: "registered",
      identity: {
        ...infoView(onchain),
        ...sybil,
        proofRefreshedAt: onchain.proofRefreshedAt,
        registry: chain.registry,
        addressMatches: row.agentAddress ? isAddressEqual(row.agentAddress as Address, onchain.agentAddress) : null,
      },
    };
  } catch (err) {
    if (err instanceof NotFoundError) return notOnChain;
    throw err;
  }
}
