import type { Role } from "@/lib/generated/prisma/enums";
import type { VerifiedCredential } from "@/lib/auth/credentials";
import type { ActiveSession } from "@/lib/auth/session";
import type { AuditActor } from "@/lib/audit/record";

export type UserPrincipal = {
  type: "user";
  session: ActiveSession;
  userId: string;
  organizationId: string | null;
  role: Role | null;
};
export type CredentialPrincipal = { type: "credential"; credential: VerifiedCredential; organizationId: string };
export type AnonymousPrincipal = { type: "anonymous" };
export type Principal = UserPrincipal | CredentialPrincipal | AnonymousPrincipal;

export function actorOf(p: Principal): AuditActor {
  switch (p.type) {
    case "user":
      return { type: "user", id: p.userId, label: p.session.user.email ?? p.session.user.walletAddress ?? p.userId };
    case "credential":
      return { type: "credential", id: p.credential.id, label: `${p.credential.name} (${p.credential.prefix})` };
    case "anonymous":
      return { type: "anonymous" };
  }
}
