"use client";

import { useTrustHistory, type TrustHistory, type TrustHistoryEvent } from "../api/agents";
import { describeError } from "../api/errors";
import { LineChart, type ChartMarker } from "../charts/line-chart";
import { formatDateTime } from "../format/dates";
import { ListIcon } from "../icons";
import { Badge } from "../ui/badge";
import { Card, CardBody, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { ErrorState } from "../ui/error-state";
import { SkeletonBlock } from "../ui/skeleton";
import { TBody, THead, Table, Td, Th, Tr } from "../ui/table";

type Point = { point: string; composite: number; financial: number; security: number; quality: number };

const GOOD = new Set(["transaction:success"]);
const MIXED = new Set(["transaction:partial"]);

/** A dot per event: green success, amber partial, red failure/timeout/error, indigo registration, none for the sweep. */
function dotOf(e: TrustHistoryEvent | undefined): string | null {
  if (!e) return null;
  if (e.kind === "register") return "var(--chart-1)";
  if (e.kind !== "transaction") return null;
  if (GOOD.has(e.eventType)) return "var(--chart-allowed)";
  if (MIXED.has(e.eventType)) return "var(--chart-pending)";
  return "var(--chart-denied)";
}

function eventLabel(e: TrustHistoryEvent): string {
  if (e.kind === "register") return "registered";
  if (e.kind === "transaction") return `${e.eventType.replace("transaction:", "")}${e.transactionType ? ` (${e.transactionType}${e.source === "countersign" ? ", observed" : ""})` : ""}`;
  return e.eventType.replace(":", " ");
}

function ScoreChart({ history }: { history: TrustHistory }) {
  const events = history.events;
  const data: Point[] = events.map((e, i) => ({ point: String(i + 1), composite: e.composite, financial: e.financial, security: e.security, quality: e.quality }));
  const byPoint = new Map(data.map((d, i) => [d.point, events[i]!]));
  const markers: ChartMarker[] = events.flatMap((e, i) => (e.kind === "config_change" ? [{ at: String(i + 1), label: e.eventType.replace("config_change:", ""), color: "var(--chart-pending)" }] : []));
  const label = (p: string) => {
    const e = byPoint.get(p);
    return e ? `${formatDateTime(e.at)} · ${eventLabel(e)}` : p;
  };
  return (
    <LineChart
      title="Trust score after each event"
      data={data}
      categoryKey="point"
      series={[
        { key: "composite", label: "Composite", color: "var(--chart-1)" },
        { key: "financial", label: "Financial", color: "var(--chart-allowed)" },
        { key: "security", label: "Security", color: "var(--chart-denied)" },
        { key: "quality", label: "Quality", color: "var(--chart-pending)" },
      ]}
      markers={markers}
      dotColor={(row) => dotOf(byPoint.get(row.point))}
      min={0}
      max={1000}
      formatCategory={label}
      height={240}
    />
  );
}

/** The agent's score over time (events marked) and its configuration history (seed 001). */
export function TrustHistoryCard({ organizationId, agentId, hasScore }: { organizationId: string; agentId: string; hasScore: boolean }) {
  const history = useTrustHistory(organizationId, agentId, hasScore);
  const observed = history.data?.events.filter((e) => e.source === "countersign").length ?? 0;
  return (
    <Card data-testid="agent-trust-history">
      <CardHeader>
        <div>
          <CardTitle>Score history</CardTitle>
          <CardDescription>
            The composite and three dimensions after each event (last 100). Dots: green success, amber partial, red failure; dashed lines: configuration changes.
            {observed ? ` ${observed} observed by Countersign.` : ""}
          </CardDescription>
        </div>
      </CardHeader>
      <CardBody>
        {!hasScore ? (
          <EmptyState icon={<ListIcon className="size-5" />} title="No score history" description="The history starts when the agent is registered with POST /register." />
        ) : history.isPending ? (
          <SkeletonBlock lines={4} label="Loading score history" />
        ) : history.isError ? (
          <ErrorState message={describeError(history.error)} onRetry={() => history.refetch()} />
        ) : history.data.events.length === 0 ? (
          <EmptyState icon={<ListIcon className="size-5" />} title="No score history" description="Nothing has changed this agent's score yet." />
        ) : (
          <div className="space-y-6">
            <ScoreChart history={history.data} />
            <div>
              <h3 className="mb-2 text-sm font-medium text-fg">Configuration history</h3>
              {history.data.configs.length === 0 ? (
                <p className="text-sm text-fg-muted">No configuration recorded.</p>
              ) : (
                <Table aria-label="Configuration history" data-testid="agent-trust-configs">
                  <THead>
                    <tr>
                      <Th>When</Th>
                      <Th>Change</Th>
                      <Th>Model</Th>
                      <Th>Tools</Th>
                      <Th>Fingerprint</Th>
                    </tr>
                  </THead>
                  <TBody>
                    {[...history.data.configs].reverse().map((c) => (
                      <Tr key={`${c.at}-${c.fingerprint}`}>
                        <Td label="When" className="text-fg-muted">
                          {formatDateTime(c.at)}
                        </Td>
                        <Td label="Change">{c.changeType ? <Badge tone="warning">{c.changeType}</Badge> : <Badge>initial</Badge>}</Td>
                        <Td label="Model">
                          <span className="font-mono text-xs">
                            {c.modelProvider}/{c.modelName}
                          </span>
                        </Td>
                        <Td label="Tools" className="text-fg-muted">
                          {c.tools.length ? c.tools.join(", ") : "—"}
                        </Td>
                        <Td label="Fingerprint">
                          <span className="font-mono text-xs" title={c.fingerprint}>
                            {c.fingerprint.slice(0, 12)}…
                          </span>
                        </Td>
                      </Tr>
                    ))}
                  </TBody>
                </Table>
              )}
            </div>
          </div>
        )}
      </CardBody>
    </Card>
  );
}
