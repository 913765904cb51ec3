"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { activeApiKeys, useApiKeys, useAuditLog, useMembers } from "../api/hooks";
import { describeError } from "../api/errors";
import { actorLabel, describeAction, outcomeTone } from "../audit/describe-action";
import { formatRelative } from "../format/dates";
import { KeyIcon, ListIcon, UsersIcon } from "../icons";
import { Badge } from "../ui/badge";
import { Card } from "../ui/card";
import { Skeleton } from "../ui/skeleton";

function StatCard({
  title,
  icon,
  href,
  linkLabel,
  children,
}: {
  title: string;
  icon: ReactNode;
  href: string;
  linkLabel: string;
  children: ReactNode;
}) {
  return (
    <Card className="flex flex-col p-5">
      <div className="flex items-center justify-between">
        <h2 className="text-sm font-medium text-fg-muted">{title}</h2>
        <span className="flex size-8 items-center justify-center rounded-lg bg-accent-soft text-accent-soft-fg">{icon}</span>
      </div>
      <div className="mt-3 flex-1">{children}</div>
      <Link href={href} className="mt-4 text-sm font-medium text-accent-soft-fg underline-offset-2 hover:underline">
        {linkLabel}
      </Link>
    </Card>
  );
}

function StatValue({ value, detail }: { value: number; detail: string }) {
  return (
    <>
      <p className="text-3xl font-semibold tracking-tight text-fg tabular-nums">{value}</p>
      <p className="mt-1 text-sm text-fg-muted">{detail}</p>
    </>
  );
}

function InlineError({ error }: { error: unknown }) {
  return (
    <p role="alert" className="text-sm text-danger-soft-fg">
      {describeError(error)}
    </p>
  );
}

function MembersStat({ organizationId }: { organizationId: string }) {
  const query = useMembers(organizationId);
  if (query.isPending) return <Skeleton className="h-14 w-24" />;
  if (query.isError) return <InlineError error={query.error} />;
  const pending = query.data.invitations.length;
  return (
    <StatValue
      value={query.data.members.length}
      detail={pending > 0 ? `${pending} invitation${pending === 1 ? "" : "s"} pending` : "No pending invitations"}
    />
  );
}

function ApiKeysStat({ organizationId }: { organizationId: string }) {
  const query = useApiKeys(organizationId);
  if (query.isPending) return <Skeleton className="h-14 w-24" />;
  if (query.isError) return <InlineError error={query.error} />;
  const active = activeApiKeys(query.data).length;
  const inactive = query.data.length - active;
  return <StatValue value={active} detail={inactive > 0 ? `active · ${inactive} revoked or expired` : "active"} />;
}

function RecentActivity({ organizationId }: { organizationId: string }) {
  const query = useAuditLog(organizationId, 5);
  if (query.isPending) {
    return (
      <div className="space-y-3" role="status" aria-label="Loading recent activity">
        <Skeleton className="h-10" />
        <Skeleton className="h-10" />
        <Skeleton className="h-10" />
      </div>
    );
  }
  if (query.isError) return <InlineError error={query.error} />;
  const items = query.data.pages[0]?.items ?? [];
  if (items.length === 0) return <p className="text-sm text-fg-muted">No activity recorded yet.</p>;
  return (
    <ul className="divide-y divide-border">
      {items.map((event) => (
        <li key={event.id} className="flex items-center justify-between gap-3 py-2.5 first:pt-0 last:pb-0">
          <div className="min-w-0">
            <p className="truncate text-sm font-medium text-fg">{describeAction(event.action)}</p>
            <p className="truncate text-xs text-fg-muted">
              <time dateTime={event.createdAt}>{formatRelative(event.createdAt)}</time> · {actorLabel(event.actor)}
            </p>
          </div>
          <Badge tone={outcomeTone(event.outcome)}>{event.outcome}</Badge>
        </li>
      ))}
    </ul>
  );
}

export function OverviewCards({ organizationId }: { organizationId: string }) {
  return (
    <div className="grid gap-4 lg:grid-cols-3">
      <StatCard title="Members" icon={<UsersIcon />} href="/settings/members" linkLabel="Manage members">
        <MembersStat organizationId={organizationId} />
      </StatCard>
      <StatCard title="API keys" icon={<KeyIcon />} href="/settings/api-keys" linkLabel="Manage API keys">
        <ApiKeysStat organizationId={organizationId} />
      </StatCard>
      <StatCard title="Recent activity" icon={<ListIcon />} href="/audit" linkLabel="Open audit log">
        <RecentActivity organizationId={organizationId} />
      </StatCard>
    </div>
  );
}
