import { getBilling } from "@/lib/api/billing";
import { billingState, usageOf } from "@/lib/billing/limits";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";

export const GET = handle(getBilling, async ({ principal }) => {
  const organizationId = orgOf(principal);
  const [s, usage] = await Promise.all([billingState(db(), organizationId), usageOf(db(), organizationId)]);
  return {
    status: 200,
    body: { ...s, currentPeriodEnd: s.currentPeriodEnd?.toISOString() ?? null, graceUntil: s.graceUntil?.toISOString() ?? null, limits: { ...s.limits }, usage },
  };
});
