/**
 * Plans and their limits (issue #18): the one file to change them. `null` is unlimited. A Stripe
 * price names its plan by its lookup key (or `metadata.plan`): `team`, `enterprise`.
 */
export type PlanLimits = {
  agents: number | null;
  signers: number | null;
  checksPerMonth: number | null;
  members: number | null;
  scim: boolean;
};

export const PLANS = {
  free: { agents: 3, signers: 2, checksPerMonth: 10_000, members: 5, scim: false },
  team: { agents: 50, signers: 50, checksPerMonth: 1_000_000, members: 50, scim: false },
  enterprise: { agents: null, signers: null, checksPerMonth: null, members: null, scim: true },
} as const satisfies Record<string, PlanLimits>;

export type PlanName = keyof typeof PLANS;
export const PLAN_NAMES = Object.keys(PLANS) as PlanName[];

export function isPlan(v: unknown): v is PlanName {
  return typeof v === "string" && Object.hasOwn(PLANS, v);
}

/** After a failed payment, how long the organization keeps its plan before it turns read-only for new agents and signers. */
export const GRACE_DAYS = 7;

/** Stripe subscription statuses that keep the plan; anything else (canceled, unpaid, incomplete_expired, …) is the free plan. */
export const PAYING_STATUSES = new Set(["active", "trialing", "past_due"]);
