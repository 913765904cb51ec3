"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api } from "../api/client";
import { describeError } from "../api/errors";
import { signerKeys, signerPath, useTokenBalances, type Signer, type TokenBalance, type TrackedToken } from "../api/signers";
import { PlusIcon, TrashIcon } from "../icons";
import { Button } from "../ui/button";
import { Card, CardBody, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { ErrorState } from "../ui/error-state";
import { Field } from "../ui/field";
import { Input } from "../ui/input";
import { SkeletonBlock } from "../ui/skeleton";
import { useToast } from "../ui/toast";
import { shortAddress, tokenAddressError } from "./signer-format";

function AddTokenForm({ organizationId, signerId }: { organizationId: string; signerId: string }) {
  const queryClient = useQueryClient();
  const [address, setAddress] = useState("");
  const [localError, setLocalError] = useState<string | null>(null);
  const add = useMutation({
    mutationFn: (tokenAddress: string) => api.post<{ token: TrackedToken }>(signerPath(signerId, "/tokens"), { address: tokenAddress }),
    onSuccess: async () => {
      setAddress("");
      await queryClient.invalidateQueries({ queryKey: signerKeys.tokenBalances(organizationId, signerId) });
    },
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problem = tokenAddressError(address);
    setLocalError(problem);
    if (problem) return;
    add.mutate(address.trim());
  }

  const error = localError ?? (add.isError ? describeError(add.error) : null);
  return (
    <form onSubmit={submit} className="flex flex-col gap-2 sm:flex-row sm:items-start" noValidate>
      <Field label="Token contract address" error={error} className="flex-1">
        {(control) => (
          <Input
            {...control}
            value={address}
            placeholder="0x…"
            autoComplete="off"
            spellCheck={false}
            className="font-mono"
            onChange={(event) => {
              setAddress(event.target.value);
              setLocalError(null);
            }}
          />
        )}
      </Field>
      <Button type="submit" icon={<PlusIcon />} loading={add.isPending} className="sm:mt-6">
        Add token
      </Button>
    </form>
  );
}

export function SignerTokensCard({ organizationId, signer, canManage }: { organizationId: string; signer: Signer; canManage: boolean }) {
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const balances = useTokenBalances(organizationId, signer.id, signer.address !== null);
  const [removing, setRemoving] = useState<TokenBalance | null>(null);
  const remove = useMutation({
    mutationFn: (tokenId: string) => api.delete(signerPath(signer.id, `/tokens/${encodeURIComponent(tokenId)}`)),
    onSuccess: async () => {
      const symbol = removing?.symbol;
      setRemoving(null);
      await queryClient.invalidateQueries({ queryKey: signerKeys.tokenBalances(organizationId, signer.id) });
      toast({ title: "Token removed", description: symbol ? `${symbol} is no longer tracked.` : undefined, tone: "success" });
    },
  });

  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>Tokens</CardTitle>
          <CardDescription>ERC-20 tokens tracked for this signer, read from the chain in one call.</CardDescription>
        </div>
      </CardHeader>
      <CardBody className="space-y-4">
        {signer.address === null ? <p className="text-sm text-fg-muted">Balances are available once key generation has finished.</p> : null}
        {balances.isLoading ? <SkeletonBlock lines={2} label="Loading token balances" /> : null}
        {balances.isError ? <ErrorState title="Token balances unavailable" message={describeError(balances.error)} onRetry={() => balances.refetch()} /> : null}
        {balances.isSuccess && balances.data.tokens.length === 0 ? <p className="text-sm text-fg-muted">No tokens tracked yet.</p> : null}
        {balances.isSuccess && balances.data.tokens.length > 0 ? (
          <ul className="divide-y divide-border rounded-lg border border-border" aria-label="Tracked tokens">
            {balances.data.tokens.map((token) => (
              <li key={token.tokenId} className="flex flex-wrap items-center justify-between gap-3 px-3 py-2.5">
                <div className="min-w-0">
                  <p className="font-medium text-fg">{token.symbol}</p>
                  <code className="font-mono text-xs text-fg-muted" title={token.address}>
                    {shortAddress(token.address)}
                  </code>
                </div>
                <div className="flex items-center gap-2">
                  {token.error ? (
                    <span className="text-xs text-danger-soft-fg">{token.error}</span>
                  ) : (
                    <span className="font-mono text-sm tabular-nums text-fg">
                      {token.formatted ?? "—"} {token.symbol}
                    </span>
                  )}
                  {canManage ? (
                    <Button
                      variant="ghost"
                      size="sm"
                      icon={<TrashIcon />}
                      aria-label={`Remove ${token.symbol}`}
                      onClick={() => {
                        remove.reset();
                        setRemoving(token);
                      }}
                    />
                  ) : null}
                </div>
              </li>
            ))}
          </ul>
        ) : null}
        {canManage && signer.address !== null ? <AddTokenForm organizationId={organizationId} signerId={signer.id} /> : null}
      </CardBody>
      <ConfirmDialog
        open={removing !== null}
        title="Stop tracking token?"
        description={
          <>
            <span className="font-medium text-fg">{removing?.symbol}</span> will no longer be listed. The tokens stay at the signer&apos;s address.
          </>
        }
        confirmLabel="Remove token"
        pending={remove.isPending}
        error={remove.isError ? describeError(remove.error) : null}
        onConfirm={() => removing && remove.mutate(removing.tokenId)}
        onClose={() => setRemoving(null)}
      />
    </Card>
  );
}
