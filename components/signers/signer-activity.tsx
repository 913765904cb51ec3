"use client";

import Link from "next/link";
import { describeError } from "../api/errors";
import { useSignerActivity } from "../api/signers";
import { actorLabel, describeAction, outcomeTone } from "../audit/describe-action";
import { formatDateTime } from "../format/dates";
import { Badge } from "../ui/badge";
import { Card, CardBody, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { ErrorState } from "../ui/error-state";
import { SkeletonBlock } from "../ui/skeleton";

const PAGE_SIZE = 20;

export function SignerActivityCard({ organizationId, signerId }: { organizationId: string; signerId: string }) {
  const log = useSignerActivity(organizationId, signerId, PAGE_SIZE);
  const events = log.data ?? [];

  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>Recent activity</CardTitle>
          <CardDescription>The latest {PAGE_SIZE} changes and signing events of this signer. The{" "}
            <Link href="/audit" className="text-accent-soft-fg underline underline-offset-4">
              audit log
            </Link>{" "}
            has the full history.</CardDescription>
        </div>
      </CardHeader>
      <CardBody>
        {log.isPending ? <SkeletonBlock lines={3} label="Loading activity" /> : null}
        {log.isError ? <ErrorState message={describeError(log.error)} onRetry={() => log.refetch()} /> : null}
        {log.isSuccess && events.length === 0 ? <p className="text-sm text-fg-muted">No recent activity.</p> : null}
        {events.length > 0 ? (
          <ol className="divide-y divide-border" aria-label="Signer activity">
            {events.map((event) => (
              <li key={event.id} className="flex flex-wrap items-center justify-between gap-2 py-2.5">
                <div className="min-w-0">
                  <p className="text-sm font-medium text-fg">{describeAction(event.action)}</p>
                  <p className="text-xs text-fg-muted">
                    {actorLabel(event.actor)} · <time dateTime={event.createdAt}>{formatDateTime(event.createdAt)}</time>
                  </p>
                </div>
                <Badge tone={outcomeTone(event.outcome)}>{event.outcome}</Badge>
              </li>
            ))}
          </ol>
        ) : null}
      </CardBody>
    </Card>
  );
}
