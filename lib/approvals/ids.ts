import { randomBytes } from "node:crypto";

/** Opaque, prefixed identifiers for seed 004 resources (agents see them; they are not UUIDs). */
export type IdPrefix = "agt" | "drf" | "req" | "ntf" | "rsp" | "apc";

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomBytes(16).toString("base64url")}`;
}
