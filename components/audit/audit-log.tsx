"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo } from "react";
import { api } from "../api/client";
import { describeError } from "../api/errors";
import type { AuditEvent, AuditPage } from "../api/types";
import { formatDateTime } from "../format/dates";
import { ListIcon } from "../icons";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { EmptyState } from "../ui/empty-state";
import { ErrorState } from "../ui/error-state";
import { SkeletonBlock } from "../ui/skeleton";
import { TBody, THead, Table, Td, Th, Tr } from "../ui/table";
import { AuditFilters } from "./audit-filters";
import { VerifyEvent } from "./transparency-log";
import { auditListPath, filterFromSearch, filterToSearch, isFiltered, type AuditFilterForm } from "./audit-filter";
import { actorLabel, describeAction, outcomeTone } from "./describe-action";

const PAGE_SIZE = 25;

function hasDetails(details: unknown): boolean {
  if (details === null || details === undefined) return false;
  if (typeof details === "object") return Object.keys(details).length > 0;
  return true;
}

function EventRow({ event }: { event: AuditEvent }) {
  return (
    <Tr>
      <Td label="Time" className="whitespace-nowrap text-fg-muted">
        <time dateTime={event.createdAt}>{formatDateTime(event.createdAt)}</time>
      </Td>
      <Td label="Event">
        <span className="min-w-0 text-right sm:text-left">
          <span className="block font-medium text-fg">{describeAction(event.action)}</span>
          <code className="block font-mono text-xs break-all text-fg-muted">{event.action}</code>
          {hasDetails(event.details) ? (
            <details className="mt-1 text-left">
              <summary className="cursor-pointer text-xs font-medium text-accent-soft-fg">Details</summary>
              <pre className="mt-1 max-w-[80vw] overflow-x-auto rounded-md bg-surface-muted p-2 font-mono text-xs text-fg sm:max-w-md">
                {JSON.stringify(event.details, null, 2)}
              </pre>
            </details>
          ) : null}
        </span>
      </Td>
      <Td label="Actor">
        <span className="min-w-0 text-right sm:text-left">
          <span className="block text-fg">{actorLabel(event.actor)}</span>
          <span className="block text-xs text-fg-muted">{event.actor.type}</span>
        </span>
      </Td>
      <Td label="Resource" className="text-fg-muted">
        {event.resourceType ? (
          <span className="min-w-0 text-right sm:text-left">
            <span className="block">{event.resourceType}</span>
            {event.resourceId ? <code className="block font-mono text-xs break-all">{event.resourceId}</code> : null}
          </span>
        ) : (
          "—"
        )}
      </Td>
      <Td label="Outcome">
        <Badge tone={outcomeTone(event.outcome)}>{event.outcome}</Badge>
      </Td>
      <Td label="IP" className="font-mono text-xs text-fg-muted">
        {event.ip ?? "—"}
      </Td>
      <Td label="Log">
        <VerifyEvent eventId={event.id} />
      </Td>
    </Tr>
  );
}

/** Audit pages for one filter; the key starts with "audit-log" so every invalidation of the log reaches it. */
function useFilteredAuditLog(organizationId: string, filter: AuditFilterForm) {
  return useInfiniteQuery({
    queryKey: ["audit-log", organizationId, "filtered", PAGE_SIZE, filter],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => api.get<AuditPage>(auditListPath(filter, PAGE_SIZE, pageParam), signal),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function AuditLog({ organizationId }: { organizationId: string }) {
  const searchParams = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const query = searchParams.toString();
  const filter = useMemo(() => filterFromSearch(new URLSearchParams(query)), [query]);
  const applyFilter = (next: AuditFilterForm) => {
    const search = filterToSearch(next).toString();
    router.replace(search ? `${pathname}?${search}` : pathname, { scroll: false });
  };

  return (
    <div className="space-y-4">
      <AuditFilters key={query} organizationId={organizationId} filter={filter} onApply={applyFilter} />
      <AuditEvents organizationId={organizationId} filter={filter} onClear={() => applyFilter({ action: "", resourceType: "", q: "", from: "", to: "", signer: "" })} />
    </div>
  );
}

function AuditEvents({ organizationId, filter, onClear }: { organizationId: string; filter: AuditFilterForm; onClear: () => void }) {
  const log = useFilteredAuditLog(organizationId, filter);

  const { data, error, isFetchNextPageError } = log;
  if (log.isPending) return <SkeletonBlock lines={8} label="Loading audit log" />;
  // A failed "load more" keeps the pages already shown; only a failed first page replaces the table.
  if (!data) return <ErrorState message={describeError(error)} onRetry={() => log.refetch()} />;

  const events = data.pages.flatMap((page) => page.items);
  if (events.length === 0) {
    return isFiltered(filter) ? (
      <EmptyState
        icon={<ListIcon className="size-5" />}
        title="No events match these filters"
        description="Widen the dates or clear a filter to see more."
        action={
          <Button variant="secondary" onClick={onClear}>
            Clear filters
          </Button>
        }
      />
    ) : (
      <EmptyState
        icon={<ListIcon className="size-5" />}
        title="No events yet"
        description="Sign-ins, API key changes, membership changes and signing decisions will be recorded here."
      />
    );
  }

  return (
    <div className="space-y-4">
      <Table aria-label="Audit events">
        <THead>
          <tr>
            <Th>Time</Th>
            <Th>Event</Th>
            <Th>Actor</Th>
            <Th>Resource</Th>
            <Th>Outcome</Th>
            <Th>IP</Th>
            <Th>Log</Th>
          </tr>
        </THead>
        <TBody>
          {events.map((event) => (
            <EventRow key={event.id} event={event} />
          ))}
        </TBody>
      </Table>
      {isFetchNextPageError ? <ErrorState message={describeError(error)} onRetry={() => log.fetchNextPage()} /> : null}
      <div className="flex items-center justify-between gap-4">
        <p className="text-sm text-fg-muted" aria-live="polite">
          Showing {events.length} event{events.length === 1 ? "" : "s"}
        </p>
        {log.hasNextPage ? (
          <Button variant="secondary" onClick={() => log.fetchNextPage()} loading={log.isFetchingNextPage}>
            Load more
          </Button>
        ) : (
          <p className="text-sm text-fg-muted">End of log</p>
        )}
      </div>
    </div>
  );
}
