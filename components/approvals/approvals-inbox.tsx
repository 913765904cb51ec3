"use client";

import Link from "next/link";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { decideSigningRequest, useApprovalsInbox, type ApprovalInboxItem, type InboxEntry, type SigningRequestView } from "../api/approvals";
import { describeError } from "../api/errors";
import { queryKeys } from "../api/query-keys";
import { auditLogPrefix } from "../api/signers";
import type { OrganizationRole } from "../api/types";
import { formatDateTime, formatRelative } from "../format/dates";
import { CheckCircleIcon, InboxIcon } from "../icons";
import { Badge } from "../ui/badge";
import { Button, buttonClasses } from "../ui/button";
import { Card } from "../ui/card";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { EmptyState } from "../ui/empty-state";
import { ErrorState } from "../ui/error-state";
import { SkeletonBlock } from "../ui/skeleton";
import { useToast } from "../ui/toast";
import { approvalAgentLabel, approvalDecisionText, approvalReasons, approvalStatusBadge, approvalValue, decisionLabel, describeSigningRequest, signingRequestValue } from "./approval-format";

/** Owners, admins and approvers hold `approvals:decide`. */
export function canDecideApprovals(role: OrganizationRole): boolean {
  return role === "owner" || role === "admin" || role === "approver";
}

type Decision = { item: SigningRequestView; action: "approve" | "reject" };

function PendingCard({ item, canDecide, onDecide }: { item: SigningRequestView; canDecide: boolean; onDecide: (action: "approve" | "reject") => void }) {
  const reasons = approvalReasons(item);
  return (
    <li>
      <Card className="p-4" data-testid={`approval-${item.id}`}>
        <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
          <div className="min-w-0 space-y-1">
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <Link href={`/signers/${encodeURIComponent(item.signerId)}`} className="font-semibold text-accent-soft-fg underline-offset-4 hover:underline">
                {item.signerName}
              </Link>
              <Badge tone="warning">Waiting for approval</Badge>
              <span className="text-fg-muted">
                <time dateTime={item.createdAt} title={formatDateTime(item.createdAt)}>
                  {formatRelative(item.createdAt)}
                </time>
              </span>
            </div>
            <p className="text-base font-medium break-words text-fg">{describeSigningRequest(item)}</p>
            <p className="text-sm text-fg-muted">
              <span className="font-medium text-fg">Value: </span>
              {signingRequestValue(item)}
            </p>
            <ul className="space-y-0.5 text-sm text-fg-muted">
              {reasons.map((reason, i) => (
                <li key={i}>
                  <span className="font-medium text-fg">Why: </span>
                  {reason}
                </li>
              ))}
            </ul>
            {item.expiresAt ? (
              <p className="text-xs text-fg-muted">
                Expires <time dateTime={item.expiresAt}>{formatRelative(item.expiresAt)}</time>
              </p>
            ) : null}
          </div>
          {canDecide ? (
            <div className="flex shrink-0 gap-2">
              <Button variant="secondary" onClick={() => onDecide("reject")}>
                Reject
              </Button>
              <Button onClick={() => onDecide("approve")}>Approve</Button>
            </div>
          ) : null}
        </div>
      </Card>
    </li>
  );
}

function DecidedRow({ item }: { item: SigningRequestView }) {
  const decision = decisionLabel(item);
  const who = item.decidedBy?.name ?? item.decidedBy?.email ?? "someone";
  return (
    <li className="flex flex-col gap-1 py-3 sm:flex-row sm:items-center sm:gap-4" data-testid={`decided-${item.id}`}>
      <Badge tone={decision.tone} className="self-start sm:self-auto">
        {decision.label}
      </Badge>
      <div className="min-w-0 flex-1">
        <p className="text-sm break-words text-fg">
          <span className="font-medium">{item.signerName}</span>: {describeSigningRequest(item)}
        </p>
        <p className="text-xs text-fg-muted">
          {signingRequestValue(item)} · by {who}
          {item.decidedAt ? (
            <>
              {" "}
              on <time dateTime={item.decidedAt}>{formatDateTime(item.decidedAt)}</time>
            </>
          ) : null}
        </p>
      </div>
    </li>
  );
}

function ApprovalPendingCard({ item }: { item: ApprovalInboxItem }) {
  const href = `/approvals/${encodeURIComponent(item.notificationId)}`;
  return (
    <li>
      <Card className="p-4" data-testid={`approval-ntf-${item.notificationId}`}>
        <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
          <div className="min-w-0 space-y-1">
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <span className="font-semibold break-words text-fg">{approvalAgentLabel(item)}</span>
              <Badge tone="warning">Waiting for approval</Badge>
              <span className="text-fg-muted">
                <time dateTime={item.createdAt} title={formatDateTime(item.createdAt)}>
                  {formatRelative(item.createdAt)}
                </time>
              </span>
            </div>
            <p className="text-base font-medium break-words text-fg">
              <Link href={href} className="underline-offset-4 hover:underline">
                {item.description}
              </Link>
            </p>
            <p className="text-sm text-fg-muted">
              <span className="font-medium text-fg">Value: </span>
              {approvalValue(item)}
              {item.intent.actions.length > 1 ? ` · ${item.intent.actions.length} actions` : ""}
              {item.mode === "relay" ? " · guardrail approval" : ""}
            </p>
          </div>
          <div className="flex shrink-0 gap-2">
            <Link href={href} className={buttonClasses("primary", "md")} aria-label={`Review: ${item.description}`}>
              Review
            </Link>
          </div>
        </div>
      </Card>
    </li>
  );
}

function ApprovalDecidedRow({ item }: { item: ApprovalInboxItem }) {
  const badge = approvalStatusBadge(item);
  const at = item.decision?.decidedAt ?? item.createdAt;
  return (
    <li className="flex flex-col gap-1 py-3 sm:flex-row sm:items-center sm:gap-4" data-testid={`approval-ntf-${item.notificationId}`}>
      <Badge tone={badge.tone} className="self-start sm:self-auto">
        {badge.label}
      </Badge>
      <div className="min-w-0 flex-1">
        <p className="text-sm break-words text-fg">
          <span className="font-medium">{approvalAgentLabel(item)}</span>:{" "}
          <Link href={`/approvals/${encodeURIComponent(item.notificationId)}`} className="underline-offset-4 hover:underline">
            {item.description}
          </Link>
        </p>
        <p className="text-xs text-fg-muted">
          {approvalValue(item)}
          {item.decision ? ` · ${approvalDecisionText(item.decision)}` : ""} on <time dateTime={at}>{formatDateTime(at)}</time>
        </p>
      </div>
    </li>
  );
}

/** A push or a decision made in the service worker refreshes the inbox at once. */
function useServiceWorkerRefresh(onMessage: () => unknown) {
  useEffect(() => {
    const sw = typeof navigator !== "undefined" ? navigator.serviceWorker : undefined;
    if (!sw) return;
    const handler = (e: MessageEvent) => {
      if ((e.data as { notificationId?: string } | null)?.notificationId) onMessage();
    };
    sw.addEventListener("message", handler);
    return () => sw.removeEventListener("message", handler);
  }, [onMessage]);
}

export function ApprovalsInbox({ organizationId, role }: { organizationId: string; role: OrganizationRole }) {
  const inbox = useApprovalsInbox(organizationId);
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const [deciding, setDeciding] = useState<Decision | null>(null);
  const canDecide = canDecideApprovals(role);

  const decide = useMutation({
    mutationFn: ({ item, action }: Decision) => decideSigningRequest(item.id, action),
    onSuccess: async (_result, { action, item }) => {
      setDeciding(null);
      toast({ title: action === "approve" ? "Request approved" : "Request rejected", description: describeSigningRequest(item), tone: "success" });
      await Promise.all([queryClient.invalidateQueries({ queryKey: queryKeys.approvals(organizationId) }), queryClient.invalidateQueries({ queryKey: auditLogPrefix })]);
    },
  });

  useServiceWorkerRefresh(inbox.refetch);

  if (inbox.isPending) return <SkeletonBlock lines={6} label="Loading approvals" />;
  if (inbox.isError && !inbox.data) return <ErrorState message={describeError(inbox.error)} onRetry={() => inbox.refetch()} />;
  const { pending, decided } = inbox.data!;

  return (
    <div className="space-y-8">
      {!canDecide ? (
        <p className="rounded-lg bg-surface-muted px-3 py-2 text-sm text-fg-muted">You can see requests but not decide them. Owners, admins and approvers can.</p>
      ) : null}
      <section aria-labelledby="pending-heading" className="space-y-3">
        <div className="flex items-center justify-between gap-3">
          <h2 id="pending-heading" className="text-base font-semibold text-fg">
            Waiting for you <span className="text-fg-muted">({pending.length})</span>
          </h2>
          <span className="text-xs text-fg-muted" aria-live="polite">
            {inbox.isFetching ? "Checking…" : "Updates every few seconds"}
          </span>
        </div>
        {pending.length === 0 ? (
          <EmptyState
            icon={<CheckCircleIcon className="size-5" />}
            title="Nothing waiting"
            description="When an agent submits a request, or a rule says a signature needs a human, it appears here with what it wants and why."
          />
        ) : (
          <ul className="space-y-3" aria-label="Requests waiting for approval">
            {pending.map((entry: InboxEntry) =>
              entry.kind === "approval" ? (
                <ApprovalPendingCard key={entry.key} item={entry.item} />
              ) : (
                <PendingCard
                  key={entry.key}
                  item={entry.item}
                  canDecide={canDecide}
                  onDecide={(action) => {
                    decide.reset();
                    setDeciding({ item: entry.item, action });
                  }}
                />
              ),
            )}
          </ul>
        )}
      </section>
      <section aria-labelledby="decided-heading" className="space-y-3">
        <h2 id="decided-heading" className="text-base font-semibold text-fg">
          Recently decided
        </h2>
        {decided.length === 0 ? (
          <p className="flex items-center gap-2 text-sm text-fg-muted">
            <InboxIcon className="size-4" /> No decisions yet.
          </p>
        ) : (
          <Card className="px-4">
            <ul className="divide-y divide-border" aria-label="Decided requests">
              {decided.map((entry: InboxEntry) => (entry.kind === "approval" ? <ApprovalDecidedRow key={entry.key} item={entry.item} /> : <DecidedRow key={entry.key} item={entry.item} />))}
            </ul>
          </Card>
        )}
      </section>
      <ConfirmDialog
        open={deciding !== null}
        title={deciding?.action === "approve" ? "Approve this request?" : "Reject this request?"}
        description={
          deciding ? (
            <>
              <span className="block font-medium text-fg">{describeSigningRequest(deciding.item)}</span>
              <span className="mt-1 block">
                {deciding.action === "approve"
                  ? `You confirm with your passkey; then Countersign adds its share and ${deciding.item.signerName} can complete the signature.`
                  : "The request is never signed and its reserved spend is released."}
              </span>
            </>
          ) : (
            ""
          )
        }
        confirmLabel={deciding?.action === "approve" ? "Approve" : "Reject"}
        tone={deciding?.action === "approve" ? "primary" : "danger"}
        pending={decide.isPending}
        error={decide.isError ? describeError(decide.error) : null}
        onConfirm={() => deciding && decide.mutate(deciding)}
        onClose={() => setDeciding(null)}
      />
    </div>
  );
}
