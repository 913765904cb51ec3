import { getAddress } from "viem";
import { agentForNew } from "@/lib/agents/registry";
import { recordAudit, type AuditContext } from "@/lib/audit/record";
import { env } from "@/lib/config/env";
import type { Db, DbOrTx } from "@/lib/db/client";
import { BadRequestError, ConflictError, GoneError, NotFoundError, ServiceUnavailableError } from "@/lib/http/errors";
import { newId } from "@/lib/approvals/ids";
import { callTurnkey, providerClient } from "./client";
import { turnkeyConfig } from "./config";
import { COMPRESSED_P256, turnkeyId } from "./ids";
import { setupStatusAt } from "./state";

/** How long a member has to open the setupUrl and create the wallet (project choice; the seed gives none). */
export const SETUP_TTL_MS = 60 * 60_000;

/** What the policy lets through only with both votes: the agent's and the provider's. */
export const SIGN_ACTIVITY = "ACTIVITY_TYPE_SIGN_TRANSACTION_V2";

export type SetupRow = {
  id: string;
  organizationId: string;
  agentPublicKey: string;
  agentLabel: string | null;
  providerPublicKey: string;
  status: string;
  subOrganizationId: string | null;
  walletAddress: string | null;
  agentUserId: string | null;
  providerUserId: string | null;
  policyIds: string[];
  approvalAgentId: string | null;
  expiresAt: Date;
  completedAt: Date | null;
};

export function setupUrl(id: string): string {
  return `${env().origin}/turnkey/setup/${encodeURIComponent(id)}`;
}

/** seed 004's TurnkeySetupSession (pure but for the origin in setupUrl). */
export function setupSessionJson(r: SetupRow, now = new Date()) {
  const status = setupStatusAt(r, now);
  const base = { setupSessionId: r.id, status, agentPublicKey: r.agentPublicKey, agentLabel: r.agentLabel, providerPublicKey: r.providerPublicKey, expiresAt: r.expiresAt.getTime() };
  if (status === "pending") return { ...base, setupUrl: setupUrl(r.id), completedAt: null };
  if (status === "expired") return { ...base, completedAt: null };
  return {
    ...base,
    subOrganizationId: r.subOrganizationId!,
    walletAddress: getAddress(r.walletAddress!),
    agentUserId: r.agentUserId!,
    providerUserId: r.providerUserId!,
    policyIds: r.policyIds,
    completedAt: r.completedAt?.getTime() ?? null,
  };
}

/** POST /api/turnkey/hfa/setup-sessions: nothing is created at Turnkey until a member opens the setupUrl. */
export async function createSetupSession(db: DbOrTx, organizationId: string, body: { agentPublicKey: string; agentLabel?: string }, now = new Date()) {
  const cfg = turnkeyConfig();
  if (!COMPRESSED_P256.test(body.agentPublicKey)) {
    throw new BadRequestError("agentPublicKey must be a compressed P-256 public key in hex (66 characters, prefix 02 or 03)", [{ field: "body.agentPublicKey", message: "Not a compressed P-256 public key" }]);
  }
  if (body.agentPublicKey.toLowerCase() === cfg.apiPublicKey) throw new BadRequestError("agentPublicKey is the provider's own key; the agent needs its own Turnkey API key", [{ field: "body.agentPublicKey", message: "The provider's key" }]);
  const label = body.agentLabel?.trim() ? body.agentLabel.trim().slice(0, 100) : null;
  const row = await db.turnkeySetupSession.create({
    data: {
      id: turnkeyId("tks"),
      organizationId,
      agentPublicKey: body.agentPublicKey.toLowerCase(),
      agentLabel: label,
      providerPublicKey: cfg.apiPublicKey,
      status: "pending",
      policyIds: [],
      expiresAt: new Date(now.getTime() + SETUP_TTL_MS),
      createdAt: now,
    },
  });
  return setupSessionJson(row, now);
}

export async function getSetupSession(db: DbOrTx, organizationId: string, id: string) {
  const row = await db.turnkeySetupSession.findFirst({ where: { id, organizationId } });
  if (!row) throw new NotFoundError("Setup session not found");
  return setupSessionJson(row);
}

const ETH_ACCOUNT = { curve: "CURVE_SECP256K1", pathFormat: "PATH_FORMAT_BIP32", path: "m/44'/60'/0'/0/0", addressFormat: "ADDRESS_FORMAT_ETHEREUM" } as const;

function completed<T>(activity: { status: string; id: string }, pick: () => T | undefined, what: string): T {
  const value = activity.status === "ACTIVITY_STATUS_COMPLETED" ? pick() : undefined;
  if (value === undefined) throw new ServiceUnavailableError(`Turnkey ${what} did not complete (activity ${activity.id} is ${activity.status})`);
  return value;
}

/**
 * The setupUrl page's action (a signed-in member): creates at Turnkey the sub-organization whose
 * root user is the provider's API key (root quorum 1), an Ethereum wallet, the agent as a non-root
 * user with its API key, and the policy that lets a transaction be signed only with both the
 * agent's and the provider's approval; then pairs the wallet (seed 004 agent, mode "turnkey").
 */
export async function completeSetupSession(db: Db, input: { organizationId: string; userId: string; id: string; audit: AuditContext }, now = new Date()) {
  const row = await db.turnkeySetupSession.findFirst({ where: { id: input.id, organizationId: input.organizationId } });
  if (!row) throw new NotFoundError("Setup session not found");
  if (row.status === "completed") return setupSessionJson(row, now);
  if (row.expiresAt <= now) throw new GoneError("This setup session expired; the agent starts a new one");
  const cfg = turnkeyConfig();
  const claimed = await db.turnkeySetupSession.updateMany({ where: { id: row.id, status: "pending" }, data: { status: "creating" } });
  if (claimed.count !== 1) throw new ConflictError("This setup session is being completed right now");
  try {
    const client = providerClient(cfg);
    const name = row.agentLabel ?? `agent ${row.agentPublicKey.slice(0, 10)}`;
    const sub = await callTurnkey("create_sub_organization", () =>
      client.createSubOrganization({
        type: "ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V8",
        timestampMs: String(Date.now()),
        organizationId: cfg.organizationId,
        parameters: {
          subOrganizationName: `Countersign ${input.organizationId.slice(0, 8)} ${name}`,
          rootUsers: [{ userName: "Countersign provider", apiKeys: [{ apiKeyName: "countersign-provider", publicKey: cfg.apiPublicKey, curveType: "API_KEY_CURVE_P256" }], authenticators: [], oauthProviders: [] }],
          rootQuorumThreshold: 1,
          wallet: { walletName: `Countersign ${name}`, accounts: [ETH_ACCOUNT] },
        },
      }),
    );
    const result = completed(sub.activity, () => sub.activity.result.createSubOrganizationResultV8, "create_sub_organization");
    const subOrganizationId = result.subOrganizationId;
    const walletAddress = result.wallet?.addresses[0];
    const providerUserId = result.rootUserIds?.[0];
    if (!walletAddress || !providerUserId) throw new ServiceUnavailableError("Turnkey create_sub_organization returned no wallet address or root user");
    const users = await callTurnkey("create_users", () =>
      client.createUsers({
        type: "ACTIVITY_TYPE_CREATE_USERS_V4",
        timestampMs: String(Date.now()),
        organizationId: subOrganizationId,
        parameters: { users: [{ userName: name, apiKeys: [{ apiKeyName: "agent", publicKey: row.agentPublicKey, curveType: "API_KEY_CURVE_P256" }], authenticators: [], oauthProviders: [], userTags: [] }] },
      }),
    );
    const agentUserId = completed(users.activity, () => users.activity.result.createUsersResult?.userIds[0], "create_users");
    const policy = await callTurnkey("create_policy", () =>
      client.createPolicy({
        type: "ACTIVITY_TYPE_CREATE_POLICY_V3",
        timestampMs: String(Date.now()),
        organizationId: subOrganizationId,
        parameters: {
          policyName: "Countersign: a human approves every transaction of the agent",
          effect: "EFFECT_ALLOW",
          consensus: `approvers.any(user, user.id == '${agentUserId}') && approvers.any(user, user.id == '${providerUserId}')`,
          condition: `activity.type == '${SIGN_ACTIVITY}'`,
          notes: `Countersign setup session ${row.id}`,
        },
      }),
    );
    const policyId = completed(policy.activity, () => policy.activity.result.createPolicyResult?.policyId, "create_policy");
    const wallet = getAddress(walletAddress);
    const chainId = (await db.network.findFirst({ where: { enabled: true }, orderBy: { chainId: "asc" }, select: { chainId: true } }))?.chainId ?? 1;

    return await db.$transaction(async (tx) => {
      const record = await agentForNew(tx, {
        organizationId: input.organizationId,
        field: "params.id",
        create: { name: `Agent ${row.agentLabel ?? wallet}`, ownerId: input.userId, identifiers: { agentAddress: wallet } },
        createdById: input.userId,
      });
      const agent = await tx.approvalAgent.create({ data: { id: newId("agt"), organizationId: input.organizationId, address: wallet, mode: "turnkey", chainId, agentRecordId: record.agent.id, createdById: input.userId } });
      const done = await tx.turnkeySetupSession.update({
        where: { id: row.id },
        data: { status: "completed", subOrganizationId, walletAddress: wallet, agentUserId, providerUserId, policyIds: [policyId], approvalAgentId: agent.id, completedById: input.userId, completedAt: now },
      });
      await recordAudit(tx, {
        organizationId: input.organizationId,
        actor: { type: "user", id: input.userId },
        action: "approval.turnkey_wallet_created",
        resourceType: "turnkey_setup_session",
        resourceId: row.id,
        details: { subOrganizationId, walletAddress: wallet, agentUserId, providerUserId, policyIds: [policyId], agentPublicKey: row.agentPublicKey },
        context: input.audit,
      });
      return setupSessionJson(done, now);
    });
  } catch (err) {
    await db.turnkeySetupSession.updateMany({ where: { id: row.id, status: "creating" }, data: { status: "pending" } });
    throw err;
  }
}
