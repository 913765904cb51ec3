import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { z } from "zod";

/** Shapes shared by several contracts. */
export const roleSchema = z.enum(["owner", "admin", "approver", "viewer"]);
export const uuid = z.uuid();
export const idParams = z.strictObject({ id: z.uuid({ message: "Must be a UUID" }) });
export const isoDate = z.string();

export const v1Error = z.object({
  statusCode: z.number().int(),
  message: z.string(),
  violations: z.array(z.object({ policyId: z.string().optional(), type: z.string().optional(), field: z.string().optional(), message: z.string() })).optional(),
});

export const userSchema = z.object({
  id: z.string(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  emailVerified: z.boolean(),
  walletAddress: z.string().nullable(),
});

export const orgSchema = z.object({ id: z.string(), name: z.string(), role: roleSchema });

export const credentialSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  createdAt: isoDate,
  lastUsedAt: isoDate.nullable(),
  revokedAt: isoDate.nullable(),
  expiresAt: isoDate.nullable(),
});

/** WebAuthn JSON is defined by browsers; we check what we use and let future members through. */
export const registrationCredential = z.looseObject({
  id: z.string().min(1).max(1024),
  rawId: z.string().min(1).max(1024),
  type: z.literal("public-key"),
  response: z.looseObject({
    clientDataJSON: z.string().min(1).max(16_384),
    attestationObject: z.string().min(1).max(65_536),
    transports: z.array(z.string().max(32)).max(10).optional(),
  }),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.string().max(32).optional(),
});

export const authenticationCredential = z.looseObject({
  id: z.string().min(1).max(1024),
  rawId: z.string().min(1).max(1024),
  type: z.literal("public-key"),
  response: z.looseObject({
    clientDataJSON: z.string().min(1).max(16_384),
    authenticatorData: z.string().min(1).max(16_384),
    signature: z.string().min(1).max(4096),
    userHandle: z.string().max(1024).optional(),
  }),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.string().max(32).optional(),
});

/** Options JSON produced by @simplewebauthn/server; passed through to the browser unchanged. */
export const webauthnOptions = z
  .custom<PublicKeyCredentialCreationOptionsJSON | PublicKeyCredentialRequestOptionsJSON>(
    (v) => typeof v === "object" && v !== null && typeof (v as { challenge?: unknown }).challenge === "string",
    { message: "Expected WebAuthn options" },
  )
  .meta({ description: "WebAuthn PublicKeyCredentialCreationOptionsJSON / RequestOptionsJSON" });
