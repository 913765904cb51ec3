/** The parties' identity keys recorded on a ceremony (authenticated blame, message-auth.ts). */
import { PARTY_INDEX } from "./participants";

/** A ceremony authenticates its messages once a client announced an identity (else: an older client, unsigned protocol). */
export function isAuthenticated(identities: Record<string, string>): boolean {
  return Object.keys(identities).some((k) => k !== String(PARTY_INDEX.server));
}

/** The identity keys recorded on a ceremony (string keys "0".."2"), empty for ceremonies from before authenticated blame. */
export function identitiesOf(context: unknown): Record<string, string> {
  const ids = (context as { identities?: Record<string, string> } | null)?.identities;
  return ids && typeof ids === "object" ? { ...ids } : {};
}

