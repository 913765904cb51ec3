/**
 * Pure: the seed 003 shapes of an on-chain agent identity (no I/O here).
 */
import type { Address, Hex } from "viem";

export const CELO_MAINNET_CHAIN_ID = 42220;
export const CELO_SEPOLIA_CHAIN_ID = 11142220;

/** Seed 003 service discovery document values. */
export const REGISTRATION_MODES = ["linked", "wallet-free", "ed25519", "ed25519-linked", "privy", "smartwallet"] as const;
export const CAPABILITIES = ["register", "deregister", "verify", "credentials", "agent-card", "a2a"] as const;
export const SESSION_TTL_MS = 30 * 60 * 1000;
export const IDENTITY_NETWORKS = ["mainnet", "testnet"] as const;
export type IdentityNetwork = (typeof IDENTITY_NETWORKS)[number];

/** Verification strength 0..3 and its label ("Standard" for 2, as the seed shows). */
export const STRENGTH_LABELS = ["Unverified", "Basic", "Standard", "Enhanced"] as const;
export function strengthLabel(strength: number): string {
  return STRENGTH_LABELS[strength] ?? "Unverified";
}

/** The seed's `network` field: Celo mainnet is "mainnet"; every other chain (Celo Sepolia, devnets) is "testnet". */
export function networkLabel(chainId: number): IdentityNetwork {
  return chainId === CELO_MAINNET_CHAIN_ID ? "mainnet" : "testnet";
}

/** The registry's AgentRecord as viem decodes it. */
export type OnchainAgent = {
  agentId: number;
  chainId: number;
  registry: Address;
  nullifier: bigint;
  agentAddress: Address;
  ed25519Key: Hex | null;
  humanAddress: Address | null;
  proofProvider: Address;
  /** The proof provider is (still) authorised by the registry. */
  providerAuthorised: boolean;
  verificationStrength: number;
  registeredAt: number;
  registeredAtBlock: bigint;
  proofRefreshedAt: number;
  credentials: { nationality: string; olderThan: number; ofac: [boolean, boolean, boolean] };
  metadata: { name: string; description: string; a2aEndpoint: string; mcpEndpoint: string };
};

export function isVerified(a: OnchainAgent): boolean {
  return a.providerAuthorised && a.verificationStrength > 0;
}

/** GET /api/agent/info/{chainId}/{agentId} */
export function infoView(a: OnchainAgent) {
  return {
    agentId: a.agentId,
    chainId: a.chainId,
    agentAddress: a.agentAddress,
    isVerified: isVerified(a),
    proofProvider: a.proofProvider,
    verificationStrength: a.verificationStrength,
    strengthLabel: strengthLabel(a.verificationStrength),
    credentials: a.credentials,
    registeredAt: a.registeredAt,
    network: networkLabel(a.chainId),
  };
}

/** GET /api/agent/verify/{chainId}/{agentId} */
export function verifyView(a: OnchainAgent, sybil: { humanAgentCount: number; maxAgentsPerHuman: number }) {
  return {
    agentId: a.agentId,
    isVerified: isVerified(a),
    proofProvider: a.proofProvider,
    strengthLabel: strengthLabel(a.verificationStrength),
    humanAgentCount: sybil.humanAgentCount,
    maxAgentsPerHuman: sybil.maxAgentsPerHuman,
  };
}

/** GET /api/reputation/{chainId}/{agentId} */
export function reputationView(a: OnchainAgent, providerName: string) {
  return { score: isVerified(a) ? a.verificationStrength : 0, hasProof: isVerified(a), providerName, proofType: strengthLabel(a.verificationStrength) };
}

/** GET /api/verify-status/{chainId}/{agentId} (registeredAtBlock is a string in the seed). */
export function verifyStatusView(a: OnchainAgent) {
  return {
    verified: isVerified(a),
    proofType: strengthLabel(a.verificationStrength),
    registeredAtBlock: a.registeredAtBlock.toString(),
    providerAddress: a.proofProvider,
    proofRefreshedAt: a.proofRefreshedAt,
  };
}

/** GET /.well-known/self-agent-id.json */
export function discoveryDocument(origin: string) {
  return {
    name: "Self Agent ID" as const,
    version: "1.0" as const,
    apiBase: `${origin}/api/agent`,
    networks: [...IDENTITY_NETWORKS],
    registrationModes: [...REGISTRATION_MODES],
    capabilities: [...CAPABILITIES],
    sessionTtlMs: SESSION_TTL_MS,
  };
}

/** The A2A protocol version the cards describe. */
export const A2A_PROTOCOL_VERSION = "0.3.0";

/** A2A skills: the seed's intents. */
export const A2A_SKILLS = [
  { id: "register", name: "Register", description: "Start a proof-of-human registration for a new agent", tags: ["identity", "registration"] },
  { id: "status", name: "Status", description: "Poll a registration session", tags: ["identity"] },
  { id: "lookup", name: "Lookup", description: "Look up an agent's on-chain identity", tags: ["identity", "query"] },
  { id: "verify", name: "Verify", description: "Check an agent's proof of human and Sybil metrics", tags: ["identity", "verification"] },
  { id: "deregister", name: "Deregister", description: "Burn an agent's identity after the human proves again", tags: ["identity"] },
  { id: "freshness", name: "Freshness", description: "How fresh an agent's proof is", tags: ["identity", "verification"] },
  { id: "help", name: "Help", description: "What this agent can do", tags: ["help"] },
] as const;

/** GET /api/cards/{chainId}/{agentId}: an A2A AgentCard for the registered agent, with its identity. */
export function agentCard(a: OnchainAgent, origin: string, sybil: { humanAgentCount: number; maxAgentsPerHuman: number }) {
  return {
    protocolVersion: A2A_PROTOCOL_VERSION,
    name: a.metadata.name,
    description: a.metadata.description,
    url: `${origin}/api/a2a`,
    preferredTransport: "JSONRPC",
    version: "1.0",
    capabilities: { streaming: false, pushNotifications: false, stateTransitionHistory: false },
    defaultInputModes: ["application/json", "text/plain"],
    defaultOutputModes: ["application/json"],
    skills: A2A_SKILLS.map((s) => ({ ...s, tags: [...s.tags] })),
    identity: {
      agentId: a.agentId,
      chainId: a.chainId,
      network: networkLabel(a.chainId),
      registry: `eip155:${a.chainId}:${a.registry}`,
      agentAddress: a.agentAddress,
      isVerified: isVerified(a),
      proofProvider: a.proofProvider,
      verificationStrength: a.verificationStrength,
      strengthLabel: strengthLabel(a.verificationStrength),
      credentials: a.credentials,
      humanAgentCount: sybil.humanAgentCount,
      maxAgentsPerHuman: sybil.maxAgentsPerHuman,
      ...(a.metadata.mcpEndpoint ? { mcpEndpoint: a.metadata.mcpEndpoint } : {}),
    },
  };
}
