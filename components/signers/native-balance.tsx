"use client";

import { describeError } from "../api/errors";
import { useSignerBalance } from "../api/signers";
import { AlertIcon } from "../icons";
import { Button } from "../ui/button";
import { Skeleton } from "../ui/skeleton";

/** One row's native balance, fetched on its own so a slow or unreachable network never blocks the list. */
export function NativeBalanceCell({ organizationId, signerId, hasAddress }: { organizationId: string; signerId: string; hasAddress: boolean }) {
  const balance = useSignerBalance(organizationId, signerId, hasAddress);
  if (!hasAddress) return <span className="text-fg-muted">—</span>;
  if (balance.isPending) {
    return (
      <span role="status" aria-label="Loading balance" className="inline-block">
        <Skeleton className="h-4 w-24" />
      </span>
    );
  }
  if (balance.isError) {
    return (
      <span className="inline-flex items-center gap-2 text-danger-soft-fg" title={describeError(balance.error)}>
        <AlertIcon className="size-4 shrink-0" />
        <span className="text-xs">
          Balance unavailable<span className="sr-only">: {describeError(balance.error)}</span>
        </span>
        <Button variant="ghost" size="sm" onClick={() => balance.refetch()} aria-label="Retry loading balance">
          Retry
        </Button>
      </span>
    );
  }
  return (
    <span className="font-mono text-sm text-fg tabular-nums" data-testid="signer-balance">
      {balance.data.formatted} {balance.data.symbol}
    </span>
  );
}
