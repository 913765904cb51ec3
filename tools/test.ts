/**
 * `npm test`: every test.
 *   0. the type checker over the whole project (app, lib, tests, tools)
 *   1. unit + integration (vitest) with the data layer on embedded PGlite, split in two shards
 *      (TEST_SHARDS, default 2) of about equal time by tests/durations.json (tools/lib/test-shards.ts;
 *      TEST_RECORD_DURATIONS=1 writes this run's file times back to it), and at the same time
 *      2. the data-layer suites again on a real PostgreSQL server (a throwaway cluster on 127.0.0.1);
 *      vitest runs one worker on this 2-core machine, so the three lanes share the two cores (the
 *      PostgreSQL lane ends first, after which each shard has a core). Output lines are prefixed
 *      [pglite 1/2], [pglite 2/2] and [postgres].
 *   3. the fault suites (tests/faults), which start and stop clusters of their own (alone: they
 *      measure outages and restarts and should not share the machine)
 *   4. end-to-end in Debian's Chromium (Playwright) against `npm start` (E2E_WORKERS, default 1);
 *      the production build it serves is made while the unit lanes still run (once the PostgreSQL
 *      lane ends, when one core would otherwise idle), prefixed [build]
 * Installs what the machine lacks (chromium, postgresql) with apt when run as root.
 * Ends with one line "N passed, N failed".
 */
import { spawn, spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildApp } from "./lib/app-build";
import { findPostgresBin, startPostgres } from "./lib/postgres";
import { listTestFiles, mergeDurations, readDurations, splitByDuration, writeDurations, type Durations } from "./lib/test-shards";

/**
 * Suites that run a second time on the PostgreSQL server: everything whose outcome depends on the
 * server (locks, concurrency between instances, spend reservations, NUL and column ranges, migrations).
 * The signing protocol suites that only drive ceremonies through the same data layer (key generation,
 * blame, message authentication, custody) run once, on PGlite: their queries are covered here by the
 * signing suites below, and a second run cost about five minutes of CI.
 */
const DATA_LAYER_SUITES = [
  "tests/db", "tests/api", "tests/auth", "tests/system", "tests/approvals", "tests/push",
  "tests/signing/guardrails.test.ts", "tests/signing/approvals.test.ts", "tests/signing/session-integrity.test.ts",
  "tests/signing/user-server-and-instances.test.ts", "tests/signing/prime-pool.test.ts", "tests/signing/browser-prime-supply.test.ts",
  "tests/http/fuzz.test.ts", "tests/http/bad-input.test.ts", "tests/http/audit-export-stream.test.ts",
  "tests/http/rate-limit-credentials.test.ts",
  "tests/tlog/store.test.ts", "tests/tlog/checkpointer.test.ts",
  "tests/gateway/api.test.ts", "tests/gateway/hot-path.test.ts", "tests/sdk/gateway.test.ts",
  "tests/trust/concurrency.test.ts", "tests/signing/nonce-pool.test.ts",
  "tests/scim", "tests/billing/stripe-webhook.test.ts", "tests/billing/check-quota.test.ts",
  "tests/chain/serial-sender.test.ts",
];
// Fault tests (issue #12): each file starts a PostgreSQL cluster of its own (it stops and restarts it)
// and app instances in child processes; run once, in the pg stage (about 2-3 minutes).
const FAULT_SUITES = ["tests/faults"];
const DURATIONS_FILE = "tests/durations.json";
/**
 * The two lanes share two cores with ceremonies that hold the event loop for seconds (the in-process
 * agent and server both compute), so a transaction can outlive the production default of 8 s without
 * anything being wrong. The suites that are about timeouts set their own (tests/db/unavailable.test.ts,
 * the fault rig); the fault stage below keeps the defaults.
 */
const LANE_ENV = {
  DATABASE_STATEMENT_TIMEOUT_MS: process.env.DATABASE_STATEMENT_TIMEOUT_MS ?? "60000",
  DATABASE_CONNECT_TIMEOUT_MS: process.env.DATABASE_CONNECT_TIMEOUT_MS ?? "30000",
};
const only = process.argv.slice(2); // e.g. `npm test -- unit` or `-- e2e`
const want = (stage: string) => only.length === 0 || only.includes(stage);

function sh(cmd: string, args: string[], env: Record<string, string> = {}): number {
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
  return r.status ?? 1;
}

function aptInstall(pkgs: string[]) {
  if (process.getuid?.() !== 0) throw new Error(`missing ${pkgs.join(", ")}: install with apt-get install -y ${pkgs.join(" ")}`);
  process.stdout.write(`[test] installing ${pkgs.join(", ")} with apt …\n`);
  sh("apt-get", ["update", "-qq"]);
  if (sh("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...pkgs], { DEBIAN_FRONTEND: "noninteractive" }) !== 0) throw new Error(`apt-get install ${pkgs.join(" ")} failed`);
}

function ensurePrerequisites() {
  const need: string[] = [];
  if (want("e2e") && !existsSync(process.env.CHROMIUM_PATH ?? "/usr/bin/chromium")) need.push("chromium");
  if (want("pg") && !findPostgresBin()) need.push("postgresql");
  if (need.length) aptInstall(need);
}

type Tally = { passed: number; failed: number; skipped: number };
const total: Tally = { passed: 0, failed: 0, skipped: 0 };

/** Runs a command; with a prefix its output is piped line by line so two lanes stay readable. */
function run(cmd: string, args: string[], env: Record<string, string>, prefix?: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: prefix ? ["ignore", "pipe", "pipe"] : "inherit", env: { ...process.env, ...env } });
    if (prefix) {
      for (const stream of [child.stdout!, child.stderr!]) createInterface({ input: stream }).on("line", (line) => process.stdout.write(`${prefix} ${line}\n`));
    }
    child.on("error", () => resolve(1));
    child.on("close", (code) => resolve(code ?? 1));
  });
}

/** `record`: collects each file's time there (tools/lib/durations-reporter.ts). */
async function vitest(label: string, files: string[], env: Record<string, string> = {}, prefix?: string, record?: Durations): Promise<number> {
  const tmp = mkdtempSync(path.join(tmpdir(), "cs-vitest-"));
  const out = path.join(tmp, "report.json");
  const times = path.join(tmp, "durations.json");
  process.stdout.write(`\n[test] ${label}\n`);
  const args = ["vitest", "run", ...files, "--reporter=default", "--reporter=json", `--outputFile.json=${out}`, ...(record ? ["--reporter=./tools/lib/durations-reporter.ts"] : [])];
  const code = await run("npx", args, { ...env, ...(record ? { TEST_DURATIONS_OUT: times } : {}), ...(prefix ? { NO_COLOR: "1" } : {}) }, prefix);
  if (record && existsSync(times)) Object.assign(record, JSON.parse(readFileSync(times, "utf8")) as Durations);
  if (existsSync(out)) {
    const r = JSON.parse(readFileSync(out, "utf8")) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
    total.passed += r.numPassedTests;
    total.failed += r.numFailedTests;
    total.skipped += r.numPendingTests + r.numTodoTests;
  } else if (code !== 0) total.failed += 1;
  process.stdout.write(`[test] ${label}: ${code === 0 ? "passed" : `failed (exit ${code})`}\n`);
  return code;
}

function playwright(): number {
  const out = path.join(mkdtempSync(path.join(tmpdir(), "cs-pw-")), "report.json");
  process.stdout.write("\n[test] end-to-end (Playwright, Chromium)\n");
  const code = sh("npx", ["playwright", "test", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: out, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1" });
  if (existsSync(out)) {
    const r = JSON.parse(readFileSync(out, "utf8")) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } };
    total.passed += r.stats.expected;
    total.failed += r.stats.unexpected + r.stats.flaky;
    total.skipped += r.stats.skipped;
  } else if (code !== 0) total.failed += 1;
  return code;
}

async function main() {
  ensurePrerequisites();
  const codes: number[] = [];
  if (want("typecheck")) {
    process.stdout.write("\n[test] typecheck (tsc --noEmit)\n");
    const code = sh("npx", ["tsc", "--noEmit", "-p", "."]);
    if (code !== 0) total.failed += 1;
    codes.push(code);
  }
  const unitExcludes = FAULT_SUITES.flatMap((f) => ["--exclude", `${f}/**`]);
  const lanes: Promise<number>[] = [];
  const shards = Math.max(1, Number(process.env.TEST_SHARDS ?? 2) || 1);
  const prefixed = (want("unit") && want("pg")) || shards > 1;
  const unitFiles = listTestFiles("tests", FAULT_SUITES);
  const measured: Durations = {};
  if (want("unit")) {
    const split = shards > 1 ? splitByDuration(unitFiles, readDurations(DURATIONS_FILE), shards) : [[]];
    split.forEach((files, i) => {
      if (shards > 1 && files.length === 0) return; // more shards than files: no filter would run them all
      const shard = shards > 1 ? `${i + 1}/${shards}` : undefined;
      const name = shard ? `pglite ${shard}` : "pglite";
      lanes.push(vitest(`unit and integration (embedded PGlite${shard ? `, shard ${shard}: ${files.length} files` : ""})`, [...files, ...unitExcludes], LANE_ENV, prefixed ? `[${name}]` : undefined, measured));
    });
  }
  let pgLane: Promise<unknown> = Promise.resolve();
  if (want("pg")) {
    pgLane = (async () => {
      const pg = await startPostgres();
      try {
        return await vitest(`data layer on a real PostgreSQL server (${pg.url})`, DATA_LAYER_SUITES, { ...LANE_ENV, TEST_PG_ADMIN_URL: pg.url }, prefixed ? "[postgres]" : undefined);
      } finally {
        pg.stop();
      }
    })();
    lanes.push(pgLane as Promise<number>);
  }
  // The e2e stage's production build, in the core the PostgreSQL lane leaves free.
  const built = want("e2e")
    ? pgLane.catch(() => undefined).then(() => {
        process.stdout.write("\n[test] production build for the end-to-end stage\n");
        return buildApp(process.cwd(), { ...process.env, NEXT_TELEMETRY_DISABLED: "1" }, (line) => process.stdout.write(`[build] ${line}\n`));
      })
    : Promise.resolve(true);
  codes.push(...(await Promise.all(lanes)));
  if (want("unit") && process.env.TEST_RECORD_DURATIONS === "1") {
    writeDurations(DURATIONS_FILE, mergeDurations(readDurations(DURATIONS_FILE), measured, unitFiles));
    process.stdout.write(`[test] file durations written to ${DURATIONS_FILE}\n`);
  }
  const buildOk = await built; // the fault stage wants the machine to itself
  if (want("pg")) codes.push(await vitest("faults: database outage, a killed instance, load (own PostgreSQL clusters)", FAULT_SUITES));
  if (want("e2e")) {
    if (buildOk) codes.push(playwright());
    else {
      process.stdout.write("[test] end-to-end: not run, the production build failed (see [build] above)\n");
      total.failed += 1;
      codes.push(1);
    }
  }
  const failed = codes.some((c) => c !== 0) || total.failed > 0;
  process.stdout.write(`\n${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ""}\n`);
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  process.stderr.write(`[test] ${(err as Error).message}\n`);
  process.stdout.write(`\n${total.passed} passed, ${total.failed + 1} failed\n`);
  process.exit(1);
});
