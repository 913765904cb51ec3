import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { isAddress } from "viem";
import { z } from "zod";
import { ERROR_SCHEMAS } from "@/lib/http/families";

/** Shapes shared by several contracts. */
export const roleSchema = z.enum(["owner", "admin", "approver", "viewer"]);
export const uuid = z.uuid();
export const idParams = z.strictObject({ id: z.uuid({ message: "Must be a UUID" }) });
export const isoDate = z.string();

// --- Storage-bounded scalars (issue #12): a value the column cannot hold is a 400, never a database error ---

export const INT4_MAX = 2_147_483_647;
export const INT8_MAX = 9_223_372_036_854_775_807n;
export const UINT256_MAX = 2n ** 256n - 1n;
/** The latest instant a JavaScript Date (and so a timestamptz column through Prisma) holds. */
export const MAX_DATE_MS = 8_640_000_000_000_000;

/** A non-negative integer that fits an `int4` column. */
export const int4 = z.int().min(0).max(INT4_MAX);
/** A chain id, stored as `int4` everywhere. */
export const chainId = z.int().min(1).max(INT4_MAX).meta({ description: "EVM chain id (1 … 2^31-1)" });
/** A chain id from a query string. */
export const chainIdQuery = z.coerce.number().int().min(1).max(INT4_MAX);

function decimalString(max: bigint, what: string, digits: number) {
  return z
    .string()
    .regex(new RegExp(`^\\d{1,${digits}}$`), "Decimal integer string")
    .refine((s) => !/^\d+$/.test(s) || BigInt(s) <= max, `Out of range: at most ${max} (${what})`);
}
/** A uint256 as a decimal string (wei amounts, gas): at most 2^256-1. */
export const uint256String = decimalString(UINT256_MAX, "uint256", 78).meta({ description: "Decimal integer string, 0 … 2^256-1" });
/** A cursor over a `bigint` (int8) sequence, as a decimal string: at most 2^63-1. */
export const int8String = decimalString(INT8_MAX, "int8", 19).meta({ description: "Decimal integer string, 0 … 2^63-1" });

/** Unix milliseconds a Date can hold. */
export const unixMs = z.int().min(0).max(MAX_DATE_MS).meta({ description: "Unix timestamp in milliseconds" });

/** Mixed case is an EIP-55 checksum and must be right; a single case carries none (viem's strict isAddress). */
function checksumHolds(a: string): boolean {
  if (!/^0x[0-9a-fA-F]{40}$/.test(a)) return true; // the regex reports it
  const hex = a.slice(2);
  return hex === hex.toLowerCase() || hex === hex.toUpperCase() || isAddress(a, { strict: true });
}

/**
 * The one EVM address schema: 0x + 40 hex digits, in one case or with a correct EIP-55 checksum
 * (a mixed-case address whose checksum is wrong is a typo, refused).
 */
export const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "Must be a 0x-prefixed EVM address")
  .refine(checksumHolds, "Mixed-case address with a wrong EIP-55 checksum (send it all-lowercase or correctly checksummed)")
  .meta({ description: "0x-prefixed EVM address: all-lowercase (or all-uppercase) hex, or EIP-55 checksummed" });

/** seed 000's error body; /openapi.json documents each route's declared errors in its family's body. */
export const v1Error = ERROR_SCHEMAS.v1;

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

/** Authenticated blame: a protocol message's Ed25519 signature under its sender's identity key (lib/signing/message-auth.ts). */
export const messageAuth = z.strictObject({ sig: z.string().regex(/^[0-9a-f]{128}$/, "64-byte Ed25519 signature as lowercase hex") });
/** A party's Ed25519 identity public key for one ceremony. */
export const identityKey = z.string().regex(/^[0-9a-f]{64}$/, "Ed25519 public key, 32 bytes as lowercase hex");
/** Identity keys of a ceremony's parties by index ("0" agent, "1" server, "2" user). */
export const identityKeys = z.partialRecord(z.enum(["0", "1", "2"]), identityKey);

/**
 * A protocol message as it travels (spec §5.1), for the given protocols; the library checks the
 * payload strictly. `auth` is its sender's signature (authenticated blame).
 */
export function protocolMessage<P extends readonly [string, ...string[]]>(protocols: P, auth: "optional" | "required" = "optional") {
  return z.strictObject({
    v: z.literal(1),
    protocol: z.enum(protocols),
    sid: z.string().regex(/^[0-9a-f]{64}$/),
    round: z.number().int().min(1).max(16),
    from: z.number().int().min(0).max(15),
    to: z.union([z.literal("all"), z.number().int().min(0).max(15)]),
    payload: z.unknown(),
    auth: auth === "required" ? messageAuth : messageAuth.optional(),
  });
}

/**
 * A client's own party aborted: who it blames, for which round and check, and the blamed party's
 * signed messages of that round as evidence. Sent instead of messages; the ceremony ends with it.
 */
export const abortReport = z.strictObject({
  party: z.number().int().min(0).max(15),
  protocol: z.enum(["keygen", "aux", "sign"]),
  round: z.number().int().min(0).max(16),
  check: z.string().max(200),
  reason: z.string().max(2000),
  evidence: z.strictObject({ identityKey, messages: z.array(protocolMessage(["keygen", "aux", "sign"], "required")).max(16) }).optional(),
});
