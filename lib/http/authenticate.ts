import { db } from "@/lib/db/client";
import { verifyCredential } from "@/lib/auth/credentials";
import { presentsSignedAgent, verifySignedAgent } from "@/lib/auth/signed-agent";
import { isPermission, roleCan } from "@/lib/auth/permissions";
import { readCookie, resolveSession, sessionCookieName } from "@/lib/auth/session";
import { env } from "@/lib/config/env";
import type { RouteContract } from "./contract";
import { ForbiddenError, UnauthorizedError } from "./errors";
import { acceptsAegisApiKey, type ApiFamily } from "./families";
import type { Principal } from "./principal";
import { verifyAgentToken } from "@/lib/agents/tokens/tokens";
import { accessOf, type Access } from "@/lib/auth/access-table";
import { isInstanceAdmin } from "@/lib/auth/instance-admin";
import type { VerifiedCredential } from "@/lib/auth/credentials";
import { credentialFailed } from "@/lib/security/credential-failures";

type PresentedKey = { token: string; header: "x-api-key" | "x-aegis-api-key" | "authorization" };

/**
 * The API key a request presents, in order: x-api-key, X-AEGIS-API-Key (seed 002's header, counted
 * only on aegis and hybrid routes), Authorization: Bearer.
 */
function presentedApiKey(req: Request, family: ApiFamily): PresentedKey | null {
  const header = req.headers.get("x-api-key");
  if (header) return { token: header.trim(), header: "x-api-key" };
  const aegis = req.headers.get("x-aegis-api-key");
  if (aegis && acceptsAegisApiKey(family)) return { token: aegis.trim(), header: "x-aegis-api-key" };
  const auth = req.headers.get("authorization");
  if (auth?.toLowerCase().startsWith("bearer ")) return { token: auth.slice(7).trim(), header: "authorization" };
  return null;
}

/**
 * Which machine credentials an operation takes is the access table's word (lib/auth/access-table.ts),
 * whatever scopes the credential carries: a signer key only co-signs, a seed 004 agent key only
 * reaches its own pairing's routes. An operation missing from the table (only test probes: the
 * table test fails for a real one) takes organization keys and SCIM tokens by its contract alone,
 * never a signer or agent key.
 */
const UNLISTED: Access = { orgKey: "any", scim: true };

function refusedCredential(kind: VerifiedCredential["kind"], access: Access): string | null {
  switch (kind) {
    case "organization_key":
      if (access.orgKey !== undefined) return null;
      if (access.signerKey) return "Only a signer's API key can co-sign";
      if (access.agentKey) return "Use the agent token issued when the agent was paired (csa_…)";
      return "This endpoint does not accept organization API keys";
    case "signer_key":
      return access.signerKey ? null : "A signer key only co-signs as its own signer; this endpoint does not take it";
    case "agent_token":
      return access.agentKey ? null : "An agent key (csa_) only reaches its own pairing's approval requests; this endpoint does not take it";
    case "scim_token":
      return access.scim ? null : "A SCIM token only provisions users and groups";
  }
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Cookie-authenticated writes must come from our own origin. Browsers always send Origin on
 * cross-site POSTs, and SameSite=Lax plus the JSON content type already block form posts; this
 * closes the remaining gap (e.g. a sibling subdomain).
 */
function checkOrigin(req: Request) {
  if (!UNSAFE.has(req.method)) return;
  const origin = req.headers.get("origin");
  if (origin && origin !== env().origin && origin !== new URL(req.url).origin) throw new ForbiddenError("Cross-origin request refused");
}

/**
 * Authenticates a request in the modes the route accepts. A presented API key is decisive: if it is
 * invalid the request is refused even when a session cookie is also present.
 */
export async function authenticate(
  req: Request,
  contract: Pick<RouteContract, "method" | "path" | "auth" | "permission" | "requireOrganization" | "family" | "authMessages">,
  client: { ip: string | null; requestId: string | null } = { ip: null, requestId: null },
): Promise<Principal> {
  const modes = contract.auth;
  const family = contract.family ?? "v1";
  const invalid = contract.authMessages?.invalid ?? "Invalid or revoked API key";
  // A presented secret that does not verify is counted per address and logged (lib/security/credential-failures.ts).
  const failure = { ...client, method: req.method, route: contract.path };
  const agentToken = req.headers.get("x-aegis-agent-token");
  if (agentToken && modes.includes("agentToken")) {
    const v = await verifyAgentToken(db(), agentToken.trim()).catch(async (err: unknown) => {
      throw await credentialFailed(err, { header: "x-aegis-agent-token", token: agentToken.trim() }, failure);
    });
    if (contract.permission && !(v.scopes as string[]).includes(contract.permission)) throw new ForbiddenError(`Agent token lacks the "${contract.permission}" scope`);
    return { type: "agent", agentId: v.agentId, organizationId: v.organizationId, scopes: v.scopes, tokenId: v.jti };
  }
  if (modes.includes("signedAgent") && presentsSignedAgent(req)) {
    const agent = await verifySignedAgent(req);
    return { type: "signed_agent", agent, organizationId: agent.organizationId };
  }
  const key = presentedApiKey(req, family);
  if (key !== null && modes.includes("apiKey")) {
    const credential = await verifyCredential(db(), key.token);
    if (!credential) throw await credentialFailed(new UnauthorizedError(invalid), key, failure);
    // seed 002's header names an organization's key; signer keys and agent tokens keep their own headers.
    if (key.header === "x-aegis-api-key" && credential.kind !== "organization_key") throw new UnauthorizedError(invalid);
    // A SCIM token provisions users and nothing else; SCIM routes take nothing else (RFC 7644 §2, a bearer token).
    if ((credential.kind === "scim_token") !== (family === "scim") || (family === "scim" && key.header !== "authorization")) throw new UnauthorizedError(invalid);
    const refused = refusedCredential(credential.kind, accessOf(contract.method, contract.path) ?? UNLISTED);
    if (refused) throw new ForbiddenError(refused);
    if (contract.permission && !(credential.scopes.includes(contract.permission) || credential.scopes.includes("*"))) {
      throw new ForbiddenError(`API key lacks the "${contract.permission}" scope`);
    }
    return { type: "credential", credential, organizationId: credential.organizationId };
  }
  if (modes.includes("session")) {
    const session = await resolveSession(db(), readCookie(req.headers.get("cookie"), sessionCookieName()));
    if (session) {
      checkOrigin(req);
      if (accessOf(contract.method, contract.path)?.instanceAdmin && !isInstanceAdmin(session.user)) throw new ForbiddenError("Only an instance administrator can do this");
      const org = session.organization;
      if ((contract.requireOrganization || contract.permission) && !org) throw new ForbiddenError("No active organization");
      if (contract.permission && org && !roleCan(org.role, contract.permission)) {
        throw new ForbiddenError(`Your role (${org.role}) does not allow ${contract.permission}`);
      }
      return { type: "user", session, userId: session.user.id, organizationId: org?.id ?? null, role: org?.role ?? null };
    }
  }
  if (modes.includes("public")) return { type: "anonymous" };
  if (key !== null) throw new UnauthorizedError("This endpoint does not accept API keys");
  if (agentToken) throw new UnauthorizedError("This endpoint does not accept X-AEGIS-Agent-Token");
  if (req.headers.has("x-aegis-api-key")) throw new UnauthorizedError("This endpoint does not accept X-AEGIS-API-Key; send the key as x-api-key or Authorization: Bearer");
  throw new UnauthorizedError(contract.authMessages?.missing ?? "Authentication required");
}

export function assertPermissionName(p: string | undefined) {
  if (p !== undefined && !isPermission(p)) throw new Error(`Unknown permission ${p}`);
}
