import { sha256 } from "@noble/hashes/sha2.js";
import { canonicalize } from "./jcs";
import { b64 } from "./note";

/**
 * Salted leaf commitments (issue #14, privacy). A public leaf does not carry the event: it is
 * `{"c":"<base64 commitment>","kind":"<kind>","v":2}` (RFC 8785), where
 *   commitment = SHA-256("countersign/tlog-leaf-commitment/v1\n" || salt || JCS(event))
 * with a per-leaf random 32-byte salt kept in the database and handed only to readers of the
 * event's organization (with its proof bundle). Whoever holds the event JSON and its salt
 * recomputes the leaf; a public reader cannot test a guess (an organization id, a message hash
 * seen on chain) without the salt. Pure and isomorphic (the browser's Verify uses it);
 * tools/verify-log/verify.mjs has its own copy.
 */
export const COMMITTED_LEAF_VERSION = 2;
export const SALT_SIZE = 32;
/** The commitment's domain separator (the hash input starts with it, then the salt, then the event). */
export const COMMITMENT_DOMAIN = new TextEncoder().encode("countersign/tlog-leaf-commitment/v1\n");
const DOMAIN = COMMITMENT_DOMAIN;

export class CommitmentError extends Error {}

export function eventCommitment(canonicalEvent: Uint8Array, salt: Uint8Array): Uint8Array {
  if (salt.length !== SALT_SIZE) throw new CommitmentError(`salt must be ${SALT_SIZE} bytes`);
  const buf = new Uint8Array(DOMAIN.length + salt.length + canonicalEvent.length);
  buf.set(DOMAIN, 0);
  buf.set(salt, DOMAIN.length);
  buf.set(canonicalEvent, DOMAIN.length + salt.length);
  return sha256(buf);
}

/** The public leaf (canonical JSON text) committing to `canonicalEvent` (whose `kind` it shows). */
export function committedLeaf(canonicalEvent: Uint8Array, kind: string, salt: Uint8Array): string {
  return leafText(eventCommitment(canonicalEvent, salt), kind);
}

/** The public leaf's text for a commitment already computed (the server hashes with Node's SHA-256). */
export function leafText(commitment: Uint8Array, kind: string): string {
  return canonicalize({ c: b64(commitment), kind, v: COMMITTED_LEAF_VERSION });
}

/**
 * The leaf an event JSON (and its salt, for a committed leaf) stands for, as a verifier recomputes
 * it. Without a salt the event must be a leaf written before commitments (its own canonical JSON);
 * an event of a committed leaf (v 2) without its salt is refused rather than "verified" as itself.
 */
export function leafForEvent(event: unknown, salt: Uint8Array | null): string {
  const canonical = canonicalize(event);
  const obj = event && typeof event === "object" && !Array.isArray(event) ? (event as Record<string, unknown>) : null;
  if (!salt) {
    if (obj?.v === COMMITTED_LEAF_VERSION) throw new CommitmentError("the event's leaf is a salted commitment: its salt is needed");
    return canonical;
  }
  if (!obj || typeof obj.kind !== "string") throw new CommitmentError("the event has no kind");
  if (obj.v !== COMMITTED_LEAF_VERSION) throw new CommitmentError(`a salted event must have v ${COMMITTED_LEAF_VERSION}`);
  return committedLeaf(new TextEncoder().encode(canonical), obj.kind, salt);
}
