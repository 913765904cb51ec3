import { createHash, randomBytes } from "node:crypto";

/** A random single-use token and the hash we store for it. */
export function newOneTimeToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashOneTimeToken(token) };
}

export function hashOneTimeToken(token: string): string {
  return createHash("sha256").update(`countersign/one-time/${token}`).digest("hex");
}
