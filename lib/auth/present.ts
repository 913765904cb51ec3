import type { ActiveSession } from "./session";

export function publicUser(u: { id: string; email: string | null; name: string | null; emailVerifiedAt?: Date | null; emailVerified?: boolean; walletAddress: string | null }) {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    emailVerified: u.emailVerified ?? Boolean(u.emailVerifiedAt),
    walletAddress: u.walletAddress,
  };
}

export function publicSession(s: ActiveSession) {
  return { user: s.user, organization: s.organization, organizations: s.organizations };
}
