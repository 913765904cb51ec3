/**
 * `npm run bench:tlog`: the transparency log's figures (issue #14), goals beside them.
 *   appends/s      8 writers, 50 leaves per transaction, sequenced and checkpointed (the 500 ms
 *                  checkpointer) while they write, until a signed checkpoint holds the last one
 *   checkpoint     latency from an append's commit to a signed checkpoint containing it (checkpointer on)
 *   proof          server time of an inclusion proof (tiles read from the database) at PROOF_LEAVES
 * Embedded PGlite by default; `BENCH_PG_URL=postgres://…/db` runs on a real server (an empty database).
 * Sizes: TLOG_BENCH_APPENDS (default 20000), TLOG_BENCH_PROOF_LEAVES (default 1000000).
 */
import { performance } from "node:perf_hooks";

const APPENDS = Number(process.env.TLOG_BENCH_APPENDS ?? 20_000);
const PROOF_LEAVES = Number(process.env.TLOG_BENCH_PROOF_LEAVES ?? 1_000_000);
const BUILD_BATCH = 20_000;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function main() {
  process.env.LOG_LEVEL ??= "error";
  process.env.COUNTERSIGN_MASTER_KEY ??= "42".repeat(32);
  process.env.COUNTERSIGN_ORIGIN ??= "http://localhost:3000";
  const { migrate } = await import("@/lib/db/migrate");
  let stopDb = async () => {};
  let kind = "PostgreSQL server";
  if (process.env.BENCH_PG_URL) {
    process.env.DATABASE_URL = process.env.BENCH_PG_URL;
  } else {
    const { startEmbeddedDatabase } = await import("@/lib/db/embedded");
    const e = await startEmbeddedDatabase();
    process.env.DATABASE_URL = e.url;
    process.env.DATABASE_POOL_MAX = "1";
    // One connection for 8 writers and the checkpointer: a writer may queue behind a whole sequencer batch.
    process.env.DATABASE_CONNECT_TIMEOUT_MS ??= "120000";
    stopDb = () => e.stop();
    kind = "embedded PGlite";
  }
  await migrate(process.env.DATABASE_URL!);
  const { db, disconnectDb } = await import("@/lib/db/client");
  const { appendLeaves } = await import("@/lib/tlog/append");
  const { publish, latestCheckpoint, proveInclusion, sequence } = await import("@/lib/tlog/store");
  const { startCheckpointer } = await import("@/lib/tlog/checkpointer");
  const { verifyInclusion } = await import("@/lib/tlog/merkle");
  const ev = (w: number, i: number) => ({ kind: "bench", organizationId: null, decisionId: `b-${w}-${i}`, time: new Date(), body: { decision: "allow", digest: "ab".repeat(32), w, i } });

  // 1. Appends/s with 8 writers while the checkpointer (as every instance runs it) sequences and signs;
  //    the clock stops when a signed checkpoint contains the last append.
  const start = (await publish(db())).treeSize;
  const per = Math.ceil(APPENDS / 8);
  const stopWhileWriting = startCheckpointer();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; i < per; i += 50) await db().$transaction((tx) => appendLeaves(tx, Array.from({ length: Math.min(50, per - i) }, (_, k) => ev(w, i + k))), { maxWait: 60_000, timeout: 60_000 });
    }),
  );
  const written = start + 8 * per;
  while (((await latestCheckpoint(db()))?.treeSize ?? 0) < written) await new Promise((r) => setTimeout(r, 5));
  const appendSeconds = (performance.now() - t0) / 1000;
  stopWhileWriting();
  const appended = (await latestCheckpoint(db()))!.treeSize;

  // 2. Checkpoint latency with the checkpointer running (one instance).
  const stop = startCheckpointer();
  const latencies: number[] = [];
  for (let i = 0; i < 40; i++) {
    await db().$transaction((tx) => appendLeaves(tx, [ev(99, i)]), { maxWait: 60_000 });
    const committed = performance.now();
    const target = appended + i + 1;
    while (((await latestCheckpoint(db()))?.treeSize ?? 0) < target) await new Promise((r) => setTimeout(r, 5));
    latencies.push(performance.now() - committed);
  }
  stop();

  // 3. Inclusion proof server time at PROOF_LEAVES.
  const buildStart = performance.now();
  let size = (await latestCheckpoint(db()))!.treeSize;
  while (size < PROOF_LEAVES) {
    // Bulk load through the same code as a decision: appendLeaves (one INSERT per batch), then the sequencer.
    const n = Math.min(BUILD_BATCH, PROOF_LEAVES - size);
    await db().$transaction((tx) => appendLeaves(tx, Array.from({ length: n }, (_, k) => ev(7, size + k))), { timeout: 120_000, maxWait: 60_000 });
    size = await sequence(db());
  }
  const cp = await publish(db());
  const buildSeconds = (performance.now() - buildStart) / 1000;
  const proofMs: number[] = [];
  // 20 proofs first, not counted: the first queries after the bulk load pay for cold caches and JIT.
  for (let i = 0; i < 20; i++) await proveInclusion(db(), Math.floor(Math.random() * cp.treeSize), cp.treeSize);
  for (let i = 0; i < 200; i++) {
    const index = Math.floor(Math.random() * cp.treeSize);
    const s = performance.now();
    const path = await proveInclusion(db(), index, cp.treeSize);
    proofMs.push(performance.now() - s);
    if (i === 0) {
      const e = await db().tlogEntry.findUniqueOrThrow({ where: { leafIndex: BigInt(index) } });
      if (!verifyInclusion(index, cp.treeSize, new Uint8Array(e.leafHash), path, cp.rootHash)) throw new Error("proof does not verify");
    }
  }

  const os = await import("node:os");
  console.log(`\nTransparency log on ${kind} (${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(2)).join(" ")})`);
  console.log("| figure | measured | goal (issue #14) |\n|---|---|---|");
  console.log(`| appends/s (8 writers, ${appended - start} leaves, sequenced + checkpointed) | ${Math.round((appended - start) / appendSeconds)} | ≥ 3000 on PostgreSQL |`);
  console.log(`| append → signed checkpoint, p50 / p99 (40 appends) | ${pct(latencies, 50).toFixed(0)} ms / ${pct(latencies, 99).toFixed(0)} ms | p99 ≤ 1000 ms |`);
  console.log(`| inclusion proof at ${cp.treeSize} leaves, p50 / p99 (200 proofs after 20 warm-up, max ${Math.max(...proofMs).toFixed(2)} ms) | ${pct(proofMs, 50).toFixed(2)} ms / ${pct(proofMs, 99).toFixed(2)} ms | ≤ 2 ms at 10^6 |`);
  console.log(`| (building the ${cp.treeSize}-leaf tree in batches of ${BUILD_BATCH}) | ${Math.round((cp.treeSize - appended) / buildSeconds)} leaves/s | — |`);
  await disconnectDb();
  await stopDb();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
