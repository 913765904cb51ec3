"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../api/client";
import { describeError } from "../api/errors";
import { auditLogPrefix, signerKeys, signerPath, type Network, type Signer } from "../api/signers";
import { Button } from "../ui/button";
import { useToast } from "../ui/toast";

type Funded = { txHash: string; value: string; blockNumber: string };

/** Local devnet only: 1 ETH from the devnet's documented dev account (POST /signers/{id}/fund). */
export function isFundableFromDevnet(network: Network | undefined, signer: Signer): boolean {
  return Boolean(network?.isDevnet && network.chainId === 31337 && signer.address);
}

export function FundFromDevnetButton({ organizationId, signer }: { organizationId: string; signer: Signer }) {
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const fund = useMutation({
    mutationFn: () => api.post<Funded>(signerPath(signer.id, "/fund")),
    onSuccess: async (r) => {
      toast({ title: "Funded from the devnet", description: `1 ETH arrived in block ${r.blockNumber}.`, tone: "success" });
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: signerKeys.balance(organizationId, signer.id) }),
        queryClient.invalidateQueries({ queryKey: signerKeys.list(organizationId) }),
        queryClient.invalidateQueries({ queryKey: auditLogPrefix }),
      ]);
    },
  });
  return (
    <div className="space-y-1">
      <Button variant="secondary" loading={fund.isPending} onClick={() => fund.mutate()}>
        Fund from devnet
      </Button>
      {fund.isError ? (
        <p role="alert" className="text-sm text-danger-soft-fg">
          {describeError(fund.error)}
        </p>
      ) : null}
    </div>
  );
}
