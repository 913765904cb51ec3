/**
 * `npm run bench`: the product-level benchmarks.
 *   1. guardrail evaluation (all eight policy types + a 50-rule document), p50/p99
 *   2. Signer+Server signing through the API (session → rounds → complete), production profile,
 *      the route handlers served in-process on the embedded database (no network hop)
 *   3. load: 50 concurrent Signer+Server signings (fast-test profile) on two app instances over one
 *      real PostgreSQL server: p50/p99 per session and throughput (tools/bench-load.ts; `--no-load`
 *      skips it, `--sessions=N` and `--signers=N` change the 50 sessions over 10 signers)
 *   4. browser-side key generation on the production profile: the product started on a free port,
 *      headless Chromium runs the wizard (the user's party and its four safe primes), the agent joins
 *      from `countersign join` (tools/bench-browser-keygen.ts; `--no-browser` skips it, `--only-browser`
 *      runs it alone). It builds
 *      the app into .next when the sources changed: on a shared machine run the bench under the e2e lock.
 *   5. the tool-call gateway (tools/bench-gateway.ts): engine evaluation in-process, then `npm start`
 *      loaded with autocannon on the embedded database and on a real PostgreSQL server, beside a
 *      no-op baseline (`--no-gateway` skips it; `npm run bench:gateway` runs it alone).
 * `npm run bench:mpc` has the CGGMP24 protocol figures (modexp, primes, keygen, aux, signing).
 */
import os from "node:os";
import { randomUUID } from "node:crypto";
import { benchPolicy } from "./bench-policy";
import { benchBrowserKeygen, printBrowserKeygen } from "./bench-browser-keygen";
import { benchGateway } from "./bench-gateway";
import { benchSigningLoad, LOAD_P99_GOAL_MS } from "./bench-load";
import { startBenchDatabase } from "./lib/bench-db";
import { table } from "./lib/bench-table";

async function signingLatency(runs: number) {
  const dbh = await startBenchDatabase();
  const { db, disconnectDb } = await import("@/lib/db/client");
  const { dealCoreShares, dealAuxInfo } = await import("@/lib/mpc/dealer");
  const { fixtureSafePrimes } = await import("@/lib/mpc/fixtures");
  const { generateRingPedersen } = await import("@/lib/mpc/ring-pedersen");
  const { encodeKeyShare, PRODUCTION } = await import("@/lib/mpc");
  const { sealSecret } = await import("@/lib/keystore");
  const { issueCredential } = await import("@/lib/auth/credentials");
  const { addressOf } = await import("@/lib/signing/signers");
  const { CountersignAgent } = await import("@/lib/sdk/agent");
  const { appFetch } = await import("../tests/helpers/app-fetch");

  // Dealt shares over fixture 1536-bit primes: production sizes, without a 3-party aux run first.
  // The fixture has 8 primes, so party 2 reuses party 0's in another pairing (timing only).
  const f = fixtureSafePrimes(1536);
  const sets = [[0, 1, 2, 3], [4, 5, 6, 7], [0, 4, 1, 5]].map(([a, b, c, d]) => ({ p: f[a!]!, q: f[b!]!, pHat: f[c!]!, qHat: f[d!]! }));
  const aux = dealAuxInfo(sets.map((s) => { const rp = generateRingPedersen(s.pHat, s.qHat); return { ...s, s: rp.s, t: rp.t }; }));
  const core = dealCoreShares({ secret: BigInt(`0x${randomUUID().replace(/-/g, "")}`), threshold: 2, n: 3 });
  const shares = core.map((c, i) => ({ core: c, aux: aux[i]! }));
  const org = await db().organization.create({ data: { name: "bench" } });
  const signer = await db().signer.create({ data: { organizationId: org.id, name: "bench", chainId: 31337, status: "active", publicKey: shares[0]!.core.publicKey, address: addressOf(shares[0]!.core.publicKey) } });
  await db().signerShare.create({ data: { signerId: signer.id, sealed: sealSecret(new TextEncoder().encode(encodeKeyShare(shares[1]!)), `signer-share:${signer.id}`) as never, public: {} } });
  const { secret } = await issueCredential(db(), { organizationId: org.id, kind: "signer_key", name: "bench", scopes: ["sign"], subjectType: "signer", subjectId: signer.id });
  const agent = new CountersignAgent({ baseUrl: "http://localhost:3000", apiKey: secret, share: shares[0]!, profile: PRODUCTION, fetch: appFetch });

  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await agent.signMessage(`bench ${i}`);
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  await disconnectDb();
  await dbh.stop();
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { runs, wallMedian: med(wall), wallMin: Math.min(...wall), wallMax: Math.max(...wall), cpuMedian: med(cpu) };
}

const machine = `${os.cpus()[0]?.model ?? "cpu"} ×${os.cpus().length}, Node ${process.version}, load ${os.loadavg()[0]!.toFixed(1)}`;
console.log(`Countersign benchmarks — ${machine}`);

const onlyBrowser = process.argv.includes("--only-browser");
if (!onlyBrowser) await productBenches();
if (!onlyBrowser && !process.argv.includes("--no-gateway")) await benchGateway(process.argv.slice(2));
if (!process.argv.includes("--no-browser")) printBrowserKeygen(await benchBrowserKeygen(), table);
// The embedded database and the devnet clients keep handles open; the figures are printed.
process.exit(0);

async function productBenches() {
  const p = await benchPolicy();
  table("Guardrail evaluation (8 policy types, 50-rule document, no DB reads)", ["iterations", "p50 µs", "p99 µs", "cpu p50 µs", "cpu p99 µs"], [
    [String(p.iterations), String(p.p50Us), String(p.p99Us), String(p.cpuP50Us), String(p.cpuP99Us)],
  ]);

  const runs = Number(process.argv.find((a) => a.startsWith("--runs="))?.split("=")[1] ?? 3);
  const s = await signingLatency(runs);
  table("Signer+Server message signing through the API, production profile (agent + server in one process)", ["runs", "wall median", "wall min", "wall max", "CPU median (both parties)"], [
    [String(s.runs), `${(s.wallMedian / 1000).toFixed(2)} s`, `${(s.wallMin / 1000).toFixed(2)} s`, `${(s.wallMax / 1000).toFixed(2)} s`, `${(s.cpuMedian / 1000).toFixed(2)} s`],
  ]);

  if (!process.argv.includes("--no-load")) {
    const sessions = Number(process.argv.find((a) => a.startsWith("--sessions="))?.split("=")[1] ?? 50);
    const signers = Number(process.argv.find((a) => a.startsWith("--signers="))?.split("=")[1] ?? 10);
    const l = await benchSigningLoad({ sessions, instances: 2, signers });
    const title = `Load: ${sessions} concurrent Signer+Server message signings over ${signers} signers, fast-test profile, 2 app instances, one PostgreSQL server`;
    if ("skipped" in l) console.log(`\n${title}\nskipped: ${l.skipped}`);
    else {
      const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
      const refused = Object.entries(l.refused).map(([k, n]) => `${n}× ${k}`).join(", ") || "none";
      table(title, ["completed", "refused", "p50", "p99", "max", "throughput", "goal"], [
        [`${l.completed}/${l.sessions}`, refused, sec(l.p50Ms), sec(l.p99Ms), sec(l.maxMs), `${l.perSecond.toFixed(2)} sessions/s`, `all complete, p99 < ${LOAD_P99_GOAL_MS / 1000} s (2 cores): ${l.completed === l.sessions && l.p99Ms < LOAD_P99_GOAL_MS ? "met" : "missed"}`],
      ]);
    }
  }
}
