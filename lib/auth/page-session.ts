import { cookies } from "next/headers";
import { db } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { resolveSession, sessionCookieName } from "./session";

export type PageSession = {
  user: { id: string; email: string | null; name: string | null; emailVerified: boolean; walletAddress: string | null };
  organization: { id: string; name: string; role: Role };
  organizations: Array<{ id: string; name: string; role: Role }>;
};

/** The session for a server-rendered page, or null (the dashboard layout then redirects to sign-in). */
export async function getPageSession(): Promise<PageSession | null> {
  const jar = await cookies();
  const s = await resolveSession(db(), jar.get(sessionCookieName())?.value ?? null);
  if (!s || !s.organization) return null;
  return { user: s.user, organization: s.organization, organizations: s.organizations };
}
