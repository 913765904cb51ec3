import { z } from "zod";
import { defineRoute } from "@/lib/http/contract";
import { ERROR_SCHEMAS } from "@/lib/http/families";
import { address, idParams, uint256String, v1Error } from "./schemas";
import { SERVICE_NOT_CONFIGURED } from "@/lib/http/errors";

/** Seed 003 (Self Agent ID): public agent identity queries and discovery. Errors are `{ "error": "message" }`. */
const tags = ["Agent identity"];
const err = ERROR_SCHEMAS.error;

const chainIdParam = z
  .string()
  .regex(/^[1-9]\d{0,9}$/, "Chain id: a positive decimal integer")
  .transform(Number)
  .refine((n) => n <= 2_147_483_647, "Chain id out of range")
  .meta({ description: "Chain id of any network in the network registry (42220 Celo, 11142220 Celo Sepolia, the local devnet)" });
const agentIdParam = z
  .string()
  .regex(/^[1-9]\d{0,15}$/, "Agent id: a positive decimal integer")
  .transform(Number)
  .refine((n) => Number.isSafeInteger(n), "Agent id out of range")
  .meta({ description: "On-chain agent id (the registry's token id)" });

const agentParams = z.strictObject({ chainId: chainIdParam, agentId: agentIdParam });
const evm = z.string().meta({ description: "EIP-55 checksummed address" });
const strengthLabel = z.string().meta({ description: '"Unverified" (0), "Basic" (1), "Standard" (2), "Enhanced" (3)' });
const credentials = z.object({ nationality: z.string(), olderThan: z.number().int(), ofac: z.tuple([z.boolean(), z.boolean(), z.boolean()]) });
const reads = { 400: err, 404: err, 429: err, 500: err, 503: err } as const;
/** Each public query reads the chain: one shared budget per client address. */
const chainReads = { name: "identity-chain-reads", limit: 300, windowSeconds: 60, by: "ip" } as const;

export const agentInfo = defineRoute({
  method: "GET",
  path: "/api/agent/info/{chainId}/{agentId}",
  unconfigured: SERVICE_NOT_CONFIGURED,
  summary: "Agent registration details, verification status and credentials",
  tags,
  auth: ["public"],
  family: "error",
  rateLimit: chainReads,
  params: agentParams,
  responses: {
    200: z.object({
      agentId: z.number().int(),
      chainId: z.number().int(),
      agentAddress: evm,
      isVerified: z.boolean(),
      proofProvider: evm,
      verificationStrength: z.number().int(),
      strengthLabel,
      credentials,
      registeredAt: z.number().int().meta({ description: "Unix seconds" }),
      network: z.enum(["mainnet", "testnet"]),
    }),
    ...reads,
  },
});

export const agentsOfHuman = defineRoute({
  method: "GET",
  path: "/api/agent/agents/{chainId}/{address}",
  unconfigured: SERVICE_NOT_CONFIGURED,
  summary: "All agent ids registered by a human wallet address (the identity tokens it holds)",
  tags,
  auth: ["public"],
  family: "error",
  rateLimit: chainReads,
  params: z.strictObject({ chainId: chainIdParam, address }),
  responses: { 200: z.object({ agents: z.array(z.number().int()), chainId: z.number().int(), humanAddress: evm }), 400: err, 429: err, 500: err, 503: err },
});

export const agentVerify = defineRoute({
  method: "GET",
  path: "/api/agent/verify/{chainId}/{agentId}",
  unconfigured: SERVICE_NOT_CONFIGURED,
  summary: "Whether an agent has a valid proof of human, its provider, strength and Sybil metrics",
  tags,
  auth: ["public"],
  family: "error",
  rateLimit: chainReads,
  params: agentParams,
  responses: {
    200: z.object({ agentId: z.number().int(), isVerified: z.boolean(), proofProvider: evm, strengthLabel, humanAgentCount: z.number().int(), maxAgentsPerHuman: z.number().int() }),
    ...reads,
  },
});

export const agentsByNullifier = defineRoute({
  method: "GET",
  path: "/api/agent/agents-by-nullifier/{chainId}/{nullifier}",
  unconfigured: SERVICE_NOT_CONFIGURED,
  summary: "All agent ids of one human nullifier (Sybil detection)",
  tags,
  auth: ["public"],
  family: "error",
  rateLimit: chainReads,
  params: z.strictObject({ chainId: chainIdParam, nullifier: uint256String }),
  responses: { 200: z.object({ nullifier: z.string(), agents: z.array(z.number().int()), chainId: z.number().int() }), 400: err, 429: err, 500: err, 503: err },
});

export const agentReputation = defineRoute({
  method: "GET",
  path: "/api/reputation/{chainId}/{agentId}",
  unconfigured: SERVICE_NOT_CONFIGURED,
  summary: "The agent's verification strength score from its proof provider",
  tags,
  auth: ["public"],
  family: "error",
  rateLimit: chainReads,
  params: agentParams,
  responses: { 200: z.object({ score: z.number().int(), hasProof: z.boolean(), providerName: z.string(), proofType: strengthLabel }), ...reads },
});

export const agentVerifyStatus = defineRoute({
  method: "GET",
  path: "/api/verify-status/{chainId}/{agentId}",
  unconfigured: SERVICE_NOT_CONFIGURED,
  summary: "Real-time proof status and freshness",
  tags,
  auth: ["public"],
  family: "error",
  rateLimit: chainReads,
  params: agentParams,
  responses: {
    200: z.object({
      verified: z.boolean(),
      proofType: strengthLabel,
      registeredAtBlock: z.string(),
      providerAddress: evm,
      proofRefreshedAt: z.number().int().meta({ description: "Unix seconds of the latest proof (registration or refresh)" }),
    }),
    ...reads,
  },
});

const skill = z.object({ id: z.string(), name: z.string(), description: z.string(), tags: z.array(z.string()) });

export const agentCard = defineRoute({
  method: "GET",
  path: "/api/cards/{chainId}/{agentId}",
  unconfigured: SERVICE_NOT_CONFIGURED,
  summary: "The A2A agent card of a registered agent, with its on-chain identity",
  tags,
  auth: ["public"],
  family: "error",
  rateLimit: chainReads,
  params: agentParams,
  responses: {
    200: z.looseObject({
      protocolVersion: z.string(),
      name: z.string(),
      description: z.string(),
      url: z.string(),
      preferredTransport: z.string(),
      version: z.string(),
      capabilities: z.object({ streaming: z.boolean(), pushNotifications: z.boolean(), stateTransitionHistory: z.boolean() }),
      defaultInputModes: z.array(z.string()),
      defaultOutputModes: z.array(z.string()),
      skills: z.array(skill),
      identity: z.looseObject({ agentId: z.number().int(), chainId: z.number().int(), registry: z.string(), agentAddress: evm, isVerified: z.boolean() }),
    }),
    ...reads,
  },
});

export const a2aDiscovery = defineRoute({
  method: "GET",
  path: "/.well-known/a2a/{agentId}",
  summary: "A2A discovery: redirects to the agent card resolver (chain from ?chain=, else the default network's: Celo mainnet when configured, else the local devnet)",
  tags,
  auth: ["public"],
  family: "error",
  params: z.strictObject({ agentId: agentIdParam }),
  query: z.strictObject({ chain: chainIdParam.optional() }),
  responses: { 302: null, 400: err },
});

export const selfAgentIdDiscovery = defineRoute({
  method: "GET",
  path: "/.well-known/self-agent-id.json",
  summary: "Service discovery: API base URL, networks, registration modes, capabilities",
  tags,
  auth: ["public"],
  family: "error",
  responses: {
    200: z.object({
      name: z.literal("Self Agent ID"),
      version: z.literal("1.0"),
      apiBase: z.string(),
      networks: z.array(z.string()),
      registrationModes: z.array(z.string()),
      capabilities: z.array(z.string()),
      sessionTtlMs: z.number().int(),
    }),
  },
});

export const agentIdentityFace = defineRoute({
  method: "GET",
  path: "/api/v1/agents/{id}/identity",
  unconfigured: SERVICE_NOT_CONFIGURED,
  summary: "The agent's on-chain identity (seed 003), read from the registry its onchain {chainId, agentId} names",
  tags: ["Agents", ...tags],
  auth: ["session", "apiKey"],
  permission: "agents:read",
  params: idParams,
  responses: {
    200: z.object({
      status: z.enum(["not_linked", "not_on_chain", "registered"]),
      chainId: z.number().int().optional(),
      agentId: z.string().optional(),
      identity: z
        .object({
          agentId: z.number().int(),
          chainId: z.number().int(),
          agentAddress: evm,
          isVerified: z.boolean(),
          proofProvider: evm,
          verificationStrength: z.number().int(),
          strengthLabel,
          credentials,
          registeredAt: z.number().int(),
          network: z.enum(["mainnet", "testnet"]),
          humanAgentCount: z.number().int(),
          maxAgentsPerHuman: z.number().int(),
          proofRefreshedAt: z.number().int(),
          registry: evm,
          addressMatches: z.boolean().nullable().meta({ description: "Whether the agent record's agentAddress is the on-chain one (null: the record has none)" }),
        })
        .nullable(),
    }),
    400: v1Error,
    401: v1Error,
    403: v1Error,
    404: v1Error,
    500: v1Error,
    503: v1Error,
  },
});
