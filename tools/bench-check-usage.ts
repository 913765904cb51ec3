/**
 * How to count an organization's gateway checks this month for the plan's `checksPerMonth` (issue
 * #18), measured on the embedded database through the app's client (printed, never asserted):
 *   a. the counter lib/billing uses (`grantChecks`): one upsert-increment on `check_usage` (organization, month);
 *   b. counting the month's rows of `gateway_checks` with its (organization_id, created_at) index.
 * (b) reads every index entry of the month, so its cost grows with the organization's traffic; (a)
 * does not. `--rows=N` (default 200000) sets the month's existing checks.
 *   npx tsx tools/bench-check-usage.ts
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { startBenchDatabase } from "./lib/bench-db";

const arg = (name: string, d: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? d);
const ROWS = arg("rows", 200_000);

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function timed(n: number, f: () => Promise<unknown>) {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await f();
    ms.push(performance.now() - t);
  }
  return `p50 ${pct(ms, 50).toFixed(2)} ms, p99 ${pct(ms, 99).toFixed(2)} ms (${n} runs)`;
}

async function main() {
  const e = await startBenchDatabase();
  const { db, disconnectDb } = await import("@/lib/db/client");
  const { grantChecks } = await import("@/lib/billing/usage");
  try {
    const org = randomUUID();
    const agent = randomUUID();
    await db().$executeRaw`INSERT INTO organizations (id, name, updated_at) VALUES (${org}::uuid, 'bench', now())`;
    await db().$executeRaw`INSERT INTO agents (id, organization_id, name, updated_at) VALUES (${agent}::uuid, ${org}::uuid, 'bench', now())`;
    const now = new Date();
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    process.stdout.write(`inserting ${ROWS} checks of this month …\n`);
    for (let done = 0; done < ROWS; done += 10_000) {
      const n = Math.min(10_000, ROWS - done);
      await db().$executeRaw`
        INSERT INTO gateway_checks (id, organization_id, agent_id, agent_ref, tool_name, arguments_digest, arguments_sealed, decision, initial_decision, policy_name, risk_level, category, signals, anomaly_score, anomaly_signals, reasons, trace_id, created_at)
        SELECT gen_random_uuid(), ${org}::uuid, ${agent}::uuid, 'bench', 'search', 'd', '{}'::jsonb, 'allow', 'allow', 'default', 'LOW', 'other', '[]'::jsonb, 0, '[]'::jsonb, '[]'::jsonb, gen_random_uuid(), ${monthStart}::timestamptz + (g * interval '1 second')
        FROM generate_series(1, ${n}::int) g`;
    }
    await db().$executeRaw`ANALYZE gateway_checks`;
    // The gateway's own grant (one check a call, under a limit it never reaches).
    const grant = () => grantChecks(db(), org, 1, 1_000_000_000, new Date());
    const count = () => db().$queryRaw`SELECT count(*)::int AS n FROM gateway_checks WHERE organization_id = ${org}::uuid AND created_at >= ${monthStart}::timestamptz`;
    process.stdout.write(`a. counter upsert-increment (grantChecks): ${await timed(500, grant)}\n`);
    process.stdout.write(`b. count(*) of the month's rows (index):   ${await timed(20, count)}\n`);
  } finally {
    await disconnectDb();
    await e.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
