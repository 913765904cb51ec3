"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import type { CheckView } from "@/lib/gateway/checks";
import type { Decision } from "@/lib/gateway/model";
import { api } from "../api/client";
import { decideGatewayCheck } from "../api/approvals";
import { describeError } from "../api/errors";
import { BarChart } from "../charts/bar-chart";
import { formatRelative } from "../format/dates";
import { Badge, type BadgeTone } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardBody, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { ErrorState } from "../ui/error-state";
import { Input } from "../ui/input";
import { Select } from "../ui/select";
import { SkeletonBlock } from "../ui/skeleton";
import { TBody, THead, Table, Td, Th, Tr } from "../ui/table";
import { useToast } from "../ui/toast";
import { checkSchemaText } from "./schema-check";

/** A check as the gateway routes return it (lib/gateway/checks.ts). */
export type GatewayCheck = CheckView;
type Counts = { allow: number; block: number; pending: number };
type Stats = { totals: Counts; tools: ({ name: string } & Counts)[]; agents: ({ name: string } & Counts)[]; timeline: ({ hour: string } & Counts)[] };
type ToolPolicy = { id: string; name: string; description: string | null; policy_schema: unknown; risk_level: string; on_match: "block" | "pending"; enabled: boolean; version: number; source: "platform" | "organization"; overridden: boolean; template: string | null };
type Template = { name: string; title: string; description: string; risk_level: string; options: string[] };

const TONE: Record<Decision, BadgeTone> = { allow: "success", block: "danger", pending: "warning" };
const REFRESH_MS = 3000;

function DecisionBadge({ decision }: { decision: Decision }) {
  return <Badge tone={TONE[decision]} data-testid="decision-badge">{decision}</Badge>;
}

function useGatewayData(filters: { agent: string; tool: string; decision: string }) {
  const q = new URLSearchParams({ limit: "50" });
  if (filters.agent) q.set("agent_id", filters.agent);
  if (filters.tool) q.set("tool", filters.tool);
  if (filters.decision) q.set("decision", filters.decision);
  const feed = useQuery({ queryKey: ["gateway", "feed", q.toString()], queryFn: ({ signal }) => api.get<{ items: GatewayCheck[] }>(`/api/v1/gateway/checks?${q}`, signal), refetchInterval: REFRESH_MS });
  const pending = useQuery({ queryKey: ["gateway", "pending"], queryFn: ({ signal }) => api.get<{ items: GatewayCheck[] }>("/api/v1/gateway/checks?decision=pending&limit=100", signal), refetchInterval: REFRESH_MS });
  const stats = useQuery({ queryKey: ["gateway", "stats"], queryFn: ({ signal }) => api.get<Stats>("/api/v1/gateway/stats?hours=24", signal), refetchInterval: REFRESH_MS * 2 });
  const anomalies = useQuery({ queryKey: ["gateway", "anomalies"], queryFn: ({ signal }) => api.get<{ anomalies: GatewayCheck[] }>("/api/v1/anomalies?min_score=0.3&limit=20", signal), refetchInterval: REFRESH_MS * 2 });
  const policies = useQuery({ queryKey: ["gateway", "policies"], queryFn: ({ signal }) => api.get<{ policies: ToolPolicy[]; templates: Template[] }>("/api/v1/policies", signal) });
  return { feed, pending, stats, anomalies, policies };
}

function Counters({ stats }: { stats: Stats }) {
  const items: [string, number, BadgeTone][] = [["Allowed", stats.totals.allow, "success"], ["Blocked", stats.totals.block, "danger"], ["Pending", stats.totals.pending, "warning"]];
  return (
    <div className="grid grid-cols-3 gap-3" data-testid="gateway-counters">
      {items.map(([label, n, tone]) => (
        <Card key={label}>
          <CardBody className="space-y-1">
            <p className="text-xs text-fg-muted">{label} (24 h)</p>
            <p className="text-2xl font-semibold text-fg" data-testid={`count-${label.toLowerCase()}`}>{n}</p>
            <Badge tone={tone}>{label.toLowerCase()}</Badge>
          </CardBody>
        </Card>
      ))}
    </div>
  );
}

const hourLabel = (iso: string) => new Date(iso).toLocaleTimeString("en", { hour: "2-digit", minute: "2-digit" });

/** Decisions per hour as stacked bars (allow, pending, block), with the dashboard's shared bar chart. */
function Timeline({ timeline }: { timeline: Stats["timeline"] }) {
  if (timeline.length === 0) return <p className="text-xs text-fg-muted">No checks in the last 24 hours.</p>;
  return (
    <div data-testid="decisions-chart">
      <BarChart
        title="Decisions per hour, last 24 h"
        data={timeline}
        categoryKey="hour"
        stacked
        series={[
          { key: "allow", label: "Allowed", color: "var(--chart-allowed)" },
          { key: "pending", label: "Pending", color: "var(--chart-pending)" },
          { key: "block", label: "Blocked", color: "var(--chart-denied)" },
        ]}
        formatCategory={hourLabel}
        height={160}
      />
    </div>
  );
}

function Breakdown({ title, rows }: { title: string; rows: ({ name: string } & Counts)[] }) {
  return (
    <div>
      <h3 className="mb-2 text-sm font-medium text-fg">{title}</h3>
      <ul className="space-y-1 text-sm">
        {rows.slice(0, 8).map((r) => (
          <li key={r.name} className="flex justify-between gap-2">
            <code className="truncate font-mono text-fg">{r.name}</code>
            <span className="text-fg-muted">{r.allow} / {r.pending} / {r.block}</span>
          </li>
        ))}
        {rows.length === 0 ? <li className="text-fg-muted">None yet</li> : null}
      </ul>
    </div>
  );
}

export function PendingList({ items, canDecide = true }: { items: GatewayCheck[]; canDecide?: boolean }) {
  const qc = useQueryClient();
  const { toast } = useToast();
  const decide = useMutation({
    mutationFn: ({ id, decision, risk }: { id: string; decision: "allow" | "block"; risk: string }) => decideGatewayCheck(id, decision, risk),
    onSuccess: (_d, v) => toast({ title: v.decision === "allow" ? "Tool call allowed" : "Tool call blocked", tone: "success" }),
    onError: (e) => toast({ title: "Could not decide", description: describeError(e), tone: "error" }),
    onSettled: () => void qc.invalidateQueries({ queryKey: ["gateway"] }),
  });
  if (items.length === 0) return <p className="text-sm text-fg-muted">Nothing waits for a decision.</p>;
  return (
    <ul className="space-y-3">
      {items.map((c) => (
        <li key={c.check_id} className="rounded-lg border border-border p-3" data-testid={`pending-${c.check_id}`}>
          <div className="flex flex-wrap items-center justify-between gap-2">
            <div>
              <p className="font-medium text-fg">
                <code className="font-mono">{c.tool_name}</code> by {c.agent.name} <Badge tone="warning">{c.risk_level}</Badge>
              </p>
              <p className="text-xs text-fg-muted">{c.reasons.map((r) => `${r.message} — ${r.hint}`).join(" · ") || c.policy_name}</p>
              {c.expires_at ? <p className="text-xs text-fg-muted">Blocked {formatRelative(c.expires_at)} if nobody decides</p> : null}
              {canDecide && (c.risk_level === "HIGH" || c.risk_level === "CRITICAL") ? <p className="text-xs text-fg-muted">Allowing asks for your passkey.</p> : null}
            </div>
            {canDecide ? <div className="flex gap-2">
              <Button size="sm" onClick={() => decide.mutate({ id: c.check_id, decision: "allow", risk: c.risk_level })} disabled={decide.isPending} data-testid={`allow-${c.check_id}`}>Allow</Button>
              <Button size="sm" variant="danger" onClick={() => decide.mutate({ id: c.check_id, decision: "block", risk: c.risk_level })} disabled={decide.isPending} data-testid={`block-${c.check_id}`}>Block</Button>
            </div> : null}
          </div>
        </li>
      ))}
    </ul>
  );
}

function Feed({ items }: { items: GatewayCheck[] }) {
  if (items.length === 0) return <p className="text-sm text-fg-muted">No checks match.</p>;
  return (
    <Table>
      <THead>
        <tr><Th>When</Th><Th>Agent</Th><Th>Tool</Th><Th>Decision</Th><Th>Policy</Th><Th>Risk</Th><Th>Anomaly</Th></tr>
      </THead>
      <TBody>
        {items.map((c) => (
          <Tr key={c.check_id} data-testid={`check-row-${c.check_id}`}>
            <Td label="When" className="text-fg-muted">{formatRelative(c.created_at)}</Td>
            <Td label="Agent">{c.agent.name}</Td>
            <Td label="Tool"><code className="font-mono">{c.tool_name}</code> <span className="text-xs text-fg-muted">{c.classification.category}</span></Td>
            <Td label="Decision"><DecisionBadge decision={c.decision} />{c.decided_by ? <span className="ml-1 text-xs text-fg-muted">by {c.decided_by}</span> : null}</Td>
            <Td label="Policy"><code className="font-mono text-xs">{c.policy_name}</code></Td>
            <Td label="Risk">{c.risk_level}</Td>
            <Td label="Anomaly">{c.anomaly_score.toFixed(2)}</Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}

const DEFAULT_SCHEMA = JSON.stringify({ if: { properties: { tool_name: { const: "refund" } } }, then: { properties: { arguments: { properties: { amount: { type: "number", maximum: 100 } } } } } }, null, 2);

type Backtest = {
  policy: { id: string; replaces: boolean };
  items: { check_id: string; agent_id: string; tool_name: string; at: string; then: Decision; now: Decision; changed: boolean; policy_name: string; draft_matched: boolean; reasons: string[] }[];
  summary: { total: number; changed: number; allowToBlock: number; blockToAllow: number; toPending: number; fromPending: number; draftMatched: number; skipped: number };
};

/** What the draft would have decided on the recorded calls: the counts, then each call it changes. */
function BacktestResult({ result }: { result: Backtest }) {
  const { summary } = result;
  const changed = result.items.filter((i) => i.changed);
  return (
    <div className="space-y-2 rounded-lg border border-border p-3 text-sm" data-testid="backtest-result">
      <p className="text-fg" data-testid="backtest-summary" role="status">
        Over {summary.total} past call{summary.total === 1 ? "" : "s"}{result.policy.replaces ? ` (replacing ${result.policy.id})` : ""}: the draft matches {summary.draftMatched}, changes {summary.changed} — {summary.allowToBlock} allowed → blocked, {summary.blockToAllow} blocked → allowed, {summary.toPending} now held for review.
        {summary.skipped ? ` ${summary.skipped} rate-limited or kill-switch call(s) skipped.` : ""}
      </p>
      {changed.length ? (
        <ul className="divide-y divide-border">
          {changed.slice(0, 20).map((i) => (
            <li key={i.check_id} className="flex flex-wrap items-center gap-2 py-1.5" data-testid={`backtest-item-${i.check_id}`}>
              <code className="font-mono text-xs">{i.tool_name}</code>
              <span className="text-xs text-fg-muted">by {i.agent_id}, {formatRelative(i.at)}</span>
              <DecisionBadge decision={i.then} /> → <DecisionBadge decision={i.now} />
              {i.reasons[0] ? <span className="w-full text-xs text-fg-muted">{i.reasons[0]}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function NewPolicy({ templates }: { templates: Template[] }) {
  const qc = useQueryClient();
  const { toast } = useToast();
  const [kind, setKind] = useState<string>("schema");
  const [id, setId] = useState("");
  const [name, setName] = useState("");
  const [risk, setRisk] = useState("HIGH");
  const [onMatch, setOnMatch] = useState("block");
  const [text, setText] = useState(DEFAULT_SCHEMA);
  const validity = useMemo(() => (kind === "schema" ? checkSchemaText(text) : null), [kind, text]);
  const create = useMutation({
    mutationFn: () =>
      api.post("/api/v1/policies", {
        ...(id ? { id } : {}),
        name: name || id || kind,
        risk_level: risk,
        on_match: onMatch,
        policy_schema: kind === "schema" ? (validity && validity.ok ? validity.schema : {}) : { template: kind, options: {} },
      }),
    onSuccess: () => {
      toast({ title: "Policy created", tone: "success" });
      setId("");
      setName("");
      void qc.invalidateQueries({ queryKey: ["gateway", "policies"] });
    },
    onError: (e) => toast({ title: "Could not create the policy", description: describeError(e), tone: "error" }),
  });
  const trial = useMutation({
    mutationFn: () =>
      api.post<Backtest>("/api/v1/gateway/policies/backtest", {
        policy: {
          ...(id ? { id } : {}),
          ...(name ? { name } : {}),
          risk_level: risk,
          on_match: onMatch,
          policy_schema: kind === "schema" ? (validity && validity.ok ? validity.schema : {}) : { template: kind, options: {} },
        },
        limit: 500,
      }),
    onError: (e) => toast({ title: "Could not backtest the policy", description: describeError(e), tone: "error" }),
  });
  const invalid = validity !== null && !validity.ok;
  return (
    <form className="space-y-3" onSubmit={(e) => { e.preventDefault(); if (!invalid) create.mutate(); }} data-testid="new-policy-form">
      <div className="grid gap-3 sm:grid-cols-2">
        <label className="space-y-1 text-sm">Kind
          <Select value={kind} onChange={(e) => setKind(e.target.value)} aria-label="Policy kind" data-testid="policy-kind" options={[{ value: "schema", label: "JSON Schema" }, ...templates.map((t) => ({ value: t.name, label: `Template: ${t.title}` }))]} />
        </label>
        <label className="space-y-1 text-sm">Id (slug, optional)
          <Input value={id} onChange={(e) => setId(e.target.value)} placeholder="refund-cap" data-testid="policy-id" />
        </label>
        <label className="space-y-1 text-sm">Name
          <Input value={name} onChange={(e) => setName(e.target.value)} placeholder="Refunds up to 100" data-testid="policy-name" />
        </label>
        <div className="grid grid-cols-2 gap-3">
          <label className="space-y-1 text-sm">Risk
            <Select value={risk} onChange={(e) => setRisk(e.target.value)} options={["LOW", "MEDIUM", "HIGH", "CRITICAL"].map((r) => ({ value: r, label: r }))} />
          </label>
          <label className="space-y-1 text-sm">On match
            <Select value={onMatch} onChange={(e) => setOnMatch(e.target.value)} options={[{ value: "block", label: "Block" }, { value: "pending", label: "Ask a human" }]} />
          </label>
        </div>
      </div>
      {kind === "schema" ? (
        <label className="block space-y-1 text-sm">JSON Schema over {"{ tool_name, arguments }"} — a call that does not validate matches
          <textarea
            className="h-48 w-full rounded-md border border-border bg-surface p-2 font-mono text-xs text-fg"
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-invalid={invalid || undefined}
            data-testid="policy-schema"
            spellCheck={false}
          />
          <span className={invalid ? "text-xs text-danger" : "text-xs text-success"} data-testid="schema-status" role="status">
            {validity && !validity.ok ? validity.error : "Valid JSON Schema (draft 2020-12)"}
          </span>
        </label>
      ) : (
        <p className="text-xs text-fg-muted">{templates.find((t) => t.name === kind)?.description}</p>
      )}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={invalid || create.isPending} data-testid="create-policy">Create policy</Button>
        <Button type="button" variant="secondary" disabled={invalid || trial.isPending} loading={trial.isPending} onClick={() => trial.mutate()} data-testid="backtest-policy">Backtest on past calls</Button>
      </div>
      {trial.data ? <BacktestResult result={trial.data} /> : null}
    </form>
  );
}

function Policies({ policies, templates }: { policies: ToolPolicy[]; templates: Template[] }) {
  const qc = useQueryClient();
  const { toast } = useToast();
  const remove = useMutation({
    mutationFn: (id: string) => api.delete(`/api/v1/policies/${encodeURIComponent(id)}`),
    onSettled: () => void qc.invalidateQueries({ queryKey: ["gateway", "policies"] }),
    onError: (e) => toast({ title: "Could not change the policy", description: describeError(e), tone: "error" }),
  });
  return (
    <div className="space-y-4">
      <ul className="divide-y divide-border text-sm">
        {policies.map((p) => (
          <li key={p.id} className="flex flex-wrap items-center justify-between gap-2 py-2" data-testid={`policy-${p.id}`}>
            <div>
              <p className="font-medium text-fg">{p.name} <code className="font-mono text-xs text-fg-muted">{p.id}</code></p>
              <p className="text-xs text-fg-muted">{p.template ? `template ${p.template}` : "JSON Schema"} · {p.risk_level} · on match {p.on_match} · {p.source === "platform" ? (p.overridden ? "platform default (overridden)" : "platform default") : "organization"}</p>
            </div>
            <div className="flex items-center gap-2">
              <Badge tone={p.enabled ? "success" : "neutral"}>{p.enabled ? "enabled" : "disabled"}</Badge>
              <Button size="sm" variant="ghost" onClick={() => remove.mutate(p.id)} disabled={remove.isPending}>
                {p.source === "platform" ? (p.overridden ? "Restore default" : "Disable") : "Delete"}
              </Button>
            </div>
          </li>
        ))}
      </ul>
      <NewPolicy templates={templates} />
    </div>
  );
}

export function GatewayDashboard({ initialAgent = "" }: { initialAgent?: string }) {
  const [filters, setFilters] = useState({ agent: initialAgent, tool: "", decision: "" });
  const { feed, pending, stats, anomalies, policies } = useGatewayData(filters);
  if (feed.isError) return <ErrorState title="Could not load the gateway" message={describeError(feed.error)} onRetry={() => void feed.refetch()} />;
  return (
    <div className="space-y-6">
      {stats.data ? <Counters stats={stats.data} /> : <SkeletonBlock lines={3} />}
      <Card>
        <CardHeader><CardTitle>Waiting for a decision</CardTitle><CardDescription>Tool calls held for a human. They are also in the approvals inbox.</CardDescription></CardHeader>
        <CardBody>{pending.data ? <PendingList items={pending.data.items} /> : <SkeletonBlock lines={3} />}</CardBody>
      </Card>
      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader><CardTitle>Decisions over time</CardTitle></CardHeader>
          <CardBody>{stats.data ? <Timeline timeline={stats.data.timeline} /> : <SkeletonBlock lines={3} />}</CardBody>
        </Card>
        <Card>
          <CardHeader><CardTitle>Per tool and agent</CardTitle><CardDescription>allowed / pending / blocked</CardDescription></CardHeader>
          <CardBody className="space-y-4">{stats.data ? <><Breakdown title="Tools" rows={stats.data.tools} /><Breakdown title="Agents" rows={stats.data.agents} /></> : <SkeletonBlock lines={3} />}</CardBody>
        </Card>
      </div>
      <Card>
        <CardHeader><CardTitle>Live feed</CardTitle></CardHeader>
        <CardBody className="space-y-3">
          <div className="grid gap-2 sm:grid-cols-3">
            <Input placeholder="Agent id" aria-label="Filter by agent" value={filters.agent} onChange={(e) => setFilters({ ...filters, agent: e.target.value })} />
            <Input placeholder="Tool" aria-label="Filter by tool" value={filters.tool} onChange={(e) => setFilters({ ...filters, tool: e.target.value })} />
            <Select aria-label="Filter by decision" value={filters.decision} onChange={(e) => setFilters({ ...filters, decision: e.target.value })} options={[{ value: "", label: "Any decision" }, { value: "allow", label: "Allowed" }, { value: "pending", label: "Pending" }, { value: "block", label: "Blocked" }]} />
          </div>
          {feed.data ? <Feed items={feed.data.items} /> : <SkeletonBlock lines={3} />}
        </CardBody>
      </Card>
      <Card>
        <CardHeader><CardTitle>Anomalies</CardTitle><CardDescription>Calls unlike the agent's own history (score ≥ 0.3), with the signals that raised them.</CardDescription></CardHeader>
        <CardBody>
          {anomalies.data?.anomalies.length ? (
            <ul className="space-y-2 text-sm">
              {anomalies.data.anomalies.map((a) => (
                <li key={a.check_id}><code className="font-mono">{a.tool_name}</code> by {a.agent.name}: <strong>{a.anomaly_score.toFixed(2)}</strong> <DecisionBadge decision={a.decision} /> <span className="text-xs text-fg-muted">{a.anomaly_signals.map((s) => s.detail).join("; ")}</span></li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-fg-muted">No anomalies.</p>
          )}
        </CardBody>
      </Card>
      <Card>
        <CardHeader><CardTitle>Tool policies</CardTitle><CardDescription>Platform defaults (the templates) and your own. A rules document can also hold tool rules (fields tool, arguments.*, category, risk, anomaly_score, agent).</CardDescription></CardHeader>
        <CardBody>{policies.data ? <Policies policies={policies.data.policies} templates={policies.data.templates} /> : <SkeletonBlock lines={3} />}</CardBody>
      </Card>
    </div>
  );
}

/** The approvals inbox's section for tool calls held by the gateway (same Allow / Block as /gateway). */
export function PendingToolCalls({ canDecide }: { canDecide: boolean }) {
  const pending = useQuery({ queryKey: ["gateway", "pending"], queryFn: ({ signal }) => api.get<{ items: GatewayCheck[] }>("/api/v1/gateway/checks?decision=pending&limit=100", signal), refetchInterval: REFRESH_MS });
  return (
    <section aria-labelledby="tool-calls-heading" className="space-y-3" data-testid="inbox-tool-calls">
      <h2 id="tool-calls-heading" className="text-base font-semibold text-fg">
        Tool calls waiting <span className="text-fg-muted">({pending.data?.items.length ?? 0})</span>
      </h2>
      {pending.data ? <PendingList items={pending.data.items} canDecide={canDecide} /> : <SkeletonBlock lines={2} />}
    </section>
  );
}
