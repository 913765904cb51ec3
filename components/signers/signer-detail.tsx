"use client";

import Link from "next/link";
import { ApiError, describeError } from "../api/errors";
import { useNetworks, useSigner, useSignerBalance, type Network, type Signer } from "../api/signers";
import type { OrganizationRole } from "../api/types";
import { KeyIcon } from "../icons";
import { buttonClasses } from "../ui/button";
import { Card, CardBody, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { CopyButton } from "../ui/copy-button";
import { EmptyState } from "../ui/empty-state";
import { ErrorState } from "../ui/error-state";
import { Skeleton, SkeletonBlock } from "../ui/skeleton";
import { SignerActionsCard } from "./signer-actions-card";
import { SignerActivityCard } from "./signer-activity";
import { canManageSigners, explorerAddressUrl, isSignerId, networkFor, networkLabel } from "./signer-format";
import { SignerNameEditor } from "./signer-name-editor";
import { SignerStatusBadge } from "./signer-status-badge";
import { SignerTokensCard } from "./signer-tokens-card";
import { SimulateForm } from "./simulate-form";
import { SendCard } from "./send-card";

function SignerHeader({ organizationId, signer, network, networks, canManage }: { organizationId: string; signer: Signer; network: Network | undefined; networks: Network[] | undefined; canManage: boolean }) {
  const explorer = signer.address ? explorerAddressUrl(network?.explorerUrl, signer.address) : null;
  return (
    <div className="mb-6 space-y-3">
      <Link href="/signers" className="rounded-sm text-sm text-fg-muted hover:text-fg focus-visible:outline-2 focus-visible:outline-ring">
        ← All signers
      </Link>
      <div className="flex flex-wrap items-center gap-3">
        <SignerNameEditor key={signer.name} organizationId={organizationId} signer={signer} canManage={canManage} />
        <SignerStatusBadge status={signer.status} />
      </div>
      <dl className="grid gap-2 text-sm sm:grid-cols-[auto_1fr] sm:gap-x-4">
        <dt className="text-fg-muted">Address</dt>
        <dd className="flex min-w-0 flex-wrap items-center gap-2">
          {signer.address ? (
            <>
              <code data-testid="signer-address" className="font-mono text-xs break-all text-fg">
                {signer.address}
              </code>
              <CopyButton value={signer.address} label="Copy address" variant="ghost" />
              {explorer ? (
                <a href={explorer} target="_blank" rel="noreferrer" className="text-accent-soft-fg underline-offset-4 hover:underline">
                  View on explorer
                </a>
              ) : null}
            </>
          ) : (
            <span className="text-fg-muted">Not yet generated</span>
          )}
        </dd>
        <dt className="text-fg-muted">Network</dt>
        <dd className="text-fg">{networkLabel(networks, signer.chainId)}</dd>
        {signer.agentId ? (
          <>
            <dt className="text-fg-muted">Agent</dt>
            <dd>
              <Link href={`/agents/${encodeURIComponent(signer.agentId)}`} className="text-accent-soft-fg underline-offset-4 hover:underline" data-testid="signer-agent-link">
                View its agent
              </Link>
            </dd>
          </>
        ) : null}
        <dt className="text-fg-muted">Key</dt>
        <dd className="text-fg">
          {signer.threshold}-of-{signer.parties} threshold ECDSA (agent, Countersign, you)
        </dd>
      </dl>
      {signer.description ? <p className="max-w-2xl text-sm text-fg-muted">{signer.description}</p> : null}
      <Link href={`/signers/${encodeURIComponent(signer.id)}/policies`} className={buttonClasses("secondary", "sm")}>
        Guardrails: policies, rules and backtest
      </Link>
    </div>
  );
}

function BalanceCard({ organizationId, signer }: { organizationId: string; signer: Signer }) {
  const balance = useSignerBalance(organizationId, signer.id, signer.address !== null);
  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>Balance</CardTitle>
          <CardDescription>Native currency held at the signer&apos;s address.</CardDescription>
        </div>
      </CardHeader>
      <CardBody>
        {signer.address === null ? <p className="text-sm text-fg-muted">Available once key generation has finished.</p> : null}
        {signer.address !== null && balance.isPending ? (
          <div role="status" aria-label="Loading balance">
            <Skeleton className="h-8 w-40" />
          </div>
        ) : null}
        {balance.isError ? <ErrorState title="Balance unavailable" message={describeError(balance.error)} onRetry={() => balance.refetch()} /> : null}
        {balance.isSuccess ? (
          <p className="text-2xl font-semibold tabular-nums text-fg" data-testid="signer-native-balance">
            {balance.data.formatted} <span className="text-base font-medium text-fg-muted">{balance.data.symbol}</span>
          </p>
        ) : null}
      </CardBody>
    </Card>
  );
}

function SignerNotFound() {
  return (
    <EmptyState
      icon={<KeyIcon className="size-5" />}
      title="Signer not found"
      description="It may have been deleted, or it belongs to another organization."
      action={
        <Link href="/signers" className={buttonClasses("primary")}>
          Back to signers
        </Link>
      }
    />
  );
}

export function SignerDetail({ organizationId, signerId, role }: { organizationId: string; signerId: string; role: OrganizationRole }) {
  const validId = isSignerId(signerId);
  const signer = useSigner(organizationId, signerId, validId);
  const networks = useNetworks();
  const canManage = canManageSigners(role);

  if (!validId) return <SignerNotFound />;
  if (signer.isPending) return <SkeletonBlock lines={6} label="Loading signer" />;
  if (signer.isError) {
    if (signer.error instanceof ApiError && signer.error.statusCode === 404) return <SignerNotFound />;
    return <ErrorState message={describeError(signer.error)} onRetry={() => signer.refetch()} />;
  }

  const network = networkFor(networks.data, signer.data.chainId);
  return (
    <>
      <SignerHeader organizationId={organizationId} signer={signer.data} network={network} networks={networks.data} canManage={canManage} />
      {!canManage ? (
        <p className="mb-4 rounded-lg bg-surface-muted px-3 py-2 text-sm text-fg-muted">
          You have read-only access. Owners and admins can pause, rotate, rename or delete signers.
        </p>
      ) : null}
      <div className="grid gap-4 lg:grid-cols-2">
        <BalanceCard organizationId={organizationId} signer={signer.data} />
        {canManage ? <SendCard organizationId={organizationId} signer={signer.data} network={network} /> : null}
        <SignerTokensCard organizationId={organizationId} signer={signer.data} canManage={canManage} />
        <SimulateForm signerId={signer.data.id} symbol={network?.nativeCurrency.symbol ?? "ETH"} disabled={signer.data.address === null} />
        {canManage ? <SignerActionsCard organizationId={organizationId} signer={signer.data} /> : null}
        <div className="lg:col-span-2">
          <SignerActivityCard organizationId={organizationId} signerId={signer.data.id} />
        </div>
      </div>
    </>
  );
}
