/**
 * `npm run bench:browser` (issue #20): the bench:mpc figures measured inside headless Chromium
 * (/usr/bin/chromium through playwright-core, as the e2e tests use it; production profile) next to
 * Node's and OpenSSL's from the same run, each with its goal:
 *   - modexp, 3072-bit modulus and exponent (Chromium: in a worker on the backend it selects)
 *   - one 1536-bit safe prime, median of --primes=N runs (default 5): Chromium's prime worker,
 *     Node's isomorphic generator, OpenSSL (`crypto.generatePrime`, safe) — alternating runs
 *   - aux info for one party in Chromium, as in the product (the user's party in the browser, the
 *     others elsewhere): party 0 in a keygen worker with its repetition workers, parties 1 and 2 in
 *     this process, messages relayed each round; Chromium's figure is party 0's busy time (Σ over
 *     rounds of messages handed in → its outcome back, measured in the page), Node's the CPU of 1 and 2
 *   - 2-party signing with party 0's share from Chromium and party 1's from Node: Node CPU per party
 *     and parallel wall; Chromium wall with one Web Worker per party
 * The page and workers are bundled with esbuild and served from a throw-away local server (no app).
 * The load average is printed with the figures: figures from a loaded machine say little.
 * Not part of `npm test`. Options: --primes=N, --runs=N (modexp), --node=0 (no Node figures except
 * the aux parties that must run in Node), --protocols=0 (skip keygen, aux info and signing).
 */
import { build } from "esbuild";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bytesToHex, randomBytes } from "@noble/hashes/utils.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { chromium } from "playwright-core";
import { startAux, stepAux, type AuxPrimes, type AuxState } from "@/lib/mpc/aux";
import { ensureBackendSelected, modPow, randomBits } from "@/lib/mpc/bigint";
import { fixtureSafePrimes } from "@/lib/mpc/fixtures";
import type { AuxInfo, CoreKeyShare, KeyShare } from "@/lib/mpc/key-share";
import { startKeygen, stepKeygen, type KeygenState } from "@/lib/mpc/keygen";
import { PRODUCTION } from "@/lib/mpc/params";
import { generateSafePrime } from "@/lib/mpc/primes";
import { generateSafePrimeNative } from "@/lib/mpc/primes-native";
import type { EcdsaSignature } from "@/lib/mpc/sign";
import type { AuxPrimesHex, WorkerRequest } from "@/lib/mpc/worker/messages";
import { numberArg as arg, table } from "./lib/bench-table";
import { relayRun, type RelayRound, type RemoteParty } from "./lib/relay-run";
import { nodeSigning } from "./lib/node-sign";

const root = fileURLToPath(new URL("..", import.meta.url));

const fmt = (ms: number | undefined) => (ms === undefined ? "—" : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);
const median = (xs: number[]) => {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);
const range = (xs: number[]) => (xs.length ? ` (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})` : "");
const load = () => loadavg().map((l) => l.toFixed(2)).join(" / ");

async function bundle(outdir: string): Promise<void> {
  await build({
    entryPoints: {
      "keygen.worker": path.join(root, "lib/mpc/worker/keygen.worker.ts"),
      "sign.worker": path.join(root, "lib/mpc/worker/sign.worker.ts"),
      "prime.worker": path.join(root, "lib/mpc/worker/prime.worker.ts"),
      "repetition.worker": path.join(root, "lib/mpc/worker/repetition.worker.ts"),
      "bench.worker": path.join(root, "tools/bench-browser-worker.ts"),
      page: path.join(root, "tools/bench-browser-page.ts"),
    },
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    define: { "process.env.NODE_ENV": '"production"' },
    outdir,
    tsconfig: path.join(root, "tsconfig.json"),
    logLevel: "warning",
  });
  writeFileSync(path.join(outdir, "index.html"), '<!doctype html><meta charset="utf-8"><title>bench:browser</title><script type="module" src="/page.js"></script>\n');
}

function serve(dir: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const file = path.join(dir, path.normalize(new URL(req.url ?? "/", "http://x").pathname).replace(/^\/+/, "") || "index.html");
    try {
      const body = readFileSync(file.startsWith(dir) ? file : path.join(dir, "index.html"));
      res.writeHead(200, { "content-type": file.endsWith(".js") ? "text/javascript" : "text/html" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/** Calls a page function (tools/bench-browser-page.ts) with a JSON argument. */
type Bench = <T>(method: string, a?: unknown) => Promise<T>;

async function main(): Promise<void> {
  // Node's figures run on the backend the product selects at start-up (the wasm kernels here), whatever is skipped.
  ensureBackendSelected();
  const primeRuns = arg("primes", 5);
  const runs = arg("runs", 5);
  const withNode = arg("node", 1) !== 0;
  const protocols = arg("protocols", 1) !== 0;
  const profile = PRODUCTION;
  console.log(`bench:browser — production profile (${profile.primeBits}-bit primes, m = ${profile.m}); ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), Node ${process.version}`);
  console.log(`load average at start (1/5/15 min): ${load()}${loadavg()[0]! >= 1 ? "  — the machine is busy: read these figures as an upper bound" : ""}`);

  const outdir = mkdtempSync(path.join(tmpdir(), "bench-browser-"));
  await bundle(outdir);
  const server = await serve(outdir);
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", headless: true, args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"] });
  const rows: string[][] = [];
  try {
    const page = await browser.newPage();
    await page.goto(origin);
    await page.waitForFunction(() => "bench" in globalThis);
    // Calls into the page as expressions (tsx would decorate serialised functions with helpers the page lacks).
    const bench: Bench = (method, a) => page.evaluate(`bench.${method}(${a === undefined ? "" : JSON.stringify(a)})`);
    console.log(`Chromium ${browser.version()}, navigator.hardwareConcurrency = ${await bench<number>("cores")}`);

    // modexp, 3072-bit
    const browserModexp = runs > 0 ? await page.evaluate(`bench.modexp(${runs}, 3072)`) as { backend: string; ms: number[] } : null;
    const nodeModexp: number[] = [];
    if (withNode && runs > 0) {
      ensureBackendSelected();
      const m = randomBits(3072) | (1n << 3071n) | 1n;
      for (let k = 0; k < runs; k++) {
        const base = randomBits(3072) % m;
        const e = randomBits(3072) | (1n << 3071n);
        const t = performance.now();
        modPow(base, e, m);
        nodeModexp.push(performance.now() - t);
      }
    }
    if (browserModexp) rows.push(["modexp 3072-bit mod, 3072-bit exp", `${fmt(median(browserModexp.ms))}${range(browserModexp.ms)} [${browserModexp.backend}]`, nodeModexp.length ? `${fmt(median(nodeModexp))}${range(nodeModexp)} [${ensureBackendSelected().chosen}]` : "—", "—", "≤ 10 ms server, ≤ 25 ms phone (spec §6.4)"]);

    // one 1536-bit safe prime, alternating runs so all see the same load
    if (primeRuns > 0) {
      const chromiumMs: number[] = [];
      const nodeMs: number[] = [];
      const opensslMs: number[] = [];
      // Fermat-tested candidates per second: the generators' speed without the luck of the draw.
      const rate = { chromium: { tested: 0, ms: 0 }, node: { tested: 0, ms: 0 } };
      for (let k = 0; k < primeRuns; k++) {
        const c = await bench<{ ms: number; tested: number }>("prime", profile.primeBits);
        chromiumMs.push(c.ms);
        rate.chromium.tested += c.tested;
        rate.chromium.ms += c.ms;
        if (withNode) {
          let tested = 0;
          const t = performance.now();
          await generateSafePrime(profile.primeBits, { onProgress: (p) => (tested = p.tested) });
          nodeMs.push(performance.now() - t);
          rate.node.tested += tested;
          rate.node.ms += nodeMs[k]!;
        }
        const t2 = performance.now();
        await generateSafePrimeNative(profile.primeBits);
        opensslMs.push(performance.now() - t2);
        console.log(`  safe prime ${k + 1}/${primeRuns}: Chromium ${fmt(chromiumMs[k])} (${c.tested} tested), Node ${fmt(nodeMs[k])}, OpenSSL ${fmt(opensslMs[k])} (load ${load()})`);
      }
      const perSecond = (r: { tested: number; ms: number }) => (r.ms > 0 ? `${((r.tested * 1000) / r.ms).toFixed(0)}/s` : "—");
      rows.push(["safe-prime search: candidates through the Fermat tests per second (all runs)", perSecond(rate.chromium), perSecond(rate.node), "—", "—"]);
      const ratio = (median(chromiumMs) ?? 0) / (median(opensslMs) ?? 1);
      // The search is a geometric draw: the mean over all runs estimates the expected time better than few runs' median.
      const summary = (xs: number[]) => (xs.length ? `${fmt(median(xs))}${range(xs)}; mean ${fmt(mean(xs))}` : "—");
      const meanRatio = (mean(chromiumMs) ?? 0) / (mean(opensslMs) ?? 1);
      rows.push([`one ${profile.primeBits}-bit safe prime, median (range); mean of ${primeRuns}`, summary(chromiumMs), summary(nodeMs), summary(opensslMs), `≤ 8 s in Chromium and ≤ 3× OpenSSL (now ${ratio.toFixed(1)}× by medians, ${meanRatio.toFixed(1)}× by means)`]);
    }

    // aux info and signing (fixture primes; party 2 reuses factors in new pairings — benchmark only)
    if (protocols) await protocolRows(bench, rows, withNode);
  } finally {
    await browser.close();
    server.close();
    rmSync(outdir, { recursive: true, force: true });
  }
  table("Chromium beside Node and OpenSSL, production profile", ["figure", "Chromium", "Node", "OpenSSL", "goal (issue #20)"], rows);
  console.log(`\nload average at end (1/5/15 min): ${load()}`);
}

/** Party 0 in the page's keygen worker, driven round by round through `bench` (its times measured in the page). */
function pageParty(bench: Bench, request: WorkerRequest): RemoteParty {
  return {
    id: 0,
    start: () => bench("partyStart", request),
    step: (incoming) => bench("partyStep", incoming),
  };
}

async function protocolRows(bench: Bench, rows: string[][], withNode: boolean): Promise<void> {
  const profile = PRODUCTION;
  const fp = fixtureSafePrimes(1536);
  const pick = (a: number, b: number, c: number, d: number): AuxPrimes => ({ p: fp[a]!, q: fp[b]!, pHat: fp[c]!, qHat: fp[d]! });
  const primeSets = [pick(0, 1, 2, 3), pick(4, 5, 6, 7), pick(0, 2, 5, 7)];
  const hex = (s: AuxPrimes): AuxPrimesHex => ({ p: s.p.toString(16), q: s.q.toString(16), pHat: s.pHat.toString(16), qHat: s.qHat.toString(16) });
  const sids = { keygen: bytesToHex(randomBytes(32)), aux: bytesToHex(randomBytes(32)) };
  // As in the product: the user's party (0) in the browser, the others elsewhere (here: this process, between its rounds).
  const nodeIds = [1, 2];
  const fmtLocal = (r: RelayRound) => [...r.local.values()].map(fmt).join(" / ") || "—";
  await bench("partyOpen");
  let shares: KeyShare[];
  let auxBusy: number;
  let nodeAux: number[];
  try {
    console.log(`  keygen: party 0 in a Chromium keygen worker, parties ${nodeIds.join(", ")} in Node (not timed)… (load ${load()})`);
    const kg = await relayRun<KeygenState, CoreKeyShare>(
      pageParty(bench, { type: "keygen.start", index: 0, n: 3, threshold: 2, sid: sids.keygen, profile: "production" }),
      nodeIds,
      (i) => startKeygen({ index: i, n: 3, threshold: 2, sid: sids.keygen, profile }),
      stepKeygen,
    );
    console.log(`  aux info: party 0 in the Chromium keygen worker with its repetition workers, parties ${nodeIds.join(", ")} in Node between its rounds (load ${load()})`);
    const ax = await relayRun<AuxState, AuxInfo>(
      pageParty(bench, { type: "aux.start", index: 0, n: 3, sid: sids.aux, profile: "production", primes: hex(primeSets[0]!) }),
      nodeIds,
      (i) => startAux({ index: i, n: 3, sid: sids.aux, primes: primeSets[i]!, profile }),
      stepAux,
      (round, r) => console.log(`    aux round ${round}: party 0 in Chromium ${fmt(r.remote)}; Node CPU, parties ${nodeIds.join(" / ")}: ${fmtLocal(r)} (load ${load()})`),
    );
    auxBusy = ax.remoteBusy;
    nodeAux = nodeIds.map((i) => ax.cpu.get(i)!);
    console.log(`  aux info, party 0 in Chromium, busy time: ${fmt(auxBusy)}`);
    shares = [0, 1, 2].map((i) => ({ core: kg.outputs.get(i)!, aux: ax.outputs.get(i)! }));
  } finally {
    await bench("partyClose");
  }
  rows.push([
    "aux info, one party in Chromium (busy time, its repetition workers on both cores)",
    fmt(auxBusy),
    `${nodeAux.map(fmt).join(" / ")} CPU per party (parties ${nodeIds.join(", ")}, same run)`,
    "—",
    "≤ 8 s per party in Chromium",
  ]);

  // Party 0's share (made in Chromium) signs with party 1's (made in Node): a mismatch fails loudly.
  const signers = [0, 1];
  for (const prepared of [false, true]) {
    const label = prepared ? "nonces precomputed ahead (sign.prepare in each worker / the server's pool; not timed)" : "cold";
    const nodeSign = withNode ? await nodeSigning(shares, signers, profile, prepared) : null;
    const walls: number[] = [];
    for (let k = 0; k < 3; k++) {
      const r = await bench<{ ms: number; signature: EcdsaSignature }>("sign", { shares, signers, messageHash: bytesToHex(keccak_256(randomBytes(64))), sid: bytesToHex(randomBytes(32)), prepared });
      walls.push(r.ms);
      console.log(`  Chromium 2-party signing, ${label}, ${k + 1}/3: ${fmt(r.ms)} (load ${load()})`);
    }
    rows.push([
      `2-party signing, ${label} (Chromium: wall, one Web Worker per party, 3 runs; Node: CPU per party, parallel wall)`,
      `${fmt(median(walls))}${range(walls)}`,
      nodeSign ? `${[...nodeSign.cpu.values()].map(fmt).join(" / ")} CPU, ${fmt(nodeSign.criticalPath)} wall` : "—",
      "—",
      "≤ 1.5 s wall in Chromium; ≤ 0.5 s CPU per party in Node",
    ]);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
