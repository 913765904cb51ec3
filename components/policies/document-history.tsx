"use client";

import { describeError } from "../api/errors";
import { useDocumentHistory, type DocumentStatus, type DocumentView, type UserRef } from "../api/policies";
import { formatDateTime } from "../format/dates";
import { Badge, type BadgeTone } from "../ui/badge";
import { Card, CardBody, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { ErrorState } from "../ui/error-state";
import { SkeletonBlock } from "../ui/skeleton";

const STATUS: Record<DocumentStatus, { label: string; tone: BadgeTone }> = {
  active: { label: "Active", tone: "success" },
  draft: { label: "Draft", tone: "accent" },
  superseded: { label: "Superseded", tone: "neutral" },
};

function who(user: UserRef | null): string {
  return user?.email ?? (user ? `user ${user.id.slice(0, 8)}` : "an API key or the system");
}

function VersionItem({ version }: { version: DocumentView }) {
  const status = STATUS[version.status];
  return (
    <li className="py-3" data-testid={`history-v${version.version}`}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-semibold text-fg">Version {version.version}</span>
        <Badge tone={status.tone}>{status.label}</Badge>
      </div>
      <p className="mt-0.5 text-sm text-fg-muted">
        {version.activatedAt ? (
          <>
            Activated by {who(version.activatedBy)} on <time dateTime={version.activatedAt}>{formatDateTime(version.activatedAt)}</time>
            {version.supersededAt ? (
              <>
                ; replaced <time dateTime={version.supersededAt}>{formatDateTime(version.supersededAt)}</time>
              </>
            ) : null}
          </>
        ) : (
          <>
            Drafted by {who(version.createdBy)} on <time dateTime={version.createdAt}>{formatDateTime(version.createdAt)}</time>
          </>
        )}
      </p>
      {version.preview.length > 0 ? (
        <details className="mt-1">
          <summary className="cursor-pointer text-xs font-medium text-accent-soft-fg">
            {version.preview.length} rule{version.preview.length === 1 ? "" : "s"}
          </summary>
          <ol className="mt-1 list-decimal space-y-0.5 pl-5 text-sm text-fg">
            {version.preview.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ol>
        </details>
      ) : (
        <p className="mt-1 text-xs text-fg-muted">No rules: only the default action.</p>
      )}
    </li>
  );
}

export function DocumentHistoryCard({ organizationId, signerId }: { organizationId: string; signerId: string }) {
  const history = useDocumentHistory(organizationId, signerId);
  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>Version history</CardTitle>
          <CardDescription>Who activated which rules, and when. Old versions are kept.</CardDescription>
        </div>
      </CardHeader>
      <CardBody>
        {history.isPending ? <SkeletonBlock lines={4} label="Loading history" /> : null}
        {history.isError ? <ErrorState message={describeError(history.error)} onRetry={() => history.refetch()} /> : null}
        {history.data && history.data.length === 0 ? <p className="text-sm text-fg-muted">No versions yet. Save a draft to start.</p> : null}
        {history.data && history.data.length > 0 ? (
          <ul aria-label="Rules versions" className="divide-y divide-border">
            {history.data.map((version) => (
              <VersionItem key={version.id} version={version} />
            ))}
          </ul>
        ) : null}
      </CardBody>
    </Card>
  );
}
