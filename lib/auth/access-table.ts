import type { Role } from "@/lib/generated/prisma/enums";
import { roleCan, type Permission } from "./permissions";

/**
 * Who may call what (issue #12, least privilege): one row per API operation (method + OpenAPI path
 * template, exactly the operations of GET /openapi.json), naming every kind of principal that may
 * call it. This is the one place; the rest follows from it:
 *
 * - `authenticate()` (lib/http/authenticate.ts) reads it to decide which machine credentials an
 *   operation takes: an organization key, a signer key or a seed 004 agent key is refused (403) on
 *   an operation whose row does not name it, whatever scopes it carries.
 * - tests/auth/access-table.test.ts fails when an operation has no row (or a row no operation), and
 *   when a contract's `auth` / `permission` (lib/api) says anything else than its row.
 * - tests/auth/access-matrix.test.ts calls every operation as every principal and expects exactly
 *   what the row says; `npx tsx tools/gen-access-table.ts` writes the rendered table into README.
 *
 * Columns:
 * - `session`: a dashboard session; the permission its role must hold (lib/auth/permissions.ts:
 *   owner and admin hold all, approver reads and decides, viewer reads), or "any" for any signed-in user.
 * - `orgKey`: an organization API key (cso_) carrying that scope, or "any" for any organization key.
 * - `signerKey`: a signer key (css_, scope `sign`); it acts only as its own signer (the signer is
 *   the key's subject, lib/signing/agent-principal.ts), never names another.
 * - `agentKey`: a seed 004 pairing token (csa_, scope `approvals:read`); it sees and submits only
 *   its own pairing's requests (lib/approvals/agents.ts `agentOf`).
 * - `agentToken`: an agent token (X-AEGIS-Agent-Token JWT, lib/agents/tokens) with that scope; it
 *   reads only its own agent (`assertActsAs`).
 * - `scim`: a SCIM token (csm_), SCIM routes only. `signedAgent`: a seed 003 signed request.
 * - `ceremonyToken`: a key-generation ceremony's agent token (csj_, Authorization: Bearer), checked by
 *   the handler (lib/signing/agent-join.ts), for that one ceremony; the contract says `public`.
 *   (POST /api/v1/dkg/join is open to anyone: the one-time invitation in its body is the proof.)
 * - `anonymous`: no credentials at all.
 * - `instanceAdmin`: a dashboard session of an instance administrator (lib/auth/instance-admin.ts:
 *   a verified e-mail listed in INSTANCE_ADMIN_EMAILS), whatever role they hold in their organization.
 *   Instance-wide operations (reviewing seed 001 operator applications) take nothing else: an
 *   organization's owner is refused. authenticate() checks it after the session.
 *
 * Decisions for the machine principals (everything not listed is refused):
 * - signer keys: the co-signing routes (/api/v1/sign*, /api/v1/signer*) for their own signer, and
 *   the installation's network list (the CLI looks up RPC URLs there; it holds no organization data).
 * - seed 004 agent keys: the agent side of seed 004 (/api/pairing-info, /api/drafts, /api/requests*)
 *   for their own pairing only. Not the paired-agent list, the approval settings or the clear-signing
 *   descriptors: the server clear-signs an agent's drafts itself (lib/approvals/drafts.ts), so the
 *   agent needs none of them.
 * - agent tokens: their own agent record (GET /api/v1/agents/{id}); seed 002's gateway as their own
 *   agent: POST /api/v1/check, its decision, and traces (never a review: no self-approval).
 */
export type Access = {
  session?: Permission | "any";
  orgKey?: Permission | "any";
  signerKey?: true;
  agentKey?: true;
  agentToken?: Permission;
  scim?: true;
  signedAgent?: true;
  ceremonyToken?: true;
  anonymous?: true;
  instanceAdmin?: true;
};

export const ACCESS_TABLE: Readonly<Record<string, Access>> = {
  "GET /.well-known/jwks.json": { anonymous: true },
  "GET /.well-known/llms.txt": { anonymous: true },
  "GET /.well-known/a2a/{agentId}": { anonymous: true },
  "GET /.well-known/self-agent-id.json": { anonymous: true },
  "GET /.well-known/agent-card.json": { anonymous: true },
  "GET /.well-known/agent-card-jwks.json": { anonymous: true },
  "POST /api/a2a": { signedAgent: true, anonymous: true },
  "POST /api/demo/verify": { signedAgent: true },
  "POST /api/demo/agent-to-agent": { signedAgent: true },
  "POST /api/demo/census": { signedAgent: true },
  "GET /api/demo/census": { signedAgent: true },
  "POST /api/demo/chat": { signedAgent: true, anonymous: true },
  "POST /api/demo/chain-verify": { signedAgent: true },
  "POST /api/demo/chain-verify-ed25519": { signedAgent: true },
  "GET /api/agent/info/{chainId}/{agentId}": { anonymous: true },
  "GET /api/agent/agents/{chainId}/{address}": { anonymous: true },
  "GET /api/agent/verify/{chainId}/{agentId}": { anonymous: true },
  "GET /api/agent/agents-by-nullifier/{chainId}/{nullifier}": { anonymous: true },
  "POST /api/agent/register": { anonymous: true },
  "GET /api/agent/register/status": { anonymous: true },
  "GET /api/agent/register/qr": { anonymous: true },
  "POST /api/agent/register/callback": { anonymous: true },
  "GET /api/agent/register/export": { anonymous: true },
  "POST /api/agent/identify": { anonymous: true },
  "GET /api/agent/identify/status": { anonymous: true },
  "POST /api/agent/identify/callback": { anonymous: true },
  "POST /api/agent/refresh": { anonymous: true },
  "GET /api/agent/refresh/status": { anonymous: true },
  "POST /api/agent/refresh/callback": { anonymous: true },
  "POST /api/agent/deregister": { anonymous: true },
  "GET /api/agent/deregister/status": { anonymous: true },
  "POST /api/agent/deregister/callback": { anonymous: true },
  "POST /api/aa/token": { session: "any", anonymous: true },
  "POST /api/aa/bundler": { anonymous: true },
  "POST /api/aa/paymaster": { anonymous: true },
  "GET /api/cards/{chainId}/{agentId}": { anonymous: true },
  "GET /api/reputation/{chainId}/{agentId}": { anonymous: true },
  "GET /api/verify-status/{chainId}/{agentId}": { anonymous: true },
  "GET /{path}": { anonymous: true },
  "GET /api/{path}": { anonymous: true },
  "GET /api/devices": { session: "approvals:read" },
  "POST /api/devices": { session: "approvals:read" },
  "DELETE /api/devices/{id}": { session: "approvals:read" },
  "POST /api/drafts": { agentKey: true },
  "GET /api/health": { anonymous: true },
  "GET /api/notifications": { session: "approvals:read" },
  "GET /api/notifications/{id}": { session: "approvals:read" },
  "GET /api/pairing-info": { session: "approvals:read", agentKey: true },
  "GET /api/requests": { session: "approvals:read", agentKey: true },
  "POST /api/requests": { agentKey: true },
  "GET /api/requests/{id}": { session: "approvals:read", agentKey: true },
  "POST /api/responses": { session: "approvals:decide" },
  "POST /api/turnkey/hfa/setup-sessions": { session: "signers:manage", orgKey: "signers:manage" },
  "GET /api/turnkey/hfa/setup-sessions/{id}": { session: "approvals:read", orgKey: "approvals:read" },
  "POST /api/turnkey/drafts": { orgKey: "approvals:read" },
  "POST /api/turnkey/requests": { orgKey: "approvals:read" },
  "GET /api/turnkey/requests/{id}": { session: "approvals:read", orgKey: "approvals:read" },
  "GET /api/v1/{path}": { anonymous: true },
  "GET /api/v1/anomalies": { session: "gateway:review", orgKey: "gateway:review" },
  "POST /api/v1/check": { session: "gateway:check", orgKey: "gateway:check", agentToken: "gateway:check" },
  "PATCH /api/v1/check/{id}": { session: "gateway:review", orgKey: "gateway:review" },
  "GET /api/v1/check/{id}/decision": { session: "gateway:check", orgKey: "gateway:check", agentToken: "gateway:check" },
  "GET /api/v1/gateway/agents/{id}/tools": { session: "gateway:check", orgKey: "gateway:check", agentToken: "gateway:check" },
  "PUT /api/v1/gateway/agents/{id}/tools": { session: "gateway:admin", orgKey: "gateway:admin" },
  "GET /api/v1/gateway/checks": { session: "agents:read", orgKey: "agents:read" },
  "POST /api/v1/gateway/policies/backtest": { session: "policies:read", orgKey: "policies:read" },
  "GET /api/v1/gateway/checks/{id}": { session: "gateway:review", orgKey: "gateway:review" },
  "GET /api/v1/gateway/settings": { session: "agents:read", orgKey: "agents:read" },
  "PATCH /api/v1/gateway/settings": { session: "gateway:admin", orgKey: "gateway:admin" },
  "GET /api/v1/gateway/stats": { session: "agents:read", orgKey: "agents:read" },
  "GET /api/v1/policies": { session: "policies:read", orgKey: "policies:read" },
  "POST /api/v1/policies": { session: "policies:manage", orgKey: "policies:manage" },
  "GET /api/v1/traces": { session: "gateway:check", orgKey: "gateway:check", agentToken: "gateway:check" },
  "POST /api/v1/traces": { orgKey: "gateway:check", agentToken: "gateway:check" },
  "GET /api/v1/agents": { session: "agents:read", orgKey: "agents:read" },
  "POST /api/v1/agents": { session: "agents:manage", orgKey: "agents:manage" },
  "DELETE /api/v1/agents/{id}": { session: "agents:manage", orgKey: "agents:manage" },
  "GET /api/v1/agents/{id}": { session: "agents:read", orgKey: "agents:read", agentToken: "agents:read" },
  "GET /api/v1/agents/{id}/identity": { session: "agents:read", orgKey: "agents:read" },
  "POST /api/v1/agents/{id}/identity/sessions": { session: "agents:manage", orgKey: "agents:manage" },
  "POST /api/v1/identity/mock-passport": { session: "any" },
  "POST /api/v1/identity/mock-passport/challenge": { session: "any" },
  "PATCH /api/v1/agents/{id}": { session: "agents:manage", orgKey: "agents:manage" },
  "POST /api/v1/agents/{id}/pause": { session: "agents:manage", orgKey: "agents:manage" },
  "POST /api/v1/agents/{id}/resume": { session: "agents:manage", orgKey: "agents:manage" },
  "PUT /api/v1/agents/{id}/signers/{signerId}": { session: "agents:manage", orgKey: "agents:manage" },
  "POST /api/v1/agents/{id}/tokens": { session: "agents:manage", orgKey: "agents:manage" },
  "GET /api/v1/api-keys": { session: "api_keys:manage" },
  "POST /api/v1/api-keys": { session: "api_keys:manage" },
  "DELETE /api/v1/api-keys/{id}": { session: "api_keys:manage" },
  "GET /api/v1/api-keys/scopes": { session: "any" },
  "GET /api/v1/approvals/agents": { session: "approvals:read", orgKey: "approvals:read" },
  "POST /api/v1/approvals/agents": { session: "signers:manage" },
  "POST /api/v1/approvals/challenge": { session: "approvals:decide" },
  "GET /api/v1/approvals/inbox": { session: "approvals:read" },
  "GET /api/v1/approvals/inbox/{notificationId}": { session: "approvals:read" },
  "GET /api/v1/approvals/settings": { session: "approvals:read", orgKey: "approvals:read" },
  "POST /api/v1/approvals/turnkey/setup-sessions/{id}/complete": { session: "signers:manage" },
  "PATCH /api/v1/approvals/settings": { session: "policies:manage" },
  "GET /api/v1/audit-log": { session: "audit:read", orgKey: "audit:read" },
  "GET /api/v1/audit-log/export": { session: "audit:read", orgKey: "audit:read" },
  "POST /api/v1/auth/logout": { session: "any", anonymous: true },
  "GET /api/v1/auth/me": { session: "any" },
  "POST /api/v1/auth/passkey/login": { anonymous: true },
  "POST /api/v1/auth/passkey/login-challenge": { anonymous: true },
  "POST /api/v1/auth/passkey/register": { session: "any", anonymous: true },
  "POST /api/v1/auth/register": { anonymous: true },
  "POST /api/v1/auth/siwe/nonce": { anonymous: true },
  "POST /api/v1/auth/siwe/verify": { anonymous: true },
  "POST /api/v1/auth/switch-organization": { session: "any" },
  "POST /api/v1/auth/verify-email": { session: "any" },
  "POST /api/v1/auth/verify-email/resend": { session: "any" },
  "GET /api/v1/clearsign/descriptors": { session: "approvals:read", orgKey: "approvals:read" },
  "POST /api/v1/clearsign/descriptors": { session: "signers:manage", orgKey: "signers:manage" },
  "DELETE /api/v1/clearsign/descriptors/{id}": { session: "signers:manage", orgKey: "signers:manage" },
  "GET /api/v1/contracts": { session: "signers:read", orgKey: "signers:read" },
  "POST /api/v1/contracts": { session: "signers:manage", orgKey: "signers:manage" },
  "DELETE /api/v1/contracts/{id}": { session: "signers:manage", orgKey: "signers:manage" },
  "GET /api/v1/dev/outbox": { session: "any", anonymous: true },
  "POST /api/v1/dkg/agent/confirm": { ceremonyToken: true },
  "POST /api/v1/dkg/agent/round": { ceremonyToken: true },
  "POST /api/v1/dkg/finalize": { session: "signers:manage" },
  "POST /api/v1/dkg/init": { session: "signers:manage" },
  "POST /api/v1/dkg/join": { anonymous: true },
  "GET /api/v1/dkg/profile": { session: "any", orgKey: "any" },
  "POST /api/v1/dkg/round": { session: "signers:manage" },
  "DELETE /api/v1/invitations/{id}": { session: "members:manage" },
  "GET /api/v1/members": { session: "org:read", orgKey: "org:read" },
  "POST /api/v1/members": { session: "members:manage" },
  "DELETE /api/v1/members/{userId}": { session: "members:manage" },
  "PATCH /api/v1/members/{userId}": { session: "members:manage" },
  "GET /api/v1/networks": { session: "any", orgKey: "any", signerKey: true },
  "GET /api/v1/organizations": { session: "any" },
  "POST /api/v1/organizations": { session: "any" },
  "GET /api/v1/passkeys": { session: "any" },
  "DELETE /api/v1/passkeys/{id}": { session: "any" },
  "PATCH /api/v1/passkeys/{id}": { session: "any" },
  "DELETE /api/v1/policies/{id}": { session: "policies:manage", orgKey: "policies:manage" },
  "PATCH /api/v1/policies/{id}": { session: "policies:manage", orgKey: "policies:manage" },
  "POST /api/v1/push/test": { session: "approvals:read" },
  "GET /api/v1/push/vapid-public-key": { anonymous: true },
  "GET /api/v1/security-events": { session: "org:manage" },
  "POST /api/v1/sign-message/complete": { signerKey: true },
  "POST /api/v1/sign-message/session": { signerKey: true },
  "POST /api/v1/sign/complete": { signerKey: true },
  "POST /api/v1/sign/round": { signerKey: true },
  "POST /api/v1/sign/session": { signerKey: true },
  "GET /api/v1/sign/session/{id}": { signerKey: true },
  "GET /api/v1/signer": { signerKey: true },
  "GET /api/v1/signer/balance": { signerKey: true },
  "GET /api/v1/signers": { session: "signers:read", orgKey: "signers:read" },
  "POST /api/v1/signers": { session: "signers:manage" },
  "DELETE /api/v1/signers/{id}": { session: "signers:manage" },
  "GET /api/v1/signers/{id}": { session: "signers:read", orgKey: "signers:read" },
  "PATCH /api/v1/signers/{id}": { session: "signers:manage" },
  "GET /api/v1/signers/{id}/balance": { session: "signers:read", orgKey: "signers:read" },
  "POST /api/v1/signers/{id}/fund": { session: "signers:manage" },
  "POST /api/v1/signers/{id}/pause": { session: "signers:manage" },
  "GET /api/v1/signers/{id}/policies": { session: "policies:read", orgKey: "policies:read" },
  "POST /api/v1/signers/{id}/policies": { session: "policies:manage", orgKey: "policies:manage" },
  "GET /api/v1/signers/{id}/policy": { session: "policies:read", orgKey: "policies:read" },
  "PUT /api/v1/signers/{id}/policy": { session: "policies:manage", orgKey: "policies:manage" },
  "POST /api/v1/signers/{id}/policy/activate": { session: "policies:manage", orgKey: "policies:manage" },
  "POST /api/v1/signers/{id}/policy/backtest": { session: "policies:read", orgKey: "policies:read" },
  "GET /api/v1/signers/{id}/policy/draft": { session: "policies:read", orgKey: "policies:read" },
  "PUT /api/v1/signers/{id}/policy/draft": { session: "policies:manage", orgKey: "policies:manage" },
  "GET /api/v1/signers/{id}/policy/history": { session: "policies:read", orgKey: "policies:read" },
  "POST /api/v1/signers/{id}/regenerate-key": { session: "signers:manage" },
  "POST /api/v1/signers/{id}/resume": { session: "signers:manage" },
  "POST /api/v1/signers/{id}/sign/complete": { session: "signers:manage" },
  "POST /api/v1/signers/{id}/sign/round": { session: "signers:manage" },
  "POST /api/v1/signers/{id}/sign/session": { session: "signers:manage" },
  "GET /api/v1/signers/{id}/sign/session/{sessionId}": { session: "signers:read" },
  "POST /api/v1/signers/{id}/simulate": { session: "signers:read", orgKey: "signers:read" },
  "GET /api/v1/signers/{id}/token-balances": { session: "signers:read", orgKey: "signers:read" },
  "GET /api/v1/signers/{id}/tokens": { session: "signers:read", orgKey: "signers:read" },
  "POST /api/v1/signers/{id}/tokens": { session: "signers:manage" },
  "DELETE /api/v1/signers/{id}/tokens/{tokenId}": { session: "signers:manage" },
  "GET /api/v1/signers/{id}/user-share": { session: "signers:manage" },
  "POST /api/v1/signers/{id}/user-share": { session: "signers:manage" },
  "GET /api/v1/signing-requests": { session: "approvals:read" },
  "GET /api/v1/signing-requests/{id}": { session: "approvals:read" },
  "POST /api/v1/signing-requests/{id}/approve": { session: "approvals:decide" },
  "POST /api/v1/signing-requests/{id}/reject": { session: "approvals:decide" },
  "GET /health": { anonymous: true },
  "GET /metrics": { anonymous: true },
  "GET /openapi.json": { anonymous: true },
  // MCP gateway (issue #13): check and wait_for_decision for an agent token (its own agent) or an organization key.
  "POST /mcp": { orgKey: "gateway:check", agentToken: "gateway:check" },
  "GET /mcp": { anonymous: true },
  "DELETE /mcp": { anonymous: true },
  "GET /ready": { anonymous: true },
  "GET /skill.md": { anonymous: true },
  "GET /skill/manifest.json": { anonymous: true },
  "GET /api/v1/transparency-log/size": { anonymous: true },
  "GET /api/v1/transparency-log/sth": { anonymous: true },
  "GET /api/v1/transparency-log/checkpoint": { anonymous: true },
  "GET /api/v1/transparency-log/proof/{leaf_index}": { anonymous: true },
  "GET /api/v1/transparency-log/consistency": { anonymous: true },
  "GET /api/v1/transparency-log/tile/{path}": { anonymous: true },
  "GET /api/v1/transparency-log/decisions/{id}": { session: "audit:read", orgKey: "audit:read" },
  // Seed 001 trust scores (issue #15): an organization key as Authorization: Bearer; an agent of
  // another organization is refused (403 "Forbidden: you do not own this agent") except its public score.
  "POST /apply": { anonymous: true },
  "POST /register": { orgKey: "trust:write" },
  "GET /score/{sid}": { orgKey: "trust:read" },
  "GET /score/{sid}/public": { anonymous: true },
  "GET /score/{sid}/badge.svg": { anonymous: true },
  "POST /transactions": { orgKey: "trust:write" },
  "POST /agents/{sid}/config": { orgKey: "trust:write" },
  "POST /agents/{sid}/verify": { orgKey: "trust:write" },
  "POST /agents/{sid}/verify/confirm": { orgKey: "trust:write" },
  "GET /report/{sid}": { orgKey: "trust:read" },
  "GET /me": { orgKey: "trust:read" },
  // An agent's trust score and configuration history (the agent page's chart).
  "GET /api/v1/agents/{id}/trust-history": { session: "agents:read", orgKey: "agents:read" },
  // Whether Countersign's own outcomes feed the organization's trust scores (lib/trust/evidence.ts).
  "GET /api/v1/trust/settings": { session: "trust:read", orgKey: "trust:read" },
  "PATCH /api/v1/trust/settings": { session: "org:manage" },
  // The instance admin's review of /apply applications (issue #15): instance-wide, no organization role reaches it.
  "GET /api/v1/admin/applications": { instanceAdmin: true },
  "POST /api/v1/admin/applications/{id}/approve": { instanceAdmin: true },
  "POST /api/v1/admin/applications/{id}/reject": { instanceAdmin: true },
  // Billing (issue #18): Stripe's webhook proves itself by its signature; the plan is read by members.
  "POST /api/v1/stripe/webhook": { anonymous: true },
  "GET /api/v1/billing": { session: "org:read" },
  // SCIM 2.0 (issue #18): a SCIM token and nothing else; its tokens and group mapping: owners only.
  "GET /scim/v2/Users": { scim: true },
  "POST /scim/v2/Users": { scim: true },
  "GET /scim/v2/Users/{id}": { scim: true },
  "PUT /scim/v2/Users/{id}": { scim: true },
  "PATCH /scim/v2/Users/{id}": { scim: true },
  "DELETE /scim/v2/Users/{id}": { scim: true },
  "POST /scim/v2/Users/.search": { scim: true },
  "GET /scim/v2/Groups": { scim: true },
  "POST /scim/v2/Groups": { scim: true },
  "GET /scim/v2/Groups/{id}": { scim: true },
  "PUT /scim/v2/Groups/{id}": { scim: true },
  "PATCH /scim/v2/Groups/{id}": { scim: true },
  "DELETE /scim/v2/Groups/{id}": { scim: true },
  "POST /scim/v2/Groups/.search": { scim: true },
  "POST /scim/v2/.search": { scim: true },
  "GET /scim/v2/ServiceProviderConfig": { scim: true },
  "GET /scim/v2/ResourceTypes": { scim: true },
  "GET /scim/v2/ResourceTypes/{id}": { scim: true },
  "GET /scim/v2/Schemas": { scim: true },
  "GET /scim/v2/Schemas/{id}": { scim: true },
  "GET /api/v1/scim/tokens": { session: "provisioning:manage" },
  "POST /api/v1/scim/tokens": { session: "provisioning:manage" },
  "DELETE /api/v1/scim/tokens/{id}": { session: "provisioning:manage" },
  "GET /api/v1/scim/groups": { session: "provisioning:manage" },
  "PUT /api/v1/scim/groups/{id}/role": { session: "provisioning:manage" },
};

export function accessKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

/** The row of an operation; undefined for an operation the table does not list (tests fail on it). */
export function accessOf(method: string, path: string): Access | undefined {
  return Object.hasOwn(ACCESS_TABLE, accessKey(method, path)) ? ACCESS_TABLE[accessKey(method, path)] : undefined;
}

/** The principals of the role × route table, in column order. */
export const PRINCIPAL_COLUMNS = ["owner", "admin", "approver", "viewer", "orgKey", "signerKey", "agentKey", "agentToken", "scim", "signedAgent", "ceremonyToken", "anonymous", "instanceAdmin"] as const;
export type PrincipalColumn = (typeof PRINCIPAL_COLUMNS)[number];
export const ROLES: readonly Role[] = ["owner", "admin", "approver", "viewer"];

/**
 * May this principal call the operation? For an organization key or an agent token the answer is
 * the scope it must carry (true: any); for the others a plain yes or no.
 */
export function allows(a: Access, who: PrincipalColumn): boolean | Permission {
  // A public operation is open to everyone, with or without credentials.
  if (a.anonymous) return true;
  switch (who) {
    case "owner":
    case "admin":
    case "approver":
    case "viewer":
      return a.session !== undefined && (a.session === "any" || roleCan(who, a.session));
    case "orgKey":
      return a.orgKey === undefined ? false : a.orgKey === "any" ? true : a.orgKey;
    case "agentToken":
      return a.agentToken ?? false;
    default:
      return a[who] === true;
  }
}

const HEADINGS: Record<PrincipalColumn, string> = {
  owner: "owner",
  admin: "admin",
  approver: "approver",
  viewer: "viewer",
  orgKey: "API key (scope)",
  signerKey: "signer key",
  agentKey: "agent key (csa_)",
  agentToken: "agent token (scope)",
  scim: "SCIM token",
  signedAgent: "signed agent",
  ceremonyToken: "ceremony token (csj_)",
  anonymous: "anonymous",
  instanceAdmin: "instance admin",
};

/** The table as Markdown, for README's "Roles and routes" (tools/gen-access-table.ts). */
export function renderAccessTable(): string {
  const head = `| operation | ${PRINCIPAL_COLUMNS.map((c) => HEADINGS[c]).join(" | ")} |`;
  const rule = `|---|${PRINCIPAL_COLUMNS.map(() => ":-:").join("|")}|`;
  const cell = (v: boolean | Permission) => (v === true ? "✓" : v === false ? "·" : `\`${v}\``);
  const rows = Object.entries(ACCESS_TABLE)
    .sort(([a], [b]) => a.split(" ")[1]!.localeCompare(b.split(" ")[1]!) || a.localeCompare(b))
    .map(([op, a]) => `| \`${op}\` | ${PRINCIPAL_COLUMNS.map((c) => cell(allows(a, c))).join(" | ")} |`);
  return [head, rule, ...rows].join("\n");
}

export const README_MARKERS = { start: "<!-- access-table:start (npx tsx tools/gen-access-table.ts) -->", end: "<!-- access-table:end -->" } as const;

/** README with the rendered table between its markers (which must be there). */
export function spliceAccessTable(readme: string): string {
  const i = readme.indexOf(README_MARKERS.start);
  const j = readme.indexOf(README_MARKERS.end);
  if (i < 0 || j < i) throw new Error("README.md lacks the access-table markers");
  return `${readme.slice(0, i + README_MARKERS.start.length)}\n${renderAccessTable()}\n${readme.slice(j)}`;
}
