"use client";

import { useQuery } from "@tanstack/react-query";
import { api } from "../api/client";
import { describeError } from "../api/errors";
import { formatDate } from "../format/dates";
import { Badge } from "../ui/badge";
import { Card, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { ErrorState } from "../ui/error-state";
import { SkeletonBlock } from "../ui/skeleton";

type Billing = {
  enabled: boolean;
  plan: string;
  status: string | null;
  currentPeriodEnd: string | null;
  graceUntil: string | null;
  readOnly: boolean;
  limits: { agents: number | null; signers: number | null; members: number | null; checksPerMonth: number | null; scim: boolean };
  usage: { agents: number; signers: number; members: number; checksThisMonth: number };
};

/** Settings → Billing: the plan, usage against its limits, and the subscription state. */
export function BillingPanel() {
  const q = useQuery({ queryKey: ["billing"], queryFn: ({ signal }) => api.get<Billing>("/api/v1/billing", signal) });
  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>Plan and usage</CardTitle>
          <CardDescription>Set by your Stripe subscription. Existing keys keep signing whatever the billing state; only new agents and signers stop.</CardDescription>
        </div>
      </CardHeader>
      <div className="space-y-4 p-4 sm:p-5">
        {q.isPending ? <SkeletonBlock lines={3} label="Loading billing" /> : null}
        {q.isError ? <ErrorState message={describeError(q.error)} onRetry={() => q.refetch()} /> : null}
        {q.isSuccess ? (
          <>
            {!q.data.enabled ? <p className="text-sm text-fg-muted">Billing is off on this installation: nothing is limited.</p> : null}
            <p className="flex flex-wrap items-center gap-2 text-sm">
              <span className="font-medium text-fg" data-testid="billing-plan">{q.data.plan}</span>
              {q.data.status ? <Badge tone={q.data.status === "active" || q.data.status === "trialing" ? "success" : "warning"}>{q.data.status}</Badge> : null}
              {q.data.currentPeriodEnd ? <span className="text-fg-muted">renews {formatDate(q.data.currentPeriodEnd)}</span> : null}
            </p>
            {q.data.graceUntil ? (
              <p role="status" className="rounded-md border border-border px-3 py-2 text-sm">
                {q.data.readOnly
                  ? `The payment is overdue: the grace period ended on ${formatDate(q.data.graceUntil)}. No new agents or signers until the invoice is paid; existing keys keep signing.`
                  : `A payment failed. Pay before ${formatDate(q.data.graceUntil)} (end of the grace period) to keep adding agents and signers.`}
              </p>
            ) : null}
            <ul className="grid gap-2 text-sm sm:grid-cols-2">
              {(["agents", "signers", "members"] as const).map((k) => (
                <li key={k} className="flex justify-between rounded-md border border-border px-3 py-2">
                  <span className="capitalize text-fg-muted">{k}</span>
                  <span className="font-medium text-fg">{q.data.usage[k]} / {q.data.limits[k] ?? "unlimited"}</span>
                </li>
              ))}
              <li className="flex justify-between rounded-md border border-border px-3 py-2">
                <span className="text-fg-muted">Gateway checks this month</span>
                <span className="font-medium text-fg" data-testid="billing-checks">{q.data.usage.checksThisMonth} / {q.data.limits.checksPerMonth ?? "unlimited"}</span>
              </li>
              <li className="flex justify-between rounded-md border border-border px-3 py-2">
                <span className="text-fg-muted">SCIM provisioning</span>
                <span className="font-medium text-fg">{q.data.limits.scim ? "included" : "not included"}</span>
              </li>
            </ul>
          </>
        ) : null}
      </div>
    </Card>
  );
}
