/**
 * Seed 003's proxy tokens (`POST /api/aa/token`): a short-lived JWT (HS256, key derived from the
 * master key, so every instance verifies any instance's token) naming the chain and, when the
 * caller was signed in, the organization whose sponsorship budget the paymaster charges.
 */
import { errors, jwtVerify, SignJWT } from "jose";
import { deriveKey } from "@/lib/keystore";
import { UnauthorizedError } from "@/lib/http/errors";
import { AA_ERRORS } from "./model";

const AUDIENCE = "countersign/aa-proxy";

export type ProxyTokenClaims = { chainId: number; organizationId: string | null; expiresAt: number };

async function key(): Promise<Uint8Array> {
  return deriveKey("aa-proxy-token");
}

export async function issueProxyToken(input: { chainId: number; organizationId: string | null; ttlSeconds: number }, now = Date.now()): Promise<{ token: string; expiresAt: number }> {
  const iat = Math.floor(now / 1000);
  const exp = iat + input.ttlSeconds;
  const token = await new SignJWT({ cid: input.chainId, ...(input.organizationId ? { org: input.organizationId } : {}) })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(await key());
  return { token, expiresAt: exp * 1000 };
}

/** 401 for a missing, tampered, expired or other-chain token. */
export async function verifyProxyToken(token: string | null, chainId: number, now = Date.now()): Promise<ProxyTokenClaims> {
  if (!token) throw new UnauthorizedError(AA_ERRORS.missingToken);
  let payload;
  try {
    ({ payload } = await jwtVerify(token, await key(), { algorithms: ["HS256"], audience: AUDIENCE, currentDate: new Date(now), requiredClaims: ["exp", "cid"] }));
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw new UnauthorizedError(AA_ERRORS.expiredToken);
    throw new UnauthorizedError(AA_ERRORS.invalidToken);
  }
  if (typeof payload.cid !== "number") throw new UnauthorizedError(AA_ERRORS.invalidToken);
  if (payload.cid !== chainId) throw new UnauthorizedError(AA_ERRORS.wrongChain);
  return { chainId: payload.cid, organizationId: typeof payload.org === "string" ? payload.org : null, expiresAt: (payload.exp ?? 0) * 1000 };
}
