import Link from "next/link";
import type { HoldingNetwork } from "@/lib/overview/load";
import type { SignerStatus } from "../api/signers";
import { NativeBalanceCell } from "../signers/native-balance";
import { SignerStatusBadge } from "../signers/signer-status-badge";
import { buttonClasses } from "../ui/button";
import { HoldingsTotal, TokenBalancesCell } from "./holding-balances";

/**
 * Signers per network, each with its live native balance and its tracked tokens' balances (read by
 * the browser per signer, so one unreachable RPC shows on its own row), and the total value when a
 * price source is configured (`prices` null: none, the default).
 */
export function Holdings({ organizationId, networks, prices }: { organizationId: string; networks: readonly HoldingNetwork[]; prices: Readonly<Record<string, string>> | null }) {
  if (networks.length === 0) {
    return (
      <div className="space-y-3" data-testid="holdings-empty">
        <p className="text-sm text-fg-muted">No signers yet. A signer is a 2-of-3 wallet: the agent, Countersign and you each hold a share, and no one can sign alone.</p>
        <Link href="/signers/new" className={buttonClasses("primary", "sm")}>
          Create a signer
        </Link>
      </div>
    );
  }
  const valued = networks.flatMap((n) => n.signers.map((s) => ({ id: s.id, chainId: n.chainId, hasAddress: !!s.address && n.known, tokenCount: s.tokens.length })));
  return (
    <div className="space-y-4">
      {prices ? <HoldingsTotal organizationId={organizationId} signers={valued} prices={prices} /> : null}
      {networks.map((n) => (
        <section key={n.chainId} aria-label={n.name} className="min-w-0 rounded-lg border border-border" data-testid={`holdings-${n.chainId}`}>
          <h3 className="flex items-center justify-between gap-2 border-b border-border bg-surface-muted px-3 py-2 text-xs font-semibold text-fg-muted">
            <span className="truncate">{n.name}</span>
            <span className="shrink-0 font-mono">{n.symbol}</span>
          </h3>
          <ul className="divide-y divide-border">
            {n.signers.map((s) => (
              <li key={s.id} className="space-y-1 px-3 py-2" data-testid="holding-signer">
                <div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1">
                  <span className="flex min-w-0 items-center gap-2">
                    <Link href={`/signers/${s.id}`} className="truncate text-sm font-medium text-fg underline-offset-2 hover:underline">
                      {s.name}
                    </Link>
                    {s.status !== "active" ? <SignerStatusBadge status={s.status as SignerStatus} /> : null}
                  </span>
                  <NativeBalanceCell organizationId={organizationId} signerId={s.id} hasAddress={!!s.address && n.known} />
                </div>
                <TokenBalancesCell organizationId={organizationId} signerId={s.id} signerName={s.name} tokenCount={s.tokens.length} hasAddress={!!s.address && n.known} />
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
