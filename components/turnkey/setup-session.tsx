"use client";

import { useState } from "react";
import { apiRequest } from "../api/client";
import { formatDateTime } from "../format/dates";
import { Badge, type BadgeTone } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "../ui/card";

export type SetupSessionView = {
  setupSessionId: string;
  status: "pending" | "completed" | "expired";
  agentPublicKey: string;
  agentLabel: string | null;
  providerPublicKey: string;
  expiresAt: number;
  subOrganizationId?: string;
  walletAddress?: string;
  agentUserId?: string;
  providerUserId?: string;
  policyIds?: string[];
  completedAt?: number | null;
};

function errorMessage(err: unknown): string {
  const e = err as { message?: string; body?: { message?: string } };
  return e.body?.message ?? e.message ?? "Something went wrong";
}

/** The setupUrl page: what the agent asked for, and the button that creates the Turnkey wallet. */
export function TurnkeySetup({ initial }: { initial: SetupSessionView }) {
  const [session, setSession] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function create() {
    setBusy(true);
    setError(null);
    try {
      setSession(await apiRequest<SetupSessionView>(`/api/v1/approvals/turnkey/setup-sessions/${encodeURIComponent(session.setupSessionId)}/complete`, { method: "POST" }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const tone: BadgeTone = session.status === "completed" ? "success" : session.status === "expired" ? "danger" : "warning";
  return (
    <Card>
      <CardHeader>
        <CardTitle>{session.agentLabel ?? "Agent"}</CardTitle>
        <CardDescription>
          The agent asks for a Turnkey wallet whose every transaction needs your organization&apos;s approval: Turnkey holds the key, the agent signs with its own API key, and
          Countersign adds the second approval only after a member accepts.
        </CardDescription>
      </CardHeader>
      <dl className="grid gap-2 text-sm sm:grid-cols-[12rem_1fr]">
        <dt className="text-fg-muted">Status</dt>
        <dd>
          <Badge tone={tone} data-testid="setup-status">
            {session.status}
          </Badge>
        </dd>
        <dt className="text-fg-muted">Agent API key (P-256)</dt>
        <dd className="break-all font-mono text-xs">{session.agentPublicKey}</dd>
        <dt className="text-fg-muted">Provider API key</dt>
        <dd className="break-all font-mono text-xs">{session.providerPublicKey}</dd>
        {session.status === "pending" ? (
          <>
            <dt className="text-fg-muted">Expires</dt>
            <dd>{formatDateTime(new Date(session.expiresAt).toISOString())}</dd>
          </>
        ) : null}
        {session.status === "completed" ? (
          <>
            <dt className="text-fg-muted">Wallet</dt>
            <dd className="break-all font-mono text-xs" data-testid="wallet-address">
              {session.walletAddress}
            </dd>
            <dt className="text-fg-muted">Sub-organization</dt>
            <dd className="break-all font-mono text-xs">{session.subOrganizationId}</dd>
            <dt className="text-fg-muted">Consensus policy</dt>
            <dd className="break-all font-mono text-xs">{session.policyIds?.join(", ")}</dd>
          </>
        ) : null}
      </dl>
      {session.status === "pending" ? (
        <div className="mt-4 flex items-center gap-3">
          <Button onClick={() => void create()} disabled={busy}>
            {busy ? "Creating the wallet…" : "Create the Turnkey wallet"}
          </Button>
        </div>
      ) : null}
      {error ? (
        <p role="alert" className="mt-3 text-sm text-danger-soft-fg">
          {error}
        </p>
      ) : null}
    </Card>
  );
}
