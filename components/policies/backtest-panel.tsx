"use client";

import { useMutation } from "@tanstack/react-query";
import type { RulesDocument } from "@/lib/policy/rules-model";
import { describeError } from "../api/errors";
import { runBacktest, type BacktestResponse, type Decision } from "../api/policies";
import { BarChart } from "../charts/bar-chart";
import { formatDateTime } from "../format/dates";
import { Badge, type BadgeTone } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardBody, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { ErrorState } from "../ui/error-state";
import { TBody, THead, Table, Td, Th, Tr } from "../ui/table";
import { CHANGE_KINDS, CHANGE_LABEL, DECISION_LABEL, bucketByDay, type ChangeKind, type DayBucket } from "./backtest-format";

/* Colours come from the theme's tokens so the chart follows light and dark mode. */
const CHANGE_FILL: Record<ChangeKind, string> = {
  unchanged: "var(--border-strong)",
  allowToDeny: "var(--chart-denied)",
  denyToAllow: "var(--chart-allowed)",
  toApproval: "var(--chart-pending)",
  fromApproval: "var(--chart-1)",
};

const DECISION_TONE: Record<Decision, BadgeTone> = { allow: "success", deny: "danger", require_approval: "warning" };

function DecisionBadge({ decision }: { decision: Decision }) {
  return <Badge tone={DECISION_TONE[decision]}>{DECISION_LABEL[decision]}</Badge>;
}

/** Stacked bars per day: unchanged and each kind of change (the dashboard's shared bar chart). */
export function BacktestChart({ buckets }: { buckets: DayBucket[] }) {
  return (
    <div data-testid="backtest-chart">
      <BarChart
        title="Requests per day by change"
        data={buckets}
        categoryKey="day"
        stacked
        series={CHANGE_KINDS.map((kind) => ({ key: kind, label: CHANGE_LABEL[kind], color: CHANGE_FILL[kind] }))}
        formatCategory={(day) => day.slice(5)}
        height={200}
      />
    </div>
  );
}

function Stat({ label, value, tone }: { label: string; value: number; tone?: string }) {
  return (
    <div className="rounded-lg border border-border px-3 py-2">
      <dt className="text-xs text-fg-muted">{label}</dt>
      <dd className={`text-xl font-semibold tabular-nums ${tone ?? "text-fg"}`}>{value}</dd>
    </div>
  );
}

function Results({ result }: { result: BacktestResponse }) {
  const changed = result.items.filter((item) => item.changed);
  const s = result.summary;
  return (
    <div className="space-y-4" data-testid="backtest-results">
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-6">
        <Stat label="Requests replayed" value={s.total} />
        <Stat label="Would change" value={s.changed} />
        <Stat label="Allow → deny" value={s.allowToDeny} tone="text-danger-soft-fg" />
        <Stat label="Deny → allow" value={s.denyToAllow} tone="text-success-soft-fg" />
        <Stat label="→ approval" value={s.toApproval} tone="text-warning-soft-fg" />
        <Stat label="Approval →" value={s.fromApproval} />
      </dl>
      {result.truncated ? <p className="text-xs text-fg-muted">Showing the most recent {result.items.length} requests; the totals cover the whole history.</p> : null}
      {result.skipped ? <p className="text-xs text-fg-muted">{result.skipped} old request{result.skipped === 1 ? "" : "s"} could not be replayed and are not counted.</p> : null}
      {s.total === 0 ? (
        <p className="rounded-lg border border-dashed border-border-strong px-4 py-6 text-center text-sm text-fg-muted">
          This signer has no signing history yet, so there is nothing to replay.
        </p>
      ) : (
        <>
          <BacktestChart buckets={bucketByDay(result.items)} />
          {changed.length === 0 ? (
            <p className="text-sm text-fg-muted">No past request would be decided differently.</p>
          ) : (
            <Table aria-label="Requests that would be decided differently">
              <THead>
                <tr>
                  <Th>Time</Th>
                  <Th>Request</Th>
                  <Th>Then</Th>
                  <Th>Now</Th>
                  <Th>Why</Th>
                </tr>
              </THead>
              <TBody>
                {changed.map((item) => (
                  <Tr key={item.id}>
                    <Td label="Time" className="whitespace-nowrap text-fg-muted">
                      <time dateTime={item.at}>{formatDateTime(item.at)}</time>
                    </Td>
                    <Td label="Request" className="text-fg">
                      <span className="min-w-0 text-right break-words sm:text-left">{item.request.summary}</span>
                    </Td>
                    <Td label="Then">
                      <DecisionBadge decision={item.then} />
                    </Td>
                    <Td label="Now">
                      <DecisionBadge decision={item.now} />
                    </Td>
                    <Td label="Why" className="text-fg-muted">
                      <span className="min-w-0 text-right break-words sm:text-left">
                        {item.reasons.length ? item.reasons.join("; ") : item.matchedRuleId ? `rule ${item.matchedRuleId}` : "default action"}
                      </span>
                    </Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          )}
        </>
      )}
    </div>
  );
}

/** Replays the document in the editor (saved or not) over the signer's signing history. */
export function BacktestCard({ signerId, document }: { signerId: string; document: RulesDocument | null }) {
  const backtest = useMutation({ mutationFn: (doc: RulesDocument) => runBacktest(signerId, doc) });
  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>Backtest</CardTitle>
          <CardDescription>Replays every past signing request of this signer under these rules and the enabled built-in policies.</CardDescription>
        </div>
        <Button variant="secondary" disabled={document === null} loading={backtest.isPending} onClick={() => document && backtest.mutate(document)}>
          Run backtest
        </Button>
      </CardHeader>
      <CardBody>
        {document === null ? <p className="text-sm text-fg-muted">Fix the problems in the editor to run a backtest.</p> : null}
        {backtest.isError ? <ErrorState title="Backtest failed" message={describeError(backtest.error)} onRetry={() => document && backtest.mutate(document)} /> : null}
        {backtest.isSuccess ? <Results result={backtest.data} /> : null}
        {backtest.isIdle && document !== null ? <p className="text-sm text-fg-muted">See what would have changed before you activate.</p> : null}
      </CardBody>
    </Card>
  );
}
