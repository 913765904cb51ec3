import type { AgentTrustScore } from "../api/agents";
import { formatDateTime } from "../format/dates";
import { Badge, type BadgeTone } from "../ui/badge";
import { Card, CardBody, CardDescription, CardHeader, CardTitle } from "../ui/card";

const RECOMMENDATION_TONE: Record<AgentTrustScore["recommendation"], BadgeTone> = { clear: "success", review: "warning", caution: "danger" };
const DIMENSIONS = ["reliability", "quality", "financial", "security", "stability"] as const;
const IDENTITY = ["No identity verification", "Callback-verified", "Proof-of-human"];

/** The agent's seed 001 trust score: composite, recommendation, confidence and the five dimensions (0–1000). */
export function TrustScoreCard({ score }: { score: AgentTrustScore | null }) {
  return (
    <Card data-testid="agent-trust-score">
      <CardHeader>
        <div>
          <CardTitle>Trust score</CardTitle>
          <CardDescription>{score ? <span className="font-mono">{score.sid}</span> : "No Signet ID"}</CardDescription>
        </div>
      </CardHeader>
      <CardBody>
        {score ? (
          <div className="flex flex-col gap-3">
            <div className="flex flex-wrap items-baseline gap-3">
              <span className="text-3xl font-semibold tabular-nums" data-testid="agent-trust-composite">{score.composite}</span>
              <span className="text-sm text-fg-muted">/ 1000</span>
              <Badge tone={RECOMMENDATION_TONE[score.recommendation]}>{score.recommendation}</Badge>
              <Badge>{score.confidence} confidence</Badge>
            </div>
            <dl className="grid grid-cols-[max-content_1fr_max-content] items-center gap-x-3 gap-y-1 text-sm">
              {DIMENSIONS.map((d) => (
                <div key={d} className="contents">
                  <dt className="capitalize text-fg-muted">{d}</dt>
                  <dd aria-hidden="true">
                    <div className="h-1.5 rounded bg-surface-muted">
                      <div className="h-1.5 rounded bg-accent" style={{ width: `${score[d] / 10}%` }} />
                    </div>
                  </dd>
                  <dd className="tabular-nums">{score[d]}</dd>
                </div>
              ))}
            </dl>
            <p className="text-xs text-fg-muted">
              {score.transactions} transaction{score.transactions === 1 ? "" : "s"} · {IDENTITY[score.identityLevel] ?? IDENTITY[0]} · updated {formatDateTime(score.lastUpdated)}
            </p>
          </div>
        ) : (
          <p className="text-sm text-fg-muted">This agent has no trust score. Register it with POST /register (seed 001) to give it a Signet ID and a score.</p>
        )}
      </CardBody>
    </Card>
  );
}
