import { z } from "zod";
import { defineRoute } from "@/lib/http/contract";
import { abortReport, address, idParams, identityKey, identityKeys, int8String, protocolMessage, uint256String, v1Error } from "./schemas";

const tags = ["Signing"];
const decimal = uint256String;
const hexData = z.string().regex(/^0x([0-9a-fA-F]{2})*$/, "0x-prefixed hex bytes").max(262_146);
const clientNonce = z.string().regex(/^[0-9a-f]{64}$/, "Must be 32 random bytes as lowercase hex");

export const transactionInput = z.strictObject({
  to: address.nullable(),
  value: decimal.optional(),
  data: hexData.optional(),
  nonce: z.number().int().min(0).optional(),
  gas: decimal.optional(),
  maxFeePerGas: decimal.optional(),
  maxPriorityFeePerGas: decimal.optional(),
});

const txJson = z.object({ chainId: z.number(), nonce: z.number(), to: z.string().nullable(), value: z.string(), data: z.string(), gas: z.string(), maxFeePerGas: z.string(), maxPriorityFeePerGas: z.string() });
const relayed = z.array(z.object({ seq: z.string(), message: z.unknown() }));
/** The server's half of the session id (spec §8.2): clients re-derive sid from both nonces and refuse a mismatch. */
const serverNonceField = z.string().regex(/^[0-9a-f]{64}$/).describe("The server's 32-byte nonce (hex) that went into sid");
const clientNonceField = z.string().describe("The client's nonce, echoed (hex)");
const sessionView = z.object({
  sessionId: z.string(),
  /** Authenticated blame: every party's Ed25519 identity key for this session ("1" is the server's long-term key); present when the client sent its identityKey. */
  identities: identityKeys.optional(),
  sid: z.string().describe("Execution id: H(keyId = signer id, participants, serverNonce, clientNonce, messageHash, signers), spec §2.6"),
  serverNonce: serverNonceField,
  clientNonce: clientNonceField,
  messageHash: z.string(),
  signers: z.array(z.number()),
  party: z.number(),
  transaction: txJson.nullable(),
  expiresAt: z.string(),
  messages: relayed,
  /** open: run the rounds now; pending_approval (202): a guardrail rule asks a human first. */
  status: z.enum(["open", "pending_approval"]),
  /** The guardrail decision recorded for this session (GET /api/v1/signing-requests/{id}). */
  signingRequestId: z.string(),
  /** Why approval is required (empty when open). */
  approvals: z.array(z.string()),
});
/**
 * 202 from a session start: the guardrails require approval. The session is parked (the server has
 * computed nothing yet, rounds answer 409); poll the session's GET endpoint until its status is
 * open (then run the rounds as usual), rejected or expired.
 */
const parkedView = sessionView;
const sessionStatusView = z.object({
  sessionId: z.string(),
  /** Authenticated blame: every party's Ed25519 identity key for this session ("1" is the server's long-term key); present when the client sent its identityKey. */
  identities: identityKeys.optional(),
  status: z.enum(["open", "pending_approval", "completed", "aborted", "rejected", "expired"]),
  kind: z.enum(["transaction", "message", "typed_data"]),
  signingRequestId: z.string().nullable(),
  requestStatus: z.string().nullable(),
  expiresAt: z.string(),
  messageHash: z.string(),
  sid: z.string(),
  serverNonce: serverNonceField,
  clientNonce: clientNonceField,
  signers: z.array(z.number()),
  party: z.number(),
  transaction: txJson.nullable(),
  approvals: z.array(z.string()),
  decidedAt: z.string().nullable(),
  messages: relayed,
});
const message = protocolMessage(["sign"]);
/** The registered long-term identity's signature over (signer, sid, the session's identityKey): long-term-identity.ts. */
const identityCertificate = z.string().regex(/^[0-9a-f]{128}$/, "Ed25519 signature, 64 bytes as lowercase hex");
const roundBody = z.strictObject({ sessionId: z.uuid(), seq: z.number().int().min(0).max(10_000), messages: z.array(message).max(8), after: int8String.default("0"), abort: abortReport.optional(), identityCertificate: identityCertificate.optional() });
const roundView = z.object({ id: z.string(), kind: z.enum(["dkg", "sign"]), status: z.string(), phase: z.string(), messages: relayed, result: z.unknown(), blame: z.unknown() });
const typedData = z.looseObject({ domain: z.record(z.string(), z.unknown()).optional(), types: z.record(z.string(), z.array(z.object({ name: z.string(), type: z.string() }))), primaryType: z.string(), message: z.record(z.string(), z.unknown()) });
const errors = { 400: v1Error, 401: v1Error, 403: v1Error, 404: v1Error, 409: v1Error, 410: v1Error };

export const signSession = defineRoute({
  method: "POST",
  path: "/api/v1/sign/session",
  summary: "Start interactive Signer+Server signing of a transaction (the server fills and hashes it itself)",
  tags,
  auth: ["apiKey"],
  permission: "sign",
  body: z.strictObject({ transaction: transactionInput, clientNonce, identityKey: identityKey.optional(), identityCertificate: identityCertificate.optional() }),
  responses: { 201: sessionView, 202: parkedView, ...errors },
});

export const signSessionStatus = defineRoute({
  method: "GET",
  path: "/api/v1/sign/session/{id}",
  summary: "A signing session's status (transaction or message): poll it while it is pending_approval",
  tags,
  auth: ["apiKey"],
  permission: "sign",
  params: idParams,
  responses: { 200: sessionStatusView, 401: v1Error, 403: v1Error, 404: v1Error },
});

export const signRound = defineRoute({
  method: "POST",
  path: "/api/v1/sign/round",
  summary: "Exchange CGGMP24 protocol messages (transaction and message sessions alike); an empty list polls",
  tags,
  auth: ["apiKey"],
  permission: "sign",
  body: roundBody,
  responses: { 200: roundView, ...errors },
});

export const signComplete = defineRoute({
  method: "POST",
  path: "/api/v1/sign/complete",
  summary: "Finalize signing: attach the joint signature, check it, broadcast, return the transaction hash",
  tags,
  auth: ["apiKey"],
  permission: "sign",
  body: z.strictObject({ sessionId: z.uuid() }),
  responses: { 200: z.object({ txHash: z.string(), signature: z.string(), from: z.string(), chainId: z.number() }), ...errors },
});

export const signMessageSession = defineRoute({
  method: "POST",
  path: "/api/v1/sign-message/session",
  summary: "Start interactive message signing: EIP-191 personal message or EIP-712 typed data",
  tags,
  auth: ["apiKey"],
  permission: "sign",
  body: z.union([
    z.strictObject({ message: z.union([z.string().max(65_536), z.strictObject({ raw: hexData })]), clientNonce, identityKey: identityKey.optional(), identityCertificate: identityCertificate.optional() }),
    z.strictObject({ typedData, clientNonce, identityKey: identityKey.optional(), identityCertificate: identityCertificate.optional() }),
  ]),
  responses: { 201: sessionView, 202: parkedView, ...errors },
});

export const signMessageComplete = defineRoute({
  method: "POST",
  path: "/api/v1/sign-message/complete",
  summary: "Finalize message signing, return (v, r, s) and the 65-byte signature",
  tags,
  auth: ["apiKey"],
  permission: "sign",
  body: z.strictObject({ sessionId: z.uuid() }),
  responses: { 200: z.object({ v: z.number(), r: z.string(), s: z.string(), signature: z.string(), address: z.string() }), ...errors },
});

export const signerStatus = defineRoute({
  method: "GET",
  path: "/api/v1/signer",
  summary: "The signer this API key belongs to (for agents and the CLI)",
  tags,
  auth: ["apiKey"],
  permission: "sign",
  responses: {
    200: z.object({
      signer: z.object({ id: z.string(), name: z.string(), status: z.string(), chainId: z.number(), address: z.string().nullable(), agentId: z.string().nullable() }),
      /** The Agent registry record the signer belongs to (`countersign agent`). */
      agent: z
        .object({
          id: z.string(),
          name: z.string(),
          description: z.string().nullable(),
          status: z.enum(["active", "paused", "retired"]),
          identifiers: z.object({ signetSid: z.string().nullable(), aegisAgentId: z.string().nullable(), onchain: z.object({ chainId: z.number(), agentId: z.string() }).nullable(), agentAddress: z.string().nullable(), turnkeyWalletId: z.string().nullable() }),
          pausedAt: z.string().nullable(),
        })
        .nullable(),
    }),
    401: v1Error,
  },
});

export { idParams };

const userParams = z.strictObject({ id: z.uuid({ message: "Must be a UUID" }) });

export const userSignSession = defineRoute({
  method: "POST",
  path: "/api/v1/signers/{id}/sign/session",
  summary: "Start User+Server signing from the dashboard (the browser runs the user's party)",
  tags,
  auth: ["session"],
  permission: "signers:manage",
  params: userParams,
  body: z.union([
    z.strictObject({ transaction: transactionInput, clientNonce, identityKey: identityKey.optional(), identityCertificate: identityCertificate.optional() }),
    z.strictObject({ message: z.union([z.string().max(65_536), z.strictObject({ raw: hexData })]), clientNonce, identityKey: identityKey.optional(), identityCertificate: identityCertificate.optional() }),
    z.strictObject({ typedData, clientNonce, identityKey: identityKey.optional(), identityCertificate: identityCertificate.optional() }),
  ]),
  responses: { 201: sessionView, 202: parkedView, ...errors },
});

export const userSignSessionStatus = defineRoute({
  method: "GET",
  path: "/api/v1/signers/{id}/sign/session/{sessionId}",
  summary: "A User+Server signing session's status: poll it while it is pending_approval",
  tags,
  auth: ["session"],
  permission: "signers:read",
  params: z.strictObject({ id: z.uuid({ message: "Must be a UUID" }), sessionId: z.uuid({ message: "Must be a UUID" }) }),
  responses: { 200: sessionStatusView, 401: v1Error, 403: v1Error, 404: v1Error },
});

export const userSignRound = defineRoute({
  method: "POST",
  path: "/api/v1/signers/{id}/sign/round",
  summary: "Exchange CGGMP24 messages of a User+Server session",
  tags,
  auth: ["session"],
  permission: "signers:manage",
  params: userParams,
  body: roundBody,
  responses: { 200: roundView, ...errors },
});

export const userSignComplete = defineRoute({
  method: "POST",
  path: "/api/v1/signers/{id}/sign/complete",
  summary: "Finalize User+Server signing: broadcast a transaction, or return (v, r, s) for a message",
  tags,
  auth: ["session"],
  permission: "signers:manage",
  params: userParams,
  body: z.strictObject({ sessionId: z.uuid() }),
  responses: {
    200: z.union([
      z.object({ kind: z.literal("transaction"), txHash: z.string(), signature: z.string(), from: z.string(), chainId: z.number() }),
      z.object({ kind: z.literal("message"), v: z.number(), r: z.string(), s: z.string(), signature: z.string(), address: z.string() }),
    ]),
    ...errors,
  },
});
