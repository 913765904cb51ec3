import type { Role } from "@/lib/generated/prisma/enums";
import { ForbiddenError, UnauthorizedError } from "./errors";
import type { CredentialPrincipal, Principal, UserPrincipal } from "./principal";

/** The organization every query of this request is scoped to. */
export function orgOf(p: Principal): string {
  if (p.type === "anonymous") throw new UnauthorizedError("Authentication required");
  if (!p.organizationId) throw new ForbiddenError("No active organization");
  return p.organizationId;
}

export function userOf(p: Principal): UserPrincipal {
  if (p.type !== "user") throw new UnauthorizedError("Sign in with a passkey or wallet to use this endpoint");
  return p;
}

export function roleOf(p: Principal): Role {
  const u = userOf(p);
  if (!u.role) throw new ForbiddenError("No active organization");
  return u.role;
}

export function credentialOf(p: Principal): CredentialPrincipal {
  if (p.type !== "credential") throw new UnauthorizedError("An API key is required");
  return p;
}
