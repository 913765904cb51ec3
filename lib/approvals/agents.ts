import { getAddress, keccak256, toHex, type Address } from "viem";
import { issueCredential } from "@/lib/auth/credentials";
import { getNetwork } from "@/lib/chain/network-registry";
import { publicClientFor, type Network } from "@/lib/chain/networks";
import { serialContractWriter } from "@/lib/chain/serial-sender";
import type { Db, DbOrTx } from "@/lib/db/client";
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError, ServiceUnavailableError } from "@/lib/http/errors";
import type { Principal } from "@/lib/http/principal";
import { credentialOf } from "@/lib/http/scope";
import { deploySafe } from "@/lib/safe/account";
import { getSigner } from "@/lib/signing/signers";
import { requireActive } from "@/lib/agents/model";
import { agentForNew } from "@/lib/agents/registry";
import { newId } from "./ids";
import { ensureDevnetGas, providerAccount, providerKeyAddress } from "./provider-key";

export const AGENT_SUBJECT = "approval_agent";
export type ExecutionMode = "safe" | "relay";

export type AgentRow = { id: string; organizationId: string; address: string; mode: string; chainId: number; safeAddress: string | null; signerId: string | null; createdAt: Date };

/**
 * How an agent authenticates on seed 004's agent-side routes: an agent token (csa_…, sent as
 * x-api-key or Bearer) issued when the agent is paired. The token names the paired agent, so a
 * request for another agent address is simply not found.
 */
export async function agentOf(db: DbOrTx, p: Principal): Promise<AgentRow> {
  const c = credentialOf(p);
  if (c.credential.kind !== "agent_token" || c.credential.subjectType !== AGENT_SUBJECT || !c.credential.subjectId) {
    throw new ForbiddenError("Use the agent token issued when the agent was paired (csa_…)");
  }
  const agent = await db.approvalAgent.findFirst({ where: { id: c.credential.subjectId, organizationId: c.organizationId }, include: { agentRecord: { select: { status: true } } } });
  if (!agent) throw new NotFoundError("This agent is no longer paired");
  // The Agent registry's kill switch: a paused (or retired) agent's seed 004 calls answer 403.
  requireActive(agent.agentRecord?.status);
  return agent;
}

/** The agent a body/query address names must be the authenticated agent; anything else is not found. */
export function assertSameAgent(agent: AgentRow, address: string) {
  if (getAddress(address) !== getAddress(agent.address)) throw new NotFoundError(`No agent ${getAddress(address)} is paired with this token`);
}

/** Deterministic per organization and agent: re-pairing finds the same Safe. */
export function safeSaltNonce(organizationId: string, agent: Address): bigint {
  return BigInt(keccak256(toHex(`countersign-approvals:${organizationId}:${agent.toLowerCase()}`))) >> 8n;
}

/**
 * Deploys (or finds) the agent's 2-of-2 Safe v1.5.0 through the canonical SafeProxyFactory: owners
 * are the agent and the organization's provider key. The provider key pays the gas (topped up
 * automatically on a devnet).
 */
export async function ensureAgentSafe(db: DbOrTx, network: Network, organizationId: string, agent: Address): Promise<Address> {
  const provider = await providerAccount(db, organizationId);
  try {
    await ensureDevnetGas(network, provider.address);
    return await deploySafe(publicClientFor(network), serialContractWriter(db, network, provider) as never, {
      owners: [getAddress(agent), provider.address],
      threshold: 2,
      saltNonce: safeSaltNonce(organizationId, agent),
    });
  } catch (err) {
    throw new ServiceUnavailableError(`Could not create the agent's Safe on chain ${network.chainId}: ${(err as Error).message.split("\n")[0]}`);
  }
}

export type PairInput = { organizationId: string; createdById: string | null; agentAddress?: string; mode: ExecutionMode; chainId?: number; signerId?: string; agentId?: string };

/** Pairs an agent and issues its token (shown once). */
export async function pairAgent(db: Db, input: PairInput) {
  let address: Address;
  let chainId: number;
  let safeAddress: Address | null = null;
  let signerId: string | null = null;
  let signerAgentId: string | null = null;
  if (input.mode === "relay") {
    if (!input.signerId) throw new BadRequestError("Relay mode pairs a Countersign signer: signerId is required", [{ field: "body.signerId", message: "Required in relay mode" }]);
    const signer = await getSigner(db, input.organizationId, input.signerId);
    if (!signer.address) throw new BadRequestError("The signer has no address yet (key generation incomplete)");
    if (input.agentAddress && getAddress(input.agentAddress) !== getAddress(signer.address)) {
      throw new BadRequestError("In relay mode the agent address is the signer's address", [{ field: "body.agentAddress", message: "Does not match the signer" }]);
    }
    address = getAddress(signer.address);
    chainId = signer.chainId;
    signerId = signer.id;
    signerAgentId = signer.agentId;
  } else {
    if (!input.agentAddress) throw new BadRequestError("agentAddress is required in safe mode", [{ field: "body.agentAddress", message: "Required in safe mode" }]);
    address = getAddress(input.agentAddress);
    chainId = input.chainId ?? 31337;
  }
  if (await db.approvalAgent.findUnique({ where: { organizationId_address: { organizationId: input.organizationId, address } } })) {
    throw new ConflictError(`Agent ${address} is already paired`);
  }
  const network = await getNetwork(db, chainId).catch(() => {
    throw new BadRequestError(`Network ${chainId} is not configured`, [{ field: "body.chainId", message: "Unknown network" }]);
  });
  const providerAddress = await providerKeyAddress(db, input.organizationId);
  if (input.mode === "safe") safeAddress = await ensureAgentSafe(db, network, input.organizationId, address);

  return db.$transaction(async (tx) => {
    // The pairing belongs to an agent: the one named, else the relayed signer's, else a new one with this address.
    const record = await agentForNew(tx, {
      organizationId: input.organizationId,
      agentId: input.agentId ?? signerAgentId,
      field: "body.agentId",
      create: { name: `Agent ${address}`, ownerId: input.createdById, identifiers: { agentAddress: address } },
      createdById: input.createdById,
    });
    const agent = await tx.approvalAgent.create({
      data: { id: newId("agt"), organizationId: input.organizationId, address, mode: input.mode, chainId, safeAddress, signerId, agentRecordId: record.agent.id, createdById: input.createdById },
    });
    const { credential, secret } = await issueCredential(tx, {
      organizationId: input.organizationId,
      kind: "agent_token",
      name: `Agent ${address}`,
      scopes: ["approvals:read"],
      subjectType: AGENT_SUBJECT,
      subjectId: agent.id,
      createdById: input.createdById ?? undefined,
    });
    return { agent, providerAddress, token: secret, credentialId: credential.id, agentRecord: { id: record.agent.id, name: record.agent.name, created: record.created } };
  });
}

export async function listAgents(db: DbOrTx, organizationId: string) {
  // Turnkey wallets (mode "turnkey") are paired by their setup session (lib/turnkey), not listed here.
  return db.approvalAgent.findMany({ where: { organizationId, mode: { in: ["safe", "relay"] } }, orderBy: { createdAt: "desc" } });
}

/** GET /api/pairing-info: the agent's pairing; a mode other than the paired one is a 400. */
export function pairingInfo(agent: AgentRow, mode: ExecutionMode | undefined) {
  if (mode && mode !== agent.mode) throw new BadRequestError(`Agent ${agent.address} is paired in ${agent.mode} mode, not ${mode}`);
  return { agentAddress: getAddress(agent.address), executionMode: agent.mode as ExecutionMode, safeAddress: agent.safeAddress ? getAddress(agent.safeAddress) : null };
}
