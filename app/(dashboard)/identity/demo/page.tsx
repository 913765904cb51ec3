import type { Metadata } from "next";
import Link from "next/link";
import { CensusCharts, type CensusView } from "@/components/demo/census-chart";
import { requireSession } from "@/components/session/require-session";
import { PageHeader } from "@/components/shell/page-header";
import { Card, CardBody, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { env } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { censusOf } from "@/lib/demo/census";
import { demoPatterns, setupCommands, type DemoTarget } from "@/lib/demo/walkthrough";

export const metadata: Metadata = { title: "Agent identity demo" };

function Commands({ lines, label }: { lines: string[]; label: string }) {
  const text = lines.join("\n");
  return (
    <div className="mt-3 rounded-lg border border-border bg-surface-muted">
      <div className="flex items-center justify-between gap-2 border-b border-border px-3 py-1.5">
        <span className="text-xs font-medium text-fg-muted">{label}</span>
        <CopyButton value={text} label="Copy" />
      </div>
      <pre className="px-3 py-2 text-xs leading-relaxed whitespace-pre-wrap break-all text-fg">
        <code>{text}</code>
      </pre>
    </div>
  );
}

/** Where the demo runs: the identity chain with a demo verifier (else the first with a registry). */
async function demoTarget(): Promise<DemoTarget> {
  const rows = await db().network.findMany({ where: { enabled: true, identityRegistry: { not: null } }, select: { chainId: true, demoVerifier: true, isDevnet: true }, orderBy: { chainId: "asc" } });
  const row = rows.find((r) => r.demoVerifier) ?? rows.find((r) => r.isDevnet) ?? rows[0] ?? null;
  const demoAgent = row ? await db().demoAgent.findUnique({ where: { chainId: row.chainId }, select: { agentId: true, address: true } }) : null;
  return { origin: env().origin, chainId: row?.chainId ?? null, verifier: row?.demoVerifier ?? null, demoAgent };
}

export default async function IdentityDemoPage() {
  await requireSession("/identity/demo");
  const target = await demoTarget();
  let census: CensusView | null = null;
  let censusError: string | null = null;
  if (target.chainId !== null) {
    try {
      census = await censusOf(db(), target.chainId);
    } catch {
      censusError = "The census aggregate could not be read from the database. Reload the page to try again.";
    }
  }
  const patterns = demoPatterns(target);
  return (
    <>
      <PageHeader
        title="Agent identity demo"
        description="How a service verifies on-chain agents (seed 003, Self Agent ID): five patterns, each with the CLI commands that run it against this server with a registered agent's identity key."
        actions={
          <Link href="/agents" className="text-sm font-medium text-accent-soft-fg underline-offset-4 hover:underline">
            Back to agents
          </Link>
        }
      />
      <div className="space-y-6">
        <Card>
          <CardHeader>
            <div className="min-w-0">
              <CardTitle>Before you start</CardTitle>
              <CardDescription>
                Register an agent with proof of human (an agent&apos;s page → Verify as human, or POST /api/agent/register) and keep its identity key.
                {target.chainId !== null ? ` Demo chain: ${target.chainId}.` : null}
              </CardDescription>
            </div>
          </CardHeader>
          <CardBody>
            {target.chainId === null ? (
              <EmptyState title="No identity chain on this server" description="npm start deploys the identity registry and the demo verifier on the local devnet; configure CELO_SEPOLIA_RPC_URL for Celo Sepolia." />
            ) : null}
            <Commands lines={setupCommands()} label="Shell" />
          </CardBody>
        </Card>

        <ol className="space-y-6">
          {patterns.map((p, i) => (
            <li key={p.id}>
              <Card aria-labelledby={`demo-${p.id}`}>
                <CardHeader>
                  <div className="min-w-0">
                    <CardTitle id={`demo-${p.id}`}>
                      {i + 1}. {p.title}
                    </CardTitle>
                    <CardDescription>
                      <code className="[overflow-wrap:anywhere]">{p.route}</code> — {p.what}
                    </CardDescription>
                  </div>
                </CardHeader>
                <CardBody>
                  <Commands lines={p.commands} label="Shell" />
                  {p.note ? <p className="mt-3 text-sm [overflow-wrap:anywhere] text-fg-muted">{p.note}</p> : null}
                  {p.id === "census" ? (
                    <div className="mt-5">
                      <h3 className="mb-3 text-sm font-semibold text-fg">Census so far{census ? ` (${census.totalAgents} agents, ${census.ofacClear} OFAC clear)` : ""}</h3>
                      {censusError ? (
                        <ErrorState title="Census unavailable" message={censusError} />
                      ) : census === null ? (
                        <EmptyState title="No census" description="This server has no identity chain yet." />
                      ) : census.totalAgents === 0 ? (
                        <EmptyState title="No agent has contributed yet" description="Run the first command above with a registered agent: the aggregate appears here." />
                      ) : (
                        <>
                          <CensusCharts census={census} />
                          <p className="mt-3 text-xs text-fg-muted">Nationalities with fewer than {census.minBucket} agents are counted under &ldquo;other&rdquo;.</p>
                        </>
                      )}
                    </div>
                  ) : null}
                </CardBody>
              </Card>
            </li>
          ))}
        </ol>
      </div>
    </>
  );
}
