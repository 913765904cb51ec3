import type { Role } from "@/lib/generated/prisma/enums";
import type { VerifiedCredential } from "@/lib/auth/credentials";
import type { ActiveSession } from "@/lib/auth/session";
import type { AuditActor } from "@/lib/audit/record";
import type { SignedAgent } from "@/lib/auth/signed-agent";

export type UserPrincipal = {
  type: "user";
  session: ActiveSession;
  userId: string;
  organizationId: string | null;
  role: Role | null;
};
export type CredentialPrincipal = { type: "credential"; credential: VerifiedCredential; organizationId: string };
export type AnonymousPrincipal = { type: "anonymous" };
/** An agent token (X-AEGIS-Agent-Token): a short-lived JWT naming one agent (lib/agents/tokens). */
export type AgentPrincipal = { type: "agent"; agentId: string; organizationId: string; scopes: string[]; tokenId: string };
/** A request signed with seed 003's x-self-agent-* headers, verified by lib/auth/signed-agent.ts. */
export type SignedAgentPrincipal = { type: "signed_agent"; agent: SignedAgent; organizationId: string | null };
export type Principal = UserPrincipal | CredentialPrincipal | AgentPrincipal | SignedAgentPrincipal | AnonymousPrincipal;

export function actorOf(p: Principal): AuditActor {
  switch (p.type) {
    case "user":
      return { type: "user", id: p.userId, label: p.session.user.email ?? p.session.user.walletAddress ?? p.userId };
    case "credential":
      return { type: "credential", id: p.credential.id, label: `${p.credential.name} (${p.credential.prefix})` };
    case "agent":
      return { type: "credential", id: p.tokenId, label: `agent token of agent ${p.agentId}` };
    case "signed_agent":
      return { type: "anonymous", label: `signed agent ${p.agent.agentAddress}` };
    case "anonymous":
      return { type: "anonymous" };
  }
}
