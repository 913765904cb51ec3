import { z } from "zod";
import { defineRoute } from "@/lib/http/contract";
import { ERROR_SCHEMAS } from "@/lib/http/families";

/**
 * Seed 002's transparency log (issue #14): /size, /sth, /proof/{leaf_index}, plus the checkpoint,
 * consistency proofs, C2SP tiles and entry bundles, and a decision's tlog-proof. Public reads except
 * the decision bundle (organization-scoped). Seed 002's error body.
 */
const aegisError = ERROR_SCHEMAS.aegis;
const TAGS = ["Transparency log"];

const index = (what: string) =>
  z
    .string()
    .regex(/^(0|[1-9][0-9]{0,14})$/, { message: `${what} must be a non-negative integer` })
    .transform(Number)
    .meta({ description: `${what} (decimal)` });

const b64Hash = z.string().meta({ description: "SHA-256 hash, base64" });

export const tlogSize = defineRoute({
  method: "GET",
  path: "/api/v1/transparency-log/size",
  summary: "Current Merkle tree size (of the latest signed checkpoint)",
  tags: TAGS,
  auth: ["public"],
  family: "aegis",
  responses: { 200: z.object({ tree_size: z.int().nonnegative() }), 503: aegisError },
});

export const tlogSth = defineRoute({
  method: "GET",
  path: "/api/v1/transparency-log/sth",
  summary: "Signed tree head — anchor for offline verification: the latest C2SP checkpoint as JSON and as its signed note",
  tags: TAGS,
  auth: ["public"],
  family: "aegis",
  responses: {
    200: z.object({
      tree_size: z.int().nonnegative(),
      root_hash: b64Hash,
      timestamp: z.string().meta({ description: "ISO 8601: when the checkpoint was signed" }),
      signature: z.string().meta({ description: "base64(key id || Ed25519 signature) of the note's log signature line" }),
      note: z.string().meta({ description: "The C2SP signed note (checkpoint text, blank line, signature lines)" }),
      origin: z.string(),
      vkey: z.string().meta({ description: "The log's verifier key (C2SP signed-note vkey) to pin" }),
    }),
    503: aegisError,
  },
});

export const tlogCheckpoint = defineRoute({
  method: "GET",
  path: "/api/v1/transparency-log/checkpoint",
  summary: "The latest checkpoint as a C2SP signed note (text/plain)",
  tags: TAGS,
  auth: ["public"],
  family: "aegis",
  produces: "text/plain",
  responses: { 200: z.string(), 503: aegisError },
});

export const tlogProof = defineRoute({
  method: "GET",
  path: "/api/v1/transparency-log/proof/{leaf_index}",
  summary: "Inclusion proof (RFC 9162 §2.1.3) for a leaf, with the leaf and the signed checkpoint it is proven against (latest, or ?tree_size= of a published one). Verifiable with tools/verify-log/",
  tags: TAGS,
  auth: ["public"],
  family: "aegis",
  params: z.strictObject({ leaf_index: index("leaf_index") }),
  query: z.strictObject({ tree_size: index("tree_size").optional() }),
  responses: {
    200: z.object({
      leaf_index: z.int(),
      tree_size: z.int(),
      leaf_hash: b64Hash,
      leaf: z.string().meta({ description: "The public leaf: RFC 8785 canonical JSON of {c: salted commitment to the event, kind, v: 2} (entries written before commitments: of the event itself)" }),
      inclusion_path: z.array(b64Hash),
      root_hash: b64Hash,
      checkpoint: z.string(),
    }),
    400: aegisError,
    404: aegisError,
  },
});

export const tlogConsistency = defineRoute({
  method: "GET",
  path: "/api/v1/transparency-log/consistency",
  summary: "Consistency proof (RFC 9162 §2.1.4) from tree size `first` to `second` (a published checkpoint; default the latest)",
  tags: TAGS,
  auth: ["public"],
  family: "aegis",
  query: z.strictObject({ first: index("first"), second: index("second").optional() }),
  responses: {
    200: z.object({ first: z.int(), second: z.int(), consistency_path: z.array(b64Hash), first_checkpoint: z.string().nullable(), checkpoint: z.string() }),
    400: aegisError,
    404: aegisError,
  },
});

export const tlogTile = defineRoute({
  method: "GET",
  path: "/api/v1/transparency-log/tile/{path}",
  summary: "C2SP tlog-tiles: tile/<L>/<N>[.p/<W>] (concatenated hashes) and tile/entries/<N>[.p/<W>] (entry bundles); full tiles are immutable",
  tags: TAGS,
  auth: ["public"],
  family: "aegis",
  params: z.strictObject({ path: z.union([z.array(z.string()), z.string()]).meta({ description: "The tile path after tile/, e.g. 0/x001/234 or entries/000.p/7" }) }),
  produces: "application/octet-stream",
  responses: { 200: z.string(), 404: aegisError },
});

const bundleEntry = z.object({
  leaf_index: z.int(),
  kind: z.string(),
  event: z.record(z.string(), z.unknown()).meta({ description: "The event the leaf commits to (private to the organization)" }),
  salt: z.string().optional().meta({ description: "Base64 32-byte salt of the leaf's commitment (v2 leaves): leaf = JCS({c: b64(SHA-256(\"countersign/tlog-leaf-commitment/v1\\n\" || salt || JCS(event))), kind, v: 2})" }),
  leaf: z.string().meta({ description: "The public leaf" }),
  tlog_proof: z.string().meta({ description: "C2SP tlog-proof@v1 (extra = the leaf), verifiable offline with tools/verify-log/verify.mjs" }),
});

export const tlogDecision = defineRoute({
  method: "GET",
  path: "/api/v1/transparency-log/decisions/{id}",
  summary: "A decision's log entries (audit event, signing decision, approval, gateway check) with tlog-proof bundles",
  tags: TAGS,
  auth: ["session", "apiKey"],
  family: "aegis",
  permission: "audit:read",
  params: z.strictObject({ id: z.string().min(1).max(200) }),
  responses: {
    200: z.object({ decision_id: z.string(), tree_size: z.int(), origin: z.string(), vkey: z.string(), entries: z.array(bundleEntry) }),
    401: aegisError,
    403: aegisError,
    404: aegisError,
  },
});
