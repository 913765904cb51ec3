/**
 * The Agent registry's pure logic: identifier formats, status transitions, the gateway's verdict and
 * the public view. No I/O here (lib/agents/registry.ts and kill-switch.ts do the database work).
 */
import { ConflictError, ForbiddenError } from "@/lib/http/errors";

export const AGENT_STATUSES = ["active", "paused", "retired"] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

/** Seed 001's Signet SID: `SID-0x` + 16 lowercase hex (unique across the installation). */
export const SIGNET_SID = /^SID-0x[0-9a-f]{16}$/;
/** Seed 002's AEGIS agent_id: a free string, unique per organization. */
export const AEGIS_AGENT_ID_MAX = 128;
/** Seed 003's on-chain agentId: a uint256, kept as a decimal string. */
export const ONCHAIN_AGENT_ID = /^(0|[1-9][0-9]{0,77})$/;

/** A paused or retired agent's signing sessions, rounds and seed 004 requests are refused with this. */
export class AgentInactiveError extends ForbiddenError {
  constructor(readonly agentStatus: Exclude<AgentStatus, "active">) {
    super(agentStatus === "paused" ? "Agent is paused" : "Agent is retired");
  }
}

export type AgentAction = "pause" | "resume" | "retire";

/** The status an action leads to, or a 409 naming why it cannot happen. Retired is final. */
export function transition(from: AgentStatus, action: AgentAction): AgentStatus {
  if (from === "retired") throw new ConflictError("Agent is retired");
  if (action === "pause") {
    if (from !== "active") throw new ConflictError(`Only an active agent can be paused (it is ${from})`);
    return "paused";
  }
  if (action === "resume") {
    if (from !== "paused") throw new ConflictError(`Only a paused agent can be resumed (it is ${from})`);
    return "active";
  }
  return "retired";
}

/** Throws 403 "Agent is paused" / "Agent is retired" unless the agent may act. */
export function requireActive(status: AgentStatus | null | undefined): void {
  if (status === "paused" || status === "retired") throw new AgentInactiveError(status);
}

/**
 * What the gateway (seed 002 `/api/v1/check`) answers for an agent before any tool policy runs: a
 * paused agent's checks are blocked (200 `decision: "block"`, not an error), so is a retired one's.
 */
export type AgentGate =
  | { decision: "allow"; agentId: string }
  | { decision: "block"; agentId: string; reason: "agent paused" | "agent retired" };

export function gateFor(agent: { id: string; status: AgentStatus }): AgentGate {
  if (agent.status === "paused") return { decision: "block", agentId: agent.id, reason: "agent paused" };
  if (agent.status === "retired") return { decision: "block", agentId: agent.id, reason: "agent retired" };
  return { decision: "allow", agentId: agent.id };
}

export type AgentRow = {
  id: string;
  organizationId: string;
  name: string;
  description: string | null;
  status: AgentStatus;
  ownerId: string | null;
  signetSid: string | null;
  aegisAgentId: string | null;
  onchainChainId: number | null;
  onchainAgentId: string | null;
  agentAddress: string | null;
  turnkeyWalletId: string | null;
  pausedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

export type AgentIdentifiers = {
  signetSid: string | null;
  aegisAgentId: string | null;
  onchain: { chainId: number; agentId: string } | null;
  agentAddress: string | null;
  turnkeyWalletId: string | null;
};

export function identifiersOf(a: AgentRow): AgentIdentifiers {
  return {
    signetSid: a.signetSid,
    aegisAgentId: a.aegisAgentId,
    onchain: a.onchainChainId !== null && a.onchainAgentId !== null ? { chainId: a.onchainChainId, agentId: a.onchainAgentId } : null,
    agentAddress: a.agentAddress,
    turnkeyWalletId: a.turnkeyWalletId,
  };
}

/** The identifier columns a create or update writes (undefined: unchanged, null: cleared). */
export function identifierColumns(ids: Partial<AgentIdentifiers>) {
  const out: Partial<Pick<AgentRow, "signetSid" | "aegisAgentId" | "onchainChainId" | "onchainAgentId" | "agentAddress" | "turnkeyWalletId">> = {};
  if (ids.signetSid !== undefined) out.signetSid = ids.signetSid;
  if (ids.aegisAgentId !== undefined) out.aegisAgentId = ids.aegisAgentId;
  if (ids.onchain !== undefined) {
    out.onchainChainId = ids.onchain?.chainId ?? null;
    out.onchainAgentId = ids.onchain?.agentId ?? null;
  }
  if (ids.agentAddress !== undefined) out.agentAddress = ids.agentAddress;
  if (ids.turnkeyWalletId !== undefined) out.turnkeyWalletId = ids.turnkeyWalletId;
  return out;
}

/** Which identifier a unique-constraint violation is about, for a 409 that names it. */
export function conflictingIdentifier(target: unknown): string {
  const t = Array.isArray(target) ? target.join(",") : String(target ?? "");
  if (/signet_sid|signetSid/.test(t)) return "signetSid";
  if (/aegis_agent_id|aegisAgentId/.test(t)) return "aegisAgentId";
  if (/onchain|Onchain/.test(t)) return "onchain";
  if (/agent_address|agentAddress/.test(t)) return "agentAddress";
  return "identifier";
}

export type AgentStats = { signerIds: string[]; pairingIds: string[]; lastActivityAt: Date | null };

export function presentAgent(a: AgentRow, stats: AgentStats) {
  return {
    id: a.id,
    name: a.name,
    description: a.description,
    status: a.status,
    ownerId: a.ownerId,
    identifiers: identifiersOf(a),
    signerIds: stats.signerIds,
    signerCount: stats.signerIds.length,
    pairingIds: stats.pairingIds,
    lastActivityAt: stats.lastActivityAt?.toISOString() ?? null,
    pausedAt: a.pausedAt?.toISOString() ?? null,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}
export type AgentView = ReturnType<typeof presentAgent>;
