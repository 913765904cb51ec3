"use client";

import Link from "next/link";
import { describeError } from "../api/errors";
import { useNetworks, useSigners, type Network, type Signer } from "../api/signers";
import { KeyIcon, PlusIcon } from "../icons";
import { buttonClasses } from "../ui/button";
import { CopyButton } from "../ui/copy-button";
import { EmptyState } from "../ui/empty-state";
import { ErrorState } from "../ui/error-state";
import { SkeletonBlock } from "../ui/skeleton";
import { TBody, THead, Table, Td, Th, Tr } from "../ui/table";
import { NativeBalanceCell } from "./native-balance";
import { networkLabel, shortAddress } from "./signer-format";
import { SignerStatusBadge } from "./signer-status-badge";

function SignerRow({ signer, networks, organizationId }: { signer: Signer; networks: Network[] | undefined; organizationId: string }) {
  return (
    <Tr data-testid={`signer-row-${signer.id}`}>
      <Td label="Name" className="font-medium text-fg">
        <Link
          href={`/signers/${signer.id}`}
          className="rounded-sm text-accent-soft-fg underline-offset-4 hover:underline focus-visible:outline-2 focus-visible:outline-ring"
        >
          {signer.name}
        </Link>
      </Td>
      <Td label="Address">
        {signer.address ? (
          <span className="flex items-center gap-2">
            <code className="font-mono text-xs text-fg" title={signer.address}>
              {shortAddress(signer.address)}
            </code>
            <CopyButton value={signer.address} label="Copy" variant="ghost" />
          </span>
        ) : (
          <span className="text-fg-muted">Not yet generated</span>
        )}
      </Td>
      <Td label="Network" className="text-fg-muted">
        {networkLabel(networks, signer.chainId)}
      </Td>
      <Td label="Balance">
        <NativeBalanceCell organizationId={organizationId} signerId={signer.id} hasAddress={signer.address !== null} />
      </Td>
      <Td label="Status">
        <SignerStatusBadge status={signer.status} />
      </Td>
    </Tr>
  );
}

export function SignersList({ organizationId }: { organizationId: string }) {
  const signers = useSigners(organizationId);
  const networks = useNetworks();

  if (signers.isPending) return <SkeletonBlock lines={4} label="Loading signers" />;
  if (signers.isError) return <ErrorState message={describeError(signers.error)} onRetry={() => signers.refetch()} />;
  if (signers.data.length === 0) {
    return (
      <EmptyState
        icon={<KeyIcon className="size-5" />}
        title="No signers yet"
        description={
          <>
            <p>
              A signer is an agent&apos;s wallet: a 2-of-3 threshold ECDSA key split between the agent, Countersign and you. No single
              party ever holds the whole private key.
            </p>
            <p className="mt-2">
              Creating one runs a distributed key generation in your browser together with the server: your share stays encrypted
              under your passkey, and the agent gets its share as an encrypted file.
            </p>
          </>
        }
        action={<NewSignerLink />}
      />
    );
  }

  return (
    <div className="space-y-4">
      <div className="flex justify-end">
        <NewSignerLink />
      </div>
    <Table aria-label="Signers">
      <THead>
        <tr>
          <Th>Name</Th>
          <Th>Address</Th>
          <Th>Network</Th>
          <Th>Balance</Th>
          <Th>Status</Th>
        </tr>
      </THead>
      <TBody>
        {signers.data.map((signer) => (
          <SignerRow key={signer.id} signer={signer} networks={networks.data} organizationId={organizationId} />
        ))}
      </TBody>
    </Table>
    </div>
  );
}

function NewSignerLink() {
  return (
    <Link href="/signers/new" className={buttonClasses("primary")}>
      <PlusIcon className="size-4" />
      New signer
    </Link>
  );
}
