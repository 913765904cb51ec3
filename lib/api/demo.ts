import { z } from "zod";
import { defineRoute } from "@/lib/http/contract";
import { ERROR_SCHEMAS } from "@/lib/http/families";
import { SERVICE_NOT_CONFIGURED } from "@/lib/http/errors";

/** Seed 003's demo endpoints (lib/demo): every one needs a signed agent request (x-self-agent-* headers or RFC 9421), except chat (unsigned = anonymous). Errors are `{ "error": "message" }`. */
const tags = ["Agent identity", "Demo"];
const err = ERROR_SCHEMAS.error;
const signed = { auth: ["signedAgent"], family: "error", authMessages: { missing: "Missing agent authentication headers" } } as const;
const demoLimit = { name: "identity-demo", limit: 60, windowSeconds: 60, by: "ip" } as const;
const anyBody = z.unknown().meta({ description: "Any JSON (covered by the signature); not read" });
const refusals = { 400: err, 401: err, 403: err, 404: err, 409: err, 429: err, 500: err, 503: err } as const;
const credentials = z.object({ nationality: z.string(), olderThan: z.number().int(), ofac: z.tuple([z.boolean(), z.boolean(), z.boolean()]) });

export const demoVerify = defineRoute({
  method: "POST",
  path: "/api/demo/verify",
  unconfigured: SERVICE_NOT_CONFIGURED,
  summary: "Service pattern: verifies the signed request and the agent on-chain, answers its info and credentials",
  tags,
  ...signed,
  rateLimit: demoLimit,
  body: anyBody,
  responses: {
    200: z.object({
      valid: z.literal(true),
      agentId: z.number().int(),
      chainId: z.number().int(),
      agentAddress: z.string(),
      isVerified: z.boolean(),
      proofProvider: z.string(),
      verificationStrength: z.number().int(),
      strengthLabel: z.string(),
      credentials,
      registeredAt: z.number().int(),
      network: z.enum(["mainnet", "testnet"]),
      humanAgentCount: z.number().int(),
      maxAgentsPerHuman: z.number().int(),
    }),
    ...refusals,
  },
});

export const demoAgentToAgent = defineRoute({
  method: "POST",
  path: "/api/demo/agent-to-agent",
  unconfigured: SERVICE_NOT_CONFIGURED,
  summary: "Agent-to-agent: verifies the caller, checks sameHuman() with the demo agent, and signs the answer with the demo agent's own x-self-agent-* headers (mutual verification)",
  tags,
  ...signed,
  rateLimit: demoLimit,
  body: anyBody,
  responses: {
    200: z.object({
      verified: z.literal(true),
      sameHuman: z.boolean(),
      caller: z.object({ agentId: z.number().int(), agentAddress: z.string(), chainId: z.number().int(), strengthLabel: z.string() }),
      demoAgent: z.object({ agentId: z.number().int(), agentAddress: z.string(), chainId: z.number().int() }),
      message: z.string(),
    }),
    ...refusals,
  },
});

const census = z.object({
  chainId: z.number().int(),
  totalAgents: z.number().int(),
  byNationality: z.record(z.string(), z.number().int()).meta({ description: 'Counts per nationality; those with fewer than minBucket agents are counted under "other"' }),
  byAgeBracket: z.object({ unknown: z.number().int(), "18+": z.number().int(), "21+": z.number().int() }),
  ofacClear: z.number().int(),
  minBucket: z.number().int(),
});

export const demoCensusContribute = defineRoute({
  method: "POST",
  path: "/api/demo/census",
  unconfigured: SERVICE_NOT_CONFIGURED,
  summary: "Census: contributes the signed agent's disclosed credentials (once per agent; 409 after) and answers the aggregate",
  tags,
  ...signed,
  rateLimit: demoLimit,
  body: anyBody,
  responses: { 201: census, ...refusals },
});

export const demoCensusRead = defineRoute({
  method: "GET",
  path: "/api/demo/census",
  unconfigured: SERVICE_NOT_CONFIGURED,
  summary: "Census: the aggregate of the contributions on the caller's chain (counts only, never a contribution)",
  tags,
  ...signed,
  rateLimit: demoLimit,
  responses: { 200: census, ...refusals },
});

export const demoChat = defineRoute({
  method: "POST",
  path: "/api/demo/chat",
  unconfigured: SERVICE_NOT_CONFIGURED,
  summary: 'AI chat about Self Agent ID through an OpenAI-compatible API (DEMO_CHAT_URL): signed requests are answered with the verified agent in the context, unsigned ones as anonymous; 503 "Service not configured" when DEMO_CHAT_URL is unset, 502/504 when that API fails',
  tags,
  auth: ["signedAgent", "public"],
  family: "error",
  rateLimit: demoLimit,
  body: z.strictObject({ query: z.string().min(1).max(4000), session_id: z.string().min(1).max(200) }),
  responses: {
    200: z.object({
      answer: z.string(),
      session_id: z.string(),
      verified: z.boolean(),
      agent: z.object({ agentId: z.number().int(), agentAddress: z.string(), strengthLabel: z.string() }).nullable(),
    }),
    400: err,
    401: err,
    403: err,
    404: err,
    409: err,
    429: err,
    500: err,
    502: err,
    503: err,
    504: err,
  },
});

const hex = (bytes: number | readonly number[], what: string) =>
  z.string().regex(new RegExp(`^0x(${(Array.isArray(bytes) ? bytes : [bytes]).map((b) => `[0-9a-fA-F]{${b * 2}}`).join("|")})$`), `0x-hex ${what}`);
const uintText = z.union([z.string().regex(/^[0-9]{1,77}$/, "a non-negative integer"), z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)]);
const chainVerifyBody = (agentKey: z.ZodString, signature: z.ZodString) =>
  z.strictObject({
    agentKey,
    nonce: uintText.meta({ description: "The agent's next nonce on the verifier (`nonces(agent)`), decimal" }),
    deadline: z.union([z.number().int().positive().max(Number.MAX_SAFE_INTEGER), z.string().regex(/^[1-9][0-9]{0,15}$/)]).meta({ description: "Unix seconds; the contract refuses it after this time" }),
    eip712Signature: signature,
    networkId: z.string().min(1).max(64).optional().meta({ description: '"celo-sepolia" or "celo-mainnet" (the devnet where this instance has no Celo registry), or a chain id; default: the signed agent\'s chain' }),
  });
const chainVerifyLimit = { name: "identity-demo-chain-verify", limit: 30, windowSeconds: 60, by: "ip" } as const;
const chainVerified = z.object({
  verified: z.literal(true),
  txHash: z.string(),
  blockNumber: z.number().int(),
  chainId: z.number().int(),
  verifier: z.string().meta({ description: "The AgentDemoVerifier contract" }),
  relayer: z.string().meta({ description: "The server's relayer account that paid the gas" }),
  explorerUrl: z.string().nullable(),
  agentAddress: z.string(),
  agentId: z.number().int(),
  keyType: z.enum(["ecdsa", "ed25519"]),
  nonce: z.string(),
  verificationCount: z.string().meta({ description: "Verifications of this agent recorded by the contract" }),
  totalVerifications: z.string(),
  gasUsed: z.string(),
  rateLimitRemaining: z.number().int().meta({ description: "Relays left this hour for the agent's human (3 per hour per human nullifier)" }),
  credentials: z.object({ nationality: z.string(), olderThan: z.number().int() }),
});
const chainVerifyRefusals = { ...refusals, 500: err.meta({ description: '"RPC failure" when the chain fails' }) } as const;

export const demoChainVerify = defineRoute({
  method: "POST",
  path: "/api/demo/chain-verify",
  unconfigured: SERVICE_NOT_CONFIGURED,
  summary:
    "Meta-transaction relay: the server's relayer submits the signed agent's EIP-712 MetaVerify{agentKey, nonce, deadline} to the AgentDemoVerifier contract, which checks the signature, the registry, the nonce and the deadline and records the verification; 3 per hour per human nullifier",
  tags,
  ...signed,
  rateLimit: chainVerifyLimit,
  body: chainVerifyBody(hex(20, "EVM address (the signed agent's)"), hex(65, "ECDSA signature (r, s, v) over the EIP-712 digest (domain AgentDemoVerifier/1)")),
  responses: { 200: chainVerified, ...chainVerifyRefusals },
});

export const demoChainVerifyEd25519 = defineRoute({
  method: "POST",
  path: "/api/demo/chain-verify-ed25519",
  unconfigured: SERVICE_NOT_CONFIGURED,
  summary:
    "Meta-transaction relay for Ed25519 agents: the relayer verifies the Ed25519 signature over the EIP-712 MetaVerifyEd25519{agentKey, nonce, deadline} digest off-chain and submits it as the verifier's attester; the contract checks the registry, nonce and deadline and records the verification; 3 per hour per human nullifier",
  tags,
  ...signed,
  rateLimit: chainVerifyLimit,
  body: chainVerifyBody(hex(32, "Ed25519 public key (the signed agent's)"), hex(64, "Ed25519 signature over the EIP-712 digest")),
  responses: { 200: chainVerified, ...chainVerifyRefusals },
});
