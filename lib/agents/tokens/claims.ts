/**
 * Agent tokens, the pure part: which scopes a token may carry, who may grant them, and the TTL rule.
 * A token is a short-lived EdDSA JWT for one agent (`sub` = agent id, `org`, `scope`, `iat`, `exp`,
 * `iss` = the app's origin, `jti`), sent as `X-AEGIS-Agent-Token`.
 */
import type { Permission } from "@/lib/auth/permissions";

export const AGENT_TOKEN_ALG = "EdDSA";
/** The longest a token lives: also how long a retired key stays published. */
export const MAX_TOKEN_TTL_SECONDS = 3600;
export const MIN_TOKEN_TTL_SECONDS = 60;

/** Scopes an agent token can carry: reading its own record and the agent-facing families. */
export const AGENT_TOKEN_SCOPES = ["agents:read", "gateway:check", "gateway:review", "trust:read", "identity:read"] as const satisfies readonly Permission[];
export type AgentTokenScope = (typeof AGENT_TOKEN_SCOPES)[number];

/**
 * The scopes a token gets: those asked for (each must be one the requester holds), or by default
 * every agent-token scope the requester holds. Returns the refused ones separately.
 */
export function grantScopes(requested: readonly AgentTokenScope[] | undefined, requesterHolds: (p: Permission) => boolean): { granted: AgentTokenScope[]; refused: AgentTokenScope[] } {
  const wanted = requested ?? AGENT_TOKEN_SCOPES.filter(requesterHolds);
  const unique = [...new Set(wanted)];
  return { granted: unique.filter(requesterHolds), refused: unique.filter((s) => !requesterHolds(s)) };
}

export function tokenTtl(requestedSeconds: number | undefined): number {
  return Math.min(MAX_TOKEN_TTL_SECONDS, Math.max(MIN_TOKEN_TTL_SECONDS, requestedSeconds ?? MAX_TOKEN_TTL_SECONDS));
}

export function parseScope(scope: unknown): AgentTokenScope[] | null {
  if (typeof scope !== "string") return null;
  const parts = scope.split(" ").filter(Boolean);
  return parts.every((p): p is AgentTokenScope => (AGENT_TOKEN_SCOPES as readonly string[]).includes(p)) ? parts : null;
}

/** A key signs while younger than the rotation period. */
export function needsRotation(keyCreatedAt: Date, now: Date, rotationDays: number): boolean {
  return now.getTime() - keyCreatedAt.getTime() >= rotationDays * 86_400_000;
}

/** A retired key is published until the last token it could have signed has expired. */
export function stillPublished(retiredAt: Date | null, now: Date): boolean {
  return retiredAt === null || now.getTime() - retiredAt.getTime() <= MAX_TOKEN_TTL_SECONDS * 1000;
}
