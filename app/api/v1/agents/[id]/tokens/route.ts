import { mintAgentToken as contract } from "@/lib/api/agents";
import { getAgentRow } from "@/lib/agents/registry";
import { requireActive } from "@/lib/agents/model";
import { grantScopes, tokenTtl } from "@/lib/agents/tokens/claims";
import { mintAgentToken } from "@/lib/agents/tokens/tokens";
import { roleCan, type Permission } from "@/lib/auth/permissions";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { ForbiddenError } from "@/lib/http/errors";
import { handle } from "@/lib/http/handle";
import { actorOf, type Principal } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";

/** What the requester may hand on: a member's role, an API key's scopes. */
function holds(principal: Principal): (p: Permission) => boolean {
  if (principal.type === "user") return (p) => principal.role !== null && roleCan(principal.role, p);
  if (principal.type === "credential") return (p) => principal.credential.scopes.includes(p) || principal.credential.scopes.includes("*");
  return () => false;
}

export const POST = handle(contract, async ({ params, body, principal, ctx }) => {
  const organizationId = orgOf(principal);
  const agent = await getAgentRow(db(), organizationId, params.id);
  requireActive(agent.status);
  const { granted, refused } = grantScopes(body.scopes, holds(principal));
  if (refused.length) throw new ForbiddenError(`You cannot grant scopes you do not hold: ${refused.join(", ")}`);
  if (!granted.length) throw new ForbiddenError("You hold none of the agent-token scopes");
  const minted = await mintAgentToken(db(), { agentId: agent.id, organizationId, scopes: granted, ttlSeconds: tokenTtl(body.ttlSeconds) });
  await recordAudit(db(), {
    organizationId,
    actor: actorOf(principal),
    action: "agent.token_issued",
    resourceType: "agent",
    resourceId: agent.id,
    details: { kid: minted.kid, jti: minted.jti, scopes: minted.scopes, expiresAt: minted.expiresAt.toISOString() },
    context: ctx,
  });
  return { status: 201, body: { token: minted.token, expiresAt: minted.expiresAt.toISOString(), scopes: minted.scopes, kid: minted.kid } };
});
