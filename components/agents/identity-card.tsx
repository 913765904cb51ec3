"use client";

import { useState } from "react";
import { describeError } from "../api/errors";
import { useNetworks } from "../api/signers";
import {
  useAgentIdentity,
  useDeregisterStatus,
  useExportAgentKey,
  useRegisterStatus,
  useStartDeregistration,
  useStartVerification,
  type AgentIdentity,
  type RegisterStatus,
} from "../api/identity";
import { QrCode } from "../signers/create-signer-invitation";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardBody, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { SecretOnceDialog } from "../ui/secret-once-dialog";
import { SkeletonBlock } from "../ui/skeleton";
import { createSmartWalletPasskey, rememberedPasskey, submitSmartWalletRegistration, type SubmitProgress } from "./smart-wallet";

function IdentityFacts({ identity }: { identity: NonNullable<AgentIdentity["identity"]> }) {
  const c = identity.credentials;
  const ofac = c.ofac.some(Boolean) ? "listed" : "clear";
  return (
    <dl className="grid gap-2 text-sm sm:grid-cols-[auto_1fr] sm:gap-x-4" data-testid="identity-facts">
      <dt className="text-fg-muted">Agent</dt>
      <dd>
        #{identity.agentId} on chain {identity.chainId}
      </dd>
      <dt className="text-fg-muted">Address</dt>
      <dd>
        <code className="font-mono text-xs break-all">{identity.agentAddress}</code>
      </dd>
      <dt className="text-fg-muted">Strength</dt>
      <dd>
        <Badge tone={identity.isVerified ? "success" : "warning"}>{identity.strengthLabel}</Badge>
      </dd>
      <dt className="text-fg-muted">Disclosed</dt>
      <dd>
        {[c.olderThan ? `${c.olderThan}+` : null, c.nationality || null, `OFAC ${ofac}`].filter(Boolean).join(" · ")}
      </dd>
      <dt className="text-fg-muted">Agents of this human</dt>
      <dd>
        {identity.humanAgentCount} of at most {identity.maxAgentsPerHuman}
      </dd>
    </dl>
  );
}

/** A proof-of-human session waiting for the person's app: QR, deep link (the mock passport in development), stage. */
function SessionPrompt({ session, stage, error, testId }: { session: { qrData: string; deepLink: string }; stage?: string; error?: string; testId: string }) {
  return (
    <div className="space-y-2" data-testid={testId}>
      <p className="text-sm">Scan with the proof-of-personhood app, or open the link on this device:</p>
      <div data-testid="identity-qr">
        <QrCode text={session.qrData} label="Proof of human request" size={176} />
      </div>
      <a href={session.deepLink} target="_blank" rel="noreferrer" className="text-sm break-all text-accent-soft-fg underline" data-testid="identity-deep-link">
        Open the mock passport (development)
      </a>
      <p className="text-sm" role="status" data-testid="identity-stage">
        Stage: {stage ?? "qr-ready"}
        {error ? ` — ${error}` : ""}
      </p>
    </div>
  );
}

const SUBMIT_STEPS: Record<SubmitProgress, string> = {
  token: "Asking for a sponsorship token…",
  signing: "Confirm with your passkey: it signs the UserOperation…",
  bundling: "Sent to the bundler: waiting for it to be mined…",
  mined: "Mined: waiting for the registry to show it…",
};

/**
 * smartwallet mode after the proof: the registration goes on chain from the passkey's account, a
 * UserOperation the paymaster sponsors (the first one also deploys the account).
 */
function SmartWalletSubmit({ agentId, status }: { agentId: string; status: RegisterStatus }) {
  const networks = useNetworks();
  const [progress, setProgress] = useState<SubmitProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const plan = status.smartWallet;
  if (!plan?.call) return null;
  const network = networks.data?.find((n) => n.chainId === status.chainId);
  const passkey = rememberedPasskey(agentId);
  const busy = progress !== null && progress !== "mined" && error === null;
  return (
    <div className="space-y-2 rounded-md border border-border p-3" data-testid="smartwallet-submit">
      <p className="text-sm">
        Proof verified. The identity token goes to your passkey&apos;s smart account <code className="font-mono text-xs break-all">{plan.account}</code>: sign its registration with the passkey (no gas needed, the app sponsors it).
      </p>
      {!passkey ? <p className="text-sm text-danger-soft-fg">This browser does not hold the passkey this registration was started with: start again here.</p> : null}
      <Button
        loading={busy}
        disabled={!passkey || !network || busy || progress === "mined"}
        onClick={() => {
          setError(null);
          submitSmartWalletRegistration({ network: network!, passkey: passkey!, plan }, setProgress).then(
            (r) => (r.success ? undefined : setError(`The UserOperation reverted (tx ${r.transactionHash.slice(0, 10)}…)`)),
            (err: unknown) => setError(err instanceof Error ? err.message.split("\n")[0]! : String(err)),
          );
        }}
        data-testid="smartwallet-sign"
      >
        Sign registration with passkey
      </Button>
      {progress && !error ? (
        <p className="text-sm" role="status" data-testid="smartwallet-progress">
          {SUBMIT_STEPS[progress]}
        </p>
      ) : null}
      {error ? (
        <p className="text-sm text-danger-soft-fg" role="alert" data-testid="smartwallet-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/**
 * The agent's on-chain identity: "Verify as human" (a seed 003 registration session) while it has
 * none — its token held by the agent's address, or (smartwallet mode) by a passkey-owned smart account
 * — and "Deregister" (a deregistration session: the person proves again, the token is burned) once it
 * has one.
 */
export function IdentityCard({ organizationId, agentId, agentName, canManage }: { organizationId: string; agentId: string; agentName: string; canManage: boolean }) {
  const identity = useAgentIdentity(organizationId, agentId);
  const start = useStartVerification(agentId);
  const [token, setToken] = useState<string | null>(null);
  const status = useRegisterStatus(token);
  const exportKey = useExportAgentKey(token);
  const [secret, setSecret] = useState<string | null>(null);
  const session = start.data;
  const leave = useStartDeregistration();
  const [leaveToken, setLeaveToken] = useState<string | null>(null);
  const leaveStatus = useDeregisterStatus(leaveToken);
  const [confirmLeave, setConfirmLeave] = useState(false);
  const leaving = leave.data;
  const [passkeyError, setPasskeyError] = useState<string | null>(null);
  const [creatingPasskey, setCreatingPasskey] = useState(false);

  async function startSmartWallet() {
    setPasskeyError(null);
    setCreatingPasskey(true);
    try {
      const passkey = await createSmartWalletPasskey(agentId, agentName);
      start.mutate({ passkeyPublicKey: passkey.publicKey }, { onSuccess: (s) => setToken(s.sessionToken) });
    } catch (err) {
      setPasskeyError(err instanceof Error ? err.message.split("\n")[0]! : String(err));
    } finally {
      setCreatingPasskey(false);
    }
  }

  return (
    <Card data-testid="identity-card">
      <CardHeader>
        <div>
          <CardTitle>Proof of human</CardTitle>
          <CardDescription>An on-chain identity backed by a person&apos;s proof of personhood (one soulbound token per agent).</CardDescription>
        </div>
      </CardHeader>
      <CardBody className="space-y-3">
        {identity.isPending ? <SkeletonBlock lines={3} label="Loading identity" /> : null}
        {identity.isError ? <p className="text-sm text-fg-muted">Identity unavailable: {describeError(identity.error)}</p> : null}
        {identity.data?.identity ? <IdentityFacts identity={identity.data.identity} /> : null}
        {identity.data && !identity.data.identity ? <p className="text-sm text-fg-muted">Not verified as human yet.</p> : null}

        {session?.smartWallet && status.data?.stage !== "completed" ? (
          <p className="text-sm" data-testid="smartwallet-account">
            Smart account (passkey-owned, deployed by its first operation): <code className="font-mono text-xs break-all">{session.smartWallet.account}</code>
          </p>
        ) : null}
        {session && status.data?.stage !== "completed" ? <SessionPrompt session={session} stage={status.data?.stage} error={status.data?.error} testId="identity-session" /> : null}
        {status.data?.stage === "proof-received" && status.data.smartWallet?.call ? <SmartWalletSubmit agentId={agentId} status={status.data} /> : null}
        {leaving && leaveStatus.data?.stage !== "completed" ? <SessionPrompt session={leaving} stage={leaveStatus.data?.stage} error={leaveStatus.data?.error} testId="identity-deregister-session" /> : null}
        {leaveStatus.data?.stage === "completed" ? (
          <p className="text-sm" role="status" data-testid="identity-deregistered">
            <Badge tone="neutral">Deregistered</Badge> Agent #{leaveStatus.data.agentId} burned{leaveStatus.data.txHash ? ` (tx ${leaveStatus.data.txHash.slice(0, 10)}…)` : ""}: it no longer has an on-chain identity.
          </p>
        ) : null}
        {status.data?.stage === "completed" && token ? (
          <div className="space-y-2" role="status" data-testid="identity-completed">
            <p className="text-sm">
              Verified: agent #{status.data.agentId} minted{status.data.txHash ? ` (tx ${status.data.txHash.slice(0, 10)}…)` : ""}
              {status.data.humanAddress ? ` to the passkey's smart account ${status.data.humanAddress.slice(0, 10)}…` : ""}.
            </p>
            <Button
              variant="secondary"
              loading={exportKey.isPending}
              disabled={exportKey.isSuccess}
              onClick={() => exportKey.mutate(undefined, { onSuccess: (r) => setSecret(r.privateKey) })}
              data-testid="identity-export-key"
            >
              Export agent key
            </Button>
            {exportKey.isError ? <p className="text-sm text-danger-soft-fg">{describeError(exportKey.error)}</p> : null}
          </div>
        ) : null}
        {canManage && identity.data && identity.data.status !== "registered" && (!session || status.data?.stage === "failed") ? (
          <div className="flex flex-wrap gap-2">
            <Button
              loading={start.isPending && !start.variables}
              disabled={start.isPending || creatingPasskey}
              onClick={() => start.mutate(undefined, { onSuccess: (s) => setToken(s.sessionToken) })}
              data-testid="verify-as-human"
            >
              Verify as human
            </Button>
            <Button variant="secondary" loading={creatingPasskey || (start.isPending && !!start.variables)} disabled={start.isPending || creatingPasskey} onClick={() => void startSmartWallet()} data-testid="verify-smartwallet">
              Verify with a passkey wallet
            </Button>
          </div>
        ) : null}
        {passkeyError ? (
          <p role="alert" className="text-sm text-danger-soft-fg" data-testid="smartwallet-passkey-error">
            Passkey not created: {passkeyError}
          </p>
        ) : null}
        {canManage && identity.data?.identity && (!leaving || leaveStatus.data?.stage === "failed") ? (
          <Button variant="danger" onClick={() => setConfirmLeave(true)} data-testid="identity-deregister">
            Deregister
          </Button>
        ) : null}
        {start.isError ? (
          <p role="alert" className="text-sm text-danger-soft-fg">
            {describeError(start.error)}
          </p>
        ) : null}
      </CardBody>
      {identity.data?.identity ? (
        <ConfirmDialog
          open={confirmLeave}
          title={`Deregister agent #${identity.data.identity.agentId}?`}
          description="Its soulbound identity token is burned on chain once the person who verified it proves again with the same document, and the human's agent slot is freed. Signed requests from this agent are refused from then on."
          confirmLabel="Deregister"
          pending={leave.isPending}
          error={leave.isError ? describeError(leave.error) : null}
          onClose={() => setConfirmLeave(false)}
          onConfirm={() => {
            const i = identity.data!.identity!;
            leave.mutate(
              { chainId: i.chainId, agentAddress: i.agentAddress },
              {
                onSuccess: (s) => {
                  setLeaveToken(s.sessionToken);
                  setConfirmLeave(false);
                },
              },
            );
          }}
        />
      ) : null}
      {secret ? (
        <SecretOnceDialog
          title="Agent identity key"
          description="The private key of the agent's registered identity: it signs x-self-agent-* requests (countersign identity sign)."
          warning="Shown once: the server erased its copy."
          secret={secret}
          testId="identity-key-dialog"
          onClose={() => setSecret(null)}
        />
      ) : null}
    </Card>
  );
}
