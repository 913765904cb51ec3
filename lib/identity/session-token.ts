/**
 * Seed 003 session tokens: `enc_` + base64url(iv ‖ AES-256-GCM ciphertext ‖ tag) of the session's
 * JSON, under a key derived from the master key (HKDF, purpose "identity-session-token"), with a
 * 30-minute TTL. A token that does not decrypt (tampered, another installation's, malformed) is a
 * 401 "Invalid or tampered session token"; an expired one a 410 "Session expired". The sealing
 * functions take the key, so they are pure; `sessionKey()` reads the master key.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { deriveKey } from "@/lib/keystore";
import { GoneError, UnauthorizedError } from "@/lib/http/errors";
import { SESSION_TTL_MS } from "./model";

export const SESSION_TOKEN_PREFIX = "enc_";
const AAD = Buffer.from("countersign/identity-session/v1");

export type SessionKind = "register" | "identify" | "refresh" | "deregister";
export type SessionClaims<T extends object = Record<string, unknown>> = { kind: SessionKind; sid: string; exp: number } & T;

export function sessionKey(): Promise<Uint8Array> {
  return deriveKey("identity-session-token");
}

/** Seals `state` into a new token expiring `ttlMs` after `now`. */
export function sealSessionToken<T extends object>(key: Uint8Array, kind: SessionKind, state: T, now = Date.now(), ttlMs = SESSION_TTL_MS): { token: string; claims: SessionClaims<T> } {
  const claims = { ...state, kind, sid: randomBytes(16).toString("hex"), exp: now + ttlMs } as SessionClaims<T>;
  return { token: resealSessionToken(key, claims), claims };
}

/** Seals updated claims (same session id and expiry) into a fresh token. */
export function resealSessionToken<T extends object>(key: Uint8Array, claims: SessionClaims<T>): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(AAD);
  const ct = Buffer.concat([cipher.update(JSON.stringify(claims), "utf8"), cipher.final()]);
  return SESSION_TOKEN_PREFIX + Buffer.concat([iv, ct, cipher.getAuthTag()]).toString("base64url");
}

/** Opens a token of `kind`: 401 when it does not decrypt or is another kind of session, 410 when expired. */
export function openSessionToken<T extends object = Record<string, unknown>>(key: Uint8Array, token: string, kind: SessionKind, now = Date.now()): SessionClaims<T> {
  const invalid = () => new UnauthorizedError("Invalid or tampered session token");
  if (!token.startsWith(SESSION_TOKEN_PREFIX)) throw invalid();
  const raw = Buffer.from(token.slice(SESSION_TOKEN_PREFIX.length), "base64url");
  if (raw.length < 12 + 16 + 2) throw invalid();
  let claims: SessionClaims<T>;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
    decipher.setAAD(AAD);
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    const pt = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]);
    claims = JSON.parse(pt.toString("utf8")) as SessionClaims<T>;
  } catch {
    throw invalid();
  }
  if (claims.kind !== kind || typeof claims.exp !== "number") throw invalid();
  if (now > claims.exp) throw new GoneError("Session expired");
  return claims;
}
