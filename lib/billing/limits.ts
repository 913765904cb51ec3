import { env } from "@/lib/config/env";
import type { DbOrTx } from "@/lib/db/client";
import { ApiError, ForbiddenError } from "@/lib/http/errors";
import { isPlan, PAYING_STATUSES, PLANS, type PlanLimits, type PlanName } from "./plans";
import { checksThisMonth, grantChecks } from "./usage";

/**
 * What an organization's plan allows, and the checks the app makes before it grows: a new agent (on
 * every path that creates one), a new signer, a new member, SCIM, and the gateway's checks per month. Billing is on when STRIPE_WEBHOOK_SECRET is set; without it (a
 * self-hosted install) nothing is limited. Existing keys keep signing whatever the billing state:
 * only growth stops, so no money is stranded.
 */

export class PlanLimitError extends ApiError {
  constructor(message: string) {
    super(402, message, { code: "PLAN_LIMIT" });
  }
}

/** The one wording of a full plan, for every limit (each family shapes it: seed 002's is { error: { code: "PLAN_LIMIT", message } }). */
export function planLimitReached(plan: PlanName, limit: number, noun: string): PlanLimitError {
  return new PlanLimitError(`Plan limit reached: the ${plan} plan allows ${limit} ${noun}`);
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

export async function usageOf(db: DbOrTx, organizationId: string, now = new Date()) {
  const [agents, signers, members] = await Promise.all((["agents", "signers", "members"] as const).map((w) => countOf(db, organizationId, w)));
  return { agents: agents!, signers: signers!, members: members!, checksThisMonth: await checksThisMonth(db, organizationId, now) };
}

const NOUN: Record<Resource, string> = { agents: "agent", signers: "signer", members: "member" };

/**
 * Before adding `count` (default one) more agents, signers or members: 402 naming the limit when the
 * plan would be exceeded or payment is overdue. Every path that creates an Agent record calls it.
 */
export async function assertCanAdd(db: DbOrTx, organizationId: string, what: Resource, now = new Date(), count = 1) {
  if (!billingEnabled() || count <= 0) return;
  const s = await billingState(db, organizationId, now);
  if (s.readOnly && what !== "members") throw new PlanLimitError(`Payment overdue since the grace period ended on ${s.graceUntil!.toISOString()}: no new ${what} until the invoice is paid (existing keys keep signing)`);
  const limit = s.limits[what];
  if (limit === null) return;
  if ((await countOf(db, organizationId, what)) + count > limit) throw planLimitReached(s.plan, limit, limit === 1 ? NOUN[what] : what);
}

/**
 * The gateway's checks per month: grants up to `wanted` of the organization's remaining checks this
 * month (counted whatever the plan, unlimited without billing) with one upsert, and answers how many
 * were granted and the error for the others. In the batch's transaction the counter row stays locked
 * until commit, so concurrent instances cannot both take the last check.
 */
export async function admitChecks(db: DbOrTx, organizationId: string, wanted: number, now = new Date()): Promise<{ granted: number; refusal: PlanLimitError | null }> {
  const s = billingEnabled() ? await billingState(db, organizationId, now) : null;
  const limit = s ? s.limits.checksPerMonth : null;
  const granted = await grantChecks(db, organizationId, wanted, limit, now);
  return { granted, refusal: granted < wanted && s && limit !== null ? planLimitReached(s.plan, limit, "gateway checks per month") : null };
}

/** SCIM provisioning is part of some plans only. */
export async function assertScimIncluded(db: DbOrTx, organizationId: string) {
  if (!billingEnabled()) return;
  const s = await billingState(db, organizationId);
  if (!s.limits.scim) throw new ForbiddenError(`Plan limit: SCIM provisioning is not included in the ${s.plan} plan`);
}
