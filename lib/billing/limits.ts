import { env } from "@/lib/config/env";
import type { DbOrTx } from "@/lib/db/client";
import { ApiError, ForbiddenError } from "@/lib/http/errors";
import { isPlan, PAYING_STATUSES, PLANS, type PlanLimits, type PlanName } from "./plans";

/**
 * What an organization's plan allows, and the checks the app makes before it grows: a new agent, a
 * new signer, a new member, SCIM. Billing is on when STRIPE_WEBHOOK_SECRET is set; without it (a
 * self-hosted install) nothing is limited. Existing keys keep signing whatever the billing state:
 * only growth stops, so no money is stranded.
 */

export class PlanLimitError extends ApiError {
  constructor(message: string) {
    super(402, message, { code: "PLAN_LIMIT" });
  }
}

export function billingEnabled(): boolean {
  return Boolean(env().STRIPE_WEBHOOK_SECRET);
}

export type BillingState = {
  enabled: boolean;
  plan: PlanName;
  limits: PlanLimits;
  status: string | null;
  currentPeriodEnd: Date | null;
  graceUntil: Date | null;
  /** Past the grace period of a failed payment: no new agents or signers. */
  readOnly: boolean;
};

export async function billingState(db: DbOrTx, organizationId: string, now = new Date()): Promise<BillingState> {
  const row = await db.billingAccount.findUnique({ where: { organizationId } });
  const paying = row && isPlan(row.plan) && (row.status === null || PAYING_STATUSES.has(row.status));
  const plan: PlanName = paying && isPlan(row.plan) ? row.plan : "free";
  return {
    enabled: billingEnabled(),
    plan,
    limits: PLANS[plan],
    status: row?.status ?? null,
    currentPeriodEnd: row?.currentPeriodEnd ?? null,
    graceUntil: row?.graceUntil ?? null,
    readOnly: Boolean(row?.graceUntil && row.graceUntil <= now),
  };
}

export type Resource = "agents" | "signers" | "members";

async function countOf(db: DbOrTx, organizationId: string, what: Resource): Promise<number> {
  switch (what) {
    case "agents":
      return db.agent.count({ where: { organizationId, status: { not: "retired" } } });
    case "signers":
      return db.signer.count({ where: { organizationId, deletedAt: null } });
    case "members": {
      const [m, i] = await Promise.all([db.membership.count({ where: { organizationId } }), db.invitation.count({ where: { organizationId, acceptedAt: null } })]);
      return m + i;
    }
  }
}

export async function usageOf(db: DbOrTx, organizationId: string) {
  const [agents, signers, members] = await Promise.all((["agents", "signers", "members"] as const).map((w) => countOf(db, organizationId, w)));
  return { agents: agents!, signers: signers!, members: members! };
}

const NOUN: Record<Resource, string> = { agents: "agent", signers: "signer", members: "member" };

/** Before adding one more agent, signer or member: 402 naming the limit when the plan is full or payment is overdue. */
export async function assertCanAdd(db: DbOrTx, organizationId: string, what: Resource, now = new Date()) {
  if (!billingEnabled()) return;
  const s = await billingState(db, organizationId, now);
  if (s.readOnly && what !== "members") throw new PlanLimitError(`Payment overdue since the grace period ended on ${s.graceUntil!.toISOString()}: no new ${what} until the invoice is paid (existing keys keep signing)`);
  const limit = s.limits[what];
  if (limit === null) return;
  if ((await countOf(db, organizationId, what)) >= limit) throw new PlanLimitError(`Plan limit reached: the ${s.plan} plan allows ${limit} ${limit === 1 ? NOUN[what] : what}`);
}

/** SCIM provisioning is part of some plans only. */
export async function assertScimIncluded(db: DbOrTx, organizationId: string) {
  if (!billingEnabled()) return;
  const s = await billingState(db, organizationId);
  if (!s.limits.scim) throw new ForbiddenError(`Plan limit: SCIM provisioning is not included in the ${s.plan} plan`);
}
