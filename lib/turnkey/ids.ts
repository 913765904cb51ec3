import { randomBytes } from "node:crypto";

/** Opaque identifiers for Turnkey setup sessions (tks_) and drafts (tkd_); requests share seed 004's req_. */
export function turnkeyId(prefix: "tks" | "tkd"): string {
  return `${prefix}_${randomBytes(16).toString("base64url")}`;
}

/** A compressed P-256 public key in hex, as Turnkey API keys are written. */
export const COMPRESSED_P256 = /^0[23][0-9a-fA-F]{64}$/;
