/**
 * Minting and verifying agent tokens with `jose`. Verification accepts only EdDSA (so `alg: none`
 * and any HMAC confusion are refused), only a published key named by `kid`, only our issuer, and
 * needs every claim; the agent must still exist in the token's organization and be active.
 */
import { randomUUID } from "node:crypto";
import { decodeProtectedHeader, importJWK, jwtVerify, SignJWT, type CryptoKey } from "jose";
import type { Db, DbOrTx } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { ForbiddenError, UnauthorizedError } from "@/lib/http/errors";
import { requireActive } from "../model";
import { AGENT_TOKEN_ALG, parseScope, type AgentTokenScope } from "./claims";
import { publishedKey, signingKey } from "./keys";

export type MintedToken = { token: string; expiresAt: Date; kid: string; jti: string; scopes: AgentTokenScope[] };

export async function mintAgentToken(db: Db, input: { agentId: string; organizationId: string; scopes: readonly AgentTokenScope[]; ttlSeconds: number; now?: Date }): Promise<MintedToken> {
  const now = input.now ?? new Date();
  const { kid, key } = await signingKey(db, now);
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + input.ttlSeconds;
  const jti = randomUUID();
  const token = await new SignJWT({ org: input.organizationId, scope: input.scopes.join(" ") })
    .setProtectedHeader({ alg: AGENT_TOKEN_ALG, kid, typ: "JWT" })
    .setSubject(input.agentId)
    .setIssuer(env().origin)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .setJti(jti)
    .sign(key);
  return { token, expiresAt: new Date(exp * 1000), kid, jti, scopes: [...input.scopes] };
}

export type VerifiedAgentToken = { agentId: string; organizationId: string; scopes: AgentTokenScope[]; jti: string; kid: string; expiresAt: Date };

const INVALID = "Invalid or expired agent token";

/** Checks signature, key, issuer and claims; throws 401 for anything wrong with the token itself. */
export async function verifyAgentTokenSignature(db: DbOrTx, token: string, now = new Date()): Promise<VerifiedAgentToken> {
  let kid: string | undefined;
  try {
    const header = decodeProtectedHeader(token);
    if (header.alg !== AGENT_TOKEN_ALG || typeof header.kid !== "string") throw new Error("alg/kid");
    kid = header.kid;
  } catch {
    throw new UnauthorizedError(INVALID);
  }
  const entry = await publishedKey(db, kid!, now);
  if (!entry) throw new UnauthorizedError(INVALID);
  try {
    const key = (await importJWK(entry.publicJwk, AGENT_TOKEN_ALG)) as CryptoKey;
    const { payload } = await jwtVerify(token, key, { algorithms: [AGENT_TOKEN_ALG], issuer: env().origin, currentDate: now, requiredClaims: ["sub", "exp", "iat", "jti"] });
    const scopes = parseScope(payload.scope);
    if (typeof payload.org !== "string" || !scopes || !payload.sub || !payload.jti || !payload.exp) throw new Error("claims");
    return { agentId: payload.sub, organizationId: payload.org, scopes, jti: payload.jti, kid: kid!, expiresAt: new Date(payload.exp * 1000) };
  } catch {
    throw new UnauthorizedError(INVALID);
  }
}

/** A valid token of an agent that still exists and may act: retired → 401, paused → 403 "Agent is paused". */
export async function verifyAgentToken(db: DbOrTx, token: string, now = new Date()): Promise<VerifiedAgentToken> {
  const v = await verifyAgentTokenSignature(db, token, now);
  const agent = await db.agent.findFirst({ where: { id: v.agentId, organizationId: v.organizationId }, select: { status: true } });
  if (!agent) throw new UnauthorizedError(INVALID);
  if (agent.status === "retired") throw new UnauthorizedError("Agent is retired: its tokens are revoked");
  requireActive(agent.status);
  return v;
}

/** An agent token names one agent: used for another agent it answers 403. */
export function assertActsAs(principal: { type: string; agentId?: string }, agentId: string): void {
  if (principal.type === "agent" && principal.agentId !== agentId) throw new ForbiddenError("This agent token is for another agent");
}
