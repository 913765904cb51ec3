import { z } from "zod";
import { defineRoute } from "@/lib/http/contract";
import { address, idParams, identityKey, uint256String, v1Error } from "./schemas";
import { signerSchema } from "./signers";

const tags = ["Signers"];
const balance = z.object({ address: z.string(), chainId: z.number(), balance: z.string(), formatted: z.string(), symbol: z.string() });
const token = z.object({ id: z.string(), chainId: z.number(), address: z.string(), symbol: z.string(), decimals: z.number(), name: z.string().nullable(), createdAt: z.string() });
const apiKeyOnce = z.object({ id: z.string(), prefix: z.string(), secret: z.string() });
const read = { auth: ["session", "apiKey"] as const, permission: "signers:read" as const, params: idParams };
const manage = { auth: ["session"] as const, permission: "signers:manage" as const, params: idParams };

export const updateSigner = defineRoute({ method: "PATCH", path: "/api/v1/signers/{id}", summary: "Update signer (name, description)", tags, ...manage,
  body: z.strictObject({ name: z.string().trim().min(1).max(100).optional(), description: z.string().trim().max(500).nullable().optional() }).refine((b) => b.name !== undefined || b.description !== undefined, "Nothing to update"),
  responses: { 200: z.object({ signer: signerSchema }), 400: v1Error, 404: v1Error } });

export const deleteSigner = defineRoute({ method: "DELETE", path: "/api/v1/signers/{id}", summary: "Delete signer: wipes the server share, the user share and its API keys", tags, ...manage, responses: { 204: null, 404: v1Error } });

export const pauseSigner = defineRoute({ method: "POST", path: "/api/v1/signers/{id}/pause", summary: "Pause signer (blocks all signing)", tags, ...manage, responses: { 200: z.object({ signer: signerSchema }), 404: v1Error, 409: v1Error } });

export const resumeSigner = defineRoute({ method: "POST", path: "/api/v1/signers/{id}/resume", summary: "Resume paused signer", tags, ...manage, responses: { 200: z.object({ signer: signerSchema }), 404: v1Error, 409: v1Error } });

export const regenerateKey = defineRoute({ method: "POST", path: "/api/v1/signers/{id}/regenerate-key", summary: "Rotate the signer's API key; the old key stops working at once", tags, ...manage, responses: { 200: z.object({ apiKey: apiKeyOnce }), 404: v1Error, 409: v1Error } });

export const signerBalance = defineRoute({ method: "GET", path: "/api/v1/signers/{id}/balance", summary: "Get signer native balance", tags, ...read, responses: { 200: balance, 404: v1Error, 409: v1Error, 503: v1Error } });

export const ownBalance = defineRoute({ method: "GET", path: "/api/v1/signer/balance", summary: "Native balance of the signer this API key belongs to", tags: ["Signing"], auth: ["apiKey"], permission: "sign", responses: { 200: balance, 409: v1Error, 503: v1Error } });

export const simulateTx = defineRoute({ method: "POST", path: "/api/v1/signers/{id}/simulate", summary: "Simulate a transaction from the signer: eth_call, gas estimate, revert reason", tags, ...read,
  body: z.strictObject({ to: address.nullable(), value: uint256String.optional(), data: z.string().regex(/^0x([0-9a-fA-F]{2})*$/).max(262_146).optional() }),
  responses: { 200: z.object({ success: z.boolean(), returnData: z.string().nullable(), gasEstimate: z.string().nullable(), revertReason: z.string().nullable() }), 404: v1Error, 409: v1Error, 503: v1Error } });

export const listTokens = defineRoute({ method: "GET", path: "/api/v1/signers/{id}/tokens", summary: "List tracked tokens", tags, ...read, responses: { 200: z.object({ tokens: z.array(token) }), 404: v1Error } });

export const addToken = defineRoute({ method: "POST", path: "/api/v1/signers/{id}/tokens", summary: "Add a token to the tracking list (symbol and decimals read from the chain)", tags, ...manage,
  body: z.strictObject({ address }),
  responses: { 201: z.object({ token }), 400: v1Error, 404: v1Error, 409: v1Error } });

export const removeToken = defineRoute({ method: "DELETE", path: "/api/v1/signers/{id}/tokens/{tokenId}", summary: "Remove a token from the tracking list", tags, auth: ["session"], permission: "signers:manage",
  params: z.strictObject({ id: z.uuid(), tokenId: z.uuid() }), responses: { 204: null, 404: v1Error } });

export const tokenBalances = defineRoute({ method: "GET", path: "/api/v1/signers/{id}/token-balances", summary: "Token balances (symbol, decimals, balance) in one multicall", tags, ...read,
  responses: { 200: z.object({ address: z.string(), chainId: z.number(), tokens: z.array(z.object({ tokenId: z.string(), address: z.string(), symbol: z.string(), decimals: z.number(), balance: z.string().nullable(), formatted: z.string().nullable(), error: z.string().nullable() })) }), 404: v1Error, 409: v1Error, 503: v1Error } });

const userShareBody = z.strictObject({
  ciphertext: z.string().min(16).max(262_144),
  encryption: z.strictObject({
    scheme: z.enum(["webauthn-prf", "wallet-signature", "passphrase"]),
    credentialId: z.string().max(1024).optional(),
    walletAddress: address.optional(),
    salt: z.string().max(256),
    iv: z.string().max(64),
    kdf: z.string().max(64),
  }),
  /** The user's long-term identity (Ed25519, derived from the secret that seals this share); later sessions must be signed by it or certified by it. */
  identityKey: identityKey.optional(),
  /** Replacing a registered identity: the old identity's signature handing over to identityKey. */
  identityRotation: z.string().regex(/^[0-9a-f]{128}$/, "Ed25519 signature, 64 bytes as lowercase hex").optional(),
});

export const putUserShare = defineRoute({ method: "POST", path: "/api/v1/signers/{id}/user-share", summary: "Store the user share, encrypted in the browser (the server cannot decrypt it)", tags, ...manage, body: userShareBody,
  responses: { 200: z.object({ stored: z.literal(true), updatedAt: z.string() }), 400: v1Error, 403: v1Error, 404: v1Error } });

export const getUserShare = defineRoute({ method: "GET", path: "/api/v1/signers/{id}/user-share", summary: "Retrieve the encrypted user share blob", tags, auth: ["session"], permission: "signers:manage", params: idParams,
  responses: { 200: z.object({ ciphertext: z.string(), encryption: z.record(z.string(), z.unknown()), updatedAt: z.string(),
    /** Public Paillier moduli (hex) of the user's and the server's party: the browser precomputes signing nonces for them while the send dialog is open. */
    paillier: z.object({ user: z.string(), server: z.string() }).nullable().optional(),
    /** The server party's public ring-Pedersen parameters (hex) and the instance's MPC profile: the browser also precomputes its proofs' commitment masks under them. */
    ringPedersen: z.object({ server: z.object({ N: z.string(), s: z.string(), t: z.string() }), profile: z.enum(["production", "fast-test"]) }).nullable().optional() }), 404: v1Error } });
