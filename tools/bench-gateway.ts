/**
 * `npm run bench:gateway`: the tool-call gateway's figures (printed, never asserted).
 *   1. in-process engine evaluation (evaluateToolCall): the 7 platform templates + 3 JSON Schema
 *      policies + a 100-rule document, realistic calls; p50 / p99 per evaluation.
 *   2. POST /api/v1/check through the route handler, in-process on the embedded database (each check
 *      durably recorded: check row + trace + statistics), 64 concurrent callers; checks/s, p50 / p99 —
 *      beside GET /health served the same way as the no-op baseline.
 * Not here: autocannon over HTTP against `npm start`, and the same against a real PostgreSQL server.
 */
import { performance } from "node:perf_hooks";
import { startBenchDatabase } from "./lib/bench-db";

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

const CALLS = [
  { tool_name: "db_query", arguments: { sql: "SELECT id, email FROM users WHERE created_at > $1 LIMIT 50", params: ["2026-01-01"] } },
  { tool_name: "send_email", arguments: { to: "ops@acme.com", subject: "Daily report", body: "All systems nominal. 42 orders shipped, 3 refunds." } },
  { tool_name: "http_get", arguments: { url: "https://api.acme.com/v1/orders?status=open", headers: { accept: "application/json" } } },
  { tool_name: "read_file", arguments: { path: "/srv/app/reports/2026-11.csv" } },
  { tool_name: "run_shell", arguments: { cmd: "ls -la /srv/app/logs" } },
  { tool_name: "refund", arguments: { order: "A-1001", amount: 40, currency: "EUR" } },
];

async function engine(runs: number) {
  const { evaluateToolCall } = await import("@/lib/gateway/engine");
  const { compileRules } = await import("@/lib/policy/rules");
  const { TEMPLATE_NAMES, templateInfo } = await import("@/lib/gateway/templates");
  const policies = [
    ...TEMPLATE_NAMES.map((t) => ({ id: t, name: t, kind: "template" as const, template: t, options: {}, riskLevel: templateInfo(t).risk_level, onMatch: "block" as const, version: 0 })),
    ...[0, 1, 2].map((i) => ({ id: `schema-${i}`, name: `schema ${i}`, kind: "schema" as const, riskLevel: "HIGH" as const, onMatch: "pending" as const, version: 1, schema: { if: { properties: { tool_name: { const: `tool_${i}` } } }, then: { properties: { arguments: { properties: { amount: { type: "number", maximum: 100 } } } } } } })),
  ];
  const rules = Array.from({ length: 100 }, (_, i) => ({ id: `r${i}`, when: { all: [{ field: "tool", op: "eq", value: `tool_${i}` }, { field: "arguments.amount", op: "gt", value: i }] }, action: i % 2 ? "deny" : "require_approval" }));
  const documents = [{ id: "doc", version: 1, rules: compileRules({ version: 1, defaultAction: "allow", rules }) }];
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const call = CALLS[i % CALLS.length]!;
    const t0 = performance.now();
    evaluateToolCall({ call, organizationId: "org", agent: { id: "a", aegisAgentId: "bench", status: "active" }, policies, documents, anomaly: { score: 0.1, signals: [] }, anomalyThreshold: 0.8, now: new Date() });
    times.push(performance.now() - t0);
  }
  return { runs, p50: pct(times, 50), p99: pct(times, 99) };
}

async function http(total: number, concurrency: number) {
  const dbh = await startBenchDatabase();
  const { db, disconnectDb } = await import("@/lib/db/client");
  const { createOrganization } = await import("@/lib/orgs/organizations");
  const { issueCredential } = await import("@/lib/auth/credentials");
  const { POST: check } = await import("@/app/api/v1/check/route");
  const { GET: health } = await import("@/app/health/route");
  const user = await db().user.create({ data: { email: `bench-${Date.now()}@example.com`, name: "bench", emailVerifiedAt: new Date() } });
  const org = await createOrganization(db(), { name: "bench", ownerId: user.id });
  await db().gatewaySettings.create({ data: { organizationId: org.id, agentRatePerMinute: 1_000_000, toolRatePerMinute: 1_000_000 } });
  const { secret } = await issueCredential(db(), { organizationId: org.id, kind: "organization_key", name: "bench", scopes: ["gateway:check"] });

  const run = async (label: string, send: (i: number) => Promise<Response>) => {
    const times: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        const res = await send(i);
        const body = await res.text();
        if (res.status >= 300) throw new Error(`${label}: HTTP ${res.status} ${body}`);
        times.push(performance.now() - t0);
      }
    }));
    const secs = (performance.now() - started) / 1000;
    return { label, total, perSecond: total / secs, p50: pct(times, 50), p99: pct(times, 99) };
  };
  const checks = await run("POST /api/v1/check", (i) =>
    check(new Request("http://localhost:3000/api/v1/check", { method: "POST", headers: { "content-type": "application/json", "x-aegis-api-key": secret }, body: JSON.stringify({ agent_id: `agent-${i % 8}`, ...CALLS[i % CALLS.length] }) }), { params: Promise.resolve({}) }),
  );
  const baseline = await run("GET /health (baseline)", () => health(new Request("http://localhost:3000/health"), { params: Promise.resolve({}) }));
  await disconnectDb();
  await dbh.stop();
  return { checks, baseline };
}

const f = (n: number) => n.toFixed(3);
const e = await engine(20_000);
console.log(`\nGateway engine (in-process, 7 templates + 3 JSON Schemas + 100 rules): ${e.runs} evaluations, p50 ${f(e.p50)} ms, p99 ${f(e.p99)} ms`);
const h = await http(Number(process.env.BENCH_CHECKS ?? 2000), 64);
for (const r of [h.checks, h.baseline]) console.log(`${r.label}: ${r.total} requests, 64 concurrent, ${r.perSecond.toFixed(0)}/s, p50 ${f(r.p50)} ms, p99 ${f(r.p99)} ms (in-process handler, embedded database)`);
console.log(`check / baseline throughput ratio: ${(h.checks.perSecond / h.baseline.perSecond).toFixed(3)}`);
process.exit(0);
