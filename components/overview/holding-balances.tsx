"use client";

import { useQueries } from "@tanstack/react-query";
import { formatUsd, valueHoldings, type Holding } from "@/lib/prices/table";
import { describeError } from "../api/errors";
import { signerBalanceQuery, tokenBalancesQuery, useTokenBalances } from "../api/signers";
import { AlertIcon } from "../icons";
import { Button } from "../ui/button";
import { Skeleton } from "../ui/skeleton";

/**
 * A signer's tracked ERC-20 balances (one multicall per signer, GET /token-balances): each token on
 * its own line, a token whose balanceOf failed shows the error on its line, an unreachable network
 * shows once for the row with a retry.
 */
export function TokenBalancesCell({ organizationId, signerId, signerName, tokenCount, hasAddress }: { organizationId: string; signerId: string; signerName: string; tokenCount: number; hasAddress: boolean }) {
  const balances = useTokenBalances(organizationId, signerId, hasAddress && tokenCount > 0);
  if (!hasAddress || tokenCount === 0) return null;
  if (balances.isPending) {
    return (
      <div role="status" aria-label={`Loading token balances of ${signerName}`}>
        <Skeleton className="h-4 w-32" />
      </div>
    );
  }
  if (balances.isError) {
    return (
      <p className="flex flex-wrap items-center gap-2 text-xs text-danger-soft-fg" data-testid="token-balances-error">
        <AlertIcon className="size-4 shrink-0" />
        <span className="min-w-0 break-words">Token balances unavailable: {describeError(balances.error)}</span>
        <Button variant="ghost" size="sm" onClick={() => balances.refetch()} aria-label={`Retry loading token balances of ${signerName}`}>
          Retry
        </Button>
      </p>
    );
  }
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1" aria-label={`Tokens held by ${signerName}`}>
      {balances.data.tokens.map((t) => (
        <li key={t.tokenId} className="font-mono text-xs tabular-nums" data-testid="token-balance" data-symbol={t.symbol}>
          {t.error || t.formatted === null ? (
            <span className="text-danger-soft-fg">
              {t.symbol}: {t.error ?? "unavailable"}
            </span>
          ) : (
            <span className="text-fg">
              {t.formatted} {t.symbol}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

type ValuedSigner = { id: string; chainId: number; hasAddress: boolean; tokenCount: number };

/**
 * The total value of what the agents hold, only when a price source is configured (lib/prices): the
 * same queries as the rows (one request each, shared cache), summed once all have answered.
 */
export function HoldingsTotal({ organizationId, signers, prices }: { organizationId: string; signers: readonly ValuedSigner[]; prices: Readonly<Record<string, string>> }) {
  const withAddress = signers.filter((s) => s.hasAddress);
  const native = useQueries({ queries: withAddress.map((s) => signerBalanceQuery(organizationId, s.id, true)) });
  const tokens = useQueries({ queries: withAddress.filter((s) => s.tokenCount > 0).map((s) => tokenBalancesQuery(organizationId, s.id, true)) });
  const all = [...native, ...tokens];
  if (all.some((q) => q.isPending)) {
    return (
      <div role="status" aria-label="Loading the total value" data-testid="holdings-total">
        <Skeleton className="h-5 w-40" />
      </div>
    );
  }
  const holdings: Holding[] = [];
  native.forEach((q, i) => {
    if (q.data) holdings.push({ chainId: withAddress[i]!.chainId, asset: "native", symbol: q.data.symbol, formatted: q.data.formatted });
  });
  for (const q of tokens) {
    for (const t of q.data?.tokens ?? []) if (t.formatted !== null) holdings.push({ chainId: q.data!.chainId, asset: t.address, symbol: t.symbol, formatted: t.formatted });
  }
  const v = valueHoldings(prices, holdings);
  const failed = all.filter((q) => q.isError).length;
  return (
    <div className="rounded-lg bg-surface-muted px-3 py-2 text-sm" data-testid="holdings-total">
      <p className="flex flex-wrap items-baseline justify-between gap-x-3">
        <span className="text-fg-muted">Total value</span>
        <span className="font-mono font-semibold text-fg tabular-nums" data-testid="holdings-total-value">
          {formatUsd(v.totalUsd)}
        </span>
      </p>
      {v.unpriced.length || failed ? (
        <p className="text-xs text-fg-muted">
          {v.unpriced.length ? `Without a price, not counted: ${v.unpriced.map((u) => u.symbol).join(", ")}. ` : ""}
          {failed ? `${failed} balance${failed === 1 ? "" : "s"} could not be read.` : ""}
        </p>
      ) : null}
    </div>
  );
}
