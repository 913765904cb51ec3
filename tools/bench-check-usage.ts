/**
 * How to count an organization's gateway checks this month for the plan's `checksPerMonth` (issue
 * #18), measured on the embedded database (printed, never asserted):
 *   a. the counter lib/billing uses: one upsert-increment on `check_usage` (organization, month);
 *   b. counting the month's rows of `gateway_checks` with its (organization_id, created_at) index.
 * (b) reads every index entry of the month, so its cost grows with the organization's traffic; (a)
 * does not. `--rows=N` (default 200000) sets the month's existing checks.
 *   npx tsx tools/bench-check-usage.ts
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { startEmbeddedDatabase } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";

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
  const e = await startEmbeddedDatabase();
  try {
    await migrate(e.url);
    const c = new pg.Client({ connectionString: e.url });
    await c.connect();
    const org = randomUUID();
    const agent = randomUUID();
    await c.query(`INSERT INTO organizations (id, name, updated_at) VALUES ($1, 'bench', now())`, [org]);
    await c.query(`INSERT INTO agents (id, organization_id, name, updated_at) VALUES ($1, $2, 'bench', now())`, [agent, org]);
    const monthStart = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1));
    process.stdout.write(`inserting ${ROWS} checks of this month …\n`);
    for (let done = 0; done < ROWS; done += 10_000) {
      const n = Math.min(10_000, ROWS - done);
      await c.query(
        `INSERT INTO gateway_checks (id, organization_id, agent_id, agent_ref, tool_name, arguments_digest, arguments_sealed, decision, initial_decision, policy_name, risk_level, category, signals, anomaly_score, anomaly_signals, reasons, trace_id, created_at)
         SELECT gen_random_uuid(), $1, $2, 'bench', 'search', 'd', '{}'::jsonb, 'allow', 'allow', 'default', 'LOW', 'other', '[]'::jsonb, 0, '[]'::jsonb, '[]'::jsonb, gen_random_uuid(), $3::timestamptz + (g * interval '1 second')
         FROM generate_series(1, $4::int) g`,
        [org, agent, monthStart.toISOString(), n],
      );
    }
    await c.query("ANALYZE gateway_checks");
    const month = monthStart.toISOString().slice(0, 10);
    const upsert = () =>
      c.query(
        `INSERT INTO check_usage AS u (organization_id, month, checks, last_granted) VALUES ($1, $2::date, 1, 1)
         ON CONFLICT (organization_id, month) DO UPDATE SET checks = u.checks + LEAST(1, GREATEST(1000000000 - u.checks, 0)), last_granted = LEAST(1, GREATEST(1000000000 - u.checks, 0)) RETURNING last_granted`,
        [org, month],
      );
    const count = () => c.query(`SELECT count(*)::int AS n FROM gateway_checks WHERE organization_id = $1 AND created_at >= $2`, [org, monthStart]);
    process.stdout.write(`a. counter upsert-increment:             ${await timed(500, upsert)}\n`);
    process.stdout.write(`b. count(*) of the month's rows (index): ${await timed(20, count)}\n`);
    await c.end();
  } finally {
    await e.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
