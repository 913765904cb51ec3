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
