import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { db } from "@/lib/db/client";
import { loadOverview } from "@/lib/overview/load";
import { totals } from "@/lib/overview/aggregate";
import { CheckCircleIcon, KeyIcon, ListIcon, MonitorIcon } from "@/components/icons";
import { DecisionsChart, SpendChart } from "@/components/overview/activity-charts";
import { NetworkReachability, PushAndPrimes } from "@/components/overview/health";
import { Holdings } from "@/components/overview/holdings";
import { PendingList } from "@/components/overview/needs-you";
import { CardSection, OverviewCard } from "@/components/overview/overview-card";
import { SetupSteps } from "@/components/overview/setup-steps";
import { formatRelative } from "@/components/format/dates";
import { requireSession } from "@/components/session/require-session";
import { PageHeader } from "@/components/shell/page-header";
import { displayName } from "@/components/shell/user-display";
import { Skeleton } from "@/components/ui/skeleton";

export const metadata: Metadata = { title: "Overview" };

const link = "font-medium text-accent-soft-fg underline-offset-2 hover:underline";

export default async function OverviewPage() {
  const session = await requireSession("/");
  const organizationId = session.organization.id;
  const o = await loadOverview(db(), { organizationId, userId: session.user.id });
  const sum = totals(o.activity.decisions);
  const anyDecision = sum.allowed + sum.denied + sum.pending > 0;

  return (
    <>
      <PageHeader title={`Welcome, ${displayName(session.user)}`} description={`What needs you, what your agents hold and what they did in ${session.organization.name}.`} />
      <div className="space-y-6">
        <SetupSteps steps={o.setup} />
        <div className="grid min-w-0 gap-6 lg:grid-cols-2">
          <OverviewCard
            id="needs-you"
            title="Needs you now"
            description={o.needsYou.pending.length === 0 ? "Nothing is waiting." : `${o.needsYou.pending.length} waiting for a decision`}
            icon={<CheckCircleIcon className="size-4" />}
            href="/approvals"
            linkLabel="Open approvals"
          >
            <div className="space-y-4">
              <PendingList items={o.needsYou.pending} canDecide={session.organization.role !== "viewer"} />
              <p className="rounded-lg bg-surface-muted px-3 py-2 text-sm text-fg-muted" data-testid="devices-status">
                {o.needsYou.devices.mine > 0 ? (
                  <>
                    {o.needsYou.devices.mine} of your devices get approval pushes ({o.needsYou.devices.organization} in the organization).{" "}
                    <Link href="/settings/devices" className={link}>Manage devices</Link>
                  </>
                ) : (
                  <>
                    None of your devices is registered for approval pushes, so requests wait until you open this page.{" "}
                    <Link href="/settings/devices" className={link}>Register this device</Link>
                  </>
                )}
              </p>
            </div>
          </OverviewCard>

          <OverviewCard id="holdings" title="What your agents hold" description={o.prices ? "Balances per network and token, read live, valued with the configured prices." : "Balances per network and token, read live."} icon={<KeyIcon className="size-4" />} href="/signers" linkLabel="All signers">
            <Holdings organizationId={organizationId} networks={o.holdings} prices={o.prices} />
          </OverviewCard>

          <OverviewCard
            id="activity"
            title="What they did"
            description={anyDecision ? `${sum.allowed} allowed, ${sum.denied} denied, ${sum.pending} pending in the last 7 days` : "No decisions in the last 7 days."}
            icon={<ListIcon className="size-4" />}
            href="/audit"
            linkLabel="Open audit log"
            className="lg:col-span-2"
          >
            <div className="grid min-w-0 gap-6 lg:grid-cols-2">
              <CardSection title="Spend against limits">
                {o.activity.spend.length === 0 ? (
                  <p className="text-sm text-fg-muted" data-testid="spend-empty">
                    No daily or monthly limit is set. <Link href="/policies" className={link}>Add a limit</Link> so an agent cannot spend more than you meant.
                  </p>
                ) : (
                  <>
                    <SpendChart bars={o.activity.spend} />
                    <ul className="space-y-1 text-sm" aria-label="Spend per limit">
                      {o.activity.spend.map((b) => (
                        <li key={b.policyId} className="flex flex-wrap justify-between gap-x-3" data-testid="spend-row">
                          <Link href={`/signers/${b.signerId}/policies`} className="min-w-0 truncate text-fg underline-offset-2 hover:underline">
                            {b.signerName} · {b.window}
                          </Link>
                          <span className="font-mono text-fg-muted tabular-nums">
                            {b.used} of {b.limit} {b.symbol}
                          </span>
                        </li>
                      ))}
                    </ul>
                  </>
                )}
              </CardSection>
              <CardSection title="Decisions, last 7 days">
                {anyDecision ? (
                  <DecisionsChart days={o.activity.decisions} />
                ) : (
                  <p className="text-sm text-fg-muted">When agents sign or call tools, every allowed, denied and pending decision is counted here per day.</p>
                )}
              </CardSection>
              <CardSection title="Last denials" className="lg:col-span-2">
                {o.activity.denials.length === 0 ? (
                  <p className="text-sm text-fg-muted">Nothing was denied. Denials appear here with the rule that stopped them.</p>
                ) : (
                  <ul className="divide-y divide-border" aria-label="Last denials">
                    {o.activity.denials.map((d) => (
                      <li key={`${d.source}-${d.id}`} className="py-2 first:pt-0 last:pb-0" data-testid="denial">
                        <p className="flex flex-wrap items-baseline justify-between gap-x-3 text-sm">
                          <Link href={d.href} className="min-w-0 break-words font-medium text-fg underline-offset-2 hover:underline">
                            {d.subject}
                          </Link>
                          <time dateTime={d.at} className="shrink-0 text-xs text-fg-muted">
                            {formatRelative(d.at)}
                          </time>
                        </p>
                        <p className="break-words text-sm text-danger-soft-fg">{d.reason}</p>
                      </li>
                    ))}
                  </ul>
                )}
              </CardSection>
            </div>
          </OverviewCard>

          <OverviewCard id="health" title="Health" description="Networks, push delivery and the prime pool." icon={<MonitorIcon className="size-4" />} href="/settings/devices" linkLabel="Devices and push" className="lg:col-span-2">
            <div className="grid min-w-0 gap-6 md:grid-cols-3">
              <CardSection title="Networks">
                <Suspense fallback={<Skeleton className="h-8 w-full" />}>
                  <NetworkReachability />
                </Suspense>
              </CardSection>
              <PushAndPrimes health={o.health} />
            </div>
          </OverviewCard>
        </div>
      </div>
    </>
  );
}
