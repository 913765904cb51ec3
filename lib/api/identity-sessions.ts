import { z } from "zod";
import { defineRoute } from "@/lib/http/contract";
import { ERROR_SCHEMAS } from "@/lib/http/families";
import { address, idParams, v1Error, webauthnOptions } from "./schemas";
import { SERVICE_NOT_CONFIGURED } from "@/lib/http/errors";

/**
 * Seed 003 (Self Agent ID) proof-of-human sessions: register, identify, refresh, deregister. Public
 * (the `enc_` session token is the credential); errors `{ "error": "message" }` with the seed's
 * statuses: 401 tampered token, 409 wrong stage or replay, 410 expired (30 minutes).
 */
const tags = ["Agent identity sessions"];
const err = ERROR_SCHEMAS.error;

const token = z.strictObject({ token: z.string().min(1).max(4096).meta({ description: "The session token (enc_…)" }) });
const network = z.enum(["mainnet", "testnet"]).meta({ description: "mainnet → Celo (42220) when configured, testnet → Celo Sepolia (11142220); either falls back to the local devnet" });
const chainId = z.number().int().positive().max(2_147_483_647).meta({ description: "Any chain in the network registry (overrides network)" });
const disclosures = z
  .object({
    minimumAge: z.number().int().min(1).max(120).optional(),
    ofac: z.boolean().optional(),
    nationality: z.boolean().optional(),
    name: z.boolean().optional(),
  })
  .meta({ description: "What the human is asked to disclose (other keys a Self client sends are ignored)" });
const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[^"\\\u0000-\u001f]*$/, "No quotes, backslashes or control characters");
const stage = z.enum(["qr-ready", "proof-received", "completed", "failed"]);
const passkeyPublicKey = z
  .string()
  .regex(/^0x(04)?[0-9a-fA-F]{128}$/, "P-256 public key: 0x + x || y (64 bytes), optionally prefixed by 04")
  .meta({ description: "smartwallet mode: the passkey (WebAuthn P-256) that owns the human's ERC-4337 account; its counterfactual address becomes humanAddress" });
const smartWallet = z
  .object({
    account: z.string().meta({ description: "The passkey's smart account (counterfactual until its first UserOperation); holds the agent's token" }),
    entryPoint: z.string(),
    factory: z.string().meta({ description: "The passkey account factory (the UserOperation's factory while the account has no code)" }),
    call: z
      .object({ to: z.string(), data: z.string() })
      .optional()
      .meta({ description: "Once the proof is verified: the registry call (registerAgentWithAttestation) the account makes through /api/aa/bundler" }),
    deadline: z.number().int().optional().meta({ description: "Unix seconds: the attestation's deadline" }),
  })
  .meta({ description: "smartwallet mode: what the browser needs to send the registration as a sponsored UserOperation" });
const credentials = z.object({ nationality: z.string(), olderThan: z.number().int(), ofac: z.tuple([z.boolean(), z.boolean(), z.boolean()]) });
const sessionBase = {
  sessionToken: z.string(),
  deepLink: z.string(),
  qrData: z.string(),
  network,
  chainId: z.number().int(),
  expiresAt: z.number().int().meta({ description: "Unix ms" }),
};
const statusBase = {
  stage,
  sessionToken: z.string().meta({ description: "The session token, resealed" }),
  network,
  chainId: z.number().int(),
  txHash: z.string().optional(),
  error: z.string().optional().meta({ description: "Why the session failed" }),
};
/** Session starts: per client address. Polls and callbacks: a wider budget. */
const starts = { name: "identity-session-starts", limit: 30, windowSeconds: 60, by: "ip" } as const;
const polls = { name: "identity-session-polls", limit: 600, windowSeconds: 60, by: "ip" } as const;
const sessionErrors = { 400: err, 401: err, 409: err, 410: err, 429: err, 500: err, 503: err } as const;
/** Callbacks: also 403, a mock passport proof without a fresh passkey assertion of a member (lib/identity/member-assertion.ts). */
const callbackErrors = { ...sessionErrors, 403: err } as const;

const common = { auth: ["public"], family: "error", tags } as const;

export const registerSession = defineRoute({
  ...common,
  method: "POST",
  path: "/api/agent/register",
  unconfigured: SERVICE_NOT_CONFIGURED,
  summary: "Start a registration session: returns the session token, QR data, deep link and the agent address",
  rateLimit: starts,
  body: z.strictObject({
    mode: z.enum(["linked", "wallet-free", "ed25519", "ed25519-linked", "privy", "smartwallet"]),
    network: network.default("mainnet"),
    chainId: chainId.optional(),
    humanAddress: address.optional().meta({ description: "linked modes: the human's wallet (holds the agent's token); smartwallet: must equal the passkey's account when given" }),
    passkeyPublicKey: passkeyPublicKey.optional(),
    agentAddress: address.optional().meta({ description: "EVM modes: the agent's own address (else a key is generated, exportable once)" }),
    agentPublicKey: z
      .string()
      .regex(/^0x[0-9a-fA-F]{64}$/, "32-byte Ed25519 public key, 0x hex")
      .optional()
      .meta({ description: "Ed25519 modes: the agent's public key (else a key is generated, exportable once)" }),
    disclosures: disclosures.optional(),
    name: text(100).optional().meta({ description: "The agent's name in its registration file" }),
    description: text(300).optional(),
  }),
  responses: {
    200: z.object({ ...sessionBase, agentAddress: z.string(), mode: z.string(), humanAddress: z.string().optional(), smartWallet: smartWallet.optional() }),
    ...sessionErrors,
  },
});

export const registerStatus = defineRoute({
  ...common,
  method: "GET",
  path: "/api/agent/register/status",
  unconfigured: SERVICE_NOT_CONFIGURED,
  summary: "Poll a registration: stage qr-ready, proof-received, completed or failed",
  rateLimit: polls,
  query: token,
  responses: {
    200: z.object({ ...statusBase, mode: z.string().nullable(), agentAddress: z.string().nullable(), agentId: z.number().int().optional(), humanAddress: z.string().nullable().optional(), smartWallet: smartWallet.optional() }),
    ...sessionErrors,
  },
});

export const registerQr = defineRoute({
  ...common,
  method: "GET",
  path: "/api/agent/register/qr",
  unconfigured: SERVICE_NOT_CONFIGURED,
  summary: "The QR payload and deep link of a registration session",
  rateLimit: polls,
  query: token,
  responses: { 200: z.object({ qrData: z.string(), deepLink: z.string(), stage }), ...sessionErrors },
});

const callbackBody = z.looseObject({}).meta({ description: "The proof provider's callback body (its proof)" });

export const registerCallback = defineRoute({
  ...common,
  method: "POST",
  path: "/api/agent/register/callback",
  unconfigured: SERVICE_NOT_CONFIGURED,
  summary: "Proof provider callback: verifies the proof, then mints the agent's identity (smartwallet mode: attests it for the human's account to submit)",
  rateLimit: polls,
  query: token,
  body: callbackBody,
  responses: {
    200: z.object({ ...statusBase, mode: z.string().nullable(), agentAddress: z.string().nullable(), agentId: z.number().int().optional(), humanAddress: z.string().nullable().optional(), smartWallet: smartWallet.optional() }),
    ...callbackErrors,
  },
});

export const registerExport = defineRoute({
  ...common,
  method: "GET",
  path: "/api/agent/register/export",
  unconfigured: SERVICE_NOT_CONFIGURED,
  summary: "The generated agent private key, once, after the registration completed (linked, wallet-free, ed25519, ed25519-linked)",
  rateLimit: polls,
  query: token,
  responses: { 200: z.object({ privateKey: z.string(), agentAddress: z.string(), agentId: z.number().int() }), ...sessionErrors },
});

export const identifySession = defineRoute({
  ...common,
  method: "POST",
  path: "/api/agent/identify",
  unconfigured: SERVICE_NOT_CONFIGURED,
  summary: "Start an identify session: the human proves again and learns their nullifier and agents",
  rateLimit: starts,
  body: z.strictObject({ network: network.default("mainnet"), chainId: chainId.optional(), disclosures: disclosures.optional() }),
  responses: { 200: z.object(sessionBase), ...sessionErrors },
});

const identifyStatusBody = z.object({ ...statusBase, nullifier: z.string().optional(), agentCount: z.number().int().optional(), agents: z.array(z.number().int()).optional() });

export const identifyStatus = defineRoute({
  ...common,
  method: "GET",
  path: "/api/agent/identify/status",
  unconfigured: SERVICE_NOT_CONFIGURED,
  summary: "Poll an identify session: the human's nullifier and agent count once the proof arrived",
  rateLimit: polls,
  query: token,
  responses: { 200: identifyStatusBody, ...sessionErrors },
});

export const identifyCallback = defineRoute({
  ...common,
  method: "POST",
  path: "/api/agent/identify/callback",
  unconfigured: SERVICE_NOT_CONFIGURED,
  summary: "Proof provider callback of an identify session",
  rateLimit: polls,
  query: token,
  body: callbackBody,
  responses: { 200: identifyStatusBody, ...callbackErrors },
});

export const refreshSession = defineRoute({
  ...common,
  method: "POST",
  path: "/api/agent/refresh",
  unconfigured: SERVICE_NOT_CONFIGURED,
  summary: "Start a proof refresh session for a registered agent",
  rateLimit: starts,
  body: z.strictObject({
    agentId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    network: network.default("mainnet"),
    chainId: chainId.optional(),
    disclosures: disclosures.optional(),
  }),
  responses: { 200: z.object({ ...sessionBase, agentId: z.number().int() }), ...sessionErrors, 404: err },
});

const refreshStatusBody = z.object({
  ...statusBase,
  agentId: z.number().int().nullable(),
  verificationStrength: z.number().int().optional(),
  strengthLabel: z.string().optional(),
  credentials: credentials.optional(),
  proofRefreshedAt: z.number().int().optional().meta({ description: "Unix seconds" }),
});

export const refreshStatus = defineRoute({
  ...common,
  method: "GET",
  path: "/api/agent/refresh/status",
  unconfigured: SERVICE_NOT_CONFIGURED,
  summary: "Poll a refresh session: the updated verification once refreshed on-chain",
  rateLimit: polls,
  query: token,
  responses: { 200: refreshStatusBody, ...sessionErrors },
});

export const refreshCallback = defineRoute({
  ...common,
  method: "POST",
  path: "/api/agent/refresh/callback",
  unconfigured: SERVICE_NOT_CONFIGURED,
  summary: "Proof provider callback of a refresh session",
  rateLimit: polls,
  query: token,
  body: callbackBody,
  responses: { 200: refreshStatusBody, ...callbackErrors },
});

export const deregisterSession = defineRoute({
  ...common,
  method: "POST",
  path: "/api/agent/deregister",
  unconfigured: SERVICE_NOT_CONFIGURED,
  summary: "Start a deregistration session: the human proves again to burn the agent's identity",
  rateLimit: starts,
  body: z.strictObject({ network: network.default("mainnet"), chainId: chainId.optional(), agentAddress: address, disclosures: disclosures.optional() }),
  responses: { 200: z.object({ ...sessionBase, agentId: z.number().int(), agentAddress: z.string() }), ...sessionErrors, 404: err },
});

const deregisterStatusBody = z.object({ ...statusBase, agentId: z.number().int().nullable(), agentAddress: z.string().nullable() });

export const deregisterStatus = defineRoute({
  ...common,
  method: "GET",
  path: "/api/agent/deregister/status",
  unconfigured: SERVICE_NOT_CONFIGURED,
  summary: "Poll a deregistration: completed once the agent's token is burned",
  rateLimit: polls,
  query: token,
  responses: { 200: deregisterStatusBody, ...sessionErrors },
});

export const deregisterCallback = defineRoute({
  ...common,
  method: "POST",
  path: "/api/agent/deregister/callback",
  unconfigured: SERVICE_NOT_CONFIGURED,
  summary: "Proof provider callback of a deregistration: verifies the proof, then burns the agent's token",
  rateLimit: polls,
  query: token,
  body: callbackBody,
  responses: { 200: deregisterStatusBody, ...callbackErrors },
});

/** The mock passport page's passkey step: the challenge a signed-in member answers before the scan. */
export const mockPassportChallenge = defineRoute({
  method: "POST",
  path: "/api/v1/identity/mock-passport/challenge",
  unconfigured: SERVICE_NOT_CONFIGURED,
  summary:
    "MOCK proof of human (local devnet only): WebAuthn request options whose challenge commits to the session; the member must belong to the organization that owns the session's agent (single use, 5 minutes)",
  tags: ["Agent identity sessions"],
  auth: ["session"],
  rateLimit: { name: "identity-mock-passport", limit: 30, windowSeconds: 60, by: "principal" },
  body: z.strictObject({ token: z.string().min(1).max(4096) }),
  responses: { 200: z.object({ challengeId: z.string(), options: webauthnOptions }), 400: v1Error, 401: v1Error, 403: v1Error, 404: v1Error, 409: v1Error, 410: v1Error, 429: v1Error, 503: v1Error },
});

/** The mock passport page's scan (development only): a signed-in member turns mock document data into a proof. */
export const mockPassportScan = defineRoute({
  method: "POST",
  path: "/api/v1/identity/mock-passport",
  unconfigured: SERVICE_NOT_CONFIGURED,
  summary:
    "MOCK proof of human (local devnet only): sign a mock passport proof for a session, as the provider's app would, after verifying the member's passkey assertion (X-Countersign-Assertion: base64url(JSON.stringify({ challengeId, response })))",
  tags: ["Agent identity sessions"],
  auth: ["session"],
  rateLimit: { name: "identity-mock-passport", limit: 30, windowSeconds: 60, by: "principal" },
  body: z.strictObject({
    token: z.string().min(1).max(4096),
    document: z.strictObject({
      type: z.enum(["passport", "id_card"]),
      nationality: z.string().regex(/^[A-Z]{3}$/, "ISO 3166-1 alpha-3 code"),
      dateOfBirth: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "YYYY-MM-DD"),
      documentNumber: z.string().regex(/^[A-Za-z0-9]{5,20}$/, "5 to 20 letters or digits"),
      ofacListed: z.boolean().default(false),
    }),
  }),
  responses: { 200: z.object({ proof: z.looseObject({}), callbackUrl: z.string() }), 400: v1Error, 401: v1Error, 403: v1Error, 404: v1Error, 409: v1Error, 410: v1Error, 429: v1Error, 503: v1Error },
});

/** The dashboard's "Verify as human": a registration session for one Countersign agent record. */
export const agentIdentitySession = defineRoute({
  method: "POST",
  path: "/api/v1/agents/{id}/identity/sessions",
  unconfigured: SERVICE_NOT_CONFIGURED,
  summary: "Start a proof-of-human registration for this agent: wallet-free (a generated agent key, exportable once; the agent holds its token) or smartwallet (the member's passkey account holds it)",
  tags: ["Agents", "Agent identity sessions"],
  auth: ["session", "apiKey"],
  permission: "agents:manage",
  params: idParams,
  body: z.strictObject({
    network: network.default("mainnet"),
    disclosures: disclosures.optional(),
    mode: z.enum(["wallet-free", "smartwallet"]).default("wallet-free"),
    passkeyPublicKey: passkeyPublicKey.optional(),
  }),
  responses: {
    201: z.object({ ...sessionBase, agentAddress: z.string(), mode: z.string(), humanAddress: z.string().optional(), smartWallet: smartWallet.optional() }),
    400: v1Error,
    401: v1Error,
    403: v1Error,
    404: v1Error,
    409: v1Error,
    503: v1Error,
  },
});
