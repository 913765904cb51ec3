"use client";

import Link from "next/link";
import { describeError } from "../api/errors";
import { useActiveDocument, useBuiltinPolicies, useDraftDocument } from "../api/policies";
import { useSigners, type Signer } from "../api/signers";
import { ShieldIcon } from "../icons";
import { Badge } from "../ui/badge";
import { buttonClasses } from "../ui/button";
import { EmptyState } from "../ui/empty-state";
import { ErrorState } from "../ui/error-state";
import { Skeleton, SkeletonBlock } from "../ui/skeleton";
import { TBody, THead, Table, Td, Th, Tr } from "../ui/table";
import { SignerStatusBadge } from "../signers/signer-status-badge";

function Loading() {
  return <Skeleton className="h-4 w-16" />;
}

function OverviewRow({ organizationId, signer }: { organizationId: string; signer: Signer }) {
  const builtin = useBuiltinPolicies(organizationId, signer.id);
  const active = useActiveDocument(organizationId, signer.id);
  const draft = useDraftDocument(organizationId, signer.id);
  const href = `/signers/${encodeURIComponent(signer.id)}/policies`;
  const enabled = builtin.data?.filter((p) => p.enabled).length ?? 0;
  const total = builtin.data?.length ?? 0;
  return (
    <Tr data-testid={`policies-row-${signer.id}`}>
      <Td label="Signer" className="font-medium">
        <span className="flex min-w-0 flex-wrap items-center justify-end gap-2 sm:justify-start">
          <Link href={href} className="rounded-sm text-accent-soft-fg underline-offset-4 hover:underline focus-visible:outline-2 focus-visible:outline-ring">
            {signer.name}
          </Link>
          {signer.status !== "active" ? <SignerStatusBadge status={signer.status} /> : null}
        </span>
      </Td>
      <Td label="Built-in policies" className="tabular-nums text-fg">
        {builtin.isPending ? <Loading /> : builtin.isError ? <span className="text-danger-soft-fg">Unavailable</span> : (
          <span data-testid="builtin-count">
            {enabled} active{total > enabled ? <span className="text-fg-muted"> ({total - enabled} off)</span> : null}
          </span>
        )}
      </Td>
      <Td label="Rules">
        {active.isPending ? <Loading /> : active.isError ? <span className="text-danger-soft-fg">Unavailable</span> : active.data ? (
          <Badge tone="success">Version {active.data.version}</Badge>
        ) : (
          <span className="text-fg-muted">None active</span>
        )}
      </Td>
      <Td label="Draft">
        {draft.isPending ? <Loading /> : draft.isError ? <span className="text-danger-soft-fg">Unavailable</span> : draft.data ? (
          <Badge tone="warning">Version {draft.data.version} pending</Badge>
        ) : (
          <span className="text-fg-muted">—</span>
        )}
      </Td>
      <Td label="">
        <Link href={href} className={buttonClasses("secondary", "sm")} aria-label={`Manage guardrails for ${signer.name}`}>
          Manage
        </Link>
      </Td>
    </Tr>
  );
}

export function PoliciesOverview({ organizationId }: { organizationId: string }) {
  const signers = useSigners(organizationId);
  if (signers.isPending) return <SkeletonBlock lines={4} label="Loading policies" />;
  if (signers.isError) return <ErrorState message={describeError(signers.error)} onRetry={() => signers.refetch()} />;
  if (signers.data.length === 0) {
    return (
      <EmptyState
        icon={<ShieldIcon className="size-5" />}
        title="No signers to guard yet"
        description="Guardrails belong to a signer. Create one, then set its limits, allow-lists and approval rules here."
        action={
          <Link href="/signers" className={buttonClasses("primary")}>
            Go to signers
          </Link>
        }
      />
    );
  }
  return (
    <Table aria-label="Guardrails per signer">
      <THead>
        <tr>
          <Th>Signer</Th>
          <Th>Built-in policies</Th>
          <Th>Rules</Th>
          <Th>Draft</Th>
          <Th>
            <span className="sr-only">Actions</span>
          </Th>
        </tr>
      </THead>
      <TBody>
        {signers.data.map((signer) => (
          <OverviewRow key={signer.id} organizationId={organizationId} signer={signer} />
        ))}
      </TBody>
    </Table>
  );
}
