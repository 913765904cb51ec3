/**
 * `npm run bench`, load: N concurrent Signer+Server message signings (fast-test MPC profile) through
 * the SDK against two app instances (tools/api-server.ts child processes) on one real PostgreSQL
 * server (a throwaway cluster). The correctness of the same load is tests/faults/faults.test.ts;
 * this prints its latency and throughput. Needs the PostgreSQL server binaries.
 */
import { findPostgresBin } from "./lib/postgres";

export type LoadResult = { sessions: number; instances: number; signers: number; completed: number; refused: Record<string, number>; p50Ms: number; p99Ms: number; maxMs: number; wallMs: number; perSecond: number };

/** The goal beside the figures: every session completes (none refused) and p99 stays under this on 2 cores. */
export const LOAD_P99_GOAL_MS = 60_000;

/**
 * `signers`: the sessions are spread over this many signers (agents). One signer's sessions open one
 * at a time (the spend ledger locks the signer while it decides), so 50 on one signer measure that lock.
 */
export async function benchSigningLoad(opts: { sessions?: number; instances?: number; signers?: number } = {}): Promise<LoadResult | { skipped: string }> {
  if (!findPostgresBin()) return { skipped: "no PostgreSQL server binaries (apt-get install postgresql)" };
  const sessions = opts.sessions ?? 50;
  const count = opts.instances ?? 2;
  const signerCount = opts.signers ?? 10;
  process.env.LOG_LEVEL ??= "error";
  process.env.COUNTERSIGN_MASTER_KEY ??= "42".repeat(32);
  process.env.COUNTERSIGN_ORIGIN ??= "http://localhost:3000";
  const { startOwnPostgres, startInstance, dealtSigner } = await import("../tests/helpers/fault-rig");
  const { db, disconnectDb } = await import("@/lib/db/client");
  const { FAST_TEST } = await import("@/lib/mpc");
  const { CountersignAgent, CountersignApiError } = await import("@/lib/sdk/agent");

  const own = await startOwnPostgres();
  const instances = await Promise.all(Array.from({ length: count }, () => startInstance(own.url, { LOG_LEVEL: "silent" })));
  try {
    const org = await db().organization.create({ data: { name: "load bench" } });
    const signers = await Promise.all(Array.from({ length: signerCount }, () => dealtSigner(org.id)));
    const agent = (i: number) => {
      const bases = instances.map((_, k) => instances[(i + k) % count]!.baseUrl);
      const s = signers[i % signerCount]!;
      return new CountersignAgent({ baseUrl: bases, apiKey: s.apiKey, share: s.agentShare, profile: FAST_TEST, signerId: s.signer.id, chainId: 31337, retry: { timeoutMs: 120_000 } });
    };
    // Warm-up, not counted: each instance loads its route modules on first use.
    for (let k = 0; k < count; k++) await agent(k).signMessage(`warm-up ${k}`);

    const latencies: number[] = [];
    const refused: Record<string, number> = {};
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: sessions }, async (_, i) => {
        const t = performance.now();
        try {
          await agent(i).signMessage(`load ${i}`);
          latencies.push(performance.now() - t);
        } catch (err) {
          const key = err instanceof CountersignApiError ? `${err.status} ${err.message}` : (err as Error).message.slice(0, 60);
          refused[key] = (refused[key] ?? 0) + 1;
        }
      }),
    );
    const wallMs = performance.now() - t0;
    const sorted = [...latencies].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
    return { sessions, instances: count, signers: signerCount, completed: latencies.length, refused, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: sorted.at(-1) ?? NaN, wallMs, perSecond: latencies.length / (wallMs / 1000) };
  } finally {
    await Promise.all(instances.map((i) => i.stop()));
    await disconnectDb();
    own.server.stop();
  }
}
