import { z } from "zod";
import { defineRoute } from "@/lib/http/contract";
import { idParams, v1Error } from "./schemas";

const tags = ["Signers"];

export const signerSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  status: z.enum(["creating", "active", "paused", "failed"]),
  chainId: z.number(),
  address: z.string().nullable(),
  publicKey: z.string().nullable(),
  threshold: z.number(),
  parties: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** A protocol message as it travels (spec §5.1); the library checks the payload strictly. */
const message = z.strictObject({
  v: z.literal(1),
  protocol: z.enum(["keygen", "aux", "sign"]),
  sid: z.string().regex(/^[0-9a-f]{64}$/),
  round: z.number().int().min(1).max(16),
  from: z.number().int().min(0).max(15),
  to: z.union([z.literal("all"), z.number().int().min(0).max(15)]),
  payload: z.unknown(),
});

const relayed = z.array(z.object({ seq: z.string(), message: z.unknown() }));

const dkgView = z.object({
  ceremonyId: z.string(),
  sid: z.string(),
  auxSid: z.string(),
  profile: z.string(),
  threshold: z.number(),
  parties: z.object({ agent: z.number(), server: z.number(), user: z.number() }),
  messages: relayed,
});

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
    chainId: z.number().int().positive(),
    clientNonce: z.string().regex(/^[0-9a-f]{64}$/, "Must be 32 random bytes as lowercase hex"),
  }),
  responses: { 201: z.object({ signer: signerSchema, dkg: dkgView }), 400: v1Error, 403: v1Error },
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
  responses: { 200: z.object({ dkg: dkgView }), 404: v1Error, 409: v1Error },
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
    after: z.string().regex(/^\d{1,19}$/).default("0"),
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
  responses: { 200: z.object({ signer: signerSchema, apiKey: z.object({ id: z.string(), prefix: z.string(), secret: z.string() }) }), 404: v1Error, 409: v1Error },
});
