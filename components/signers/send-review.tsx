"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { formatEther, formatGwei, getAddress } from "viem";
import { api } from "../api/client";
import type { Network } from "../api/signers";
import type { UnsignedEip1559Tx } from "@/lib/chain/tx-codec";
import { clearSign } from "@/lib/approvals/clear-signing";
import { DescriptorRegistry, type ActionResult, type Descriptor, type RenderedField } from "@/lib/clearsign";
import { formatGas } from "./signer-format";

type Clear = { state: "loading" } | { state: "done"; result: ActionResult | null } | { state: "failed"; message: string };

/** The organization's own descriptors (the clear-signing overlay); without access, the built-in ones only. */
function useOverlay(enabled: boolean) {
  return useQuery({
    queryKey: ["clearsign", "descriptors", "with-json"],
    queryFn: ({ signal }) =>
      api
        .get<{ descriptors: { id: string; descriptor?: Record<string, unknown> }[] }>("/api/v1/clearsign/descriptors?include=descriptor", signal)
        .then((b) => new DescriptorRegistry("overlay", b.descriptors.flatMap((d) => (d.descriptor ? [{ id: d.id, descriptor: d.descriptor as unknown as Descriptor }] : []))))
        .catch(() => null),
    enabled,
    // Fresh for every review: a descriptor added meanwhile applies at once.
    staleTime: 0,
  });
}

/**
 * Clear-signs a transaction in this browser with the ERC-7730 engine (lib/clearsign, through the
 * approvals' clearSign: the organization's descriptors first, then Countersign's own, token data read
 * from the network): the browser decodes what it is about to sign itself.
 */
function useClearSigning(tx: UnsignedEip1559Tx, from: string | null, network: Network | undefined): Clear {
  const [clear, setClear] = useState<Clear>({ state: "loading" });
  const key = `${tx.chainId}:${tx.to}:${tx.value}:${tx.data}`;
  const isCall = !!network && tx.to !== null && tx.data !== "0x" && !!from;
  const overlay = useOverlay(isCall);
  useEffect(() => {
    let live = true;
    if (!isCall || tx.to === null || !from || !network) {
      setClear({ state: "done", result: null });
      return;
    }
    setClear({ state: "loading" });
    if (overlay.isPending) return;
    clearSign(network, [{ chainId: tx.chainId, to: tx.to, data: tx.data, value: tx.value.toString() }], getAddress(from), overlay.data ?? undefined)
      .then(({ results }) => live && setClear({ state: "done", result: results[0] ?? null }))
      .catch((err: unknown) => live && setClear({ state: "failed", message: err instanceof Error ? err.message : String(err) }));
    return () => {
      live = false;
    };
    // Re-run only when the transaction's call or the network changes (key), not on every render.
  }, [key, from, network?.rpcUrl, overlay.isPending, overlay.data]);
  return clear;
}

function fieldValue(f: RenderedField): string {
  return typeof f.value === "string" ? f.value : (f.value.interpolatedIntent ?? f.value.intent);
}

function Row({ label, children, mono, testId }: { label: string; children: React.ReactNode; mono?: boolean; testId?: string }) {
  return (
    <div className="grid grid-cols-[8.5rem_1fr] gap-2 py-1">
      <dt className="text-fg-muted">{label}</dt>
      <dd className={mono ? "font-mono text-xs break-all" : "break-words"} data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

/**
 * The transaction exactly as the browser will sign it: the server filled nonce, gas and fees, the
 * browser checked the rest against what the user entered and recomputed the digest (shown last).
 */
export function SendReview({ tx, digest, from, network, waiting }: { tx: UnsignedEip1559Tx; digest: string; from: string | null; network: Network | undefined; waiting: boolean }) {
  const symbol = network?.nativeCurrency.symbol ?? "ETH";
  const clear = useClearSigning(tx, from, network);
  const maxCost = tx.gas * tx.maxFeePerGas;
  return (
    <section aria-label="Transaction to sign" className="rounded-lg border border-border px-3 py-3 text-sm" data-testid="send-review">
      <p className="font-semibold text-fg">{waiting ? "Transaction waiting for approval" : "Review the transaction you are about to sign"}</p>
      {clear.state === "done" && clear.result?.resolved ? (
        <div className="mt-2 rounded-md bg-accent-soft px-3 py-2" data-testid="send-clear-signing">
          <p className="font-medium text-fg" data-testid="send-clear-intent">
            {clear.result.interpolatedIntent ?? clear.result.intent}
          </p>
          <dl className="mt-1 text-xs">
            {clear.result.fields.map((f, i) => (
              <Row key={i} label={f.label}>
                {fieldValue(f)}
              </Row>
            ))}
          </dl>
          <p className="mt-1 text-xs text-fg-muted">
            Decoded in this browser with the {clear.result.descriptorSource === "overlay" ? "organization's" : "built-in"} ERC-7730 descriptor “{clear.result.protocolTag}”.
          </p>
        </div>
      ) : null}
      {clear.state === "loading" ? <p className="mt-2 text-xs text-fg-muted">Decoding the call…</p> : null}
      {clear.state === "done" && clear.result && !clear.result.resolved ? (
        <p className="mt-2 text-xs text-fg-muted" data-testid="send-clear-unresolved">
          Not clear-signed: {clear.result.reason}. Check the raw call below.
        </p>
      ) : null}
      {clear.state === "failed" ? <p className="mt-2 text-xs text-fg-muted">Could not decode the call ({clear.message}). Check the raw call below.</p> : null}
      <dl className="mt-2" data-testid="send-review-fields">
        <Row label="Network">
          {network?.name ?? "Chain"} ({tx.chainId})
        </Row>
        <Row label="To" mono testId="send-review-to">
          {tx.to === null ? "Contract creation" : getAddress(tx.to)}
        </Row>
        <Row label="Amount" testId="send-review-value">
          {formatEther(tx.value)} {symbol}
        </Row>
        <Row label="Data" mono testId="send-review-data">
          {tx.data === "0x" ? "None (plain transfer)" : tx.data}
        </Row>
        <Row label="Nonce" testId="send-review-nonce">
          {tx.nonce}
        </Row>
        <Row label="Gas limit">{formatGas(tx.gas.toString())}</Row>
        <Row label="Max fee">{formatGwei(tx.maxFeePerGas)} gwei</Row>
        <Row label="Priority fee">{formatGwei(tx.maxPriorityFeePerGas)} gwei</Row>
        <Row label="Max network fee" testId="send-review-max-fee">
          {formatEther(maxCost)} {symbol}
        </Row>
        <Row label="Digest" mono testId="send-review-digest">
          {digest}
        </Row>
      </dl>
      <p className="mt-2 text-xs text-fg-muted">Your browser checked this transaction against what you entered and computed the digest itself; your share signs only that digest.</p>
    </section>
  );
}
