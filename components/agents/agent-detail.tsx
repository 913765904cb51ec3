"use client";

import Link from "next/link";
import { useState } from "react";
import { useAgent, useAgentKillSwitch, useAttachSigner, useMintAgentToken, useSetAgentAllowList, type AgentDetail, type MintedAgentToken } from "../api/agents";
import { ApiError, describeError } from "../api/errors";
import { useSigners } from "../api/signers";
import type { OrganizationRole } from "../api/types";
import { formatDateTime } from "../format/dates";
import { BotIcon } from "../icons";
import { NativeBalanceCell } from "../signers/native-balance";
import { shortAddress } from "../signers/signer-format";
import { SignerStatusBadge } from "../signers/signer-status-badge";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardBody, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { EmptyState } from "../ui/empty-state";
import { ErrorState } from "../ui/error-state";
import { SecretOnceDialog } from "../ui/secret-once-dialog";
import { Select } from "../ui/select";
import { SkeletonBlock } from "../ui/skeleton";
import { TBody, THead, Table, Td, Th, Tr } from "../ui/table";
import { useToast } from "../ui/toast";
import { canManageAgents, identifierRows, parseAllowList } from "./agent-format";
import { AgentStatusBadge } from "./agent-status-badge";
import { TrustHistoryCard } from "./trust-history-card";
import { IdentityCard } from "./identity-card";
import { TrustScoreCard } from "./trust-score-card";

function KillSwitch({ detail }: { detail: AgentDetail }) {
  const { agent } = detail;
  const { toast } = useToast();
  const [confirming, setConfirming] = useState(false);
  const toggle = useAgentKillSwitch(agent.id);
  if (agent.status === "retired") return null;
  const pausing = agent.status === "active";
  return (
    <>
      <Button
        variant={pausing ? "danger" : "primary"}
        onClick={() => {
          toggle.reset();
          setConfirming(true);
        }}
        data-testid={pausing ? "pause-agent" : "resume-agent"}
      >
        {pausing ? "Pause agent" : "Resume agent"}
      </Button>
      <ConfirmDialog
        open={confirming}
        title={pausing ? `Pause ${agent.name}?` : `Resume ${agent.name}?`}
        description={
          pausing
            ? "Its signing sessions in progress are aborted at once, and new ones, its approval requests and its gateway checks are refused until you resume it."
            : "Its signers can sign again (subject to their guardrails), and its approval requests and gateway checks are accepted again."
        }
        confirmLabel={pausing ? "Pause agent" : "Resume agent"}
        tone={pausing ? "danger" : "primary"}
        pending={toggle.isPending}
        error={toggle.isError ? describeError(toggle.error) : null}
        onClose={() => setConfirming(false)}
        onConfirm={() =>
          toggle.mutate(pausing ? "pause" : "resume", {
            onSuccess: (r) => {
              setConfirming(false);
              toast({
                title: pausing ? "Agent paused" : "Agent resumed",
                description: pausing && r.abortedSessions ? `${r.abortedSessions} signing session(s) aborted.` : undefined,
                tone: "success",
              });
            },
          })
        }
      />
    </>
  );
}

function IdentifiersCard({ detail }: { detail: AgentDetail }) {
  const rows = identifierRows(detail.agent.identifiers);
  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>Identifiers</CardTitle>
          <CardDescription>How each system names this agent.</CardDescription>
        </div>
      </CardHeader>
      <CardBody>
        <dl className="grid gap-2 text-sm sm:grid-cols-[auto_1fr] sm:gap-x-4">
          <dt className="text-fg-muted">Countersign id</dt>
          <dd>
            <code className="font-mono text-xs break-all text-fg">{detail.agent.id}</code>
          </dd>
          {rows.map((r) => (
            <div key={r.label} className="contents">
              <dt className="text-fg-muted">{r.label}</dt>
              <dd>
                <code className="font-mono text-xs break-all text-fg">{r.value}</code>
              </dd>
            </div>
          ))}
        </dl>
        {rows.length === 0 ? <p className="mt-3 text-sm text-fg-muted">No Signet, AEGIS, on-chain or Turnkey identifiers recorded yet.</p> : null}
        {detail.pairings.length ? (
          <p className="mt-3 text-sm text-fg-muted">
            Phone-approval pairings:{" "}
            {detail.pairings.map((p) => (
              <code key={p.id} className="mr-2 font-mono text-xs text-fg" title={p.agentAddress}>
                {shortAddress(p.agentAddress)} ({p.executionMode})
              </code>
            ))}
          </p>
        ) : null}
      </CardBody>
    </Card>
  );
}

function CredentialsCard({ detail, canManage }: { detail: AgentDetail; canManage: boolean }) {
  const mint = useMintAgentToken(detail.agent.id);
  const [minted, setMinted] = useState<MintedAgentToken | null>(null);
  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>Credentials</CardTitle>
          <CardDescription>Its signers&apos; API keys (by prefix; the secrets are never shown again) and short-lived agent tokens.</CardDescription>
        </div>
      </CardHeader>
      <CardBody className="space-y-3">
        {detail.credentials.length ? (
          <ul className="space-y-1 text-sm">
            {detail.credentials.map((c) => (
              <li key={c.id} className="flex flex-wrap items-center gap-2">
                <code className="font-mono text-xs text-fg">{c.prefix}…</code>
                <span className="text-fg-muted">{c.name}</span>
                <span className="text-xs text-fg-muted">{c.lastUsedAt ? `last used ${formatDateTime(c.lastUsedAt)}` : "never used"}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-fg-muted">No signer API keys.</p>
        )}
        {canManage && detail.agent.status === "active" ? (
          <Button
            variant="secondary"
            loading={mint.isPending}
            data-testid="mint-agent-token"
            onClick={() => mint.mutate(undefined, { onSuccess: (t) => setMinted(t) })}
          >
            Mint agent token
          </Button>
        ) : null}
        {mint.isError ? (
          <p role="alert" className="text-sm font-medium text-danger-soft-fg">
            {describeError(mint.error)}
          </p>
        ) : null}
        {minted ? (
          <SecretOnceDialog
            title="Agent token"
            description={`Send it as X-AEGIS-Agent-Token. Scopes: ${minted.scopes.join(", ")}. Expires ${formatDateTime(minted.expiresAt)}.`}
            warning="This token is shown once. Hand it to the agent now; mint a new one when it expires."
            secret={minted.token}
            testId="agent-token-secret"
            onClose={() => setMinted(null)}
          />
        ) : null}
      </CardBody>
    </Card>
  );
}

function SignersCard({ organizationId, detail, canManage }: { organizationId: string; detail: AgentDetail; canManage: boolean }) {
  const all = useSigners(organizationId);
  const attach = useAttachSigner(detail.agent.id);
  const { toast } = useToast();
  const [choice, setChoice] = useState("");
  const candidates = (all.data ?? []).filter((s) => !detail.agent.signerIds.includes(s.id));
  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>Signers</CardTitle>
          <CardDescription>The agent&apos;s wallets: 2-of-3 threshold keys with their balances.</CardDescription>
        </div>
      </CardHeader>
      <CardBody className="space-y-4">
        {detail.signers.length ? (
          <Table aria-label="Agent signers">
            <THead>
              <tr>
                <Th>Name</Th>
                <Th>Address</Th>
                <Th>Balance</Th>
                <Th>Status</Th>
              </tr>
            </THead>
            <TBody>
              {detail.signers.map((s) => (
                <Tr key={s.id} data-testid={`agent-signer-${s.id}`}>
                  <Td label="Name">
                    <Link href={`/signers/${s.id}`} className="text-accent-soft-fg underline-offset-4 hover:underline">
                      {s.name}
                    </Link>
                  </Td>
                  <Td label="Address">{s.address ? <code className="font-mono text-xs" title={s.address}>{shortAddress(s.address)}</code> : <span className="text-fg-muted">Not yet generated</span>}</Td>
                  <Td label="Balance">
                    <NativeBalanceCell organizationId={organizationId} signerId={s.id} hasAddress={s.address !== null} />
                  </Td>
                  <Td label="Status">
                    <SignerStatusBadge status={s.status} />
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        ) : (
          <p className="text-sm text-fg-muted">No signer is attached to this agent.</p>
        )}
        {canManage && detail.agent.status !== "retired" ? (
          <form
            className="flex flex-col gap-2 sm:flex-row sm:items-end"
            onSubmit={(e) => {
              e.preventDefault();
              if (!choice) return;
              attach.mutate(choice, {
                onSuccess: () => {
                  toast({ title: "Signer attached", tone: "success" });
                  setChoice("");
                },
              });
            }}
          >
            <label className="flex-1 space-y-1.5 text-sm font-medium text-fg">
              <span>Attach a signer</span>
              <Select
                aria-label="Signer to attach"
                data-testid="attach-signer-select"
                value={choice}
                onChange={(e) => setChoice(e.target.value)}
                options={[{ value: "", label: candidates.length ? "Choose a signer…" : "No other signers" }, ...candidates.map((s) => ({ value: s.id, label: s.name }))]}
              />
            </label>
            <Button type="submit" variant="secondary" disabled={!choice} loading={attach.isPending} data-testid="attach-signer">
              Attach
            </Button>
          </form>
        ) : null}
        {attach.isError ? (
          <p role="alert" className="text-sm font-medium text-danger-soft-fg">
            {describeError(attach.error)}
          </p>
        ) : null}
      </CardBody>
    </Card>
  );
}

const outcomeTone = { allow: "success", deny: "danger", require_approval: "warning" } as const;
const outcomeLabel = { allow: "Allowed", deny: "Denied", require_approval: "Needs approval" } as const;

function DecisionsCard({ detail }: { detail: AgentDetail }) {
  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>Recent decisions</CardTitle>
          <CardDescription>Signing requests of its signers and how the guardrails decided, newest first.</CardDescription>
        </div>
      </CardHeader>
      <CardBody>
        {detail.recentDecisions.length ? (
          <ul className="divide-y divide-border text-sm" data-testid="agent-decisions">
            {detail.recentDecisions.map((d) => (
              <li key={d.id} className="flex flex-wrap items-center gap-2 py-2">
                <Badge tone={outcomeTone[d.outcome]}>{outcomeLabel[d.outcome]}</Badge>
                <span className="text-fg">{d.kind === "transaction" ? `Transaction to ${d.request.to ? shortAddress(d.request.to) : "a new contract"}` : `Sign ${d.kind}`}</span>
                <span className="text-fg-muted">via {d.signerName}</span>
                <span className="ml-auto text-xs text-fg-muted">{formatDateTime(d.createdAt)}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-fg-muted">No signing requests yet.</p>
        )}
      </CardBody>
    </Card>
  );
}

const checkTone = { allow: "success", block: "danger", pending: "warning" } as const;

function ToolCallsCard({ detail, canManage }: { detail: AgentDetail; canManage: boolean }) {
  const { agent, toolCalls } = detail;
  const setList = useSetAgentAllowList(agent.id);
  const { toast } = useToast();
  const [editing, setEditing] = useState(false);
  const [restrict, setRestrict] = useState(toolCalls.allowedTools !== null);
  const [text, setText] = useState((toolCalls.allowedTools ?? []).join("\n"));
  const gatewayHref = `/gateway?agent=${encodeURIComponent(agent.identifiers.aegisAgentId ?? agent.id)}`;
  return (
    <Card data-testid="agent-tool-calls">
      <CardHeader>
        <div>
          <CardTitle>Tool calls</CardTitle>
          <CardDescription>What the gateway decided on its latest tool calls, and which tools it may call.</CardDescription>
        </div>
      </CardHeader>
      <CardBody className="space-y-4">
        {toolCalls.recent.length ? (
          <ul className="divide-y divide-border text-sm" data-testid="agent-tool-call-list">
            {toolCalls.recent.map((c) => (
              <li key={c.checkId} className="flex flex-wrap items-center gap-2 py-2" data-testid={`agent-tool-call-${c.checkId}`}>
                <Badge tone={checkTone[c.decision]}>{c.decision}</Badge>
                <code className="font-mono text-xs text-fg">{c.toolName}</code>
                <span className="text-xs text-fg-muted">risk {c.riskLevel} · {c.policyName}{c.decidedBy ? ` · by ${c.decidedBy}` : ""}</span>
                <span className="ml-auto text-xs text-fg-muted">{formatDateTime(c.createdAt)}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-fg-muted">No tool calls checked yet.</p>
        )}
        <Link href={gatewayHref} className="inline-block text-sm text-accent-soft-fg underline-offset-4 hover:underline" data-testid="agent-gateway-link">
          All its tool calls in the gateway →
        </Link>
        <div className="space-y-2 border-t border-border pt-3">
          <p className="text-sm font-medium text-fg">Allowed tools</p>
          {toolCalls.allowedTools === null ? (
            <p className="text-sm text-fg-muted" data-testid="agent-allow-list">Every tool (no allow-list).</p>
          ) : toolCalls.allowedTools.length === 0 ? (
            <p className="text-sm text-fg-muted" data-testid="agent-allow-list">No tool: every call is blocked.</p>
          ) : (
            <p className="flex flex-wrap gap-1" data-testid="agent-allow-list">
              {toolCalls.allowedTools.map((t) => (
                <code key={t} className="rounded bg-surface-muted px-1.5 py-0.5 font-mono text-xs text-fg">{t}</code>
              ))}
            </p>
          )}
          {canManage && !editing ? (
            <Button variant="secondary" size="sm" data-testid="edit-allow-list" onClick={() => { setRestrict(toolCalls.allowedTools !== null); setText((toolCalls.allowedTools ?? []).join("\n")); setEditing(true); }}>
              Edit allowed tools
            </Button>
          ) : null}
          {canManage && editing ? (
            <form
              className="space-y-2"
              onSubmit={(e) => {
                e.preventDefault();
                setList.mutate(restrict ? parseAllowList(text) : null, {
                  onSuccess: () => {
                    setEditing(false);
                    toast({ title: "Allowed tools saved", tone: "success" });
                  },
                });
              }}
            >
              <label className="flex items-center gap-2 text-sm text-fg">
                <input type="checkbox" checked={restrict} onChange={(e) => setRestrict(e.target.checked)} data-testid="allow-list-restrict" />
                Only allow the tools listed here
              </label>
              <label className="block space-y-1 text-sm text-fg-muted">
                One tool name per line; <code className="font-mono">prefix*</code> allows every tool starting with it. The gateway blocks any other tool, and the MCP proxy hides it.
                <textarea
                  className="h-28 w-full rounded-md border border-border bg-surface p-2 font-mono text-xs text-fg disabled:opacity-60"
                  value={text}
                  disabled={!restrict}
                  onChange={(e) => setText(e.target.value)}
                  aria-label="Allowed tools"
                  data-testid="allow-list-text"
                  spellCheck={false}
                />
              </label>
              <div className="flex gap-2">
                <Button type="submit" size="sm" loading={setList.isPending} data-testid="save-allow-list">Save</Button>
                <Button type="button" size="sm" variant="secondary" onClick={() => setEditing(false)}>Cancel</Button>
              </div>
              {setList.isError ? (
                <p role="alert" className="text-sm font-medium text-danger-soft-fg">
                  {describeError(setList.error)}
                </p>
              ) : null}
            </form>
          ) : null}
        </div>
      </CardBody>
    </Card>
  );
}

/** A slot for what later issues add; says so instead of showing invented numbers. */
function NotYetAvailable({ title, text, testId }: { title: string; text: string; testId: string }) {
  return (
    <Card data-testid={testId}>
      <CardHeader>
        <div>
          <CardTitle>{title}</CardTitle>
          <CardDescription>Not yet available</CardDescription>
        </div>
      </CardHeader>
      <CardBody>
        <p className="text-sm text-fg-muted">{text}</p>
      </CardBody>
    </Card>
  );
}

export function AgentDetailView({ organizationId, agentId, role }: { organizationId: string; agentId: string; role: OrganizationRole }) {
  const q = useAgent(organizationId, agentId);
  const canManage = canManageAgents(role);
  if (q.isPending) return <SkeletonBlock lines={6} label="Loading agent" />;
  if (q.isError) {
    if (q.error instanceof ApiError && (q.error.statusCode === 404 || q.error.statusCode === 400)) {
      return <EmptyState icon={<BotIcon className="size-5" />} title="Agent not found" description={<p>It does not exist in this organization.</p>} action={<Link href="/agents" className="text-accent-soft-fg underline-offset-4 hover:underline">All agents</Link>} />;
    }
    return <ErrorState message={describeError(q.error)} onRetry={() => q.refetch()} />;
  }
  const detail = q.data;
  const { agent } = detail;
  return (
    <div className="space-y-6">
      <div className="space-y-3">
        <Link href="/agents" className="rounded-sm text-sm text-fg-muted hover:text-fg focus-visible:outline-2 focus-visible:outline-ring">
          ← All agents
        </Link>
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="min-w-0 text-2xl font-semibold [overflow-wrap:anywhere] text-fg" data-testid="agent-name-heading">
            {agent.name}
          </h1>
          <AgentStatusBadge status={agent.status} />
          <div className="ml-auto">{canManage ? <KillSwitch detail={detail} /> : null}</div>
        </div>
        {agent.description ? <p className="max-w-2xl text-sm text-fg-muted">{agent.description}</p> : null}
        {agent.status === "paused" && agent.pausedAt ? (
          <p className="text-sm text-warning-soft-fg" role="status">
            Paused since {formatDateTime(agent.pausedAt)}: signing, approval requests and gateway checks are refused.
          </p>
        ) : null}
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <IdentifiersCard detail={detail} />
        <CredentialsCard detail={detail} canManage={canManage} />
      </div>
      <SignersCard organizationId={organizationId} detail={detail} canManage={canManage} />
      <DecisionsCard detail={detail} />
      <div className="grid gap-6 lg:grid-cols-2">
        <ToolCallsCard detail={detail} canManage={canManage} />
        <TrustScoreCard score={detail.trustScore} />
      </div>
      <TrustHistoryCard organizationId={organizationId} agentId={agent.id} hasScore={detail.trustScore !== null} />
      <IdentityCard organizationId={organizationId} agentId={agent.id} agentName={agent.name} canManage={canManage} />
    </div>
  );
}
