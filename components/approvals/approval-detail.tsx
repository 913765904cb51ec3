"use client";

import { startAuthentication } from "@simplewebauthn/browser";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import type { z } from "zod";
import type { intentAction, notificationDetailSchema } from "@/lib/api/approvals";
import { formatDateTime, formatRelative } from "../format/dates";
import { Badge, type BadgeTone } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { ErrorState } from "../ui/error-state";
import { SkeletonBlock } from "../ui/skeleton";
import { errorText, HfaError, hfaFetch } from "../push/hfa-fetch";
import { api } from "../api/client";
import { approvalsInboxItemPath, type ApprovalInboxItem } from "../api/approvals";
import { assertionHeader } from "@/components/api/passkey-assertion";
import { decodeCall, ethValue, FINAL_STATUSES, shortHex, SOURCE_LABEL, STATUS_LABEL, userAgentLabel } from "./approval-decode";

type NotificationDetail = z.output<typeof notificationDetailSchema>;
type Action = z.output<typeof intentAction>;
type ActionResult = NonNullable<NotificationDetail["approval"]>["clearSigning"]["actionResults"][number];

/** Facts only the server knows (the detail route does not carry them): who decided, how, and the request's state. */
export type ApprovalServerFacts = {
  requestStatus: string | null;
  txHash: string | null;
  error: string | null;
  decidedBy: string | null;
  withPasskey: boolean;
  deviceName: string | null;
};

function statusTone(status: string | null): BadgeTone {
  if (status === "executed") return "success";
  if (status === "rejected_by_human" || status?.endsWith("_failed")) return "danger";
  if (status === "pending_human") return "warning";
  return "accent";
}

function Mono({ children }: { children: string }) {
  return <code className="font-mono text-xs break-all">{children}</code>;
}

function ActionCard({ index, action, result }: { index: number; action: Action; result: ActionResult | undefined }) {
  const decoded = decodeCall(action);
  return (
    <li className="rounded-lg border border-border p-3" data-testid="approval-action">
      <p className="text-xs font-medium text-fg-muted">Action {index + 1} · chain {action.chainId}</p>
      {result?.resolved ? (
        <>
          <p className="mt-1 font-medium text-fg">{result.description}</p>
          <p className="mt-1 text-xs text-fg-muted">
            {result.protocolTag} · <Badge tone={result.source === "vendor" ? "neutral" : "accent"}>{result.source === "vendor" ? "verified descriptor" : "organization descriptor"}</Badge>
          </p>
        </>
      ) : (
        <p className="mt-1 text-sm text-warning-soft-fg">
          No clear-signing description{result && !result.resolved ? `: ${result.reason}` : ""}. Check the raw call below.
        </p>
      )}
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs">
        <dt className="text-fg-muted">To</dt>
        <dd>
          <Mono>{action.to}</Mono>
        </dd>
        <dt className="text-fg-muted">Value</dt>
        <dd>{decoded.value}</dd>
        <dt className="text-fg-muted">Call</dt>
        <dd>
          {decoded.kind === "transfer" ? (
            "plain transfer (no data)"
          ) : decoded.kind === "known" ? (
            <span>
              <Mono>{decoded.functionName}</Mono>(
              {decoded.args.map((a, i) => (
                <span key={a.name}>
                  {i > 0 ? ", " : ""}
                  {a.name}=<Mono>{a.value}</Mono>
                </span>
              ))}
              )
            </span>
          ) : (
            <span>
              selector <Mono>{decoded.selector}</Mono>
              {decoded.words.map((w, i) => (
                <span key={i} className="block">
                  <Mono>{w}</Mono>
                </span>
              ))}
            </span>
          )}
        </dd>
      </dl>
    </li>
  );
}

export function ApprovalDetail({ notificationId, facts }: { notificationId: string; facts: ApprovalServerFacts | null }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const key = ["hfa", "notification", notificationId];
  const q = useQuery({ queryKey: key, queryFn: () => hfaFetch<NotificationDetail>(`/api/notifications/${encodeURIComponent(notificationId)}`) });
  // Relay requests have no seed 004 approval context; the inbox item carries their decoded action.
  const itemKey = ["approvals-inbox-item", notificationId];
  const inboxItem = useQuery({ queryKey: itemKey, queryFn: ({ signal }) => api.get<{ item: ApprovalInboxItem }>(approvalsInboxItemPath(notificationId), signal).then((b) => b.item) });
  const [busy, setBusy] = useState<"accept" | "reject" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(facts?.requestStatus ?? null);

  useEffect(() => setStatus(facts?.requestStatus ?? null), [facts?.requestStatus]);

  // Live: a push or a decision from the service worker refreshes the page; so does a non-final status.
  useEffect(() => {
    const onMessage = (e: MessageEvent) => {
      const data = e.data as { type?: string; notificationId?: string } | null;
      if (data?.notificationId === notificationId) {
        void queryClient.invalidateQueries({ queryKey: key });
        void queryClient.invalidateQueries({ queryKey: itemKey });
        router.refresh();
      }
    };
    navigator.serviceWorker?.addEventListener("message", onMessage);
    return () => navigator.serviceWorker?.removeEventListener("message", onMessage);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [notificationId]);
  useEffect(() => {
    if (!status || FINAL_STATUSES.has(status) || status === "pending_human") return;
    const t = setInterval(() => router.refresh(), 2000);
    return () => clearInterval(t);
  }, [status, router]);

  async function decide(response: "accepted" | "rejected") {
    setBusy(response === "accepted" ? "accept" : "reject");
    setError(null);
    try {
      const headers: Record<string, string> = {};
      if (response === "accepted") {
        // Accepting from the page always carries a passkey assertion bound to this request and its hash.
        const ch = await hfaFetch<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }>("/api/v1/approvals/challenge", { method: "POST", body: { notificationId } });
        let assertion;
        try {
          assertion = await startAuthentication({ optionsJSON: ch.options });
        } catch (err) {
          throw new Error(err instanceof Error && err.name === "NotAllowedError" ? "The passkey prompt was cancelled or timed out. Accept again to retry." : `Passkey check failed: ${errorText(err)}`);
        }
        headers["X-Countersign-Assertion"] = assertionHeader(ch.challengeId, assertion);
      }
      const r = await hfaFetch<{ response: string; request: { status: string } | null }>("/api/responses", {
        method: "POST",
        headers,
        body: { notificationId, response, source: "app_ui", rawAction: response === "accepted" ? "accept_button" : "reject_button", interpretedAction: response },
      });
      if (r.request) setStatus(r.request.status);
      await Promise.all([queryClient.invalidateQueries({ queryKey: key }), queryClient.invalidateQueries({ queryKey: itemKey })]);
      router.refresh();
    } catch (err) {
      setError(err instanceof HfaError && err.status === 409 ? "This request was already decided." : errorText(err));
      await queryClient.invalidateQueries({ queryKey: key });
    } finally {
      setBusy(null);
    }
  }

  if (q.isPending) return <SkeletonBlock lines={6} label="Loading the request" />;
  if (q.isError) return <ErrorState title="Could not load this request" message={errorText(q.error)} onRetry={() => void q.refetch()} />;
  const n = q.data;
  const approval = n.approval;
  const decided = n.response !== null;
  const relay = approval === null ? (inboxItem.data ?? null) : null;
  const decision = inboxItem.data?.decision ?? null;
  const deviceName = facts?.deviceName ?? decision?.device?.name ?? null;
  const browser = userAgentLabel(n.responseUserAgent);
  const from = deviceName && browser ? `${deviceName}, ${browser}` : (deviceName ?? browser);
  const decidedBy = facts?.decidedBy ?? (decision?.decidedBy ? (decision.decidedBy.name ?? decision.decidedBy.email) : null);

  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <Card>
        <div className="space-y-3 px-4 py-4 sm:px-5">
          <div className="flex flex-wrap items-center gap-2">
            <Badge tone={statusTone(status)} data-testid="request-status">
              {status ? (STATUS_LABEL[status] ?? status) : decided ? (n.response === "accepted" ? "Accepted" : "Rejected") : "Waiting for a human"}
            </Badge>
            <span className="text-xs text-fg-muted">requested {formatRelative(new Date(n.createdAt))}</span>
          </div>
          <p className="text-lg leading-snug font-semibold text-fg" data-testid="approval-summary">
            {approval?.clearSigning.aggregatedDescription ?? n.message}
          </p>
          {decided ? (
            <p className="rounded-lg bg-surface-muted px-3 py-2 text-sm" data-testid="approval-decision">
              <strong>{n.response === "accepted" ? "Accepted" : "Rejected"}</strong>
              {decidedBy ? ` by ${decidedBy}` : ""}
              {n.respondedAt ? ` on ${formatDateTime(new Date(n.respondedAt))}` : ""}
              {n.responseSource ? ` from the ${SOURCE_LABEL[n.responseSource] ?? n.responseSource}` : ""}
              {from ? ` (${from})` : ""}
              {(facts?.withPasskey ?? decision?.withPasskey) ? ", confirmed with a passkey" : ""}.
            </p>
          ) : null}
          {facts?.txHash ? (
            <p className="text-sm">
              Transaction <Mono>{facts.txHash}</Mono>
            </p>
          ) : null}
          {facts?.error ? <ErrorState title="The transaction did not go through" message={facts.error} /> : null}
          {error ? <ErrorState title="Your answer was not recorded" message={error} /> : null}
          {!decided ? (
            <div className="grid grid-cols-2 gap-3 pt-1">
              <Button size="lg" variant="danger" loading={busy === "reject"} disabled={busy !== null} onClick={() => void decide("rejected")}>
                Reject
              </Button>
              <Button size="lg" loading={busy === "accept"} disabled={busy !== null} onClick={() => void decide("accepted")}>
                Accept
              </Button>
            </div>
          ) : null}
          {!decided ? <p className="text-xs text-fg-muted">Accepting asks for your passkey; the signature commits to this exact request.</p> : null}
        </div>
      </Card>

      {approval ? (
        <Card>
          <CardHeader>
            <div>
              <CardTitle>What the agent wants to do</CardTitle>
              <CardDescription>
                {approval.intent.actions.length} action{approval.intent.actions.length === 1 ? "" : "s"}, decoded with ERC-7730 clear signing where a descriptor exists.
              </CardDescription>
            </div>
          </CardHeader>
          <ol className="space-y-3 px-4 py-4 sm:px-5">
            {approval.intent.actions.map((a, i) => (
              <ActionCard key={i} index={i} action={a} result={approval.clearSigning.actionResults[i]} />
            ))}
          </ol>
        </Card>
      ) : null}

      {relay ? (
        <Card>
          <CardHeader>
            <div>
              <CardTitle>What the signer wants to sign</CardTitle>
              <CardDescription>
                {relay.agent.signerName ?? "A signer"} is waiting: a guardrail rule asked for a human. Accepting lets Countersign add its share to this signature.
              </CardDescription>
            </div>
          </CardHeader>
          {relay.intent.actions.length > 0 ? (
            <ol className="space-y-3 px-4 py-4 sm:px-5">
              {relay.intent.actions.map((a, i) => (
                <ActionCard key={i} index={i} action={a} result={relay.clearSigning.actionResults[i]} />
              ))}
            </ol>
          ) : null}
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1.5 px-4 pb-4 text-xs sm:px-5">
            <dt className="text-fg-muted">Signing hash</dt>
            <dd data-testid="subject-hash">
              <Mono>{relay.subjectHash}</Mono>
            </dd>
            <dt className="text-fg-muted">Signer address</dt>
            <dd>
              <Mono>{relay.agent.address}</Mono>
            </dd>
          </dl>
        </Card>
      ) : null}

      {n.turnkeyExecution ? (
        <Card data-testid="turnkey-execution">
          <CardHeader>
            <div>
              <CardTitle>Turnkey wallet</CardTitle>
              <CardDescription>The agent signed this transaction through Turnkey; it waits for your organization&apos;s approval there. Accepting approves the activity and broadcasts the signed transaction.</CardDescription>
            </div>
          </CardHeader>
          <dl className="grid gap-2 px-4 pb-4 text-sm sm:grid-cols-[10rem_1fr] sm:px-5">
            <dt className="text-fg-muted">Stage</dt>
            <dd data-testid="turnkey-status">{STATUS_LABEL[n.turnkeyExecution.status] ?? n.turnkeyExecution.status}</dd>
            {n.turnkeyExecution.txHash ? (
              <>
                <dt className="text-fg-muted">Transaction</dt>
                <dd>
                  {n.turnkeyExecution.explorerTxUrl ? (
                    <a href={n.turnkeyExecution.explorerTxUrl} target="_blank" rel="noreferrer">
                      <Mono>{n.turnkeyExecution.txHash}</Mono>
                    </a>
                  ) : (
                    <Mono>{n.turnkeyExecution.txHash}</Mono>
                  )}
                </dd>
              </>
            ) : null}
            {n.turnkeyExecution.error ? (
              <>
                <dt className="text-fg-muted">Error</dt>
                <dd>{n.turnkeyExecution.error}</dd>
              </>
            ) : null}
          </dl>
        </Card>
      ) : null}

      {approval?.safeTransaction ? (
        <Card>
          <CardHeader>
            <div>
              <CardTitle>Safe transaction</CardTitle>
              <CardDescription>{approval.safeTransaction.operation === 1 ? "A batch (MultiSend, delegate call)" : "A single call"} executed by the Safe once you accept.</CardDescription>
            </div>
          </CardHeader>
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1.5 px-4 py-4 text-xs sm:px-5">
            {inboxItem.data?.safeAddress ? (
              <>
                <dt className="text-fg-muted">Safe</dt>
                <dd data-testid="safe-address">
                  <Mono>{inboxItem.data.safeAddress}</Mono> (chain {inboxItem.data.chainId})
                </dd>
              </>
            ) : null}
            <dt className="text-fg-muted">safeTxHash</dt>
            <dd data-testid="safe-tx-hash">
              <Mono>{approval.safeTransaction.safeTxHash}</Mono>
            </dd>
            <dt className="text-fg-muted">To</dt>
            <dd>
              <Mono>{approval.safeTransaction.to}</Mono>
            </dd>
            <dt className="text-fg-muted">Value</dt>
            <dd>{ethValue(approval.safeTransaction.value)}</dd>
            <dt className="text-fg-muted">Nonce</dt>
            <dd>{approval.safeTransaction.nonce}</dd>
            <dt className="text-fg-muted">Operation</dt>
            <dd>{approval.safeTransaction.operation === 1 ? "1 (delegate call)" : "0 (call)"}</dd>
            <dt className="text-fg-muted">Data</dt>
            <dd>
              <Mono>{shortHex(approval.safeTransaction.data, 24)}</Mono>
            </dd>
          </dl>
        </Card>
      ) : null}
    </div>
  );
}
