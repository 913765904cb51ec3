import { decode, encode } from "next-auth/jwt";
import type { DbOrTx } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import type { Role } from "@/lib/generated/prisma/enums";
import { authSecret } from "./secret";

/**
 * Dashboard sessions. The cookie is next-auth's JWT session token (same name, salt and encryption,
 * so `auth()` from lib/auth/nextauth.ts reads it too); it carries the id of a row in `sessions`, which
 * is what logout revokes and what every request checks.
 */
export function sessionCookieName(): string {
  return env().origin.startsWith("https://") ? "__Secure-authjs.session-token" : "authjs.session-token";
}

export type SessionUser = { id: string; email: string | null; name: string | null; emailVerified: boolean; walletAddress: string | null };
export type OrgMembership = { id: string; name: string; role: Role };
export type ActiveSession = {
  sessionId: string;
  user: SessionUser;
  organization: OrgMembership | null;
  organizations: OrgMembership[];
};

type SessionToken = { sub: string; sid: string };

export async function createSession(
  db: DbOrTx,
  input: { userId: string; method: "passkey" | "siwe"; ip?: string | null; userAgent?: string | null; organizationId?: string | null },
) {
  const maxAge = env().SESSION_MAX_AGE_SECONDS;
  const active =
    input.organizationId ??
    (await db.membership.findFirst({ where: { userId: input.userId }, orderBy: { createdAt: "asc" }, select: { organizationId: true } }))?.organizationId ??
    null;
  return db.session.create({
    data: {
      userId: input.userId,
      method: input.method,
      activeOrganizationId: active,
      ip: input.ip ?? null,
      userAgent: input.userAgent?.slice(0, 512) ?? null,
      expiresAt: new Date(Date.now() + maxAge * 1000),
    },
  });
}

function cookieAttributes(maxAge: number): string {
  const secure = env().origin.startsWith("https://") ? "; Secure" : "";
  return `Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure}`;
}

export async function sessionCookie(session: { id: string; userId: string; expiresAt: Date }): Promise<string> {
  const name = sessionCookieName();
  const maxAge = Math.max(1, Math.floor((session.expiresAt.getTime() - Date.now()) / 1000));
  const token = await encode<SessionToken>({ token: { sub: session.userId, sid: session.id }, secret: await authSecret(), salt: name, maxAge });
  return `${name}=${token}; ${cookieAttributes(maxAge)}`;
}

export function clearedSessionCookie(): string {
  return `${sessionCookieName()}=; ${cookieAttributes(0)}`;
}

export function readCookie(cookieHeader: string | null, name: string): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const i = part.indexOf("=");
    if (i < 0) continue;
    if (part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return null;
}

/** Resolves a session cookie value to the live session, or null if absent, forged, expired or revoked. */
export async function resolveSession(db: DbOrTx, cookieValue: string | null, now = new Date()): Promise<ActiveSession | null> {
  if (!cookieValue) return null;
  let payload: SessionToken | null = null;
  try {
    payload = await decode<SessionToken>({ token: cookieValue, secret: await authSecret(), salt: sessionCookieName() });
  } catch {
    return null;
  }
  if (!payload?.sid || !payload.sub) return null;
  const row = await db.session.findUnique({
    where: { id: payload.sid },
    include: { user: { include: { memberships: { include: { organization: true }, orderBy: { createdAt: "asc" } } } } },
  });
  if (!row || row.userId !== payload.sub || row.revokedAt || row.expiresAt <= now) return null;
  const organizations: OrgMembership[] = row.user.memberships.map((m) => ({ id: m.organizationId, name: m.organization.name, role: m.role }));
  const organization = organizations.find((o) => o.id === row.activeOrganizationId) ?? organizations[0] ?? null;
  return {
    sessionId: row.id,
    user: {
      id: row.user.id,
      email: row.user.email,
      name: row.user.name,
      emailVerified: row.user.emailVerifiedAt !== null,
      walletAddress: row.user.walletAddress,
    },
    organization,
    organizations,
  };
}

export async function revokeSession(db: DbOrTx, sessionId: string, now = new Date()) {
  await db.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: now } });
}
