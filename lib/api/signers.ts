import { z } from "zod";
import { defineRoute } from "@/lib/http/contract";
import { abortReport, chainId, idParams, identityKey, identityKeys, int8String, protocolMessage, v1Error } from "./schemas";

const tags = ["Signers"];

export const signerSchema = z.object({
  id: z.string(),
  /** The agent (GET /api/v1/agents/{id}) this signer belongs to. */
  agentId: z.string().nullable(),
  name: z.string(),
  description: z.string().nullable(),
  status: z.enum(["creating", "active", "paused", "failed"]),
  chainId: z.number(),
  address: z.string().nullable(),
  publicKey: z.string().nullable(),
  /** The client parties' registered long-term identities (Ed25519 public keys, hex): sessions are signed by them or by a key they certified. */
  identities: z.object({ agent: z.string().nullable(), user: z.string().nullable() }),
  threshold: z.number(),
  parties: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** A protocol message as it travels (spec §5.1); the library checks the payload strictly. */
const message = protocolMessage(["keygen", "aux", "sign"]);

const relayed = z.array(z.object({ seq: z.string(), message: z.unknown() }));

const hex32 = z.string().regex(/^[0-9a-f]{64}$/, "32 bytes as lowercase hex");
const agentParty = z.enum(["remote", "browser"]);

const dkgView = z.object({
  ceremonyId: z.string(),
  sid: z.string(),
  auxSid: z.string(),
  profile: z.string(),
  threshold: z.number(),
  parties: z.object({ agent: z.number(), server: z.number(), user: z.number() }),
  /** Who runs party 0: the agent on its own machine ("remote") or this browser ("browser"). */
  agentParty,
  /** Both nonces of the execution ids, so every client re-derives sid and auxSid (deriveSid) and refuses a mismatch. */
  serverNonce: z.string(),
  clientNonce: z.string(),
  /** Authenticated blame: the identity keys (Ed25519) known so far, "1" the server's long-term key; the agent's arrives when it joins. */
  identities: identityKeys,
  messages: relayed,
});

/** The agent as the browser sees it in remote mode: has it joined, its X25519 key and the pin MAC to verify. */
const agentStatus = z.object({ joined: z.boolean(), agentKey: z.string().nullable(), agentKeyMac: z.string().nullable(), identityKey: z.string().nullable(), confirmed: z.boolean() });
const apiKeyOnce = z.object({ id: z.string(), prefix: z.string(), secret: z.string() });

const ceremonyView = z.object({
  id: z.string(),
  kind: z.enum(["dkg", "sign"]),
  status: z.string(),
  phase: z.string(),
  messages: relayed,
  result: z.unknown(),
  blame: z.unknown(),
});

export const createSigner = defineRoute({
  method: "POST",
  path: "/api/v1/signers",
  summary: "Create a signer and start its distributed key generation (the server joins as one party)",
  tags,
  auth: ["session"],
  permission: "signers:manage",
  body: z.strictObject({
    name: z.string().trim().min(1).max(100),
    description: z.string().trim().max(500).optional(),
    chainId,
    clientNonce: z.string().regex(/^[0-9a-f]{64}$/, "Must be 32 random bytes as lowercase hex"),
    /**
     * "remote" (default): the agent runs its party on its own machine and joins with the invitation;
     * "browser": this browser runs the agent's party too and briefly holds its share (recorded in the audit event).
     */
    agentParty: agentParty.default("remote"),
    /** The agent (GET /api/v1/agents) this signer joins; without it a new agent named after the signer is created. */
    agentId: z.uuid({ message: "Must be a UUID" }).optional(),
    /** Remote mode: the browser's ephemeral X25519 public key for this ceremony (the `k` of the invitation), handed to the agent at join. */
    userKey: hex32.optional(),
    /** Authenticated blame: the user's Ed25519 identity for this ceremony (remote mode: its X25519 image must be userKey). */
    userIdentityKey: identityKey.optional(),
    /** Browser mode only: the agent party's Ed25519 identity, generated in this browser. */
    agentIdentityKey: identityKey.optional(),
  }),
  responses: {
    201: z.object({ signer: signerSchema, dkg: dkgView.extend({ invitation: z.object({ token: z.string(), expiresAt: z.string() }).optional() }) }),
    400: v1Error,
    403: v1Error,
  },
});

export const listSigners = defineRoute({
  method: "GET",
  path: "/api/v1/signers",
  summary: "List all signers of the organization",
  tags,
  auth: ["session", "apiKey"],
  permission: "signers:read",
  responses: { 200: z.object({ signers: z.array(signerSchema) }) },
});

export const getSigner = defineRoute({
  method: "GET",
  path: "/api/v1/signers/{id}",
  summary: "Get signer details",
  tags,
  auth: ["session", "apiKey"],
  permission: "signers:read",
  params: idParams,
  responses: { 200: z.object({ signer: signerSchema }), 404: v1Error },
});

export const dkgInit = defineRoute({
  method: "POST",
  path: "/api/v1/dkg/init",
  summary: "Start (or rejoin) the DKG ceremony of a signer being created: its ids and the server's messages",
  tags: ["DKG"],
  auth: ["session"],
  permission: "signers:manage",
  body: z.strictObject({ signerId: z.uuid() }),
  responses: { 200: z.object({ dkg: dkgView.extend({ agent: agentStatus.nullable() }) }), 404: v1Error, 409: v1Error },
});

export const dkgRound = defineRoute({
  method: "POST",
  path: "/api/v1/dkg/round",
  summary: "Exchange DKG protocol messages: submit a party's messages, receive those addressed to it",
  tags: ["DKG"],
  auth: ["session"],
  permission: "signers:manage",
  body: z.strictObject({
    ceremonyId: z.uuid(),
    party: z.number().int().min(0).max(15),
    seq: z.number().int().min(0).max(10_000),
    messages: z.array(message).max(16),
    after: int8String.default("0"),
    /** Instead of messages: this party's own state machine aborted; the ceremony ends with this blame (evidence checked). */
    abort: abortReport.optional(),
  }),
  responses: { 200: ceremonyView, 400: v1Error, 404: v1Error, 409: v1Error, 410: v1Error },
});

export const dkgFinalize = defineRoute({
  method: "POST",
  path: "/api/v1/dkg/finalize",
  summary: "Complete DKG: confirm the public key; the signer becomes active and its API key is returned once",
  tags: ["DKG"],
  auth: ["session"],
  permission: "signers:manage",
  body: z.strictObject({ ceremonyId: z.uuid(), publicKey: z.string().regex(/^(02|03)[0-9a-f]{64}$/, "Compressed secp256k1 public key, lowercase hex") }),
  responses: {
    200: z.object({ signer: signerSchema, apiKey: apiKeyOnce.nullable(), agent: z.object({ confirmed: z.boolean() }).optional() }),
    404: v1Error,
    409: v1Error,
  },
});

const compressedPublicKey = z.string().regex(/^(02|03)[0-9a-f]{64}$/, "Compressed secp256k1 public key, lowercase hex");

export const dkgJoin = defineRoute({
  method: "POST",
  path: "/api/v1/dkg/join",
  summary: "The agent joins a signer's key generation with its one-time invitation token (csi_…) and announces its X25519 key; returns its ceremony token (csj_…) once",
  tags: ["DKG"],
  auth: ["public"],
  rateLimit: { name: "dkg-join", limit: 20, windowSeconds: 60, by: "ip" },
  body: z.strictObject({
    token: z.string().min(1).max(200),
    agentKey: hex32,
    /** hex(HMAC-SHA256(pin, "countersign/dkg-join/v1|" + ceremonyId + "|" + agentKey + "|" + userKey)); the pin never reaches the server. */
    agentKeyMac: hex32,
    /** The agent's Ed25519 identity for this ceremony; its X25519 image must be agentKey (so the pin MAC covers it). Required when the user announced one. */
    identityKey: identityKey.optional(),
  }),
  responses: {
    200: z.object({
      ceremonyId: z.string(),
      signerId: z.string(),
      signerName: z.string(),
      chainId: z.number(),
      profile: z.string(),
      sid: z.string(),
      auxSid: z.string(),
      serverNonce: z.string(),
      clientNonce: z.string(),
      userKey: z.string().nullable(),
      /** Identity keys of every party ("1" the server's; "2" the user's, whose X25519 image the agent checks against its invitation). */
      identities: identityKeys,
      messages: relayed,
      agentToken: z.string(),
    }),
    400: v1Error,
    404: v1Error,
    409: v1Error,
    410: v1Error,
    429: v1Error,
  },
});

export const dkgAgentRound = defineRoute({
  method: "POST",
  path: "/api/v1/dkg/agent/round",
  summary: "The joined agent exchanges its party's (0) DKG messages (Authorization: Bearer csj_…)",
  tags: ["DKG"],
  auth: ["public"],
  body: z.strictObject({
    seq: z.number().int().min(0).max(10_000),
    messages: z.array(message).max(16),
    after: int8String.default("0"),
    /** Instead of messages: this party's own state machine aborted; the ceremony ends with this blame (evidence checked). */
    abort: abortReport.optional(),
  }),
  responses: { 200: ceremonyView, 400: v1Error, 401: v1Error, 404: v1Error, 409: v1Error, 410: v1Error },
});

export const dkgAgentConfirm = defineRoute({
  method: "POST",
  path: "/api/v1/dkg/agent/confirm",
  summary: "The joined agent confirms the public key it computed; returns the signer's API key once (Authorization: Bearer csj_…)",
  tags: ["DKG"],
  auth: ["public"],
  body: z.strictObject({ publicKey: compressedPublicKey }),
  responses: { 200: z.object({ signer: signerSchema, apiKey: apiKeyOnce }), 401: v1Error, 409: v1Error },
});
